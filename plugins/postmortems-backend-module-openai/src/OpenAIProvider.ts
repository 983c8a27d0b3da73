import OpenAI from 'openai';
import { ProviderStatus } from '@postmortems-oss/backstage-plugin-postmortems-common';
import { TimelineBudget } from './TimelineBudget';
import { TokenCounter } from './tokens';
import { SYSTEM_PROMPT, draftResponseSchema } from './prompt';
import { draftAsDocument } from './documentStrategy';
import { draftBySections } from './sectionsStrategy';
import { DraftContext } from './strategy';
import { explain } from './explain';
import { checkAnswer, ModelAnswer, UnusableAnswer } from './modelAnswer';
import {
  Draft,
  DraftProvider,
  DraftRequest,
  DraftSection,
  GenerationError,
} from '@postmortems-oss/backstage-plugin-postmortems-node';

export { partialMarkdown } from './modelAnswer';

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
