import { randomUUID } from 'node:crypto';
import { Knex } from 'knex';
import {
  Alert,
  ChatThreadRef,
  Incident,
  IncidentSeverity,
  IncidentStatus,
  TimelineEntry,
} from '@postmortems-oss/backstage-plugin-postmortems-common';
import {
  IncidentChanges,
  NewAlert,
  NewIncident,
  NewTimelineEntry,
} from '@postmortems-oss/backstage-plugin-postmortems-node';
import { parseJson, toCount, toDbTime, toIso, toIsoRequired } from './rows';

export type { IncidentChanges, NewAlert, NewIncident, NewTimelineEntry };

export interface IncidentFilter {
  status?: IncidentStatus[];
  severity?: IncidentSeverity[];
  createdAfter?: string;
  createdBefore?: string;
  entityRef?: string;
  offset: number;
  limit: number;
}

/**
 * Incidents with their affected services, timelines and alerts, over Knex.
 * Timeline entries can be added but never changed or removed.
 */
export class IncidentStore {
  constructor(private readonly db: Knex | Knex.Transaction) {}

  /** The same store, working inside the given transaction. */
  withTransaction(tx: Knex.Transaction): IncidentStore {
    return new IncidentStore(tx);
  }

  async create(input: NewIncident): Promise<Incident> {
    const id = randomUUID();
    const now = new Date();
    const number = input.number ?? (await this.nextNumber());
    await this.db('incidents').insert({
      id,
      number,
      title: input.title,
      description: input.description ?? null,
      severity: input.severity,
      status: input.status,
      summary: input.summary ?? null,
      commander: input.commander ?? null,
      chat: input.chat ? JSON.stringify(input.chat) : null,
      source: input.source ?? 'local',
      external_id: input.externalId ?? null,
      triggered_at: toDbTime(input.triggeredAt),
      acknowledged_at: toDbTime(input.acknowledgedAt),
      resolved_at: toDbTime(input.resolvedAt),
      canceled_at: toDbTime(input.canceledAt),
      created_by: input.createdBy ?? null,
      created_at: now,
      updated_at: now,
    });
    await this.replaceServices(id, input.services ?? []);
    return (await this.get(id))!;
  }

  /** Finds an incident by id, by number (`42`) or by reference (`INC-42`). */
  async get(idOrNumber: string): Promise<Incident | undefined> {
    const numberMatch = /^(?:INC-)?(\d{1,9})$/i.exec(idOrNumber);
    const row = await this.db('incidents')
      .where(
        numberMatch ? { number: Number(numberMatch[1]) } : { id: idOrNumber },
      )
      .first();
    if (!row) {
      return undefined;
    }
    const services = await this.servicesOf([row.id]);
    return toIncident(row, services.get(row.id) ?? []);
  }

  /** Several incidents by id, in one query. */
  async getMany(ids: string[]): Promise<Incident[]> {
    if (ids.length === 0) return [];
    const rows = await this.db('incidents').whereIn('id', ids);
    const services = await this.servicesOf(rows.map(r => r.id));
    return rows.map(r => toIncident(r, services.get(r.id) ?? []));
  }

  async findByExternalId(
    source: string,
    externalId: string,
  ): Promise<Incident | undefined> {
    const row = await this.db('incidents')
      .where({ source, external_id: externalId })
      .first('id');
    return row ? this.get(row.id) : undefined;
  }

  async list(
    filter: IncidentFilter,
  ): Promise<{ data: Incident[]; total: number }> {
    const query = this.db('incidents');
    if (filter.status?.length) {
      query.whereIn('status', filter.status);
    }
    if (filter.severity?.length) {
      query.whereIn('severity', filter.severity);
    }
    if (filter.createdAfter) {
      query.where('triggered_at', '>=', toDbTime(filter.createdAfter)!);
    }
    if (filter.createdBefore) {
      query.where('triggered_at', '<', toDbTime(filter.createdBefore)!);
    }
    if (filter.entityRef) {
      query.whereIn(
        'id',
        this.db('incident_services')
          .select('incident_id')
          .where('entity_ref', filter.entityRef),
      );
    }
    const [{ count }] = await query.clone().count({ count: '*' });
    const rows = await query
      .orderBy('triggered_at', 'desc')
      .orderBy('number', 'desc')
      .offset(filter.offset)
      .limit(filter.limit);
    const services = await this.servicesOf(rows.map(r => r.id));
    return {
      data: rows.map(r => toIncident(r, services.get(r.id) ?? [])),
      total: toCount(count),
    };
  }

  async update(id: string, changes: IncidentChanges): Promise<Incident> {
    const row: Record<string, unknown> = { updated_at: new Date() };
    if (changes.title !== undefined) row.title = changes.title;
    if (changes.description !== undefined)
      row.description = changes.description;
    if (changes.severity !== undefined) row.severity = changes.severity;
    if (changes.status !== undefined) row.status = changes.status;
    if (changes.summary !== undefined) row.summary = changes.summary;
    if (changes.commander !== undefined) row.commander = changes.commander;
    if (changes.chat !== undefined)
      row.chat = changes.chat ? JSON.stringify(changes.chat) : null;
    if (changes.acknowledgedAt !== undefined)
      row.acknowledged_at = toDbTime(changes.acknowledgedAt);
    if (changes.resolvedAt !== undefined)
      row.resolved_at = toDbTime(changes.resolvedAt);
    if (changes.canceledAt !== undefined)
      row.canceled_at = toDbTime(changes.canceledAt);
    await this.db('incidents').where({ id }).update(row);
    if (changes.services !== undefined) {
      await this.replaceServices(id, changes.services);
    }
    return (await this.get(id))!;
  }

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

  /** Whether an incident already has this number. */
  async numberTaken(number: number): Promise<boolean> {
    return !!(await this.db('incidents').where({ number }).first('id'));
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

  async createAlert(input: NewAlert): Promise<Alert> {
    const row = {
      id: randomUUID(),
      source: input.source,
      external_id: input.externalId ?? null,
      ...alertColumns(input),
      created_at: new Date(),
    };
    await this.db('alerts').insert(row);
    return toAlert(row);
  }

  async findAlertByExternalId(
    source: string,
    externalId: string,
  ): Promise<Alert | undefined> {
    const row = await this.db('alerts')
      .where({ source, external_id: externalId })
      .first();
    return row ? toAlert(row) : undefined;
  }

  /** Brings a copied alert up to date with its upstream (status, times, labels). */
  async updateAlert(id: string, input: NewAlert): Promise<void> {
    await this.db('alerts').where({ id }).update(alertColumns(input));
  }

  async linkAlert(incidentId: string, alertId: string): Promise<void> {
    await this.db('incident_alerts')
      .insert({
        incident_id: incidentId,
        alert_id: alertId,
        linked_at: new Date(),
      })
      .onConflict(['incident_id', 'alert_id'])
      .ignore();
  }

  async getAlert(id: string): Promise<Alert | undefined> {
    const row = await this.db('alerts').where({ id }).first();
    return row ? toAlert(row) : undefined;
  }

  async listAlerts(page: {
    offset: number;
    limit: number;
  }): Promise<{ data: Alert[]; total: number }> {
    const [{ count }] = await this.db('alerts').count({ count: '*' });
    const rows = await this.db('alerts')
      .orderBy('fired_at', 'desc')
      .offset(page.offset)
      .limit(page.limit);
    return { data: rows.map(toAlert), total: toCount(count) };
  }

  async alertsOfIncident(incidentId: string): Promise<Alert[]> {
    const rows = await this.db('alerts')
      .join('incident_alerts', 'incident_alerts.alert_id', 'alerts.id')
      .where('incident_alerts.incident_id', incidentId)
      .orderBy('alerts.fired_at', 'asc')
      .select('alerts.*');
    return rows.map(toAlert);
  }

  private async nextNumber(): Promise<number> {
    const row = await this.db('incidents').max({ max: 'number' }).first();
    return toCount(row?.max) + 1;
  }

  private async replaceServices(id: string, services: string[]) {
    await this.db('incident_services').where({ incident_id: id }).delete();
    const unique = [...new Set(services)];
    if (unique.length) {
      await this.db('incident_services').insert(
        unique.map(entity_ref => ({ incident_id: id, entity_ref })),
      );
    }
  }

  private async servicesOf(ids: string[]): Promise<Map<string, string[]>> {
    const result = new Map<string, string[]>();
    if (ids.length === 0) {
      return result;
    }
    const rows = await this.db('incident_services')
      .whereIn('incident_id', ids)
      .orderBy('entity_ref');
    for (const row of rows) {
      result.set(row.incident_id, [
        ...(result.get(row.incident_id) ?? []),
        row.entity_ref,
      ]);
    }
    return result;
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

/** The alert columns its source may change over time. */
function alertColumns(input: NewAlert) {
  return {
    severity: input.severity,
    status: alertStatus(input),
    title: input.title,
    description: input.description ?? null,
    labels: JSON.stringify(input.labels ?? {}),
    fired_at: toDbTime(input.firedAt),
    acknowledged_at: toDbTime(input.acknowledgedAt),
    resolved_at: toDbTime(input.resolvedAt),
  };
}

function alertStatus(input: NewAlert): Alert['status'] {
  if (input.resolvedAt) return 'resolved';
  if (input.acknowledgedAt) return 'acknowledged';
  return 'firing';
}

function toIncident(row: any, services: string[]): Incident {
  return {
    id: row.id,
    number: toCount(row.number),
    reference: `INC-${row.number}`,
    title: row.title,
    description: row.description ?? null,
    severity: row.severity,
    status: row.status,
    summary: row.summary ?? null,
    commander: row.commander ?? null,
    services,
    chat: parseJson<ChatThreadRef | null>(row.chat, null),
    source: row.source,
    external_id: row.external_id ?? null,
    triggered_at: toIsoRequired(row.triggered_at),
    acknowledged_at: toIso(row.acknowledged_at),
    resolved_at: toIso(row.resolved_at),
    canceled_at: toIso(row.canceled_at),
    created_by: row.created_by ?? null,
    created_at: toIsoRequired(row.created_at),
    updated_at: toIsoRequired(row.updated_at),
  };
}

function toTimelineEntry(row: any): TimelineEntry {
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

function toAlert(row: any): Alert {
  return {
    id: row.id,
    source: row.source,
    external_id: row.external_id ?? null,
    severity: row.severity,
    status: row.status,
    title: row.title,
    description: row.description ?? null,
    labels: parseJson<Record<string, string>>(row.labels, {}),
    fired_at: toIsoRequired(row.fired_at),
    acknowledged_at: toIso(row.acknowledged_at),
    resolved_at: toIso(row.resolved_at),
    created_at: toIsoRequired(row.created_at),
  };
}
