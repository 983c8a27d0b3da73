import { parseRetryAfter, retryRateLimited } from './retry';

class RateLimited extends Error {
  constructor(readonly retryAfter: string | null) {
    super('429');
  }
}

const waitOf = (error: unknown) =>
  error instanceof RateLimited ? parseRetryAfter(error.retryAfter) : undefined;

describe('parseRetryAfter', () => {
  const now = Date.parse('2026-12-01T08:00:00Z');

  it('reads delta-seconds', () => {
    expect(parseRetryAfter('3', now)).toBe(3000);
    expect(parseRetryAfter('0', now)).toBe(0);
    expect(parseRetryAfter('1.5', now)).toBe(1500);
  });

  it('reads an HTTP date as the time left until it', () => {
    expect(parseRetryAfter('Tue, 01 Dec 2026 08:00:07 GMT', now)).toBe(7000);
  });

  it('reads a date already past as no wait', () => {
    expect(parseRetryAfter('Tue, 01 Dec 2026 07:59:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('-4', now)).toBe(0);
  });

  it('answers null for a missing or unreadable header', () => {
    expect(parseRetryAfter(null, now)).toBeNull();
    expect(parseRetryAfter(undefined, now)).toBeNull();
    expect(parseRetryAfter('', now)).toBeNull();
    expect(parseRetryAfter('soon', now)).toBeNull();
  });
});

describe('retryRateLimited', () => {
  it('waits what an HTTP-date Retry-After asks, then succeeds', async () => {
    const asked = 300;
    const started = Date.now();
    let calls = 0;
    const result = await retryRateLimited(async () => {
      calls++;
      if (calls === 1) {
        // A whole second later than now, as HTTP dates have no milliseconds.
        const at = new Date(Math.ceil((Date.now() + asked) / 1000) * 1000);
        throw new RateLimited(at.toUTCString());
      }
      return 'done';
    }, waitOf);
    expect(result).toBe('done');
    expect(calls).toBe(2);
    expect(Date.now() - started).toBeGreaterThanOrEqual(asked - 20);
  });

  it('waits delta-seconds, and backs off when the service does not say', async () => {
    const errors = [new RateLimited('0.05'), new RateLimited(null)];
    const started = Date.now();
    let calls = 0;
    const result = await retryRateLimited(
      async () => {
        const error = errors[calls++];
        if (error) throw error;
        return calls;
      },
      waitOf,
      { backoffMs: 40 },
    );
    expect(result).toBe(3);
    // 50 ms asked, then the second backoff of 40 ms doubled.
    expect(Date.now() - started).toBeGreaterThanOrEqual(50 + 80 - 20);
  });

  it('gives up after maxRetries with the last error', async () => {
    let calls = 0;
    const error = new RateLimited('0');
    await expect(
      retryRateLimited(
        async () => {
          calls++;
          throw error;
        },
        waitOf,
        { maxRetries: 2 },
      ),
    ).rejects.toBe(error);
    expect(calls).toBe(3);
  });

  it('does not wait longer than maxWaitMs: fails at once', async () => {
    let calls = 0;
    const started = Date.now();
    await expect(
      retryRateLimited(
        async () => {
          calls++;
          throw new RateLimited('60');
        },
        waitOf,
        { maxWaitMs: 1000 },
      ),
    ).rejects.toBeInstanceOf(RateLimited);
    expect(calls).toBe(1);
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('does not retry errors that are not rate limits', async () => {
    let calls = 0;
    await expect(
      retryRateLimited(async () => {
        calls++;
        throw new Error('boom');
      }, waitOf),
    ).rejects.toThrow('boom');
    expect(calls).toBe(1);
  });
});
