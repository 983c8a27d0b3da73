import {
  createServer,
  IncomingMessage,
  Server,
  ServerResponse,
} from 'node:http';
import { AddressInfo } from 'node:net';

/** One scripted answer of a fake server. */
export interface FakeReply {
  status?: number;
  headers?: Record<string, string>;
  /** A value sent as JSON, or a string sent as is. */
  body?: unknown;
  /** Never answer (a hung upstream). */
  hang?: boolean;
  delayMs?: number;
}

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  body: string;
}

/**
 * A small HTTP server on loopback that answers from a script, for testing
 * real client libraries (OpenAI SDK, Slack Web API client) against the wire
 * protocol, failure modes included.
 */
export class FakeServer {
  readonly requests: RecordedRequest[] = [];
  private server?: Server;
  private readonly open = new Set<ServerResponse>();

  constructor(private readonly route: (req: RecordedRequest) => FakeReply) {}

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', c => chunks.push(c));
      req.on('end', async () => {
        const recorded = {
          method: req.method ?? 'GET',
          path: req.url ?? '/',
          headers: req.headers,
          body: Buffer.concat(chunks).toString('utf8'),
        };
        this.requests.push(recorded);
        const reply = this.route(recorded);
        if (reply.hang) {
          this.open.add(res);
          return;
        }
        if (reply.delayMs) await new Promise(r => setTimeout(r, reply.delayMs));
        const body =
          typeof reply.body === 'string'
            ? reply.body
            : JSON.stringify(reply.body ?? {});
        res.writeHead(reply.status ?? 200, {
          'Content-Type': 'application/json',
          ...reply.headers,
        });
        res.end(body);
      });
    });
    await new Promise<void>(resolve =>
      this.server!.listen(0, '127.0.0.1', resolve),
    );
    return `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    for (const res of this.open) res.destroy();
    this.server?.closeAllConnections?.();
    await new Promise<void>(resolve =>
      this.server ? this.server.close(() => resolve()) : resolve(),
    );
  }
}

/** A chat completion whose message content is the given text. */
export function completion(
  content: string | null,
  extra: { finish_reason?: string; refusal?: string } = {},
) {
  return {
    id: 'chatcmpl-test',
    object: 'chat.completion',
    created: 1_760_000_000,
    model: 'gpt-4o-mini',
    choices: [
      {
        index: 0,
        finish_reason: extra.finish_reason ?? 'stop',
        message: { role: 'assistant', content, refusal: extra.refusal ?? null },
      },
    ],
    usage: { prompt_tokens: 100, completion_tokens: 50, total_tokens: 150 },
  };
}

/** OpenAI's error body. */
export function openAIError(message: string, type = 'server_error') {
  return { error: { message, type, param: null, code: null } };
}

/**
 * A chat completion streamed as server-sent events (what the SDK reads when
 * it asks with `stream: true`), the content split into chunks.
 */
export function streamedCompletion(
  content: string,
  extra: { finish_reason?: string; chunkSize?: number } = {},
): FakeReply {
  const size = extra.chunkSize ?? 16;
  const chunk = (delta: object, finish: string | null = null) =>
    `data: ${JSON.stringify({
      id: 'chatcmpl-test',
      object: 'chat.completion.chunk',
      created: 1_760_000_000,
      model: 'gpt-4o-mini',
      choices: [{ index: 0, delta, finish_reason: finish }],
    })}\n\n`;
  const parts = [chunk({ role: 'assistant', content: '' })];
  for (let i = 0; i < content.length; i += size) {
    parts.push(chunk({ content: content.slice(i, i + size) }));
  }
  parts.push(chunk({}, extra.finish_reason ?? 'stop'), 'data: [DONE]\n\n');
  return {
    headers: { 'Content-Type': 'text/event-stream' },
    body: parts.join(''),
  };
}

/**
 * OpenAI's chat completions endpoint as the SDK calls it: only
 * `POST /v1/chat/completions` with `Authorization: Bearer {apiKey}` and a
 * JSON body naming a model and holding messages gets to `reply`; anything
 * else gets OpenAI's answer to it (404 for another path or method, 401 for
 * another key, 400 for a body without model or messages), so a client that
 * calls the wrong URL or forgets its key fails here too.
 */
export class FakeOpenAI extends FakeServer {
  constructor(apiKey: string, reply: (req: RecordedRequest) => FakeReply) {
    super(req => {
      const path = new URL(req.path, 'http://openai').pathname;
      if (req.method !== 'POST' || path !== '/v1/chat/completions') {
        return {
          status: 404,
          body: openAIError(
            `Invalid URL (${req.method} ${path})`,
            'invalid_request_error',
          ),
        };
      }
      if (req.headers.authorization !== `Bearer ${apiKey}`) {
        return {
          status: 401,
          body: openAIError(
            'Incorrect API key provided',
            'invalid_request_error',
          ),
        };
      }
      let body: any;
      try {
        body = JSON.parse(req.body);
      } catch {
        body = undefined;
      }
      if (
        typeof body?.model !== 'string' ||
        !Array.isArray(body.messages) ||
        body.messages.length === 0
      ) {
        return {
          status: 400,
          body: openAIError(
            'A model and at least one message are required',
            'invalid_request_error',
          ),
        };
      }
      return reply(req);
    });
  }
}
