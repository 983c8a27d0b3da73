import { randomUUID } from 'node:crypto';
import { Knex } from 'knex';
import {
  ActionItem,
  ActionItemStatus,
} from '@postmortems-oss/backstage-plugin-postmortems-common';
import { toBool, toCount, toIsoRequired } from './rows';
import { ReadableScope, whereReadable } from './readableScope';

export interface NewActionItem {
  postmortemId: string;
  incidentId: string;
  description: string;
  owner?: string | null;
  dueDate?: string | null;
  status?: ActionItemStatus;
  category?: string | null;
  externalUrl?: string | null;
  source?: string;
  accepted?: boolean;
  createdBy?: string | null;
  /** When a done item was done (imported history); now when left out. */
  doneAt?: string;
}

export interface ActionItemChanges {
  description?: string;
  owner?: string | null;
  dueDate?: string | null;
  status?: ActionItemStatus;
  category?: string | null;
  externalUrl?: string | null;
  accepted?: boolean;
}

export interface ActionItemFilter {
  owner?: string[];
  status?: ActionItemStatus[];
  /** Items past their due date that are not done, as of this date (YYYY-MM-DD). */
  overdueOn?: string;
  entityRef?: string;
  postmortemIds?: string[];
  offset: number;
  limit: number;
}

/**
 * Action items, tracked apart from the post-mortem text so that they can be
 * queried across post-mortems (by owner, by service, overdue).
 */
export class ActionItemStore {
  constructor(private readonly db: Knex) {}

  /** The same store, working inside the given transaction. */
  withTransaction(tx: Knex.Transaction): ActionItemStore {
    return new ActionItemStore(tx);
  }

  async create(input: NewActionItem): Promise<ActionItem> {
    const now = new Date();
    const row = {
      id: randomUUID(),
      postmortem_id: input.postmortemId,
      incident_id: input.incidentId,
      description: input.description,
      owner: input.owner ?? null,
      due_date: input.dueDate ?? null,
      status: input.status ?? 'open',
      category: input.category ?? null,
      external_url: input.externalUrl ?? null,
      source: input.source ?? 'manual',
      accepted: input.accepted ?? true,
      created_by: input.createdBy ?? null,
      created_at: now,
      updated_at: now,
      done_at: input.status === 'done' ? doneAt(input, now) : null,
    };
    await this.db('action_items').insert(row);
    return toActionItem(row);
  }

  async get(id: string): Promise<ActionItem | undefined> {
    const row = await this.db('action_items').where({ id }).first();
    return row ? toActionItem(row) : undefined;
  }

  async update(id: string, changes: ActionItemChanges): Promise<ActionItem> {
    const row: Record<string, unknown> = { updated_at: new Date() };
    if (changes.description !== undefined)
      row.description = changes.description;
    if (changes.owner !== undefined) row.owner = changes.owner;
    if (changes.dueDate !== undefined) row.due_date = changes.dueDate;
    if (changes.status !== undefined) {
      row.status = changes.status;
      // When it was done is what recurrence is measured from: kept while it
      // stays done, cleared when it is reopened.
      row.done_at =
        changes.status === 'done'
          ? this.db.raw(
              "case when status = 'done' and done_at is not null then done_at else ? end",
              [row.updated_at as Date],
            )
          : null;
    }
    if (changes.category !== undefined) row.category = changes.category;
    if (changes.externalUrl !== undefined)
      row.external_url = changes.externalUrl;
    if (changes.accepted !== undefined) row.accepted = changes.accepted;
    await this.db('action_items').where({ id }).update(row);
    return (await this.get(id))!;
  }

  async delete(id: string): Promise<void> {
    await this.db('action_items').where({ id }).delete();
  }

  async listForPostmortem(postmortemId: string): Promise<ActionItem[]> {
    const rows = await this.db('action_items')
      .where({ postmortem_id: postmortemId })
      .orderBy('created_at', 'asc')
      .orderBy('id');
    return rows.map(toActionItem);
  }

  /** The items of several post-mortems in one query, by post-mortem id. */
  async listForPostmortems(
    postmortemIds: string[],
  ): Promise<Map<string, ActionItem[]>> {
    const result = new Map<string, ActionItem[]>(
      postmortemIds.map(id => [id, []]),
    );
    if (postmortemIds.length === 0) return result;
    const rows = await this.db('action_items')
      .whereIn('postmortem_id', postmortemIds)
      .orderBy('created_at', 'asc')
      .orderBy('id');
    for (const row of rows)
      result.get(row.postmortem_id)?.push(toActionItem(row));
    return result;
  }

  /**
   * A page of action items matching the filter, of post-mortems the scope
   * lets the caller read (all when no scope is given).
   */
  async list(
    filter: ActionItemFilter,
    scope?: ReadableScope,
  ): Promise<{ data: ActionItem[]; total: number }> {
    const query = this.db('action_items');
    // A caller who may read everything needs no join: without it the
    // database counts and pages the items from their own indexes.
    if (scope && !(scope.published === true && scope.drafts === true)) {
      const readable = this.db('postmortems').select('postmortems.id');
      whereReadable(this.db, readable, scope);
      query.whereIn('postmortem_id', readable);
    }
    if (filter.owner?.length) {
      query.whereIn('owner', filter.owner);
    }
    if (filter.status?.length) {
      query.whereIn('status', filter.status);
    }
    if (filter.overdueOn) {
      query
        .whereNot('status', 'done')
        .whereNotNull('due_date')
        .where('due_date', '<', filter.overdueOn);
    }
    if (filter.entityRef) {
      query.whereIn(
        'incident_id',
        this.db('incident_services')
          .select('incident_id')
          .where('entity_ref', filter.entityRef),
      );
    }
    if (filter.postmortemIds) {
      query.whereIn('postmortem_id', filter.postmortemIds);
    }
    const [{ count }] = await query.clone().count({ count: '*' });
    const rows = await query
      .orderByRaw('due_date is null')
      .orderBy('due_date', 'asc')
      .orderBy('created_at', 'asc')
      .orderBy('id')
      .offset(filter.offset)
      .limit(filter.limit);
    return { data: rows.map(toActionItem), total: toCount(count) };
  }
}

/** When a done item was done: as imported, or now. */
function doneAt(input: NewActionItem, now: Date): Date {
  return input.doneAt ? new Date(input.doneAt) : now;
}

export function toActionItem(row: any): ActionItem {
  return {
    id: row.id,
    postmortem_id: row.postmortem_id,
    incident_id: row.incident_id,
    description: row.description,
    title: row.description,
    owner: row.owner ?? null,
    due_date: row.due_date ?? null,
    status: row.status,
    category: row.category ?? null,
    external_url: row.external_url ?? null,
    tracker: row.tracker ?? null,
    external_key: row.external_key ?? null,
    source: row.source,
    accepted: toBool(row.accepted),
    created_by: row.created_by ?? null,
    created_at: toIsoRequired(row.created_at),
    updated_at: toIsoRequired(row.updated_at),
  };
}
