import { z } from 'zod';
import {
  parseRetryAfter,
  retryRateLimited,
} from '@postmortems-oss/backstage-plugin-postmortems-node';
import {
  RegenAlert,
  regenAlertSchema,
  RegenIncident,
  RegenIncidentDetail,
  regenIncidentDetailSchema,
  regenIncidentSchema,
  RegenTimelineEntry,
  regenTimelineEntrySchema,
  RegenUser,
  regenUsersSchema,
} from './regenSchemas';

export interface RegenClientOptions {
  /** The Regen server, e.g. `https://regen.example.com`; `/api/v1` is added. */
  baseUrl: string;
  /** Sent as `Authorization: Bearer <token>` (an API token or proxy credential). */
  token?: string;
  /** Regen's local sign-in session (`oi_session` cookie), for servers without tokens. */
  sessionCookie?: string;
  /** Per request; a hung server must not hold a sync or a user's request forever. */
  timeoutMs?: number;
  /** How often a 429 or 503 is retried (honouring Retry-After, capped). */
  maxRetries?: number;
  /** Page size asked for; Regen caps it at 250. */
  pageSize?: number;
}

/**
 * A failed call to Regen. `status` is the HTTP status, or undefined when the
 * server could not be reached or did not answer in time; `code` and
 * `message` come from Regen's error envelope when it sent one.
 *
 * @public
 */
export class RegenError extends Error {
  override readonly name = 'RegenError';

  constructor(
    message: string,
    readonly status: number | undefined,
    readonly code?: string,
    readonly details?: unknown,
  ) {
    super(message);
  }

  /** An outage rather than an answer about this request. */
  get isOutage(): boolean {
    return (
      this.status === undefined ||
      this.status >= 500 ||
      this.status === 429 ||
      this.code === 'malformed_response'
    );
  }
}

const envelopeSchema = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    details: z.unknown().optional(),
  }),
});

const pageSchema = z.object({
  data: z.array(z.unknown()),
  total: z.number().int().nonnegative().optional(),
  limit: z.number().int().positive().optional(),
});

/** One page of a list, with the items that did not parse left out and counted. */
interface ParsedPage<T> {
  items: T[];
  rejected: string[];
  total?: number;
  size: number;
}

const MAX_PAGES = 100_000;
const MAX_RETRY_WAIT_MS = 5_000;

/** A 429 or 503 answer, thrown so that it is retried. */
class Busy extends Error {
  constructor(readonly response: Response) {
    super(`HTTP ${response.status}`);
  }
}

function capped(wait: number | null): number | null {
  return wait === null ? null : Math.min(wait, MAX_RETRY_WAIT_MS);
}

/**
 * Regen's `/api/v1` over HTTP: its pagination (`page` from 1, `limit`), its
 * error envelope, and its auth (bearer token or session cookie). Answers are
 * validated; a body that is not what Regen sends is an error, never data.
 *
 * @public
 */
export class RegenClient {
  private readonly apiUrl: string;
  private readonly timeoutMs: number;
  private readonly maxRetries: number;
  private readonly pageSize: number;

  constructor(private readonly options: RegenClientOptions) {
    this.apiUrl = `${options.baseUrl.replace(/\/+$/, '')}/api/v1`;
    this.timeoutMs = options.timeoutMs ?? 15_000;
    this.maxRetries = options.maxRetries ?? 2;
    this.pageSize = Math.min(options.pageSize ?? 100, 250);
  }

  /** Every incident, page by page. Items Regen sent malformed are reported, not thrown. */
  listIncidents(): AsyncGenerator<ParsedPage<RegenIncident>> {
    return this.pages('/incidents', regenIncidentSchema);
  }

  async getIncident(idOrNumber: string): Promise<RegenIncidentDetail> {
    const body = await this.request(
      'GET',
      `/incidents/${encodeURIComponent(idOrNumber)}`,
    );
    return this.parse(regenIncidentDetailSchema, body, 'incident');
  }

  /** The whole timeline of an incident, oldest first. */
  async timeline(
    idOrNumber: string,
  ): Promise<{ entries: RegenTimelineEntry[]; rejected: string[] }> {
    const entries: RegenTimelineEntry[] = [];
    const rejected: string[] = [];
    for await (const page of this.pages(
      `/incidents/${encodeURIComponent(idOrNumber)}/timeline`,
      regenTimelineEntrySchema,
    )) {
      entries.push(...page.items);
      rejected.push(...page.rejected);
    }
    return { entries, rejected };
  }

  async getAlert(id: string): Promise<RegenAlert> {
    const body = await this.request('GET', `/alerts/${encodeURIComponent(id)}`);
    return this.parse(regenAlertSchema, body, 'alert');
  }

  /** Regen's active users (one list, not paged), to tell who a commander is. */
  async listUsers(): Promise<RegenUser[]> {
    const body = await this.request('GET', '/users');
    return this.parse(regenUsersSchema, body, 'user list').users;
  }

  async createIncident(input: {
    title: string;
    severity: string;
    description?: string;
  }): Promise<RegenIncident> {
    const body = await this.request('POST', '/incidents', input);
    return this.parse(regenIncidentSchema, body, 'incident');
  }

  async updateIncident(
    idOrNumber: string,
    changes: { status?: string; severity?: string; summary?: string },
  ): Promise<RegenIncident> {
    const body = await this.request(
      'PATCH',
      `/incidents/${encodeURIComponent(idOrNumber)}`,
      changes,
    );
    return this.parse(regenIncidentSchema, body, 'incident');
  }

  async addMessage(
    idOrNumber: string,
    content: Record<string, unknown>,
  ): Promise<RegenTimelineEntry> {
    const body = await this.request(
      'POST',
      `/incidents/${encodeURIComponent(idOrNumber)}/timeline`,
      { type: 'message', content },
    );
    return this.parse(regenTimelineEntrySchema, body, 'timeline entry');
  }

  private async *pages<T>(
    path: string,
    schema: z.ZodType<T>,
  ): AsyncGenerator<ParsedPage<T>> {
    let seen = 0;
    let previousFirst: string | undefined;
    for (let page = 1; page <= MAX_PAGES; page++) {
      const body = await this.request(
        'GET',
        `${path}?page=${page}&limit=${this.pageSize}`,
      );
      const parsed = pageSchema.safeParse(body);
      if (!parsed.success) {
        throw new RegenError(
          `Regen answered GET ${path} with a body that is not a page of results`,
          200,
          'malformed_response',
        );
      }
      const { data, total, limit } = parsed.data;
      // A server that ignores `page` would otherwise be read forever.
      const first = JSON.stringify(data[0] ?? null);
      if (page > 1 && data.length > 0 && first === previousFirst) {
        throw new RegenError(
          `Regen returned the same page twice for GET ${path}; its pagination does not advance`,
          200,
          'malformed_response',
        );
      }
      previousFirst = first;
      const items: T[] = [];
      const rejected: string[] = [];
      for (const item of data) {
        const result = schema.safeParse(item);
        if (result.success) {
          items.push(result.data);
        } else {
          rejected.push(describeRejected(item, result.error));
        }
      }
      seen += data.length;
      yield { items, rejected, total, size: data.length };
      // The server may cap the page size below what was asked (Regen: 250).
      const done =
        data.length === 0 ||
        (total !== undefined
          ? seen >= total
          : data.length < (limit ?? this.pageSize));
      if (done) return;
    }
  }

  private parse<T>(schema: z.ZodType<T>, body: unknown, what: string): T {
    const result = schema.safeParse(body);
    if (!result.success) {
      throw new RegenError(
        `Regen sent a malformed ${what}: ${result.error.issues
          .slice(0, 3)
          .map(i => `${i.path.join('.') || '(body)'} ${i.message}`)
          .join('; ')}`,
        200,
        'malformed_response',
      );
    }
    return result.data;
  }

  private async request(
    method: string,
    path: string,
    body?: unknown,
  ): Promise<unknown> {
    const response = await retryRateLimited(
      async () => {
        const answer = await this.send(method, path, body);
        if (answer.status === 429 || answer.status === 503) {
          throw new Busy(answer);
        }
        return answer;
      },
      error =>
        error instanceof Busy
          ? // Regen asking for longer is waited for as long as the cap allows.
            capped(parseRetryAfter(error.response.headers.get('retry-after')))
          : undefined,
      {
        maxRetries: this.maxRetries,
        maxWaitMs: MAX_RETRY_WAIT_MS,
        backoffMs: 250,
      },
    ).catch(error => {
      // Still busy after the retries: read it like any other answer.
      if (error instanceof Busy) return error.response;
      throw error;
    });
    const text = await response.text().catch(() => '');
    let json: unknown = undefined;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    if (!response.ok) {
      const envelope = envelopeSchema.safeParse(json);
      if (envelope.success) {
        const { code, message, details } = envelope.data.error;
        throw new RegenError(
          `Regen: ${message}`,
          response.status,
          code,
          details,
        );
      }
      throw new RegenError(
        `Regen answered ${method} ${path} with HTTP ${response.status}`,
        response.status,
      );
    }
    if (json === undefined) {
      throw new RegenError(
        `Regen answered ${method} ${path} with a body that is not JSON`,
        response.status,
        'malformed_response',
      );
    }
    return json;
  }

  private async send(
    method: string,
    path: string,
    body: unknown,
  ): Promise<Response> {
    const headers: Record<string, string> = { Accept: 'application/json' };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    if (this.options.token) {
      headers.Authorization = `Bearer ${this.options.token}`;
    }
    if (this.options.sessionCookie) {
      headers.Cookie = `oi_session=${this.options.sessionCookie}`;
    }
    try {
      return await fetch(`${this.apiUrl}${path}`, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (error) {
      const timedOut = (error as Error)?.name === 'TimeoutError';
      throw new RegenError(
        timedOut
          ? `Regen did not answer ${method} ${path} within ${Math.round(
              this.timeoutMs / 1000,
            )} s`
          : `Regen could not be reached at ${this.apiUrl}: ${
              (error as Error)?.message ?? error
            }`,
        undefined,
        timedOut ? 'timeout' : 'unreachable',
      );
    }
  }
}

function describeRejected(item: unknown, error: z.ZodError): string {
  const id = (item as { id?: unknown })?.id;
  const issue = error.issues[0];
  return `${typeof id === 'string' ? id : '(no id)'}: ${
    issue ? `${issue.path.join('.')} ${issue.message}` : 'invalid'
  }`;
}
