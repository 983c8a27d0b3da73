import { Knex } from 'knex';
import { ActionItemStatus } from '@postmortems-oss/backstage-plugin-postmortems-common';
import { IssueState } from '@postmortems-oss/backstage-plugin-postmortems-node';

/** An action item as the sync sees it. */
export interface TrackedItem {
  id: string;
  status: ActionItemStatus;
  tracker: string;
  external_key: string;
  /** The issue state last seen in the tracker (null before the first reading). */
  external_state: IssueState | null;
}

const COLUMNS = ['id', 'status', 'tracker', 'external_key', 'external_state'];

/**
 * The tracker columns of action items: which issue an item has, and what the
 * tracker said about it last.
 */
export class TrackedItemStore {
  constructor(private readonly db: Knex) {}

  /**
   * Reserves the item for an issue in `tracker`, so that two requests at once
   * do not open two issues. Fails (false) when the item has an issue, or
   * another request reserved it less than `staleAfterMs` ago (a reservation
   * older than that belongs to a request that died).
   */
  async claim(
    itemId: string,
    tracker: string,
    now: Date,
    staleAfterMs: number,
  ) {
    const stale = new Date(now.getTime() - staleAfterMs);
    const updated = await this.db('action_items')
      .where({ id: itemId })
      .whereNull('external_key')
      .where(q =>
        q.whereNull('tracker').orWhere('external_synced_at', '<', stale),
      )
      .update({ tracker, external_synced_at: now });
    return updated === 1;
  }

  /** Undoes a claim whose issue could not be created. */
  async release(itemId: string, tracker: string) {
    await this.db('action_items')
      .where({ id: itemId, tracker })
      .whereNull('external_key')
      .update({ tracker: null, external_synced_at: null });
  }

  async link(
    itemId: string,
    issue: { tracker: string; key: string; url: string; state: IssueState },
    now: Date,
  ) {
    await this.db('action_items').where({ id: itemId }).update({
      tracker: issue.tracker,
      external_key: issue.key,
      external_url: issue.url,
      external_state: issue.state,
      external_synced_at: now,
      updated_at: now,
    });
  }

  async get(itemId: string): Promise<TrackedItem | undefined> {
    const row = await this.db('action_items')
      .where({ id: itemId })
      .whereNotNull('external_key')
      .first(COLUMNS);
    return row;
  }

  /** Every item with an issue in `tracker`. */
  async linked(tracker: string): Promise<TrackedItem[]> {
    return this.db('action_items')
      .where({ tracker })
      .whereNotNull('external_key')
      .orderBy('id')
      .select(COLUMNS);
  }

  async byKey(tracker: string, key: string): Promise<TrackedItem[]> {
    return this.db('action_items')
      .where({ tracker, external_key: key })
      .select(COLUMNS);
  }

  /**
   * Records a reading of the issue and, with `status`, moves the item to it,
   * but only if the item still has the status the decision was based on: a
   * user's change in between wins, and the next sync looks again.
   */
  async record(
    item: TrackedItem,
    reading: { state: IssueState; status?: ActionItemStatus },
    now: Date,
  ): Promise<boolean> {
    const changes: Record<string, unknown> = {
      external_state: reading.state,
      external_synced_at: now,
    };
    if (reading.status && reading.status !== item.status) {
      changes.status = reading.status;
      changes.updated_at = now;
      changes.done_at = reading.status === 'done' ? now : null;
    }
    const updated = await this.db('action_items')
      .where({ id: item.id, status: item.status })
      .update(changes);
    return updated === 1;
  }
}
