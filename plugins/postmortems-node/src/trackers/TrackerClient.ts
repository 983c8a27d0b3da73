import { TrackerType } from '@postmortems-oss/backstage-plugin-postmortems-common';

/**
 * The two states an action item's issue is reduced to.
 *
 * @public
 */
export type IssueState = 'open' | 'closed';

/** @public */
export interface IssueFacts {
  /** The item's description; its first line is the issue title. */
  description: string;
  incidentReference: string;
  incidentTitle: string;
  severity: string;
  /** Where the post-mortem is read in Backstage. */
  postmortemUrl: string;
  owner: string | null;
  dueDate: string | null;
  category: string | null;
}

/** @public */
export interface NewIssue {
  facts: IssueFacts;
  /** The tracker's user id (GitHub login, Jira account id), when the owner has one. */
  assignee?: string;
}

/** @public */
export interface CreatedIssue {
  /** `owner/repo#12` or `OPS-42`. */
  key: string;
  /** The issue's page for people. */
  url: string;
  state: IssueState;
}

/**
 * A request to a webhook route, as received.
 *
 * @public
 */
export interface WebhookRequest {
  headers: Record<string, string | string[] | undefined>;
  query: Record<string, unknown>;
  rawBody: Buffer;
}

/**
 * What a verified webhook delivery says about one issue.
 *
 * @public
 */
export interface IssueEvent {
  key: string;
  state: IssueState;
}

/**
 * One configured issue tracker. Failures of calls are thrown as
 * RemoteServiceError with area `tracker`.
 *
 * @public
 */
export interface TrackerClient {
  readonly type: TrackerType;
  /** e.g. `acme/payments` or `Jira OPS`. */
  readonly title: string;
  /** The catalog User annotation holding the user's id in this tracker. */
  readonly assigneeAnnotation: string;

  createIssue(issue: NewIssue): Promise<CreatedIssue>;
  /** The state of each issue that still exists and is visible; others are left out. */
  states(keys: string[]): Promise<Map<string, IssueState>>;
  setState(key: string, state: IssueState): Promise<void>;
  /**
   * Verifies a webhook delivery and reads the issue change it reports:
   * throws AuthenticationError when it is not signed with the secret, and
   * answers undefined for deliveries about anything else.
   */
  webhookEvent(request: WebhookRequest): IssueEvent | undefined;
}
