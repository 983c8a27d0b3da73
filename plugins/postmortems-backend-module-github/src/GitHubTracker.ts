import { AuthenticationError } from '@backstage/errors';
import pLimit from 'p-limit';
import { Octokit } from '@octokit/rest';
import {
  CreatedIssue,
  describeNoAnswer,
  fetchWithTimeout,
  headerOf,
  IssueEvent,
  IssueState,
  issueTitle,
  markdownBody,
  NewIssue,
  parseRetryAfter,
  RemoteServiceError,
  retryRateLimited,
  TrackerClient,
  validHmacSignature,
  WebhookRequest,
} from '@postmortems-oss/backstage-plugin-postmortems-node';

/**
 * The repository {@link GitHubTracker} opens issues in, and its credentials.
 *
 * @public
 */
export interface GitHubTrackerOptions {
  /** The repository's user or organization. */
  owner: string;
  /** The repository issues are opened in. */
  repo: string;
  /** A token with `issues: write` on the repository. */
  token: string;
  /** The API: `https://api.github.com` by default, `https://<host>/api/v3` for GHE. */
  baseUrl?: string;
  /** Secret of the repository webhook (`issues` events). */
  webhookSecret?: string;
  /** Per request, in milliseconds (default 15,000). */
  timeoutMs?: number;
  /** Retries of a rate-limited request (default 2). */
  maxRetries?: number;
}

/** Issues read at once during a sync: GitHub has no batch read of issue states in REST. */
const READ_CONCURRENCY = 4;

/**
 * GitHub Issues of one repository, through Octokit. Keys are
 * `owner/repo#number` with the repository's canonical spelling (as GitHub
 * sends it in webhooks).
 *
 * @public
 */
export class GitHubTracker implements TrackerClient {
  readonly type = 'github' as const;
  readonly title: string;
  readonly assigneeAnnotation = 'github.com/user-login';
  private readonly octokit: Octokit;
  private readonly timeoutMs: number;

  constructor(private readonly options: GitHubTrackerOptions) {
    this.title = `${options.owner}/${options.repo}`;
    this.timeoutMs = options.timeoutMs ?? 15_000;
    this.octokit = new Octokit({
      auth: options.token,
      baseUrl: options.baseUrl?.replace(/\/+$/, ''),
      userAgent: 'backstage-postmortems',
      request: { fetch: fetchWithTimeout(this.timeoutMs) },
      // Failures are reported by the caller, with what they mean.
      log: { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} },
    });
  }

  async createIssue(issue: NewIssue): Promise<CreatedIssue> {
    const request = {
      owner: this.options.owner,
      repo: this.options.repo,
      title: issueTitle(issue.facts.description),
      body: markdownBody(issue.facts),
    };
    let created;
    try {
      created = await this.call(() =>
        this.octokit.rest.issues.create({
          ...request,
          ...(issue.assignee ? { assignees: [issue.assignee] } : {}),
        }),
      );
    } catch (error) {
      // A login that cannot be assigned here (not a collaborator, renamed):
      // the issue is still worth having, unassigned.
      if (!issue.assignee || (error as RemoteServiceError).status !== 422) {
        throw error;
      }
      created = await this.call(() => this.octokit.rest.issues.create(request));
    }
    return {
      key: this.keyOf(created.data.html_url, created.data.number),
      url: created.data.html_url,
      state: created.data.state === 'closed' ? 'closed' : 'open',
    };
  }

  async states(keys: string[]): Promise<Map<string, IssueState>> {
    const states = new Map<string, IssueState>();
    const limit = pLimit(READ_CONCURRENCY);
    await Promise.all(
      keys.map(key =>
        limit(async () => {
          const { owner, repo, number } = parseKey(key);
          try {
            const { data } = await this.call(() =>
              this.octokit.rest.issues.get({
                owner,
                repo,
                issue_number: number,
              }),
            );
            states.set(key, data.state === 'closed' ? 'closed' : 'open');
          } catch (error) {
            // A deleted or transferred issue: nothing to sync from it.
            if (
              (error as RemoteServiceError).status !== 404 &&
              (error as RemoteServiceError).status !== 410
            ) {
              throw error;
            }
          }
        }),
      ),
    );
    return states;
  }

  async setState(key: string, state: IssueState): Promise<void> {
    const { owner, repo, number } = parseKey(key);
    await this.call(() =>
      this.octokit.rest.issues.update({
        owner,
        repo,
        issue_number: number,
        state,
        ...(state === 'closed' ? { state_reason: 'completed' as const } : {}),
      }),
    );
  }

  webhookEvent(request: WebhookRequest): IssueEvent | undefined {
    const secret = this.options.webhookSecret;
    if (!secret) {
      throw new AuthenticationError(
        'Webhooks are not enabled for this tracker: set its webhookSecret',
      );
    }
    if (
      !validHmacSignature(
        secret,
        request.rawBody,
        headerOf(request.headers, 'x-hub-signature-256'),
      )
    ) {
      throw new AuthenticationError(
        'The X-Hub-Signature-256 header is missing or not signed with the webhook secret',
      );
    }
    if (headerOf(request.headers, 'x-github-event') !== 'issues')
      return undefined;
    let payload: {
      action?: string;
      issue?: { number?: number; state?: string };
      repository?: { full_name?: string };
    };
    try {
      payload = JSON.parse(request.rawBody.toString('utf8'));
    } catch {
      return undefined;
    }
    const { action, issue, repository } = payload;
    if (
      (action !== 'closed' && action !== 'reopened') ||
      typeof issue?.number !== 'number' ||
      typeof repository?.full_name !== 'string'
    ) {
      return undefined;
    }
    return {
      key: `${repository.full_name}#${issue.number}`,
      state: action === 'closed' ? 'closed' : 'open',
    };
  }

  /** `Owner/Repo#12` from the issue's page, in GitHub's spelling of the repository. */
  private keyOf(htmlUrl: string, number: number): string {
    const match = /\/([^/]+)\/([^/]+)\/issues\/\d+$/.exec(htmlUrl);
    return match
      ? `${match[1]}/${match[2]}#${number}`
      : `${this.options.owner}/${this.options.repo}#${number}`;
  }

  private async call<T>(request: () => Promise<T>): Promise<T> {
    try {
      return await retryRateLimited(request, rateLimitWait, {
        maxRetries: this.options.maxRetries,
      });
    } catch (error) {
      const { status, response, cause } = error as {
        status?: unknown;
        response?: unknown;
        cause?: unknown;
      };
      // Octokit reports a request that got no answer (refused, timed out)
      // as status 500 without a response; the cause says what happened.
      if (typeof status !== 'number' || status < 400 || !response) {
        throw new RemoteServiceError(
          'tracker',
          'failed',
          describeNoAnswer('GitHub', cause ?? error, this.timeoutMs),
        );
      }
      const limited = rateLimitWait(error) !== undefined;
      const repo = `${this.options.owner}/${this.options.repo}`;
      if (limited) {
        throw new RemoteServiceError(
          'tracker',
          'rate_limited',
          'GitHub is rate-limiting this token; try again later',
          status,
        );
      }
      if (status === 401 || status === 403) {
        throw new RemoteServiceError(
          'tracker',
          'unauthorized',
          status === 401
            ? 'GitHub refused the token (HTTP 401)'
            : `The GitHub token may not write issues of ${repo} (HTTP 403)`,
          status,
        );
      }
      if (status === 404 || status === 410) {
        throw new RemoteServiceError(
          'tracker',
          'not_found',
          `GitHub: the repository ${repo} or the issue does not exist, has issues disabled, or is not visible to the token (HTTP ${status})`,
          status,
        );
      }
      throw new RemoteServiceError(
        'tracker',
        'failed',
        `GitHub answered HTTP ${status}: ${(error as Error).message}`.slice(
          0,
          500,
        ),
        status,
      );
    }
  }
}

export function parseKey(key: string): {
  owner: string;
  repo: string;
  number: number;
} {
  const match = /^([^/]+)\/([^#]+)#(\d+)$/.exec(key);
  if (!match) throw new Error(`"${key}" is not a GitHub issue key`);
  return { owner: match[1], repo: match[2], number: Number(match[3]) };
}

/**
 * How long GitHub asks to wait, when the error is a rate limit: 429, or 403
 * with `retry-after` (secondary limits) or no requests remaining (primary
 * limit, until `x-ratelimit-reset`). Undefined for any other error.
 */
function rateLimitWait(error: unknown): number | null | undefined {
  const { status, response } = error as {
    status?: number;
    response?: { headers?: Record<string, string | undefined> };
  };
  const headers = response?.headers ?? {};
  const retryAfter = headers['retry-after'];
  if (status === 429 || (status === 403 && retryAfter)) {
    return parseRetryAfter(retryAfter);
  }
  if (status === 403 && headers['x-ratelimit-remaining'] === '0') {
    const reset = Number(headers['x-ratelimit-reset']);
    return Number.isFinite(reset)
      ? Math.max(0, reset * 1000 - Date.now())
      : null;
  }
  return undefined;
}
