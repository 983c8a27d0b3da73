import {
  AuthService,
  BackstageCredentials,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { ConflictError, NotFoundError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  ActionItem,
  actionItemUpdatePermission,
  incidentWritePermission,
  IssueTracker,
} from '@postmortems-oss/backstage-plugin-postmortems-common';
import { ActionItemStore } from '../database/ActionItemStore';
import { ValidationError } from '../services/errors';
import { PostmortemAccess } from '../services/PostmortemAccess';
import { PostmortemService } from '../services/PostmortemService';
import { IssueTrackers } from './IssueTrackers';
import { issueStateFor, reconcile } from './reconcile';
import { TrackedItem, TrackedItemStore } from './TrackedItemStore';
import { IssueState, TrackerClient, WebhookRequest } from '@postmortems-oss/backstage-plugin-postmortems-node';

/** What one sync did. */
export interface TrackerSyncCounts {
  /** Items whose issue was read. */
  checked: number;
  /** Items marked done because their issue was closed. */
  done: number;
  /** Done items reopened because their issue was reopened. */
  reopened: number;
  /** Changes made here that reached the tracker only now. */
  pushed: number;
  /** Items whose issue no longer exists or is not visible. */
  missing: number;
  /** Trackers that could not be read, with why. */
  errors: Array<{ tracker: string; message: string }>;
}

/** A claim older than this belongs to a request that died before the tracker answered. */
const CLAIM_STALE_MS = 2 * 60_000;

/**
 * Issues for action items in the configured trackers, and keeping item and
 * issue status in step both ways (see reconcile.ts for which side wins).
 */
export class TrackerService {
  constructor(
    private readonly deps: {
      trackers: IssueTrackers;
      store: TrackedItemStore;
      actionItems: ActionItemStore;
      postmortems: PostmortemService;
      access: PostmortemAccess;
      logger: LoggerService;
      /** The Backstage app, for links from issues back to post-mortems. */
      appBaseUrl: string;
      /** For assignees: the owner's User entity and its tracker annotation. */
      catalog?: CatalogService;
      auth?: AuthService;
    },
  ) {}

  trackers(): IssueTracker[] {
    return this.deps.trackers.list();
  }

  /** The configured tracker ids (each has a webhook route). */
  ids(): string[] {
    return this.deps.trackers.ids();
  }

  /** Whether any tracker is configured (no sync is scheduled without one). */
  get enabled(): boolean {
    return this.deps.trackers.size > 0;
  }

  /**
   * Opens an issue for the item. Nothing is saved unless the tracker created
   * the issue; an item that has one already is a 409.
   */
  async createIssue(
    incidentRef: string,
    itemId: string,
    trackerId: string,
    credentials: BackstageCredentials,
  ): Promise<ActionItem> {
    const tracker = this.tracker(trackerId);
    const { incident, record } = await this.deps.postmortems.readable(
      incidentRef,
      credentials,
    );
    const item = await this.deps.actionItems.get(itemId);
    if (!item || item.postmortem_id !== record.id) {
      throw new NotFoundError(
        `No action item ${itemId} on the post-mortem of ${incident.reference}`,
      );
    }
    await this.deps.access.require(
      actionItemUpdatePermission,
      credentials,
      incident,
    );
    const already = () =>
      new ConflictError(
        item.external_key
          ? `The action item already has the issue ${item.external_key} in ${item.tracker}`
          : 'An issue is being created for this action item',
      );
    if (item.external_key) throw already();
    if (
      !(await this.deps.store.claim(
        itemId,
        trackerId,
        new Date(),
        CLAIM_STALE_MS,
      ))
    ) {
      throw already();
    }
    try {
      const issue = await tracker.createIssue({
        facts: {
          description: item.description,
          incidentReference: incident.reference,
          incidentTitle: incident.title,
          severity: incident.severity,
          postmortemUrl: `${this.deps.appBaseUrl.replace(
            /\/+$/,
            '',
          )}/postmortems/incidents/${encodeURIComponent(incident.reference)}`,
          owner: item.owner,
          dueDate: item.due_date,
          category: item.category,
        },
        assignee: await this.assigneeOf(item.owner, tracker),
      });
      await this.deps.store.link(
        itemId,
        {
          tracker: trackerId,
          key: issue.key,
          url: issue.url,
          state: issue.state,
        },
        new Date(),
      );
    } catch (error) {
      await this.deps.store.release(itemId, trackerId);
      throw error;
    }
    return (await this.deps.actionItems.get(itemId))!;
  }

  /** The sync, for a caller who may write incidents. */
  async syncFor(credentials: BackstageCredentials): Promise<TrackerSyncCounts> {
    await this.deps.access.require(incidentWritePermission, credentials);
    return this.sync();
  }

  /**
   * Reads the issue of every item that has one and reconciles the two. One
   * tracker failing does not stop the others; it is reported in `errors`.
   */
  async sync(): Promise<TrackerSyncCounts> {
    const counts: TrackerSyncCounts = {
      checked: 0,
      done: 0,
      reopened: 0,
      pushed: 0,
      missing: 0,
      errors: [],
    };
    for (const id of this.deps.trackers.ids()) {
      try {
        await this.syncTracker(id, this.deps.trackers.get(id)!, counts);
      } catch (error) {
        const message = (error as Error)?.message ?? String(error);
        counts.errors.push({ tracker: id, message });
        this.deps.logger.warn(`Tracker sync of ${id} failed: ${message}`);
      }
    }
    return counts;
  }

  /**
   * Applies a webhook delivery: verified by the tracker (401 otherwise), then
   * reconciled like a sync reading, without pushing anything back.
   */
  async webhook(
    trackerId: string,
    request: WebhookRequest,
  ): Promise<{ updated: number }> {
    const tracker = this.deps.trackers.get(trackerId);
    if (!tracker) throw new NotFoundError(`No tracker ${trackerId}`);
    const event = tracker.webhookEvent(request);
    if (!event) return { updated: 0 };
    let updated = 0;
    for (const item of await this.deps.store.byKey(trackerId, event.key)) {
      const { status } = reconcile(
        item.status,
        item.external_state,
        event.state,
      );
      if (item.external_state === event.state && !status) continue;
      if (
        await this.deps.store.record(
          item,
          { state: event.state, status },
          new Date(),
        )
      ) {
        if (status) updated++;
      }
    }
    return { updated };
  }

  /**
   * Closes or reopens the item's issue after a change of status here. Best
   * effort: the user's change is saved already, so a tracker failure is
   * logged, and the next sync pushes it again (the issue's state is still
   * the one last seen, which is how the sync knows the change is ours).
   */
  async pushStatus(before: ActionItem, after: ActionItem): Promise<void> {
    if (issueStateFor(before.status) === issueStateFor(after.status)) return;
    const item = await this.deps.store.get(after.id);
    const tracker = item && this.deps.trackers.get(item.tracker);
    if (!item || !tracker) return;
    const wanted = issueStateFor(item.status);
    if (item.external_state === wanted) return;
    try {
      await tracker.setState(item.external_key, wanted);
      await this.deps.store.record(item, { state: wanted }, new Date());
    } catch (error) {
      this.deps.logger.warn(
        `Could not ${wanted === 'closed' ? 'close' : 'reopen'} ${
          item.external_key
        } in ${item.tracker}; the next tracker sync retries: ${
          (error as Error)?.message
        }`,
      );
    }
  }

  private async syncTracker(
    id: string,
    tracker: TrackerClient,
    counts: TrackerSyncCounts,
  ) {
    const items = await this.deps.store.linked(id);
    if (items.length === 0) return;
    const states = await tracker.states([
      ...new Set(items.map(i => i.external_key)),
    ]);
    for (const item of items) {
      const observed = states.get(item.external_key);
      if (!observed) {
        counts.missing++;
        continue;
      }
      counts.checked++;
      await this.apply(item, observed, tracker, counts);
    }
  }

  private async apply(
    item: TrackedItem,
    observed: IssueState,
    tracker: TrackerClient,
    counts: TrackerSyncCounts,
  ) {
    const now = new Date();
    const { status, push } = reconcile(
      item.status,
      item.external_state,
      observed,
    );
    if (push) {
      try {
        await tracker.setState(item.external_key, push);
      } catch (error) {
        // One issue that cannot be moved (a workflow without the
        // transition, say) must not stop the sync of the others.
        counts.errors.push({
          tracker: item.tracker,
          message: `${item.external_key}: ${(error as Error)?.message}`,
        });
        return;
      }
      await this.deps.store.record(item, { state: push }, now);
      counts.pushed++;
      return;
    }
    const moved = await this.deps.store.record(
      item,
      { state: observed, status },
      now,
    );
    if (moved && status === 'done') counts.done++;
    if (moved && status === 'open') counts.reopened++;
  }

  private tracker(id: string): TrackerClient {
    const tracker = this.deps.trackers.get(id);
    if (!tracker) {
      throw new ValidationError([
        {
          field: 'body.tracker',
          message: `no issue tracker "${id}" is configured (known: ${
            this.deps.trackers.ids().join(', ') || 'none'
          })`,
        },
      ]);
    }
    return tracker;
  }

  /**
   * The owner's id in the tracker, from their User entity's annotation.
   * Groups, users without the annotation and catalog failures: unassigned.
   */
  private async assigneeOf(
    owner: string | null,
    tracker: TrackerClient,
  ): Promise<string | undefined> {
    const { catalog, auth } = this.deps;
    if (!owner || !owner.startsWith('user:') || !catalog || !auth) {
      return undefined;
    }
    try {
      const entity = await catalog.getEntityByRef(owner, {
        credentials: await auth.getOwnServiceCredentials(),
      });
      const value = entity?.metadata.annotations?.[tracker.assigneeAnnotation];
      return value?.trim() || undefined;
    } catch (error) {
      this.deps.logger.warn(
        `Could not look up ${owner} in the catalog for an assignee: ${
          (error as Error)?.message
        }`,
      );
      return undefined;
    }
  }
}
