import { APIError } from 'openai';
import { draftResponseSchema } from './prompt';
import { checkAnswer, ModelAnswer, partialMarkdown } from './modelAnswer';
import {
  MARKDOWN_INSTRUCTIONS,
  partialMarkdownSection,
  readMarkdownAnswer,
} from './markdownAnswer';

/**
 * How the model is asked to shape its answer, best first:
 *
 * - `json_schema`: structured output, the server holds the model to the
 *   schema (OpenAI, Azure OpenAI from api-version 2024-08-01-preview, recent
 *   vLLM and Ollama).
 * - `json_object`: JSON mode, the schema is in the prompt and the answer is
 *   checked against it (llama.cpp's server, older vLLM).
 * - `markdown`: no response format at all; the sections are asked for under
 *   headings and read back by them (any chat model, e.g. behind a gateway
 *   that refuses `response_format`).
 *
 * @public
 */
export type OutputMode = 'json_schema' | 'json_object' | 'markdown';

/** The modes in the order `auto` tries them. */
export const OUTPUT_MODES: readonly OutputMode[] = [
  'json_schema',
  'json_object',
  'markdown',
];

/** The next mode down the ladder, if any. */
export function lowerMode(mode: OutputMode): OutputMode | undefined {
  return OUTPUT_MODES[OUTPUT_MODES.indexOf(mode) + 1];
}

/** The request fields that ask for the mode. */
export function responseFormat(mode: OutputMode) {
  switch (mode) {
    case 'json_schema':
      return {
        response_format: {
          type: 'json_schema' as const,
          json_schema: {
            name: 'postmortem_draft',
            strict: true,
            schema: draftResponseSchema as any,
          },
        },
      };
    case 'json_object':
      return { response_format: { type: 'json_object' as const } };
    default:
      return {};
  }
}

/** What the system prompt adds so the model answers in the mode. */
export function formatInstructions(mode: OutputMode): string | undefined {
  switch (mode) {
    case 'json_object':
      return `Answer format: one JSON object and nothing else (no prose, no code fence), matching this JSON Schema:\n${JSON.stringify(
        draftResponseSchema,
      )}`;
    case 'markdown':
      return MARKDOWN_INSTRUCTIONS;
    default:
      return undefined;
  }
}

/** A finished answer in the mode, read and checked. */
export function readAnswer(
  mode: OutputMode,
  message: {
    content: string | null | undefined;
    finishReason: string | null | undefined;
    refusal: string | null | undefined;
  },
  asked: { key: string; title: string }[],
): ModelAnswer {
  if (mode === 'markdown' && !message.refusal) {
    return readMarkdownAnswer(message.content, message.finishReason, asked);
  }
  return checkAnswer(message.content, message.finishReason, message.refusal);
}

/** The text of the section being written, from a streamed answer so far. */
export function partialSection(
  mode: OutputMode,
  textSoFar: string,
): string | undefined {
  return mode === 'markdown'
    ? partialMarkdownSection(textSoFar)
    : partialMarkdown(textSoFar);
}

const namesTheFormat =
  /response_format|json_schema|json_object|structured output/i;
const saysUnsupported =
  /not supported|unsupported|must be one of|must be '|unrecognized|unknown|invalid|not enabled|enabled only|does not support/i;

/**
 * Whether the server refused the request because of the output mode asked
 * for, as OpenAI-compatible servers say it: a 400 or 422 naming the
 * response format (vLLM "Unrecognized response_format", LiteLLM
 * "UnsupportedParamsError … ['response_format']", Azure "json_schema is
 * enabled only for api versions …"). Rate limits, server errors, timeouts
 * and refused keys are never this.
 */
export function isUnsupportedOutputMode(error: unknown): boolean {
  if (!(error instanceof APIError)) return false;
  if (error.status !== 400 && error.status !== 422) return false;
  const text = `${error.message} ${JSON.stringify(error.error ?? '')}`;
  return namesTheFormat.test(text);
}

/**
 * Whether an error body (of any status) says the response format is not
 * supported; llama.cpp's server says so with HTTP 500, which is a refusal of
 * the request, not a server fault worth retrying.
 */
export function bodySaysFormatUnsupported(text: string): boolean {
  return namesTheFormat.test(text) && saysUnsupported.test(text);
}
