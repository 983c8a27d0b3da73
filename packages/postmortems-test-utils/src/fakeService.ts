import { FakeReply, FakeServer, RecordedRequest } from './fakeServers';
import { FaultSwitch } from './fakeFaults';

/** The refusals every fake service words in its own way. */
export type FakeRefusal =
  | 'rate_limited'
  | 'down'
  | 'not_found'
  | 'unauthorized'
  | 'forbidden';

/**
 * What the fake services share: a loopback server recording every request,
 * switchable faults, and the order a real service checks in (an outage or
 * rate limit before credentials, credentials before permissions, all before
 * the route). A subclass says how its service words each refusal, which
 * credentials it takes, and answers the requests that get through.
 */
export abstract class FakeService {
  readonly faults = new FaultSwitch();
  private readonly server = new FakeServer(req => this.handle(req));
  private baseUrl = '';

  get requests(): RecordedRequest[] {
    return this.server.requests;
  }

  /** Where the fake listens, once started. */
  get url(): string {
    return this.baseUrl;
  }

  async start(): Promise<string> {
    this.baseUrl = await this.server.start();
    return this.baseUrl;
  }

  stop(): Promise<void> {
    return this.server.stop();
  }

  /** The recorded requests with this method whose path (without the query) matches. */
  requestsTo(method: string, path: string | RegExp): RecordedRequest[] {
    return this.requests.filter(req => {
      const pathname = new URL(req.path, 'http://fake').pathname;
      return (
        req.method === method &&
        (typeof path === 'string' ? pathname === path : path.test(pathname))
      );
    });
  }

  /** The service's answer for a refusal, in its own error body. */
  protected abstract refusal(kind: FakeRefusal): FakeReply;

  /** Whether the request carries the credentials the service was given. */
  protected abstract authorized(req: RecordedRequest): boolean;

  /**
   * An answer that comes before any check, for a service with failures of
   * its own beyond the shared faults (a proxy's HTML, a truncated body).
   */
  protected outage(_req: RecordedRequest): FakeReply | undefined {
    return undefined;
  }

  /** The answer to a request no fault or refusal stopped. */
  protected abstract answer(req: RecordedRequest): FakeReply;

  private handle(req: RecordedRequest): FakeReply {
    const outage = this.outage(req);
    if (outage) return outage;
    const fault = this.faults.take();
    if (fault === 'hang') return { hang: true };
    if (fault === 'rate_limited') {
      const reply = this.refusal('rate_limited');
      return {
        ...reply,
        status: 429,
        headers: {
          'Retry-After': String(this.faults.retryAfterSeconds),
          ...reply.headers,
        },
      };
    }
    if (fault === 'down' || fault === 'not_found') return this.refusal(fault);
    if (fault === 'unauthorized' || !this.authorized(req)) {
      return this.refusal('unauthorized');
    }
    if (fault === 'forbidden') return this.refusal('forbidden');
    return this.answer(req);
  }
}
