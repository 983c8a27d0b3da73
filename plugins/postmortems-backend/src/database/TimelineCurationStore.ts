import { Knex } from 'knex';
import {
  TimelineEntry,
  TimelineKeyMoment,
} from '@postmortems-oss/backstage-plugin-postmortems-common';
import { StoredCuration } from '../services/timelineNoise';
import { evidenceChanged } from './evidenceVersion';
import { toBool, toIsoRequired } from './rows';
import { toTimelineEntry } from './TimelineStore';

/** A change to one entry's curation; absent fields stay as they are. */
export interface CurationChange {
  hidden?: boolean;
  pinned?: boolean;
  keyMoment?: TimelineKeyMoment | null;
}

/** A marked key moment with the time of its entry. */
export interface MarkedMoment {
  keyMoment: TimelineKeyMoment;
  entryId: string;
  at: string;
}

/**
 * Authors' curation of incidents' timelines (`timeline_curation`), keyed by
 * incident and entry. The timeline entries themselves are never changed.
 */
export class TimelineCurationStore {
  constructor(private readonly db: Knex) {}

  /** The incident's curation rows by entry id. */
  async curationOf(incidentId: string): Promise<Map<string, StoredCuration>> {
    const rows = await this.db('timeline_curation').where({
      incident_id: incidentId,
    });
    return curationByEntry(rows);
  }

  /** The incident's marked key moments, with the times of their entries. */
  async keyMomentsOf(incidentId: string): Promise<MarkedMoment[]> {
    const rows = await this.db('timeline_curation as c')
      .join('timeline_entries as e', 'e.id', 'c.entry_id')
      .where('c.incident_id', incidentId)
      .whereNotNull('c.key_moment')
      .select('c.key_moment', 'c.entry_id', 'e.timestamp');
    return rows.map(row => ({
      keyMoment: row.key_moment,
      entryId: row.entry_id,
      at: toIsoRequired(row.timestamp),
    }));
  }

  /** The entry, if it is on the incident's timeline. */
  async entryOf(
    incidentId: string,
    entryId: string,
  ): Promise<TimelineEntry | undefined> {
    const row = await this.db('timeline_entries')
      .where({ incident_id: incidentId, id: entryId })
      .first();
    return row ? toTimelineEntry(row) : undefined;
  }

  /**
   * Applies a change to one entry's curation. A key moment marked here is
   * taken from the entry that had it, in the same transaction.
   */
  async change(
    incidentId: string,
    entryId: string,
    change: CurationChange,
    actor: string,
  ): Promise<StoredCuration> {
    return this.db.transaction(async tx => {
      const current = await tx('timeline_curation')
        .where({ incident_id: incidentId, entry_id: entryId })
        .first();
      const storedHidden =
        current && current.hidden !== null && current.hidden !== undefined
          ? toBool(current.hidden)
          : null;
      const next = {
        hidden: change.hidden ?? storedHidden,
        pinned: change.pinned ?? toBool(current?.pinned ?? false),
        key_moment:
          change.keyMoment !== undefined
            ? change.keyMoment
            : current?.key_moment ?? null,
      };
      if (next.key_moment) {
        await tx('timeline_curation')
          .where({ incident_id: incidentId, key_moment: next.key_moment })
          .whereNot({ entry_id: entryId })
          .update({ key_moment: null });
      }
      const row = {
        incident_id: incidentId,
        entry_id: entryId,
        ...next,
        updated_by: actor,
        updated_at: new Date(),
      };
      await tx('timeline_curation')
        .insert(row)
        .onConflict(['incident_id', 'entry_id'])
        .merge(['hidden', 'pinned', 'key_moment', 'updated_by', 'updated_at']);
      await evidenceChanged(tx, incidentId);
      return {
        hidden: next.hidden,
        pinned: next.pinned,
        keyMoment: next.key_moment as TimelineKeyMoment | null,
      };
    });
  }
}

/** Curation rows by entry id, as the stores read them. */
export function curationByEntry(rows: any[]): Map<string, StoredCuration> {
  return new Map(
    rows.map(row => [
      row.entry_id as string,
      {
        hidden:
          row.hidden === null || row.hidden === undefined
            ? null
            : toBool(row.hidden),
        pinned: toBool(row.pinned),
        keyMoment: (row.key_moment ?? null) as TimelineKeyMoment | null,
      },
    ]),
  );
}
