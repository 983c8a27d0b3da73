import {
  APIConnectionError,
  APIConnectionTimeoutError,
  APIError,
  APIUserAbortError,
  AuthenticationError,
  NotFoundError,
  RateLimitError,
} from 'openai';
import { GenerationError } from '@postmortems-oss/backstage-plugin-postmortems-node';
import type { OpenAIProviderOptions } from './OpenAIProvider';
import { isUnsupportedOutputMode } from './outputModes';

/** The host the provider calls, for messages and the status. */
export function providerHost(
  options: Pick<OpenAIProviderOptions, 'baseUrl' | 'azure'>,
): string {
  if (options.azure) return new URL(options.azure.endpoint).host;
  return options.baseUrl ? new URL(options.baseUrl).host : 'api.openai.com';
}

/** Turns an SDK error into words a user can act on. */
export function explain(
  error: unknown,
  options: OpenAIProviderOptions,
  elapsedMs = 0,
): GenerationError {
  const where = providerHost(options);
  const retries = `${options.maxRetries} ${
    options.maxRetries === 1 ? 'retry' : 'retries'
  }`;
  if (error instanceof GenerationError) return error;
  if (error instanceof AuthenticationError) {
    return new GenerationError(
      `The model provider at ${where} rejected the API key (401). Check postmortems.openai.apiKey.`,
      false,
      error,
    );
  }
  if (error instanceof NotFoundError) {
    return new GenerationError(
      options.azure
        ? `The model provider at ${where} has no deployment "${options.azure.deployment}" (404). Check postmortems.openai.azure.deployment and apiVersion.`
        : `The model provider at ${where} does not know the model "${options.model}" (404). Check postmortems.openai.model.`,
      false,
      error,
    );
  }
  if (error instanceof RateLimitError) {
    return new GenerationError(
      `The model provider at ${where} is rate-limiting requests (429), still after ${retries}. Try again in a few minutes.`,
      true,
      error,
    );
  }
  if (
    error instanceof APIConnectionTimeoutError ||
    // Some runtimes report a request timeout as a plain connection error;
    // the time spent tells them apart.
    (error instanceof APIConnectionError &&
      !(error instanceof APIUserAbortError) &&
      elapsedMs >= options.timeoutMs)
  ) {
    return new GenerationError(
      `The model provider at ${where} did not answer within ${Math.round(
        options.timeoutMs / 1000,
      )} s, ${retries} included. Try again later.`,
      true,
      error,
    );
  }
  if (error instanceof APIUserAbortError) {
    return new GenerationError(
      'Generation was stopped before the model answered.',
      true,
      error,
    );
  }
  if (error instanceof APIConnectionError) {
    return new GenerationError(
      `Could not reach the model provider at ${where}. Check postmortems.openai.baseUrl and the network.`,
      true,
      error,
    );
  }
  if (isUnsupportedOutputMode(error)) {
    return new GenerationError(
      `The model provider at ${where} does not take the output mode postmortems.openai.outputMode pins ("${
        options.outputMode
      }"): ${
        (error as Error).message
      }. Set postmortems.openai.outputMode to auto, or to a mode it supports.`,
      false,
      error,
    );
  }
  if (error instanceof APIError && typeof error.status === 'number') {
    if (error.status >= 500) {
      return new GenerationError(
        `The model provider at ${where} had an internal error (HTTP ${error.status}), still after ${retries}. Try again later.`,
        true,
        error,
      );
    }
    return new GenerationError(
      `The model provider at ${where} refused the request (HTTP ${error.status}): ${error.message}`,
      false,
      error,
    );
  }
  return new GenerationError(
    `Generation failed: ${(error as Error)?.message ?? String(error)}`,
    false,
    error,
  );
}
