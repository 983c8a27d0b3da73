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
import { AlertStore } from './AlertStore';
import { evidenceChanged } from './evidenceVersion';
import { parseJson, toCount, toDbTime, toIso, toIsoRequired } from './rows';
import { TimelineStore } from './TimelineStore';

export type { IncidentChanges, NewAlert, NewIncident, NewTimelineEntry };

export interface IncidentFilter {
  status?: IncidentStatus[];
  severity?: IncidentSeverity[];
  createdAfter?: string;
  createdBefore?: string;
  entityRef?: string;
  /** With false, only incidents nobody has started a post-mortem for. */
  hasPostmortem?: boolean;
  offset: number;
  limit: number;
}

/**
 * Incidents with their affected services, over Knex. Their timelines and
 * alerts are kept by TimelineStore and AlertStore over the same connection
 * (or transaction); the methods below that hand over to them make this store
 * the one an upstream mirrors incidents into (IncidentMirrorStore).
 */
export class IncidentStore {
  readonly timeline: TimelineStore;
  readonly alerts: AlertStore;

  constructor(private readonly db: Knex | Knex.Transaction) {
    this.timeline = new TimelineStore(db);
    this.alerts = new AlertStore(db);
  }

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
    // One statement: the incident with its services gathered alongside.
    const row = await this.db('incidents')
      .select('incidents.*', servicesJsonColumn(this.db))
      .where(incidentRefCondition(idOrNumber))
      .first();
    if (!row) {
      return undefined;
    }
    return toIncident(row, parseJson<string[]>(row.services_json, []));
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
    if (filter.hasPostmortem !== undefined) {
      const written = this.db('postmortems')
        .select('postmortems.id')
        .whereRaw('postmortems.incident_id = incidents.id');
      if (filter.hasPostmortem) query.whereExists(written);
      else query.whereNotExists(written);
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
    const row: Record<string, unknown> = {
      updated_at: new Date(),
      // Titles, times and the commander are evidence too.
      evidence_version: this.db.raw('evidence_version + 1'),
    };
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

  /** Whether an incident already has this number. */
  async numberTaken(number: number): Promise<boolean> {
    return !!(await this.db('incidents').where({ number }).first('id'));
  }

  addTimelineEntries(
    incidentId: string,
    entries: NewTimelineEntry[],
  ): Promise<TimelineEntry[]> {
    return this.timeline.addTimelineEntries(incidentId, entries);
  }

  addUpstreamTimelineEntries(
    incidentId: string,
    entries: Array<NewTimelineEntry & { externalId: string }>,
  ): Promise<number> {
    return this.timeline.addUpstreamTimelineEntries(incidentId, entries);
  }

  timelineEntryByExternalId(
    incidentId: string,
    externalId: string,
  ): Promise<TimelineEntry | undefined> {
    return this.timeline.timelineEntryByExternalId(incidentId, externalId);
  }

  listTimeline(
    incidentId: string,
    page: { offset: number; limit: number },
  ): Promise<{ data: TimelineEntry[]; total: number }> {
    return this.timeline.listTimeline(incidentId, page);
  }

  fullTimeline(incidentId: string): Promise<TimelineEntry[]> {
    return this.timeline.fullTimeline(incidentId);
  }

  createAlert(input: NewAlert): Promise<Alert> {
    return this.alerts.createAlert(input);
  }

  findAlertByExternalId(
    source: string,
    externalId: string,
  ): Promise<Alert | undefined> {
    return this.alerts.findAlertByExternalId(source, externalId);
  }

  updateAlert(id: string, input: NewAlert): Promise<void> {
    return this.alerts.updateAlert(id, input);
  }

  linkAlert(incidentId: string, alertId: string): Promise<void> {
    return this.alerts.linkAlert(incidentId, alertId);
  }

  getAlert(id: string): Promise<Alert | undefined> {
    return this.alerts.getAlert(id);
  }

  listAlerts(page: {
    offset: number;
    limit: number;
  }): Promise<{ data: Alert[]; total: number }> {
    return this.alerts.listAlerts(page);
  }

  alertsOfIncident(incidentId: string): Promise<Alert[]> {
    return this.alerts.alertsOfIncident(incidentId);
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
    await evidenceChanged(this.db, id);
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

/**
 * The `where` of an incident named by id, number or `INC-<number>`: one
 * condition, so that resolving a reference never takes a query per form.
 */
export function incidentRefCondition(idOrNumber: string) {
  const numberMatch = /^(?:INC-)?(\d{1,9})$/i.exec(idOrNumber);
  return numberMatch
    ? { 'incidents.number': Number(numberMatch[1]) }
    : { 'incidents.id': idOrNumber };
}

/**
 * The incident's services as a JSON array (`services_json`), ordered by
 * ref as servicesOf orders them, computed in the incident's own query.
 */
export function servicesJsonColumn(db: Knex | Knex.Transaction) {
  return db.client.dialect === 'postgresql'
    ? db.raw(
        `coalesce((select json_agg(entity_ref order by entity_ref) from incident_services where incident_id = incidents.id), '[]') as services_json`,
      )
    : db.raw(
        `(select json_group_array(entity_ref) from (select entity_ref from incident_services where incident_id = incidents.id order by entity_ref)) as services_json`,
      );
}

export function toIncident(row: any, services: string[]): Incident {
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
