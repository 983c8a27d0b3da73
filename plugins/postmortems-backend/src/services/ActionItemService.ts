import {
  BackstageCredentials,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { NotFoundError } from '@backstage/errors';
import { Knex } from 'knex';
import {
  ActionItem,
  ActionItemInput,
  actionItemUpdatePermission,
  PostmortemTemplate,
} from '@postmortems-oss/backstage-plugin-postmortems-common';
import { ProposedActionItem } from '@postmortems-oss/backstage-plugin-postmortems-node';
import { ActionItemFilter, ActionItemStore } from '../database/ActionItemStore';
import { ValidationError } from './errors';
import { actorOf, PostmortemAccess } from './PostmortemAccess';
import { PostmortemService } from './PostmortemService';

/** Action items: owned by catalog users or groups, always of one post-mortem. */
export class ActionItemService {
  constructor(
    private readonly deps: {
      db: Knex;
      store: ActionItemStore;
      postmortems: PostmortemService;
      access: PostmortemAccess;
      /**
       * Tells an owner an item is theirs (see ReminderService.notifyAssigned).
       * Optional: without it, assignments notify nobody.
       */
      onAssigned?: (item: ActionItem) => Promise<unknown>;
      /** Where failures of onAssigned are reported. */
      logger?: LoggerService;
      /**
       * Follows a change of status elsewhere (closes or reopens the item's
       * issue, see TrackerService.pushStatus). Best effort, like onAssigned.
       */
      onStatusChanged?: (
        before: ActionItem,
        after: ActionItem,
      ) => Promise<unknown>;
    },
  ) {}

  async create(
    incidentRef: string,
    input: ActionItemInput & { description: string },
    credentials: BackstageCredentials,
  ): Promise<ActionItem> {
    const { incident, record } = await this.deps.postmortems.readable(
      incidentRef,
      credentials,
    );
    await this.deps.access.require(
      actionItemUpdatePermission,
      credentials,
      incident,
    );
    const item = await this.deps.store.create({
      postmortemId: record.id,
      incidentId: incident.id,
      description: input.description,
      owner: normalizeOwner(input.owner),
      dueDate: input.due_date,
      status: input.status,
      category: input.category,
      externalUrl: input.external_url,
      accepted: input.accepted,
      source: 'manual',
      createdBy: actorOf(credentials),
    });
    await this.notifyIfAssigned(undefined, item);
    return item;
  }

  /**
   * Replaces a post-mortem's proposed action items with a new draft's, inside
   * the caller's transaction: proposals nobody accepted give way, accepted
   * and manual items stay. Each proposal gets the template's category it
   * names (or the template's first), the owner its hint names in `owners`,
   * and a due date its days from today.
   */
  async propose(
    target: {
      postmortemId: string;
      incidentId: string;
      template: PostmortemTemplate;
      /** Lower-cased names (users, groups, display names) to catalog refs. */
      owners: Map<string, string>;
      author: string;
    },
    proposals: ProposedActionItem[],
    tx: Knex.Transaction,
  ): Promise<void> {
    const store = this.deps.store.withTransaction(tx);
    for (const item of await store.listForPostmortem(target.postmortemId)) {
      if (item.source === 'ai' && !item.accepted) await store.delete(item.id);
    }
    const today = new Date();
    for (const proposal of proposals) {
      await store.create({
        postmortemId: target.postmortemId,
        incidentId: target.incidentId,
        description: proposal.description,
        category: categoryOf(proposal, target.template),
        owner:
          target.owners.get(proposal.ownerHint?.toLowerCase() ?? '') ?? null,
        dueDate: proposal.dueInDays
          ? new Date(today.getTime() + proposal.dueInDays * 86_400_000)
              .toISOString()
              .slice(0, 10)
          : null,
        source: 'ai',
        accepted: false,
        createdBy: target.author,
      });
    }
  }

  async update(
    incidentRef: string,
    itemId: string,
    input: ActionItemInput,
    credentials: BackstageCredentials,
  ): Promise<ActionItem> {
    const { incident, item: before } = await this.itemOf(
      incidentRef,
      itemId,
      credentials,
    );
    await this.deps.access.require(
      actionItemUpdatePermission,
      credentials,
      incident,
    );
    const after = await this.deps.store.update(itemId, {
      description: input.description,
      owner:
        input.owner === undefined ? undefined : normalizeOwner(input.owner),
      dueDate: input.due_date,
      status: input.status,
      category: input.category,
      externalUrl: input.external_url,
      accepted: input.accepted,
    });
    await this.notifyIfAssigned(before, after);
    if (this.deps.onStatusChanged && before.status !== after.status) {
      try {
        await this.deps.onStatusChanged(before, after);
      } catch (error) {
        this.deps.logger?.warn(
          `Could not pass on the status of action item ${after.id}`,
          error as Error,
        );
      }
    }
    return after;
  }

  async delete(
    incidentRef: string,
    itemId: string,
    credentials: BackstageCredentials,
  ): Promise<void> {
    const { incident } = await this.itemOf(incidentRef, itemId, credentials);
    await this.deps.access.require(
      actionItemUpdatePermission,
      credentials,
      incident,
    );
    await this.deps.store.delete(itemId);
  }

  /**
   * Action items across post-mortems, of those the caller may read (filtered
   * in the query, so pages are full and totals exact).
   */
  async list(
    filter: ActionItemFilter,
    credentials: BackstageCredentials,
  ): Promise<{ data: ActionItem[]; total: number }> {
    const scope = await this.deps.access.readableScope(credentials);
    return this.deps.store.list(filter, scope);
  }

  /**
   * Notifies the owner when the item became theirs: a new item with an
   * owner, a new owner, or a proposal accepted with its owner. The change is
   * saved already, so a notification failure is logged, never thrown.
   */
  private async notifyIfAssigned(
    before: ActionItem | undefined,
    after: ActionItem,
  ) {
    const { onAssigned } = this.deps;
    if (!onAssigned || !after.owner || !after.accepted) return;
    if (before && before.owner === after.owner && before.accepted) return;
    try {
      await onAssigned(after);
    } catch (error) {
      this.deps.logger?.warn(
        `Could not notify ${after.owner} of action item ${after.id}`,
        error as Error,
      );
    }
  }

  private async itemOf(
    incidentRef: string,
    itemId: string,
    credentials: BackstageCredentials,
  ) {
    const { incident, record } = await this.deps.postmortems.readable(
      incidentRef,
      credentials,
    );
    const item = await this.deps.store.get(itemId);
    // An item of another post-mortem is as unknown here as a missing one.
    if (!item || item.postmortem_id !== record.id) {
      throw new NotFoundError(
        `No action item ${itemId} on the post-mortem of ${incident.reference}`,
      );
    }
    return { incident, record, item };
  }
}

/**
 * Owners are catalog users or groups. A bare name means a user in the default
 * namespace (`alice` -> `user:default/alice`), which also covers Regen's
 * clients that send a user name.
 */
export function normalizeOwner(owner: string | null | undefined) {
  if (owner === undefined || owner === null || owner.trim() === '') {
    return owner === undefined ? undefined : null;
  }
  let ref;
  try {
    ref = parseEntityRef(owner.trim(), {
      defaultKind: 'user',
      defaultNamespace: 'default',
    });
  } catch {
    throw new ValidationError([
      { field: 'owner', message: `"${owner}" is not an entity ref` },
    ]);
  }
  const kind = ref.kind.toLocaleLowerCase('en-US');
  if (kind !== 'user' && kind !== 'group') {
    throw new ValidationError([
      { field: 'owner', message: 'must be a user or group entity ref' },
    ]);
  }
  return stringifyEntityRef({ ...ref, kind });
}

/** The template's category a proposal names, or the template's first. */
function categoryOf(
  proposal: ProposedActionItem,
  template: PostmortemTemplate,
): string | null {
  const categories = template.action_item_categories;
  const match = categories.find(
    c => c.toLowerCase() === proposal.category?.toLowerCase(),
  );
  return match ?? categories[0] ?? null;
}
