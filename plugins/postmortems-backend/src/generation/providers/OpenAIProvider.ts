import OpenAI, {
  APIConnectionError,
  APIConnectionTimeoutError,
  APIError,
  APIUserAbortError,
  AuthenticationError,
  NotFoundError,
  RateLimitError,
} from 'openai';
import { z } from 'zod';
import { ProviderStatus } from '@postmortems-oss/backstage-plugin-postmortems-common';
import { TimelineBudget } from '../evidence/TimelineBudget';
import { TokenCounter } from '../evidence/tokens';
import {
  SYSTEM_PROMPT,
  draftResponseSchema,
  draftUserPrompt,
  enhanceUserPrompt,
} from './prompt';
import {
  Draft,
  DraftProvider,
  DraftRequest,
  DraftSection,
  GenerationError,
} from './types';

export interface OpenAIProviderOptions {
  apiKey: string;
  model: string;
  /** Any OpenAI-compatible endpoint: Azure OpenAI, Ollama, vLLM, a gateway. */
  baseUrl?: string;
  /** One request's timeout. */
  timeoutMs: number;
  /** Retries of 429, 5xx and timeouts, with backoff, jitter and Retry-After. */
  maxRetries: number;
  /** All attempts of one generation together. */
  deadlineMs: number;
  /** Tokens the evidence may take in the prompt. */
  evidenceBudgetTokens: number;
  maxOutputTokens: number;
}

const responseShape = z.object({
  sections: z.array(
    z.object({
      key: z.string().min(1),
      markdown: z.string(),
      evidence: z.array(z.string()).default([]),
    }),
  ),
  action_items: z
    .array(
      z.object({
        description: z.string().min(1),
        category: z.string().nullable().default(null),
        owner_hint: z.string().nullable().default(null),
        due_in_days: z.number().int().nullable().default(null),
        evidence: z.array(z.string()).default([]),
      }),
    )
    .default([]),
});

/** A model answer that cannot be used; one more attempt may succeed. */
class UnusableAnswer extends Error {}

/**
 * Drafts with an OpenAI-compatible chat completions endpoint through the
 * official SDK, asking for structured JSON and validating it before use.
 */
export class OpenAIProvider implements DraftProvider {
  readonly kind = 'openai' as const;
  private readonly client: OpenAI;
  private readonly counter: TokenCounter;

  constructor(private readonly options: OpenAIProviderOptions) {
    this.client = new OpenAI({
      apiKey: options.apiKey,
      baseURL: options.baseUrl,
      timeout: options.timeoutMs,
      maxRetries: options.maxRetries,
    });
    this.counter = new TokenCounter(options.model);
  }

  status(): ProviderStatus {
    return {
      provider: 'openai',
      model: this.options.model,
      base_url: this.options.baseUrl
        ? new URL(this.options.baseUrl).host
        : 'api.openai.com',
      configured: true,
    };
  }

  async testConnection() {
    try {
      await this.client.chat.completions.create(
        {
          model: this.options.model,
          messages: [{ role: 'user', content: 'Reply with the word ok.' }],
          max_completion_tokens: 5,
        },
        { maxRetries: 0, timeout: Math.min(this.options.timeoutMs, 15_000) },
      );
      return {
        ok: true,
        message: `Connected to ${this.status().base_url} with model ${
          this.options.model
        }.`,
      };
    } catch (error) {
      return { ok: false, message: explain(error, this.options).message };
    }
  }

  async draft(request: DraftRequest): Promise<Draft> {
    const { evidence } = request;
    const template = evidence.template;
    const keys = request.sectionKeys ?? template.sections.map(s => s.key);
    const timeline = new TimelineBudget(
      this.options.evidenceBudgetTokens,
      this.counter,
    ).fit(evidence.entries);
    const user =
      request.mode === 'enhance'
        ? enhanceUserPrompt(
            evidence,
            timeline,
            (request.current ?? []).filter(s => keys.includes(s.key)),
          )
        : draftUserPrompt(evidence, timeline, keys);

    const deadline = AbortSignal.timeout(this.options.deadlineMs);
    const signal = request.signal
      ? AbortSignal.any([request.signal, deadline])
      : deadline;

    let lastProblem: UnusableAnswer | undefined;
    // A malformed or truncated answer gets one more try; transport errors are
    // retried by the SDK itself.
    for (let attempt = 0; attempt < 2; attempt++) {
      let answer;
      const askedAt = Date.now();
      try {
        answer = await this.ask(user, signal);
      } catch (error) {
        if (error instanceof UnusableAnswer) {
          lastProblem = error;
          continue;
        }
        if (deadline.aborted) {
          throw new GenerationError(
            `The model provider did not finish within ${Math.round(
              this.options.deadlineMs / 1000,
            )} s (all retries included). Nothing was saved; try again later or use the deterministic draft.`,
            true,
            error,
          );
        }
        throw explain(error, this.options, Date.now() - askedAt);
      }
      const known = new Set(evidence.entries.map(e => e.id));
      const sections: DraftSection[] = [];
      for (const key of keys) {
        const section = answer.sections.find(s => s.key === key);
        const templateSection = template.sections.find(s => s.key === key);
        const current = request.current?.find(s => s.key === key);
        if (!section) {
          lastProblem = new UnusableAnswer(
            `The model's answer left out the section "${key}".`,
          );
          break;
        }
        sections.push({
          key,
          title: templateSection?.title ?? current?.title ?? key,
          markdown: section.markdown.trim(),
          evidence: section.evidence
            .map(id => id.replace(/^#/, ''))
            .filter(id => known.has(id)),
        });
      }
      if (sections.length !== keys.length) continue;
      for (const section of sections) await request.onSection?.(section);
      return {
        sections,
        generatedBy: 'ai',
        actionItems:
          request.mode === 'enhance' || request.sectionKeys
            ? []
            : answer.action_items.map(item => ({
                description: item.description.trim(),
                category: item.category,
                ownerHint: item.owner_hint,
                dueInDays: item.due_in_days,
                evidence: item.evidence.filter(id =>
                  known.has(id.replace(/^#/, '')),
                ),
              })),
      };
    }
    throw new GenerationError(
      `${
        lastProblem?.message ?? 'The model gave an unusable answer.'
      } It happened twice, so nothing was saved; try again, or use the deterministic draft.`,
      true,
      lastProblem,
    );
  }

  private async ask(user: string, signal: AbortSignal) {
    const completion = await this.client.chat.completions.create(
      {
        model: this.options.model,
        messages: [
          { role: 'system', content: SYSTEM_PROMPT },
          { role: 'user', content: user },
        ],
        response_format: {
          type: 'json_schema',
          json_schema: {
            name: 'postmortem_draft',
            strict: true,
            schema: draftResponseSchema as any,
          },
        },
        max_completion_tokens: this.options.maxOutputTokens,
        temperature: 0.2,
      },
      { signal },
    );
    const choice = completion.choices?.[0];
    if (!choice?.message) {
      throw new UnusableAnswer('The model answered without a message.');
    }
    if (choice.message.refusal) {
      throw new GenerationError(
        `The model refused to write the draft: "${choice.message.refusal}". Nothing was saved.`,
      );
    }
    if (choice.finish_reason === 'length') {
      throw new UnusableAnswer(
        'The model’s answer was cut off at its output limit (postmortems.openai.maxOutputTokens).',
      );
    }
    if (choice.finish_reason === 'content_filter') {
      throw new GenerationError(
        'The model provider’s content filter stopped the answer. Nothing was saved.',
      );
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(choice.message.content ?? '');
    } catch {
      throw new UnusableAnswer('The model’s answer was not valid JSON.');
    }
    const result = responseShape.safeParse(parsed);
    if (!result.success) {
      throw new UnusableAnswer(
        'The model’s answer did not have the requested structure.',
      );
    }
    return result.data;
  }
}

/** Turns an SDK error into words a user can act on. */
function explain(
  error: unknown,
  options: OpenAIProviderOptions,
  elapsedMs = 0,
): GenerationError {
  const where = options.baseUrl
    ? new URL(options.baseUrl).host
    : 'api.openai.com';
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
      `The model provider at ${where} does not know the model "${options.model}" (404). Check postmortems.openai.model.`,
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
