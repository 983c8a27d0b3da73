import { createHmac } from 'node:crypto';
import { FakeReply, RecordedRequest } from './fakeServers';
import { jsonBody } from './fakeFaults';
import { FakeRefusal, FakeService } from './fakeService';

export interface FakeGitHubIssue {
  number: number;
  title: string;
  body: string;
  state: 'open' | 'closed';
  state_reason: string | null;
  assignees: string[];
}

/**
 * GitHub's REST API for the issues of one repository, as Octokit calls it:
 * `token` (or bearer) auth, `POST /repos/{owner}/{repo}/issues`,
 * `GET`/`PATCH .../issues/{number}`, 404 for a repository the token cannot
 * see, 422 for an assignee who cannot be assigned, and switchable faults.
 * Also signs webhook deliveries like GitHub does.
 */
export class FakeGitHub extends FakeService {
  readonly issues = new Map<number, FakeGitHubIssue>();
  /** Logins that may be assigned issues of the repository. */
  readonly assignable = new Set<string>();
  /** Issue numbers are never reused, even after a deletion. */
  private created = 0;

  constructor(
    readonly options: { owner: string; repo: string; token: string },
  ) {
    super();
  }

  get fullName() {
    return `${this.options.owner}/${this.options.repo}`;
  }

  htmlUrl(number: number) {
    return `https://github.example/${this.fullName}/issues/${number}`;
  }

  /** Closes or reopens an issue, as someone on GitHub would. */
  setState(number: number, state: 'open' | 'closed') {
    const issue = this.issues.get(number);
    if (!issue) throw new Error(`No issue #${number}`);
    issue.state = state;
    issue.state_reason = state === 'closed' ? 'completed' : 'reopened';
  }

  /** The `issues` webhook delivery GitHub sends for a close or reopen, signed with `secret`. */
  webhookDelivery(
    number: number,
    action: 'closed' | 'reopened',
    secret: string,
  ) {
    const body = JSON.stringify({
      action,
      issue: {
        number,
        state: action === 'closed' ? 'closed' : 'open',
        html_url: this.htmlUrl(number),
      },
      repository: { full_name: this.fullName },
      sender: { login: 'octocat' },
    });
    return {
      body,
      headers: {
        'Content-Type': 'application/json',
        'X-GitHub-Event': 'issues',
        'X-GitHub-Delivery': `${number}-${action}`,
        'X-Hub-Signature-256': `sha256=${createHmac('sha256', secret)
          .update(body)
          .digest('hex')}`,
      },
    };
  }

  protected refusal(kind: FakeRefusal): FakeReply {
    const docs = { documentation_url: 'https://docs.github.com/rest' };
    switch (kind) {
      case 'rate_limited':
        return {
          status: 429,
          headers: { 'x-ratelimit-remaining': '0' },
          body: { message: 'API rate limit exceeded', ...docs },
        };
      case 'down':
        return { status: 500, body: { message: 'Server Error' } };
      case 'not_found':
        return { status: 404, body: { message: 'Not Found' } };
      case 'unauthorized':
        return { status: 401, body: { message: 'Bad credentials', ...docs } };
      default:
        return {
          status: 403,
          body: {
            message: 'Resource not accessible by personal access token',
          },
        };
    }
  }

  protected authorized(req: RecordedRequest): boolean {
    const auth = req.headers.authorization;
    return [
      `token ${this.options.token}`,
      `bearer ${this.options.token}`,
      `Bearer ${this.options.token}`,
    ].includes(String(auth));
  }

  protected answer(req: RecordedRequest): FakeReply {
    const url = new URL(req.path, 'http://fake');
    const m = /^\/repos\/([^/]+)\/([^/]+)\/issues(?:\/(\d+))?$/.exec(
      url.pathname,
    );
    if (!m || `${m[1]}/${m[2]}`.toLowerCase() !== this.fullName.toLowerCase()) {
      return { status: 404, body: { message: 'Not Found' } };
    }
    const body = jsonBody(req.body);
    if (!m[3] && req.method === 'POST') {
      const assignees: string[] = body?.assignees ?? [];
      const invalid = assignees.find(a => !this.assignable.has(a));
      if (invalid) {
        return {
          status: 422,
          body: {
            message: 'Validation Failed',
            errors: [
              {
                value: invalid,
                resource: 'Issue',
                field: 'assignees',
                code: 'invalid',
              },
            ],
          },
        };
      }
      if (!body?.title) {
        return {
          status: 422,
          body: {
            message: 'Validation Failed',
            errors: [
              { resource: 'Issue', field: 'title', code: 'missing_field' },
            ],
          },
        };
      }
      const issue: FakeGitHubIssue = {
        number: ++this.created,
        title: body.title,
        body: body.body ?? '',
        state: 'open',
        state_reason: null,
        assignees,
      };
      this.issues.set(issue.number, issue);
      return { status: 201, body: this.issueObject(issue) };
    }
    const issue = m[3] ? this.issues.get(Number(m[3])) : undefined;
    if (!issue) return { status: 404, body: { message: 'Not Found' } };
    if (req.method === 'GET') return { body: this.issueObject(issue) };
    if (req.method === 'PATCH') {
      const reason = body?.state_reason;
      if (
        (body?.state !== undefined &&
          body.state !== 'open' &&
          body.state !== 'closed') ||
        (reason !== undefined &&
          !['completed', 'not_planned', 'reopened', null].includes(reason))
      ) {
        return {
          status: 422,
          body: {
            message: 'Validation Failed',
            errors: [
              { resource: 'Issue', field: 'state_reason', code: 'invalid' },
            ],
          },
        };
      }
      if (body?.state === 'open' || body?.state === 'closed') {
        issue.state = body.state;
        // Only what the client sent: the tests check the tracker asks for
        // the reason, so the fake must not supply one of its own.
        issue.state_reason = reason ?? null;
      }
      return { body: this.issueObject(issue) };
    }
    return { status: 404, body: { message: 'Not Found' } };
  }

  private issueObject(issue: FakeGitHubIssue) {
    return {
      id: 1_000_000 + issue.number,
      number: issue.number,
      title: issue.title,
      body: issue.body,
      state: issue.state,
      state_reason: issue.state_reason,
      html_url: this.htmlUrl(issue.number),
      repository_url: `https://api.github.example/repos/${this.fullName}`,
      assignees: issue.assignees.map(login => ({ login })),
      updated_at: new Date().toISOString(),
    };
  }
}
