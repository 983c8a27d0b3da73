import { createHmac } from 'node:crypto';
import { FakeReply, RecordedRequest } from './fakeServers';
import { basicCredentials, jsonBody } from './fakeFaults';
import { FakeRefusal, FakeService } from './fakeService';

export interface FakeJiraIssue {
  id: string;
  key: string;
  summary: string;
  description: any;
  issueType: string;
  status: string;
  assignee: string | null;
}

const STATUSES: Record<string, string> = {
  'To Do': 'new',
  'In Progress': 'indeterminate',
  Done: 'done',
};
const TRANSITION_IDS: Record<string, string> = {
  'To Do': '11',
  'In Progress': '21',
  Done: '31',
};

/**
 * Jira Cloud's REST v3 for the issues of one project: Basic auth with an
 * account's email and API token, issue creation with an ADF description,
 * `POST /search/jql` with `key in (...)` (which fails as a whole on an
 * unknown key, like Jira), workflow transitions between To Do, In Progress
 * and Done, Jira's error bodies, and switchable faults.
 */
export class FakeJira extends FakeService {
  readonly issues = new Map<string, FakeJiraIssue>();
  /** Account ids that may be assigned issues of the project. */
  readonly assignable = new Set<string>();
  /** Issue numbers are never reused, even after a deletion. */
  private created = 0;

  constructor(
    readonly options: { email: string; apiToken: string; projectKey: string },
  ) {
    super();
  }

  /** Moves an issue to a status, as someone in Jira would. */
  setStatus(key: string, status: string) {
    const issue = this.issues.get(key);
    if (!issue) throw new Error(`No issue ${key}`);
    issue.status = status;
  }

  /** The `jira:issue_updated` delivery for a status change, signed with `secret` when given. */
  webhookDelivery(key: string, status: string, secret?: string) {
    const issue = this.issues.get(key);
    const body = JSON.stringify({
      timestamp: Date.now(),
      webhookEvent: 'jira:issue_updated',
      issue_event_type_name: 'issue_generic',
      issue: {
        id: issue?.id ?? '0',
        key,
        fields: {
          status: {
            name: status,
            statusCategory: { key: STATUSES[status] ?? 'indeterminate' },
          },
        },
      },
      changelog: {
        items: [
          { field: 'status', fromString: issue?.status, toString: status },
        ],
      },
    });
    return {
      body,
      headers: {
        'Content-Type': 'application/json',
        ...(secret
          ? {
              'X-Hub-Signature': `sha256=${createHmac('sha256', secret)
                .update(body)
                .digest('hex')}`,
            }
          : {}),
      },
    };
  }

  protected refusal(kind: FakeRefusal): FakeReply {
    if (kind === 'unauthorized') {
      // Jira answers bad credentials in plain text, not its error body.
      return {
        status: 401,
        body: 'Client must be authenticated to access this resource.',
      };
    }
    const [status, message] = {
      rate_limited: [429, 'Rate limit exceeded.'],
      down: [500, 'Internal server error'],
      not_found: [404, 'Not found'],
      forbidden: [
        403,
        'You do not have permission to create issues in this project.',
      ],
    }[kind] as [number, string];
    return { status, body: { errorMessages: [message], errors: {} } };
  }

  protected authorized(req: RecordedRequest): boolean {
    return (
      basicCredentials(req.headers.authorization) ===
      `${this.options.email}:${this.options.apiToken}`
    );
  }

  protected answer(req: RecordedRequest): FakeReply {
    const url = new URL(req.path, 'http://fake');
    // Everything the tracker asks lives under REST v3; anything else (a
    // missing prefix, v2) is a 404, as on a Jira site.
    if (!url.pathname.startsWith('/rest/api/3/')) {
      return {
        status: 404,
        body: { errorMessages: ['No such resource'], errors: {} },
      };
    }
    const path = url.pathname.slice('/rest/api/3'.length);
    const body = jsonBody(req.body);
    let m: RegExpExecArray | null;
    if (req.method === 'POST' && path === '/issue') return this.create(body);
    if (req.method === 'POST' && path === '/search/jql')
      return this.search(body);
    m = /^\/issue\/([^/]+)\/transitions$/.exec(path);
    if (m) {
      const issue = this.issues.get(decodeURIComponent(m[1]));
      if (!issue) return missing();
      if (req.method === 'GET') {
        return {
          body: {
            transitions: Object.keys(STATUSES)
              .filter(s => s !== issue.status)
              .map(s => ({
                id: TRANSITION_IDS[s],
                name: s,
                to: { name: s, statusCategory: { key: STATUSES[s] } },
              })),
          },
        };
      }
      const target = Object.keys(TRANSITION_IDS).find(
        s => TRANSITION_IDS[s] === body?.transition?.id,
      );
      if (!target || target === issue.status) {
        return {
          status: 400,
          body: {
            errorMessages: ['Transition id is not valid for this issue.'],
            errors: {},
          },
        };
      }
      issue.status = target;
      return { status: 204, body: '' };
    }
    m = /^\/issue\/([^/]+)$/.exec(path);
    if (m && req.method === 'GET') {
      const issue = this.issues.get(decodeURIComponent(m[1]));
      return issue ? { body: this.issueObject(issue) } : missing();
    }
    return {
      status: 404,
      body: { errorMessages: ['No such resource'], errors: {} },
    };
  }

  private create(body: any): FakeReply {
    const fields = body?.fields ?? {};
    const errors: Record<string, string> = {};
    if (fields.project?.key !== this.options.projectKey)
      errors.project = 'valid project is required';
    if (!fields.summary)
      errors.summary = 'You must specify a summary of the issue.';
    if (fields.summary?.length > 255)
      errors.summary = 'Summary must be less than 255 characters.';
    if (
      fields.description &&
      (fields.description.type !== 'doc' || fields.description.version !== 1)
    ) {
      errors.description = 'Operation value must be an Atlassian Document.';
    }
    const assignee = fields.assignee?.accountId;
    if (assignee && !this.assignable.has(assignee)) {
      errors.assignee = `User '${assignee}' cannot be assigned issues.`;
    }
    if (Object.keys(errors).length) {
      return { status: 400, body: { errorMessages: [], errors } };
    }
    const number = ++this.created;
    const issue: FakeJiraIssue = {
      id: String(10_000 + number),
      key: `${this.options.projectKey}-${number}`,
      summary: fields.summary,
      description: fields.description,
      issueType: fields.issuetype?.name,
      status: 'To Do',
      assignee: assignee ?? null,
    };
    this.issues.set(issue.key, issue);
    return {
      status: 201,
      body: {
        id: issue.id,
        key: issue.key,
        self: `http://fake/rest/api/3/issue/${issue.id}`,
      },
    };
  }

  private search(body: any): FakeReply {
    const m = /^key in \(([^)]*)\)$/.exec(String(body?.jql ?? '').trim());
    if (!m)
      return {
        status: 400,
        body: {
          errorMessages: ['The fake only answers key in (...)'],
          errors: {},
        },
      };
    const keys = m[1].split(',').map(k => k.trim().replace(/^"|"$/g, ''));
    const unknown = keys.find(k => !this.issues.has(k));
    if (unknown) {
      return {
        status: 400,
        body: {
          errorMessages: [
            `An issue with key '${unknown}' does not exist for field 'key'.`,
          ],
          errors: {},
        },
      };
    }
    return {
      body: {
        issues: keys.map(k => this.issueObject(this.issues.get(k)!)),
        isLast: true,
      },
    };
  }

  private issueObject(issue: FakeJiraIssue) {
    return {
      id: issue.id,
      key: issue.key,
      fields: {
        status: {
          name: issue.status,
          statusCategory: { key: STATUSES[issue.status] },
        },
      },
    };
  }
}

function missing(): FakeReply {
  return {
    status: 404,
    body: {
      errorMessages: [
        'Issue does not exist or you do not have permission to see it.',
      ],
      errors: {},
    },
  };
}
