/**
 * The one retry loop of every client that calls another service: a rate
 * limited (or busy) call is tried again after what the service asked for in
 * Retry-After, or after a short exponential backoff when it did not say.
 */

/** @public */
export interface RetryPolicy {
  /** Retries after the first attempt (default 2). */
  maxRetries?: number;
  /**
   * The longest Retry-After honoured. A service asking for longer is not
   * waited for inside a user's request: the call fails as rate-limited.
   * Backoffs are capped at this too.
   */
  maxWaitMs?: number;
  /** The first backoff when the service gave no Retry-After; doubles each retry (default 500). */
  backoffMs?: number;
}

/**
 * Runs `call`, and again while `retryAfterMs` says the failure was a rate
 * limit (its value: how long the service asked to wait, null when it did not
 * say, or undefined when the error is not worth retrying).
 *
 * @public
 */
export async function retryRateLimited<T>(
  call: () => Promise<T>,
  retryAfterMs: (error: unknown) => number | null | undefined,
  policy: RetryPolicy = {},
): Promise<T> {
  const maxRetries = policy.maxRetries ?? 2;
  const maxWaitMs = policy.maxWaitMs ?? 10_000;
  const backoffMs = policy.backoffMs ?? 500;
  for (let attempt = 0; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      const wait = retryAfterMs(error);
      if (wait === undefined || attempt >= maxRetries) throw error;
      const delay = wait ?? Math.min(backoffMs * 2 ** attempt, maxWaitMs);
      if (delay > maxWaitMs) throw error;
      await new Promise(resolve => setTimeout(resolve, delay));
    }
  }
}

/**
 * A Retry-After header in milliseconds, in either of its forms
 * (delta-seconds, or an HTTP date); null when absent or unreadable (the
 * caller backs off on its own). A date in the past means now.
 *
 * @public
 */
export function parseRetryAfter(
  value: string | null | undefined,
  now: number = Date.now(),
): number | null {
  if (!value?.trim()) return null;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? null : Math.max(0, date - now);
}
