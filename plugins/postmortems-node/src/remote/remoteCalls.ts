/**
 * Calls to the services post-mortems go to (Confluence, Notion, GitHub,
 * Jira): how their failures reach the caller, and how rate limits are
 * retried. Shared by exports and issue trackers.
 */

import { parseRetryAfter } from './retry';

/** @public */
export type RemoteFailure =
  /** The credentials were refused (401, 403). */
  | 'unauthorized'
  /** Still rate-limited after the bounded retries. */
  | 'rate_limited'
  /** The page, issue, repository or project does not exist (or is invisible). */
  | 'not_found'
  /** Anything else: 5xx, malformed answers, timeouts, unreachable. */
  | 'failed';

/**
 * A destination that did not do what was asked: answered 502 with
 * `<area>_unauthorized`, `<area>_rate_limited` or `<area>_failed` (a missing
 * page, repository or project is `_failed` with a message naming it). The
 * error envelope reads `statusCode` and `code`.
 *
 * @public
 */
export class RemoteServiceError extends Error {
  override readonly name = 'RemoteServiceError';
  readonly statusCode = 502;
  readonly code: string;

  constructor(
    readonly area: 'export' | 'tracker',
    readonly failure: RemoteFailure,
    message: string,
    /** The HTTP status the service answered, if it answered. */
    readonly status?: number,
  ) {
    super(message);
    this.code = `${area}_${failure === 'not_found' ? 'failed' : failure}`;
  }
}

/** @public */
export function failureOfStatus(status: number | undefined): RemoteFailure {
  if (status === 401 || status === 403) return 'unauthorized';
  if (status === 429) return 'rate_limited';
  if (status === 404) return 'not_found';
  return 'failed';
}

/**
 * A non-2xx answer of a REST API, with what it takes to retry or explain it.
 *
 * @public
 */
export class HttpStatusError extends Error {
  constructor(
    readonly status: number,
    readonly retryAfter: string | null,
    message: string,
  ) {
    super(message);
  }
}

/**
 * How long to wait before retrying a `basicAuthJson` failure: its Retry-After
 * for a 429, undefined (do not retry) for anything else.
 *
 * @public
 */
export function rateLimitedWait(error: unknown): number | null | undefined {
  return error instanceof HttpStatusError && error.status === 429
    ? parseRetryAfter(error.retryAfter)
    : undefined;
}

/**
 * One JSON request with HTTP Basic auth (Atlassian's e-mail and API token,
 * for Confluence and Jira Cloud) within a timeout. A non-2xx answer throws
 * HttpStatusError with the message `describe` reads from its body.
 *
 * @public
 */
export async function basicAuthJson<T>(request: {
  url: string;
  method: string;
  body?: unknown;
  user: string;
  secret: string;
  timeoutMs: number;
  describe: (errorBody: string) => string;
  /** An empty 2xx body (e.g. 204) is fine and answers undefined. */
  allowEmpty?: boolean;
}): Promise<T> {
  const { user, secret, ...rest } = request;
  const auth = Buffer.from(`${user}:${secret}`).toString('base64');
  return authorizedJson<T>({ ...rest, authorization: `Basic ${auth}` });
}

/**
 * One JSON request with the given `Authorization` header (e.g. `Bearer` and
 * a personal access token of Confluence or Jira Data Center) within a
 * timeout. A non-2xx answer throws HttpStatusError with the message
 * `describe` reads from its body.
 *
 * @public
 */
export async function authorizedJson<T>(request: {
  url: string;
  method: string;
  body?: unknown;
  authorization: string;
  timeoutMs: number;
  describe: (errorBody: string) => string;
  /** An empty 2xx body (e.g. 204) is fine and answers undefined. */
  allowEmpty?: boolean;
}): Promise<T> {
  const { body } = request;
  const response = await fetch(request.url, {
    method: request.method,
    headers: {
      Authorization: request.authorization,
      Accept: 'application/json',
      ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(request.timeoutMs),
  });
  const text = await response.text();
  if (!response.ok) {
    throw new HttpStatusError(
      response.status,
      response.headers.get('retry-after'),
      request.describe(text),
    );
  }
  if (!text && request.allowEmpty) return undefined as T;
  try {
    return JSON.parse(text) as T;
  } catch {
    throw new HttpStatusError(response.status, null, 'the answer is not JSON');
  }
}

/**
 * `fetch` that gives up after `timeoutMs`, for clients that take a fetch.
 *
 * @public
 */
export function fetchWithTimeout(timeoutMs: number): typeof fetch {
  return (input, init) =>
    fetch(input, {
      ...init,
      signal: init?.signal
        ? AbortSignal.any([init.signal, AbortSignal.timeout(timeoutMs)])
        : AbortSignal.timeout(timeoutMs),
    });
}

/**
 * A message for a call that threw before any answer (timeout, refused).
 *
 * @public
 */
export function describeNoAnswer(
  service: string,
  error: unknown,
  timeoutMs: number,
): string {
  const name = (error as Error)?.name;
  if (name === 'TimeoutError' || name === 'AbortError') {
    return `${service} did not answer within ${Math.round(timeoutMs / 1000)} s`;
  }
  return `${service} could not be reached: ${
    (error as Error)?.message ?? String(error)
  }`;
}
