import { randomUUID } from 'node:crypto';
import { Knex } from 'knex';
import { ACTION_ITEM_STATUSES } from '@postmortems-oss/backstage-plugin-postmortems-common';

/** What a reminder is about; see the reminders migration. */
export type ReminderKind = 'assigned' | 'due_soon' | 'overdue';

/** Statuses of items that still need doing. */
const OPEN_STATUSES = ACTION_ITEM_STATUSES.filter(s => s !== 'done');

/** An action item that may get a reminder, with what the reminder says. */
export interface ReminderCandidate {
  itemId: string;
  description: string;
  owner: string;
  dueDate: string | null;
  incidentReference: string;
  incidentTitle: string;
}

export interface ReminderClaim {
  itemId: string;
  kind: ReminderKind;
  /** The owner for `assigned`, the due date for `due_soon` and `overdue`. */
  key: string;
  recipient: string;
}

/** A page of items whose due date is in [from, before), oldest due first. */
export interface DuePageQuery {
  kind: 'due_soon' | 'overdue';
  /** Inclusive lower bound (YYYY-MM-DD); none for overdue items. */
  from?: string;
  /** Exclusive upper bound (YYYY-MM-DD). */
  before: string;
  /** The last item of the previous page (keyset paging). */
  after?: { dueDate: string; itemId: string };
  limit: number;
}

/**
 * The reminders sent about action items, and the queries that find the items
 * still owed one.
 */
export class ReminderStore {
  constructor(private readonly db: Knex) {}

  /**
   * Claims a reminder: inserts its row unless one with the same item, kind
   * and key exists. Returns the claim id when this caller's row went in, and
   * undefined when someone (another replica, an earlier run) has it already.
   * The insert ignores conflicts and the winner is read back by id, which
   * behaves the same on SQLite and PostgreSQL without parsing driver errors.
   */
  async claim(reminder: ReminderClaim, now: Date): Promise<string | undefined> {
    const id = randomUUID();
    const key = {
      action_item_id: reminder.itemId,
      kind: reminder.kind,
      reminder_key: reminder.key,
    };
    await this.db('action_item_reminders')
      .insert({ id, ...key, recipient: reminder.recipient, sent_at: now })
      .onConflict(['action_item_id', 'kind', 'reminder_key'])
      .ignore();
    const winner = await this.db('action_item_reminders')
      .where(key)
      .first('id');
    return winner?.id === id ? id : undefined;
  }

  /** Gives a claim up (its notification was not sent) so a later run retries. */
  async release(claimId: string): Promise<void> {
    await this.db('action_item_reminders').where({ id: claimId }).delete();
  }

  /** The item as a reminder candidate, when it is open, accepted and owned. */
  async candidate(itemId: string): Promise<ReminderCandidate | undefined> {
    const row = await this.candidates().where('a.id', itemId).first();
    return row ? toCandidate(row) : undefined;
  }

  /**
   * Open, accepted, owned items due in the given range that have no reminder
   * of this kind for their current due date. Served by the (status,
   * due_date) index of action_items and the unique index of the reminders;
   * callers page with `after` instead of loading every item.
   */
  async pageDue(query: DuePageQuery): Promise<ReminderCandidate[]> {
    const q = this.candidates()
      .whereNotNull('a.due_date')
      .where('a.due_date', '<', query.before)
      .whereNotExists(
        this.db('action_item_reminders as r')
          .select(this.db.raw('1'))
          .whereRaw('r.action_item_id = a.id')
          .where('r.kind', query.kind)
          .whereRaw('r.reminder_key = a.due_date'),
      )
      .orderBy('a.due_date', 'asc')
      .orderBy('a.id', 'asc')
      .limit(query.limit);
    if (query.from) {
      q.where('a.due_date', '>=', query.from);
    }
    const after = query.after;
    if (after) {
      q.where(page =>
        page
          .where('a.due_date', '>', after.dueDate)
          .orWhere(same =>
            same
              .where('a.due_date', after.dueDate)
              .where('a.id', '>', after.itemId),
          ),
      );
    }
    return (await q).map(toCandidate);
  }

  /** Items that are real (accepted), still open and have someone to remind. */
  private candidates() {
    return this.db('action_items as a')
      .join('incidents as i', 'i.id', 'a.incident_id')
      .whereIn('a.status', OPEN_STATUSES)
      .where('a.accepted', true)
      .whereNotNull('a.owner')
      .select(
        'a.id',
        'a.description',
        'a.owner',
        'a.due_date',
        'i.number',
        'i.title',
      );
  }
}

function toCandidate(row: any): ReminderCandidate {
  return {
    itemId: row.id,
    description: row.description,
    owner: row.owner,
    dueDate: row.due_date ?? null,
    incidentReference: `INC-${row.number}`,
    incidentTitle: row.title,
  };
}
