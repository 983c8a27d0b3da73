import { FakeReply, FakeServer, RecordedRequest } from './fakeServers';

/** Answers one Slack Web API method from its arguments. */
export type FakeSlackMethod = (args: URLSearchParams) => FakeReply;

/**
 * The Slack Web API as @slack/web-api calls it: `POST /api/{method}` with
 * form-encoded arguments and the bot token as a bearer token. Like Slack, it
 * answers a missing or wrong token with `ok: false` (`not_authed`,
 * `invalid_auth`), an unknown method with 404 `unknown_method`, and a path
 * outside `/api/` with a plain 404, so a client calling the wrong URL fails.
 * `users.info` knows the users in `users` unless the test answers it.
 */
export class FakeSlack {
  private readonly server = new FakeServer(req => this.answer(req));
  /** Display names by user id, for `users.info`. */
  readonly users: Record<string, string> = {
    U1: 'Alice Nguyen',
    U2: 'Bob Okafor',
  };

  constructor(
    readonly token: string,
    private readonly methods: Record<string, FakeSlackMethod>,
  ) {}

  get requests(): RecordedRequest[] {
    return this.server.requests;
  }

  /** The recorded calls of one method, with their arguments. */
  calls(method: string): URLSearchParams[] {
    return this.requests
      .filter(r => r.path.split('?')[0] === `/api/${method}`)
      .map(r => new URLSearchParams(r.body));
  }

  /** Starts the fake; the `apiUrl` to give the client (ending in `/api/`). */
  async start(): Promise<string> {
    return `${await this.server.start()}/api/`;
  }

  stop(): Promise<void> {
    return this.server.stop();
  }

  private answer(req: RecordedRequest): FakeReply {
    const url = new URL(req.path, 'http://slack');
    const method = /^\/api\/([a-zA-Z]+(?:\.[a-zA-Z]+)+)$/.exec(
      url.pathname,
    )?.[1];
    if (!method) {
      return {
        status: 404,
        headers: { 'Content-Type': 'text/plain' },
        body: 'Not Found',
      };
    }
    const form = (req.headers['content-type'] ?? '').startsWith(
      'application/x-www-form-urlencoded',
    );
    if (req.method !== 'POST' || !form) {
      return { body: { ok: false, error: 'invalid_arguments' } };
    }
    const auth = req.headers.authorization;
    if (!auth) return { body: { ok: false, error: 'not_authed' } };
    if (auth !== `Bearer ${this.token}`) {
      return { body: { ok: false, error: 'invalid_auth' } };
    }
    const args = new URLSearchParams(req.body);
    const handler =
      this.methods[method] ??
      (method === 'users.info'
        ? (a: URLSearchParams) => this.userInfo(a)
        : undefined);
    if (!handler) {
      return { status: 404, body: { ok: false, error: 'unknown_method' } };
    }
    return handler(args);
  }

  private userInfo(args: URLSearchParams): FakeReply {
    const id = args.get('user') ?? '';
    if (!(id in this.users))
      return { body: { ok: false, error: 'user_not_found' } };
    return {
      body: {
        ok: true,
        user: { id, name: 'x', profile: { display_name: this.users[id] } },
      },
    };
  }
}
