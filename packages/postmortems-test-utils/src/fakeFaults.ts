/** How a fake destination misbehaves, whatever is asked. */
export type FakeFault =
  | 'unauthorized' // 401: the credentials are refused
  | 'forbidden' // 403: known credentials without access
  | 'rate_limited' // 429 with Retry-After
  | 'not_found' // 404 for everything
  | 'down' // 500
  | 'hang'; // never answers

/**
 * A fault switched on for the next `times` requests (all of them by default),
 * so that "rate-limited twice, then fine" can be told from "rate-limited".
 */
export class FaultSwitch {
  private fault?: FakeFault;
  private remaining = 0;
  /** Seconds sent in Retry-After with `rate_limited`. */
  retryAfterSeconds = 0;

  set(fault: FakeFault | undefined, times = Number.POSITIVE_INFINITY) {
    this.fault = fault;
    this.remaining = fault ? times : 0;
  }

  /** The fault for this request, if one is on. */
  take(): FakeFault | undefined {
    if (!this.fault || this.remaining <= 0) return undefined;
    this.remaining--;
    const fault = this.fault;
    if (this.remaining <= 0) this.fault = undefined;
    return fault;
  }
}

/** Basic credentials as `email:token`, or undefined. */
export function basicCredentials(header: unknown): string | undefined {
  if (typeof header !== 'string' || !header.startsWith('Basic ')) {
    return undefined;
  }
  return Buffer.from(header.slice(6), 'base64').toString('utf8');
}

export function jsonBody(body: string): any {
  try {
    return body ? JSON.parse(body) : {};
  } catch {
    return undefined;
  }
}
