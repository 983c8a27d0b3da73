import { randomUUID } from 'node:crypto';
import { Knex } from 'knex';
import { TimelineEntry } from '@postmortems-oss/backstage-plugin-postmortems-common';
import { NewTimelineEntry } from '@postmortems-oss/backstage-plugin-postmortems-node';
import { evidenceChanged } from './evidenceVersion';
import { parseJson, toCount, toDbTime, toIsoRequired } from './rows';

/**
 * Incidents' timelines, over Knex. Entries can be added but never changed or
 * removed.
 */
export class TimelineStore {
  constructor(private readonly db: Knex | Knex.Transaction) {}

  async addTimelineEntries(
    incidentId: string,
    entries: NewTimelineEntry[],
  ): Promise<TimelineEntry[]> {
    if (entries.length === 0) {
      return [];
    }
    const now = new Date();
    const rows = entries.map(entry => timelineRow(incidentId, entry, now));
    // Batches keep large imports under SQLite's bound-parameter limit.
    for (let i = 0; i < rows.length; i += 100) {
      await this.db('timeline_entries').insert(rows.slice(i, i + 100));
    }
    await evidenceChanged(this.db, incidentId);
    return rows.map(toTimelineEntry);
  }

  /**
   * Adds the upstream's entries this incident does not have yet (by their
   * upstream id) and returns how many were new. Safe to run twice at once:
   * the unique (incident, external id) index drops the second copy.
   */
  async addUpstreamTimelineEntries(
    incidentId: string,
    entries: Array<NewTimelineEntry & { externalId: string }>,
  ): Promise<number> {
    const known = new Set<string>();
    const ids = entries.map(e => e.externalId);
    for (let i = 0; i < ids.length; i += 500) {
      const rows = await this.db('timeline_entries')
        .where({ incident_id: incidentId })
        .whereIn('external_id', ids.slice(i, i + 500))
        .select('external_id');
      rows.forEach(r => known.add(r.external_id));
    }
    const fresh = entries
      .filter(e => !known.has(e.externalId))
      .filter(
        (e, i, all) => all.findIndex(o => o.externalId === e.externalId) === i,
      )
      .sort((a, b) => Date.parse(a.timestamp) - Date.parse(b.timestamp));
    const now = new Date();
    for (let i = 0; i < fresh.length; i += 100) {
      await this.db('timeline_entries')
        .insert(
          fresh
            .slice(i, i + 100)
            .map(entry => timelineRow(incidentId, entry, now)),
        )
        .onConflict(['incident_id', 'external_id'])
        .ignore();
    }
    if (fresh.length) await evidenceChanged(this.db, incidentId);
    return fresh.length;
  }

  async timelineEntryByExternalId(
    incidentId: string,
    externalId: string,
  ): Promise<TimelineEntry | undefined> {
    const row = await this.db('timeline_entries')
      .where({ incident_id: incidentId, external_id: externalId })
      .first();
    return row ? toTimelineEntry(row) : undefined;
  }

  /** A page of an incident's timeline, oldest first. */
  async listTimeline(
    incidentId: string,
    page: { offset: number; limit: number },
  ): Promise<{ data: TimelineEntry[]; total: number }> {
    const query = this.db('timeline_entries').where({
      incident_id: incidentId,
    });
    const [{ count }] = await query.clone().count({ count: '*' });
    // The page's entries are found in the (incident, timestamp, seq) index
    // alone and only they are read: a deep page of a long timeline would
    // otherwise read and sort every entry before it.
    const pageSeqs = query
      .clone()
      .select('seq')
      .orderBy('timestamp', 'asc')
      .orderBy('seq', 'asc')
      .offset(page.offset)
      .limit(page.limit);
    const rows = await this.db('timeline_entries')
      .whereIn('seq', pageSeqs)
      .orderBy('timestamp', 'asc')
      .orderBy('seq', 'asc');
    return { data: rows.map(toTimelineEntry), total: toCount(count) };
  }

  /** The whole timeline, oldest first (exports and generation). */
  async fullTimeline(incidentId: string): Promise<TimelineEntry[]> {
    const rows = await this.db('timeline_entries')
      .where({ incident_id: incidentId })
      .orderBy('timestamp', 'asc')
      .orderBy('seq', 'asc');
    return rows.map(toTimelineEntry);
  }
}

function timelineRow(incidentId: string, entry: NewTimelineEntry, now: Date) {
  return {
    id: randomUUID(),
    incident_id: incidentId,
    type: entry.type,
    actor: entry.actor ?? null,
    timestamp: toDbTime(entry.timestamp),
    content: JSON.stringify(entry.content),
    external_id: entry.externalId ?? null,
    created_at: now,
  };
}

/** A timeline entry from its row. */
export function toTimelineEntry(row: any): TimelineEntry {
  return {
    id: row.id,
    incident_id: row.incident_id,
    type: row.type,
    actor: row.actor ?? null,
    timestamp: toIsoRequired(row.timestamp),
    content: parseJson<Record<string, unknown>>(row.content, {}),
    created_at: toIsoRequired(row.created_at),
  };
}
