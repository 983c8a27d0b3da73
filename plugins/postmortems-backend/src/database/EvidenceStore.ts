import { Knex } from 'knex';
import {
  Alert,
  TimelineEntry,
} from '@postmortems-oss/backstage-plugin-postmortems-common';
import { StoredCuration } from '../services/timelineNoise';
import { toAlert } from './AlertStore';
import { rowsPrepared } from './prepared';
import { jsonRowsColumn, parseJson } from './rows';
import { curationByEntry } from './TimelineCurationStore';
import { toTimelineEntry } from './TimelineStore';

/** What an incident's evidence is assembled from. */
export interface StoredEvidence {
  timeline: TimelineEntry[];
  alerts: Alert[];
  curation: Map<string, StoredCuration>;
}

/**
 * Reads the stored evidence of an incident (its whole timeline, its alerts
 * and the authors' curation) in one statement: the incident's row with each
 * as a JSON column. A save whose evidence is not kept in memory reads it
 * here, one round trip instead of three held connections.
 */
export class EvidenceStore {
  constructor(private readonly db: Knex) {}

  async read(incidentId: string): Promise<StoredEvidence> {
    const query = this.db('incidents')
      .select(
        jsonRowsColumn(this.db, {
          from: 'timeline_entries',
          columns: [
            'id',
            'incident_id',
            'type',
            'actor',
            'timestamp',
            'content',
            'created_at',
            'seq',
          ],
          joinOn: 'incident_id = incidents.id',
          orderBy: ['timestamp', 'seq'],
          as: 'timeline_json',
        }),
        jsonRowsColumn(this.db, {
          from: `(select alerts.*, incident_alerts.incident_id as linked_incident_id from alerts join incident_alerts on incident_alerts.alert_id = alerts.id) linked`,
          columns: [
            'id',
            'source',
            'external_id',
            'severity',
            'status',
            'title',
            'description',
            'labels',
            'fired_at',
            'acknowledged_at',
            'resolved_at',
            'created_at',
          ],
          joinOn: 'linked_incident_id = incidents.id',
          orderBy: ['fired_at', 'id'],
          as: 'alerts_json',
        }),
        jsonRowsColumn(this.db, {
          from: 'timeline_curation',
          columns: ['entry_id', 'hidden', 'pinned', 'key_moment'],
          joinOn: 'incident_id = incidents.id',
          orderBy: ['entry_id'],
          as: 'curation_json',
        }),
      )
      .where({ id: incidentId })
      .limit(1);
    const [row] = await rowsPrepared(this.db, query);
    return {
      timeline: parseJson<unknown[]>(row?.timeline_json, []).map(
        toTimelineEntry,
      ),
      alerts: parseJson<unknown[]>(row?.alerts_json, []).map(toAlert),
      curation: curationByEntry(parseJson<any[]>(row?.curation_json, [])),
    };
  }
}
