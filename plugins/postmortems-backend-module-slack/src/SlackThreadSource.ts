import { LoggerService } from '@backstage/backend-plugin-api';
import { WebClient, retryPolicies } from '@slack/web-api';
import { ChatThreadRef } from '@postmortems-oss/backstage-plugin-postmortems-common';
import {
  ChatMessage,
  ChatThreadSource,
  GenerationError,
} from '@postmortems-oss/backstage-plugin-postmortems-node';

/** @public */
export interface SlackThreadSourceOptions {
  botToken: string;
  /** The Web API's base URL; only changed for tests or a proxy. */
  apiUrl?: string;
  /** Upper bound on messages read from one thread. */
  maxMessages?: number;
  timeoutMs?: number;
}

/**
 * Reads an incident's chat thread with Slack's official Web API client:
 * `conversations.replies` for a thread, `conversations.history` within the
 * incident's time window for a channel, both paginated. User ids become the
 * display names people know (`users.info`, cached). Rate limits are honoured
 * by the client (Retry-After), with a bounded number of retries.
 *
 * @public
 */
export class SlackThreadSource implements ChatThreadSource {
  readonly provider = 'slack' as const;
  private readonly client: WebClient;
  private readonly names = new Map<string, string>();

  constructor(
    private readonly options: SlackThreadSourceOptions,
    private readonly logger: LoggerService,
  ) {
    this.client = new WebClient(options.botToken, {
      slackApiUrl: options.apiUrl,
      timeout: options.timeoutMs ?? 10_000,
      retryConfig: {
        ...retryPolicies.fiveRetriesInFiveMinutes,
        retries: 3,
        maxTimeout: 5_000,
      },
      logger: {
        debug: () => {},
        info: () => {},
        warn: message => logger.warn(String(message)),
        error: message => logger.error(String(message)),
        setLevel: () => {},
        getLevel: () => 'warn' as any,
        setName: () => {},
      },
    });
  }

  async fetch(
    chat: ChatThreadRef,
    window: { from: string; to: string | null },
  ): Promise<ChatMessage[]> {
    const max = this.options.maxMessages ?? 5_000;
    const messages: Array<{
      ts?: string;
      user?: string;
      username?: string;
      text?: string;
      bot_profile?: { name?: string };
    }> = [];
    try {
      let cursor: string | undefined;
      do {
        const page = chat.thread_ts
          ? await this.client.conversations.replies({
              channel: chat.channel_id,
              ts: chat.thread_ts,
              cursor,
              limit: 200,
            })
          : await this.client.conversations.history({
              channel: chat.channel_id,
              oldest: String(Date.parse(window.from) / 1000 - 3600),
              latest: window.to
                ? String(Date.parse(window.to) / 1000 + 3600)
                : undefined,
              cursor,
              limit: 200,
            });
        messages.push(...((page.messages ?? []) as typeof messages));
        cursor = page.response_metadata?.next_cursor || undefined;
      } while (cursor && messages.length < max);
    } catch (error) {
      const code = error as { code?: string; data?: { error?: string } };
      throw new GenerationError(
        `Could not read the Slack thread (${
          code.data?.error ?? code.code ?? (error as Error).message
        }). ` +
          'Check postmortems.slack.botToken and that the bot is in the channel; the draft can still be made from the timeline.',
        true,
        error,
      );
    }

    const result: ChatMessage[] = [];
    for (const message of messages.slice(0, max)) {
      if (!message.ts || !message.text) continue;
      result.push({
        ts: message.ts,
        at: new Date(Number(message.ts) * 1000).toISOString(),
        user: await this.nameOf(message),
        text: message.text,
      });
    }
    return result.sort((a, b) => Number(a.ts) - Number(b.ts));
  }

  private async nameOf(message: {
    user?: string;
    username?: string;
    bot_profile?: { name?: string };
  }) {
    if (!message.user)
      return message.username ?? message.bot_profile?.name ?? 'unknown';
    const cached = this.names.get(message.user);
    if (cached) return cached;
    let name = message.user;
    try {
      const info = await this.client.users.info({ user: message.user });
      name =
        info.user?.profile?.display_name ||
        info.user?.real_name ||
        info.user?.name ||
        message.user;
    } catch (error) {
      this.logger.warn(
        `Slack users.info failed for ${message.user}: ${
          (error as Error).message
        }`,
      );
    }
    this.names.set(message.user, name);
    return name;
  }
}
