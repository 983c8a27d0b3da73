import { AuthenticationError } from '@backstage/errors';
import {
  adfBody,
  authorizedJson,
  CreatedIssue,
  describeNoAnswer,
  failureOfStatus,
  headerOf,
  HttpStatusError,
  IssueEvent,
  IssueState,
  issueTitle,
  NewIssue,
  rateLimitedWait,
  RemoteServiceError,
  retryRateLimited,
  sameSecret,
  TrackerClient,
  validHmacSignature,
  WebhookRequest,
  wikiMarkupBody,
} from '@postmortems-oss/backstage-plugin-postmortems-node';

/**
 * The project {@link JiraTracker} opens issues in, and its credentials: a
 * Jira Cloud site (the default) or a Jira Data Center/Server installation.
 *
 * @public
 */
export type JiraTrackerOptions = {
  /**
   * Cloud: the site, e.g. `https://acme.atlassian.net`. Data Center: the
   * server with its context path, e.g. `https://jira.acme.com/jira`.
   */
  baseUrl: string;
  /** The project issues are created in. */
  projectKey: string;
  /** The issue type created (default `Task`). */
  issueType?: string;
  /** Statuses that count as done (default `Done`), compared case-insensitively. */
  doneStatuses?: string[];
  /**
   * Secret of the Jira webhook: checked against the `X-Hub-Signature`
   * HMAC Jira sends for webhooks with a secret, or, for senders that
   * cannot sign (automation rules, older servers), the `secret` query
   * parameter.
   */
  webhookSecret?: string;
  /** Per request, in milliseconds (default 15,000). */
  timeoutMs?: number;
  /** Retries of a rate-limited request (default 2). */
  maxRetries?: number;
} & (
  | {
      flavour?: 'cloud';
      /** The Atlassian account an API token belongs to (Basic auth). */
      email: string;
      /** An API token of `email`. */
      apiToken: string;
    }
  | {
      flavour: 'datacenter';
      /** A personal access token, sent as `Authorization: Bearer`. */
      personalAccessToken: string;
    }
);

/** What differs between the flavours' REST APIs. */
interface JiraDialect {
  /** REST v3 on Cloud, v2 on Data Center. */
  apiPath: string;
  /** Cloud's `/search/jql`; Data Center has only `/search`. */
  searchPath: string;
  /** ADF on Cloud, wiki markup on Data Center. */
  description(facts: NewIssue['facts']): unknown;
  /** Cloud assigns by account id, Data Center by user name. */
  assignee(id: string): object;
  assigneeAnnotation: string;
  authorization: string;
  /** The credentials, as messages name them. */
  credentials: string;
  /** Whose view of the project, as messages name it. */
  account: string;
}

function dialectOf(options: JiraTrackerOptions): JiraDialect {
  if (options.flavour === 'datacenter') {
    return {
      apiPath: '/rest/api/2',
      searchPath: '/search',
      description: wikiMarkupBody,
      assignee: name => ({ name }),
      assigneeAnnotation: 'atlassian.com/username',
      authorization: `Bearer ${options.personalAccessToken}`,
      credentials: 'the personal access token',
      account: "the personal access token's user",
    };
  }
  return {
    apiPath: '/rest/api/3',
    searchPath: '/search/jql',
    description: adfBody,
    assignee: accountId => ({ accountId }),
    assigneeAnnotation: 'atlassian.com/account-id',
    authorization: `Basic ${Buffer.from(
      `${options.email}:${options.apiToken}`,
    ).toString('base64')}`,
    credentials: `the credentials of ${options.email}`,
    account: options.email,
  };
}

/** Keys per search: JQL `key in (...)` stays well under URL and query limits. */
const SEARCH_BATCH = 50;

interface JiraStatus {
  name?: string;
}

/**
 * Jira issues of one project: on Cloud through REST v3 (ADF descriptions,
 * JQL through `/search/jql`, an account's API token), on Data Center through
 * REST v2 (wiki-markup descriptions, `/search`, a personal access token).
 * Read in batches with JQL, closed and reopened through workflow
 * transitions.
 *
 * @public
 */
export class JiraTracker implements TrackerClient {
  readonly type = 'jira' as const;
  readonly title: string;
  /** `atlassian.com/account-id` on Cloud, `atlassian.com/username` on Data Center. */
  readonly assigneeAnnotation: string;
  private readonly dialect: JiraDialect;
  private readonly siteUrl: string;
  private readonly doneStatuses: Set<string>;
  private readonly timeoutMs: number;

  constructor(private readonly options: JiraTrackerOptions) {
    this.title = `Jira ${options.projectKey}`;
    this.dialect = dialectOf(options);
    this.assigneeAnnotation = this.dialect.assigneeAnnotation;
    this.siteUrl = options.baseUrl.replace(/\/+$/, '');
    this.doneStatuses = new Set(
      (options.doneStatuses ?? ['Done']).map(s => s.toLocaleLowerCase('en-US')),
    );
    this.timeoutMs = options.timeoutMs ?? 15_000;
  }

  async createIssue(issue: NewIssue): Promise<CreatedIssue> {
    const fields = {
      project: { key: this.options.projectKey },
      issuetype: { name: this.options.issueType ?? 'Task' },
      summary: issueTitle(issue.facts.description),
      description: this.dialect.description(issue.facts),
    };
    let created: { key: string };
    try {
      created = await this.call('POST', '/issue', {
        fields: {
          ...fields,
          ...(issue.assignee
            ? { assignee: this.dialect.assignee(issue.assignee) }
            : {}),
        },
      });
    } catch (error) {
      // An account that cannot be assigned in this project: create it
      // unassigned rather than not at all.
      if (
        !issue.assignee ||
        (error as RemoteServiceError).status !== 400 ||
        !/assignee/i.test((error as Error).message)
      ) {
        throw error;
      }
      created = await this.call('POST', '/issue', { fields });
    }
    return {
      key: created.key,
      url: `${this.siteUrl}/browse/${encodeURIComponent(created.key)}`,
      state: 'open',
    };
  }

  async states(keys: string[]): Promise<Map<string, IssueState>> {
    const states = new Map<string, IssueState>();
    for (let i = 0; i < keys.length; i += SEARCH_BATCH) {
      const batch = keys.slice(i, i + SEARCH_BATCH);
      try {
        const result = await this.call<{
          issues?: Array<{ key: string; fields?: { status?: JiraStatus } }>;
        }>('POST', this.dialect.searchPath, {
          jql: `key in (${batch.map(quoteJql).join(', ')})`,
          fields: ['status'],
          maxResults: batch.length,
        });
        for (const issue of result.issues ?? []) {
          states.set(issue.key, this.stateOf(issue.fields?.status));
        }
      } catch (error) {
        // JQL rejects the whole query when one key no longer exists (or was
        // moved): read that batch one issue at a time instead.
        if ((error as RemoteServiceError).status !== 400) throw error;
        for (const key of batch) {
          const state = await this.readOne(key);
          if (state) states.set(key, state);
        }
      }
    }
    return states;
  }

  async setState(key: string, state: IssueState): Promise<void> {
    const path = `/issue/${encodeURIComponent(key)}/transitions`;
    const { transitions = [] } = await this.call<{
      transitions?: Array<{
        id: string;
        to?: JiraStatus & { statusCategory?: { key?: string } };
      }>;
    }>('GET', path);
    const done = (t: (typeof transitions)[number]) => this.isDone(t.to?.name);
    const transition =
      state === 'closed'
        ? transitions.find(done)
        : // Back to work: a "to do" status first, any other not-done one else.
          transitions.find(
            t => !done(t) && t.to?.statusCategory?.key === 'new',
          ) ?? transitions.find(t => !done(t));
    if (!transition) {
      throw new RemoteServiceError(
        'tracker',
        'failed',
        `Jira offers no transition of ${key} to ${
          state === 'closed' ? 'a done status' : 'an open status'
        } (done statuses: ${[...this.doneStatuses].join(', ')})`,
      );
    }
    await this.call('POST', path, { transition: { id: transition.id } });
  }

  webhookEvent(request: WebhookRequest): IssueEvent | undefined {
    const secret = this.options.webhookSecret;
    if (!secret) {
      throw new AuthenticationError(
        'Webhooks are not enabled for this tracker: set its webhookSecret',
      );
    }
    const signature = headerOf(request.headers, 'x-hub-signature');
    const verified = signature
      ? validHmacSignature(secret, request.rawBody, signature)
      : sameSecret(secret, request.query.secret);
    if (!verified) {
      throw new AuthenticationError(
        'The webhook is not signed with the secret (X-Hub-Signature) and carries no matching ?secret=',
      );
    }
    let payload: {
      webhookEvent?: string;
      issue?: { key?: string; fields?: { status?: JiraStatus } };
    };
    try {
      payload = JSON.parse(request.rawBody.toString('utf8'));
    } catch {
      return undefined;
    }
    const key = payload.issue?.key;
    const status = payload.issue?.fields?.status;
    if (
      payload.webhookEvent !== 'jira:issue_updated' ||
      typeof key !== 'string' ||
      typeof status?.name !== 'string'
    ) {
      return undefined;
    }
    return { key, state: this.stateOf(status) };
  }

  private async readOne(key: string): Promise<IssueState | undefined> {
    try {
      const issue = await this.call<{ fields?: { status?: JiraStatus } }>(
        'GET',
        `/issue/${encodeURIComponent(key)}?fields=status`,
      );
      return this.stateOf(issue.fields?.status);
    } catch (error) {
      if ((error as RemoteServiceError).failure === 'not_found')
        return undefined;
      throw error;
    }
  }

  private stateOf(status: JiraStatus | undefined): IssueState {
    return this.isDone(status?.name) ? 'closed' : 'open';
  }

  private isDone(name: string | undefined): boolean {
    return (
      name !== undefined &&
      this.doneStatuses.has(name.toLocaleLowerCase('en-US'))
    );
  }

  private async call<T = unknown>(
    method: string,
    path: string,
    body?: unknown,
  ): Promise<T> {
    try {
      return await retryRateLimited(
        () => this.send<T>(method, path, body),
        rateLimitedWait,
        { maxRetries: this.options.maxRetries },
      );
    } catch (error) {
      if (!(error instanceof HttpStatusError)) {
        throw new RemoteServiceError(
          'tracker',
          'failed',
          describeNoAnswer('Jira', error, this.timeoutMs),
        );
      }
      const failure = failureOfStatus(error.status);
      const what = path.split('?')[0];
      const messages: Record<string, string> = {
        unauthorized: `Jira refused ${this.dialect.credentials} (HTTP ${error.status})`,
        rate_limited: 'Jira is rate-limiting requests; try again later',
        not_found: `Jira: ${what} was not found, or the project ${this.options.projectKey} is not visible to ${this.dialect.account} (HTTP 404: ${error.message})`,
        failed: `Jira answered ${method} ${what} with HTTP ${error.status}: ${error.message}`,
      };
      throw new RemoteServiceError(
        'tracker',
        failure,
        messages[failure],
        error.status,
      );
    }
  }

  private send<T>(method: string, path: string, body?: unknown): Promise<T> {
    return authorizedJson<T>({
      url: `${this.siteUrl}${this.dialect.apiPath}${path}`,
      method,
      body,
      authorization: this.dialect.authorization,
      timeoutMs: this.timeoutMs,
      describe: jiraMessage,
      allowEmpty: true, // 204 of a transition
    });
  }
}

/** Jira's errors: `{errorMessages: [...], errors: {field: message}}`. */
function jiraMessage(text: string): string {
  try {
    const body = JSON.parse(text) as {
      errorMessages?: string[];
      errors?: Record<string, string>;
    };
    const parts = [
      ...(body.errorMessages ?? []),
      ...Object.entries(body.errors ?? {}).map(([k, v]) => `${k}: ${v}`),
    ];
    if (parts.length) return parts.join('; ').slice(0, 400);
  } catch {
    // not JSON
  }
  return text.slice(0, 200) || 'no details';
}

/** Issue keys are letters, digits and `-`; anything else is quoted. */
function quoteJql(key: string): string {
  return /^[A-Za-z][A-Za-z0-9_]*-\d+$/.test(key)
    ? key
    : `"${key.replace(/["\\]/g, '\\$&')}"`;
}
