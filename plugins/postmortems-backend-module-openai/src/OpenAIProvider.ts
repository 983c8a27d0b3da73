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
import { TimelineBudget } from './TimelineBudget';
import { TokenCounter } from './tokens';
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
} from '@postmortems-oss/backstage-plugin-postmortems-node';

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
  /**
   * `document`: one call writes the whole draft (fewest tokens).
   * `sections`: one call per section plus one for the action items, run in
   * parallel; each section is shown as soon as it is written and the draft is
   * done when the slowest call is, at the price of sending the evidence with
   * every call.
   */
  strategy?: 'document' | 'sections';
  /** How many calls of the `sections` strategy run at once. */
  parallelism?: number;
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

type ModelAnswer = z.infer<typeof responseShape>;

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
    const keys =
      request.sectionKeys ?? evidence.template.sections.map(s => s.key);
    const timeline = new TimelineBudget(
      this.options.evidenceBudgetTokens,
      this.counter,
    ).fit(evidence.entries);

    const deadline = AbortSignal.timeout(this.options.deadlineMs);
    // Lets the parallel strategy stop the other calls once one has failed.
    const stop = new AbortController();
    const signal = AbortSignal.any(
      [deadline, stop.signal, request.signal].filter(
        (s): s is AbortSignal => !!s,
      ),
    );
    const call = async (
      user: string,
      sectionKeys: string[],
      onText?: (textSoFar: string) => void,
    ) => {
      const askedAt = Date.now();
      try {
        return await this.askForSections(
          user,
          sectionKeys,
          request,
          signal,
          onText,
        );
      } catch (error) {
        if (deadline.aborted && !(error instanceof GenerationError)) {
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
    };

    const parallel =
      this.options.strategy === 'sections' &&
      request.mode === 'draft' &&
      keys.length > 1;
    if (!parallel) {
      const user =
        request.mode === 'enhance'
          ? enhanceUserPrompt(
              evidence,
              timeline,
              (request.current ?? []).filter(s => keys.includes(s.key)),
            )
          : draftUserPrompt(evidence, timeline, keys);
      const { sections, answer } = await call(user, keys);
      for (const section of sections) await request.onSection?.(section);
      const wantsItems = request.mode === 'draft' && !request.sectionKeys;
      return {
        sections,
        generatedBy: 'ai',
        actionItems: wantsItems ? this.proposals(answer, request) : [],
      };
    }

    // One call per section and one for the action items, a few at a time;
    // each section is reported the moment it is written.
    const tasks: Array<() => Promise<void>> = [];
    const sections = new Map<string, DraftSection>();
    let items: Draft['actionItems'] = [];
    for (const key of keys) {
      tasks.push(async () => {
        const user = draftUserPrompt(evidence, timeline, [key], 'sections');
        const title =
          evidence.template.sections.find(t => t.key === key)?.title ?? key;
        // Streamed, so the section can be read while it is being written.
        const onText = request.onSectionText
          ? (textSoFar: string) => {
              const markdown = partialMarkdown(textSoFar);
              if (markdown) {
                request.onSectionText!({ key, title, markdown, evidence: [] });
              }
            }
          : undefined;
        const [section] = (await call(user, [key], onText)).sections;
        sections.set(key, section);
        await request.onSection?.(section);
      });
    }
    if (!request.sectionKeys) {
      tasks.push(async () => {
        const user = draftUserPrompt(evidence, timeline, [], 'action-items');
        items = this.proposals((await call(user, [])).answer, request);
      });
    }
    try {
      await runPooled(tasks, this.options.parallelism ?? 8);
    } catch (error) {
      stop.abort();
      throw error;
    }
    return {
      sections: keys.map(key => sections.get(key)!),
      generatedBy: 'ai',
      actionItems: items,
    };
  }

  /**
   * Asks once and checks the answer has every asked-for section; a malformed
   * or truncated answer gets one more try (transport errors are retried by
   * the SDK itself).
   */
  private async askForSections(
    user: string,
    keys: string[],
    request: DraftRequest,
    signal: AbortSignal,
    onText?: (textSoFar: string) => void,
  ): Promise<{ sections: DraftSection[]; answer: ModelAnswer }> {
    const { template, entries } = request.evidence;
    const known = new Set(entries.map(e => e.id));
    let lastProblem: UnusableAnswer | undefined;
    for (let attempt = 0; attempt < 2; attempt++) {
      let answer: ModelAnswer;
      try {
        answer = await this.ask(user, signal, onText);
      } catch (error) {
        if (error instanceof UnusableAnswer) {
          lastProblem = error;
          continue;
        }
        throw error;
      }
      const missing = keys.find(
        key => !answer.sections.some(s => s.key === key),
      );
      if (missing) {
        lastProblem = new UnusableAnswer(
          `The model's answer left out the section "${missing}".`,
        );
        continue;
      }
      const sections = keys.map(key => {
        const section = answer.sections.find(s => s.key === key)!;
        const title =
          template.sections.find(s => s.key === key)?.title ??
          request.current?.find(s => s.key === key)?.title ??
          key;
        return {
          key,
          title,
          markdown: section.markdown.trim(),
          evidence: section.evidence
            .map(id => id.replace(/^#/, ''))
            .filter(id => known.has(id)),
        };
      });
      return { sections, answer };
    }
    throw new GenerationError(
      `${
        lastProblem?.message ?? 'The model gave an unusable answer.'
      } It happened twice, so nothing was saved; try again, or use the deterministic draft.`,
      true,
      lastProblem,
    );
  }

  private proposals(
    answer: ModelAnswer,
    request: DraftRequest,
  ): Draft['actionItems'] {
    const known = new Set(request.evidence.entries.map(e => e.id));
    return answer.action_items.map(item => ({
      description: item.description.trim(),
      category: item.category,
      ownerHint: item.owner_hint,
      dueInDays: item.due_in_days,
      evidence: item.evidence.filter(id => known.has(id.replace(/^#/, ''))),
    }));
  }

  /**
   * One request. With `onText`, the answer is streamed and `onText` sees the
   * text so far after every chunk, so a section can be shown while it is
   * being written; the finished answer is checked the same way either way.
   */
  private async ask(
    user: string,
    signal: AbortSignal,
    onText?: (textSoFar: string) => void,
  ): Promise<ModelAnswer> {
    const body = {
      model: this.options.model,
      messages: [
        { role: 'system' as const, content: SYSTEM_PROMPT },
        { role: 'user' as const, content: user },
      ],
      response_format: {
        type: 'json_schema' as const,
        json_schema: {
          name: 'postmortem_draft',
          strict: true,
          schema: draftResponseSchema as any,
        },
      },
      max_completion_tokens: this.options.maxOutputTokens,
      temperature: 0.2,
    };
    if (!onText) {
      const completion = await this.client.chat.completions.create(body, {
        signal,
      });
      const choice = completion.choices?.[0];
      if (!choice?.message) {
        throw new UnusableAnswer('The model answered without a message.');
      }
      return checkAnswer(
        choice.message.content,
        choice.finish_reason,
        choice.message.refusal,
      );
    }
    const stream = await this.client.chat.completions.create(
      { ...body, stream: true },
      { signal },
    );
    let content = '';
    let refusal = '';
    let finishReason: string | null = null;
    for await (const chunk of stream) {
      const choice = chunk.choices?.[0];
      if (!choice) continue;
      if (choice.delta?.content) {
        content += choice.delta.content;
        onText(content);
      }
      if (choice.delta?.refusal) refusal += choice.delta.refusal;
      if (choice.finish_reason) finishReason = choice.finish_reason;
    }
    return checkAnswer(content, finishReason, refusal || null);
  }
}

/** A finished answer, whole or streamed, as the structure asked for. */
function checkAnswer(
  content: string | null | undefined,
  finishReason: string | null | undefined,
  refusal: string | null | undefined,
): ModelAnswer {
  if (refusal) {
    throw new GenerationError(
      `The model refused to write the draft: "${refusal}". Nothing was saved.`,
    );
  }
  if (finishReason === 'length') {
    throw new UnusableAnswer(
      'The model’s answer was cut off at its output limit (postmortems.openai.maxOutputTokens).',
    );
  }
  if (finishReason === 'content_filter') {
    throw new GenerationError(
      'The model provider’s content filter stopped the answer. Nothing was saved.',
    );
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(content ?? '');
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

/**
 * The Markdown of the first section in a JSON answer that is still being
 * written (`{"sections":[{"key":"…","markdown":"…`), as far as it has come;
 * undefined until its markdown has begun.
 */
export function partialMarkdown(jsonSoFar: string): string | undefined {
  const start = /"markdown"\s*:\s*"/.exec(jsonSoFar);
  if (!start) return undefined;
  let text = '';
  for (let i = start.index + start[0].length; i < jsonSoFar.length; i++) {
    const c = jsonSoFar[i];
    if (c === '"') break;
    if (c !== '\\') {
      text += c;
      continue;
    }
    const next = jsonSoFar[i + 1];
    if (next === undefined) break; // an escape cut in half: wait for more
    if (next === 'u') {
      const hex = jsonSoFar.slice(i + 2, i + 6);
      if (hex.length < 4) break;
      text += String.fromCharCode(parseInt(hex, 16));
      i += 5;
      continue;
    }
    text += { n: '\n', t: '\t', r: '\r', b: '\b', f: '\f' }[next] ?? next;
    i += 1;
  }
  return text;
}

/** Runs the tasks with at most `limit` at once; the first failure rejects. */
async function runPooled(
  tasks: Array<() => Promise<void>>,
  limit: number,
): Promise<void> {
  let next = 0;
  let failed = false;
  const worker = async () => {
    while (!failed && next < tasks.length) {
      const task = tasks[next++];
      try {
        await task();
      } catch (error) {
        failed = true;
        throw error;
      }
    }
  };
  await Promise.all(
    Array.from({ length: Math.max(1, Math.min(limit, tasks.length)) }, worker),
  );
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
