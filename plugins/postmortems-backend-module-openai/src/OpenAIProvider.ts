import OpenAI, { AzureOpenAI } from 'openai';
import { LoggerService } from '@backstage/backend-plugin-api';
import { ProviderStatus } from '@postmortems-oss/backstage-plugin-postmortems-common';
import { entityNamer } from './entityNames';
import { TimelineBudget } from './TimelineBudget';
import { TokenCounter } from './tokens';
import { SYSTEM_PROMPT } from './prompt';
import { draftAsDocument } from './documentStrategy';
import { draftBySections } from './sectionsStrategy';
import { DraftContext } from './strategy';
import { explain, providerHost } from './explain';
import { ModelAnswer, UnusableAnswer } from './modelAnswer';
import { compatibleFetch } from './compatibleFetch';
import {
  formatInstructions,
  isUnsupportedOutputMode,
  lowerMode,
  OutputMode,
  partialSection,
  readAnswer,
  responseFormat,
} from './outputModes';
import {
  Draft,
  DraftProvider,
  DraftRequest,
  DraftSection,
  GenerationError,
} from '@postmortems-oss/backstage-plugin-postmortems-node';

export { partialMarkdown } from './modelAnswer';
export type { OutputMode } from './outputModes';

/** @public */
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
  /**
   * How the answer is asked for. `auto` (the default) starts with
   * `json_schema` and steps down to `json_object`, then `markdown`, when the
   * server refuses or ignores a mode, and remembers the mode that worked;
   * any other value pins that mode.
   */
  outputMode?: 'auto' | OutputMode;
  /**
   * Azure OpenAI: the resource endpoint (e.g.
   * `https://my-resource.openai.azure.com`), the deployment and the API
   * version; the key is sent in the `api-key` header. Replaces `baseUrl`.
   */
  azure?: { endpoint: string; deployment: string; apiVersion: string };
  /** Where the provider says which output mode it settled on. */
  logger?: LoggerService;
}

/**
 * Drafts with an OpenAI-compatible chat completions endpoint through the
 * official SDK, asking for structured JSON and validating it before use.
 *
 * @public
 */
export class OpenAIProvider implements DraftProvider {
  readonly kind = 'openai' as const;
  private readonly client: OpenAI;
  private readonly counter: TokenCounter;
  /** The output mode the next call starts in. */
  private mode: OutputMode;
  /**
   * Whether calls may run in parallel: an answer in `mode` has been read,
   * the mode is pinned, or the server is OpenAI's own.
   */
  private confirmed: boolean;
  /** Queues calls while the output mode is not yet confirmed. */
  private gate: Promise<void> = Promise.resolve();

  constructor(private readonly options: OpenAIProviderOptions) {
    const common = {
      apiKey: options.apiKey,
      timeout: options.timeoutMs,
      maxRetries: options.maxRetries,
      fetch: compatibleFetch(),
    };
    this.client = options.azure
      ? new AzureOpenAI({
          ...common,
          endpoint: options.azure.endpoint,
          deployment: options.azure.deployment,
          apiVersion: options.azure.apiVersion,
        })
      : new OpenAI({ ...common, baseURL: options.baseUrl });
    this.counter = new TokenCounter(options.model);
    const pinned = options.outputMode ?? 'auto';
    this.mode = pinned === 'auto' ? 'json_schema' : pinned;
    // OpenAI's own API takes structured output; any other server has to show
    // which mode it takes before calls run in parallel.
    this.confirmed = pinned !== 'auto' || (!options.baseUrl && !options.azure);
  }

  status(): ProviderStatus {
    return {
      provider: 'openai',
      model: this.options.model,
      base_url: providerHost(this.options),
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
      entityNamer(evidence.entities),
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
      onText?: (markdownSoFar: string) => void,
    ) => {
      let askedAt = Date.now();
      try {
        return await this.oneAtATimeUntilConfirmed(() => {
          askedAt = Date.now();
          return this.askForSections(
            user,
            sectionKeys,
            request,
            signal,
            onText,
          );
        });
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

    const ctx: DraftContext = {
      request,
      keys,
      timeline,
      call,
      proposals: answer => this.proposals(answer, request),
    };
    const parallel =
      this.options.strategy === 'sections' &&
      request.mode === 'draft' &&
      keys.length > 1;
    return parallel
      ? draftBySections(ctx, this.options.parallelism ?? 8, stop)
      : draftAsDocument(ctx);
  }

  /**
   * Asks in the output mode the provider is at and checks the answer has
   * every asked-for section. A malformed or incomplete answer gets one more
   * try (transport errors are retried by the SDK itself). Unless the mode is
   * pinned, a server that refuses the mode, ignores it (prose where JSON was
   * asked for) or answers malformed JSON twice in it is asked again one step
   * down the ladder (json_schema → json_object → markdown), and the mode
   * that gives a usable answer is the one later calls start in.
   */
  private async askForSections(
    user: string,
    keys: string[],
    request: DraftRequest,
    signal: AbortSignal,
    onText?: (markdownSoFar: string) => void,
  ): Promise<{ sections: DraftSection[]; answer: ModelAnswer }> {
    const { template, entries } = request.evidence;
    const known = new Set(entries.map(e => e.id));
    const titleOf = (key: string) =>
      template.sections.find(s => s.key === key)?.title ??
      request.current?.find(s => s.key === key)?.title ??
      key;
    const asked = keys.map(key => ({ key, title: titleOf(key) }));
    const pinned = this.pinned();
    let mode = this.mode;
    let lastProblem: UnusableAnswer | undefined;
    let attempts = 0;
    for (;;) {
      const lower = pinned ? undefined : lowerMode(mode);
      let answer: ModelAnswer;
      try {
        answer = await this.ask(user, mode, asked, signal, onText);
        const missing = keys.find(
          key => !answer.sections.some(s => s.key === key),
        );
        if (missing) {
          throw new UnusableAnswer(
            `The model's answer left out the section "${missing}".`,
            'incomplete',
          );
        }
      } catch (error) {
        if (lower && isUnsupportedOutputMode(error)) {
          this.stepDown(mode, lower, (error as Error).message);
          mode = lower;
          attempts = 0;
          continue;
        }
        if (!(error instanceof UnusableAnswer)) throw error;
        lastProblem = error;
        attempts += 1;
        if (
          lower &&
          (error.kind === 'not-json' ||
            (error.kind === 'malformed' && attempts >= 2))
        ) {
          this.stepDown(mode, lower, error.message);
          mode = lower;
          attempts = 0;
          continue;
        }
        if (attempts < 2) continue;
        throw new GenerationError(
          `${
            lastProblem?.message ?? 'The model gave an unusable answer.'
          } It happened twice, so nothing was saved; try again, or use the deterministic draft.`,
          true,
          lastProblem,
        );
      }
      this.remember(mode);
      const sections = keys.map(key => {
        const section = answer.sections.find(s => s.key === key)!;
        return {
          key,
          title: titleOf(key),
          markdown: section.markdown.trim(),
          evidence: section.evidence
            .map(id => id.replace(/^#/, ''))
            .filter(id => known.has(id)),
        };
      });
      return { sections, answer };
    }
  }

  /** The output mode the next call starts in. */
  get outputMode(): OutputMode {
    return this.mode;
  }

  private pinned(): boolean {
    return (this.options.outputMode ?? 'auto') !== 'auto';
  }

  private stepDown(from: OutputMode, to: OutputMode, reason: string) {
    this.options.logger?.info(
      `The model provider at ${providerHost(
        this.options,
      )} gave no usable answer in output mode ${from} (${reason.slice(
        0,
        300,
      )}); asking in ${to}.`,
    );
  }

  private remember(mode: OutputMode) {
    if (mode !== this.mode) {
      this.options.logger?.info(
        `The model provider at ${providerHost(
          this.options,
        )} answers in output mode ${mode}; later calls start there (postmortems.openai.outputMode pins a mode).`,
      );
    }
    this.mode = mode;
    this.confirmed = true;
  }

  /**
   * Until an answer has shown which output mode the server takes, calls run
   * one at a time, so parallel calls do not each walk the ladder; after
   * that they run freely.
   */
  private async oneAtATimeUntilConfirmed<T>(task: () => Promise<T>) {
    if (this.confirmed) return task();
    const previous = this.gate;
    let release: () => void = () => {};
    this.gate = new Promise<void>(resolve => {
      release = resolve;
    });
    try {
      await previous;
      if (this.confirmed) release();
      return await task();
    } finally {
      release();
    }
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
      evidence: item.evidence
        .map(id => id.replace(/^#/, ''))
        .filter(id => known.has(id)),
    }));
  }

  /**
   * One request in the given output mode. With `onText`, the answer is
   * streamed and `onText` sees the section's Markdown so far after every
   * chunk, so a section can be shown while it is being written; the finished
   * answer is checked the same way either way.
   */
  private async ask(
    user: string,
    mode: OutputMode,
    asked: { key: string; title: string }[],
    signal: AbortSignal,
    onText?: (markdownSoFar: string) => void,
  ): Promise<ModelAnswer> {
    const system = [SYSTEM_PROMPT, formatInstructions(mode)]
      .filter(Boolean)
      .join('\n\n');
    const body = {
      model: this.options.model,
      messages: [
        { role: 'system' as const, content: system },
        { role: 'user' as const, content: user },
      ],
      ...responseFormat(mode),
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
      return readAnswer(
        mode,
        {
          content: choice.message.content,
          finishReason: choice.finish_reason,
          refusal: choice.message.refusal,
        },
        asked,
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
        const markdown = partialSection(mode, content);
        if (markdown) onText(markdown);
      }
      if (choice.delta?.refusal) refusal += choice.delta.refusal;
      if (choice.finish_reason) finishReason = choice.finish_reason;
    }
    return readAnswer(
      mode,
      { content, finishReason, refusal: refusal || null },
      asked,
    );
  }
}
