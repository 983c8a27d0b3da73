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

/** A Jira Cloud site's account, or a Data Center server's token. */
export type FakeJiraOptions = { projectKey: string } & (
  | { flavour?: 'cloud'; email: string; apiToken: string }
  | {
      flavour: 'datacenter';
      personalAccessToken: string;
      /** Where the server is mounted, e.g. `/jira` (default: the root). */
      contextPath?: string;
    }
);

/**
 * Jira's REST API for the issues of one project, in either flavour. Cloud:
 * REST v3 under `/rest/api/3`, Basic auth with an account's email and API
 * token, ADF descriptions, `POST /search/jql`, assignees by `accountId`.
 * Data Center/Server: REST v2 under its context path's `/rest/api/2`,
 * `Bearer` and a personal access token, wiki-markup (string) descriptions,
 * `POST /search`, assignees by user `name`. The other flavour's prefix,
 * credentials, search route, description format and assignee field are
 * refused as that flavour refuses them. Both: JQL `key in (...)` (which
 * fails as a whole on an unknown key, like Jira), workflow transitions
 * between To Do, In Progress and Done, Jira's error bodies, and switchable
 * faults.
 */
export class FakeJira extends FakeService {
  readonly issues = new Map<string, FakeJiraIssue>();
  /** Account ids (Cloud) or user names (Data Center) that may be assigned issues of the project. */
  readonly assignable = new Set<string>();
  /** Issue numbers are never reused, even after a deletion. */
  private created = 0;
  private readonly prefix: string;

  constructor(readonly options: FakeJiraOptions) {
    super();
    this.prefix =
      options.flavour === 'datacenter'
        ? `${options.contextPath ?? ''}/rest/api/2`
        : '/rest/api/3';
  }

  private get dataCenter(): boolean {
    return this.options.flavour === 'datacenter';
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
    const options = this.options;
    if (options.flavour === 'datacenter') {
      return (
        req.headers.authorization === `Bearer ${options.personalAccessToken}`
      );
    }
    return (
      basicCredentials(req.headers.authorization) ===
      `${options.email}:${options.apiToken}`
    );
  }

  protected answer(req: RecordedRequest): FakeReply {
    const url = new URL(req.path, 'http://fake');
    // Everything the tracker asks lives under the flavour's REST version;
    // anything else (a missing context path, the other version) is a 404,
    // as on a Jira server.
    if (!url.pathname.startsWith(`${this.prefix}/`)) {
      return {
        status: 404,
        body: { errorMessages: ['No such resource'], errors: {} },
      };
    }
    const path = url.pathname.slice(this.prefix.length);
    const body = jsonBody(req.body);
    let m: RegExpExecArray | null;
    if (req.method === 'POST' && path === '/issue') return this.create(body);
    if (req.method === 'POST' && path === this.searchPath) {
      return this.search(body);
    }
    if (!this.dataCenter && path === '/search') {
      // Cloud removed the old search; Data Center never had /search/jql.
      return {
        status: 410,
        body: {
          errorMessages: [
            'The requested API has been removed. Please migrate to the /rest/api/3/search/jql API.',
          ],
          errors: {},
        },
      };
    }
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
    if (fields.description !== undefined) {
      const problem = this.descriptionProblem(fields.description);
      if (problem) errors.description = problem;
    }
    // Cloud knows users by account id only; Data Center by user name.
    const assignee = this.dataCenter
      ? fields.assignee?.name
      : fields.assignee?.accountId;
    if (fields.assignee && typeof assignee !== 'string') {
      errors.assignee = this.dataCenter
        ? 'Specify the user by name.'
        : "Specify a valid value for 'accountId'.";
    } else if (assignee && !this.assignable.has(assignee)) {
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
        self: `${this.url}${this.prefix}/issue/${issue.id}`,
      },
    };
  }

  private get searchPath(): string {
    return this.dataCenter ? '/search' : '/search/jql';
  }

  /** Cloud takes an Atlassian Document; Data Center's v2 a wiki-markup string. */
  private descriptionProblem(description: unknown): string | undefined {
    if (this.dataCenter) {
      return typeof description === 'string'
        ? undefined
        : 'Operation value must be a string';
    }
    const doc = description as { type?: unknown; version?: unknown } | null;
    return doc?.type === 'doc' && doc.version === 1
      ? undefined
      : 'Operation value must be an Atlassian Document.';
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
    const issues = keys.map(k => this.issueObject(this.issues.get(k)!));
    // Cloud's /search/jql pages by token; Data Center's /search by offset.
    return {
      body: this.dataCenter
        ? {
            startAt: 0,
            maxResults: issues.length,
            total: issues.length,
            issues,
          }
        : { issues, isLast: true },
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
