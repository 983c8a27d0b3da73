import { ConflictError, NotFoundError } from '@backstage/errors';
import { Knex } from 'knex';
import {
  Figures,
  FiguresBreakdown,
  FiguresBreakdownBy,
  FiguresBreakdownRow,
  Incident,
  IncidentImportDocument,
  IncidentStatus,
  INCIDENT_TRANSITIONS,
  Page,
  TimelineEntry,
  Alert,
} from '@postmortems-oss/backstage-plugin-postmortems-common';
import {
  IncidentFilter,
  IncidentStore,
  NewTimelineEntry,
} from '../database/IncidentStore';
import {
  IncidentChange,
  IncidentCreateInput,
  IncidentPatchInput,
  IncidentUpstream,
} from '@postmortems-oss/backstage-plugin-postmortems-node';
import {
  FiguresGroupCounts,
  FiguresGrouping,
  FiguresStore,
} from '../database/FiguresStore';
import { DetailedConflictError } from './errors';
import { figureBuckets } from './figureBuckets';
import { ServiceOwnersLookup } from './serviceOwners';

/**
 * At most this many services of a period have their owners asked of the
 * catalog for the figures by team (those with the most incidents); the
 * incidents of the others count as having no known team.
 */
export const MAX_TEAM_SERVICES = 2000;

export type {
  IncidentChange,
  IncidentCreateInput,
  IncidentPatchInput,
  IncidentUpstream,
};

/** Incident rules: the status machine and the timeline entries each change leaves. */
export class IncidentService {
  private readonly resolvedListeners: Array<
    (incident: Incident) => Promise<void>
  > = [];
  private readonly changeListeners: Array<
    (incident: Incident, change: IncidentChange) => Promise<void>
  > = [];
  private upstream?: IncidentUpstream;

  constructor(
    private readonly db: Knex,
    private readonly store: IncidentStore,
    private readonly figuresStore: FiguresStore = new FiguresStore(db),
    /** Owners and titles from the catalog; without it, no teams nor titles. */
    private readonly serviceOwners?: ServiceOwnersLookup,
  ) {}

  /** Runs after an incident becomes resolved (outside its transaction). */
  onResolved(listener: (incident: Incident) => Promise<void>): void {
    this.resolvedListeners.push(listener);
  }

  /** Runs after an incident is created or changed, wherever the change came from. */
  onChanged(
    listener: (incident: Incident, change: IncidentChange) => Promise<void>,
  ): void {
    this.changeListeners.push(listener);
  }

  /** Sends the writes of the incidents the upstream owns to it. */
  useUpstream(upstream: IncidentUpstream): void {
    this.upstream = upstream;
  }

  /**
   * Tells the listeners about a change that has been committed: locally, or
   * copied from the upstream. A failing listener (auto-draft, catalog event)
   * must not fail the change itself. Resolved listeners run only for a seen
   * transition: importing or first copying an old resolved incident must not
   * queue drafts for years of history.
   */
  async announce(
    incident: Incident,
    change: IncidentChange,
    previousStatus?: IncidentStatus,
  ): Promise<void> {
    for (const listener of this.changeListeners) {
      await listener(incident, change).catch(() => undefined);
    }
    if (
      incident.status === 'resolved' &&
      previousStatus !== undefined &&
      previousStatus !== 'resolved'
    ) {
      for (const listener of this.resolvedListeners) {
        await listener(incident).catch(() => undefined);
      }
    }
  }

  /**
   * Brings an upstream-owned incident up to date before it is used (e.g. for
   * a draft); local incidents are returned as they are.
   */
  async refresh(idOrNumber: string): Promise<Incident> {
    const incident = await this.get(idOrNumber);
    if (!this.upstream?.owns(incident)) return incident;
    return this.upstream.refresh(incident);
  }

  async get(idOrNumber: string): Promise<Incident> {
    const incident = await this.store.get(idOrNumber);
    if (!incident) {
      throw new NotFoundError(`No incident ${idOrNumber}`);
    }
    return incident;
  }

  list(filter: IncidentFilter) {
    return this.store.list(filter);
  }

  /**
   * Incidents, post-mortems published and action items of a period, with the
   * incidents in slices of `bucketDays` counted back from `to`.
   */
  async figures(range: {
    from: string;
    to: string;
    bucketDays: number;
  }): Promise<Figures> {
    const from = new Date(range.from);
    const to = new Date(range.to);
    const buckets = figureBuckets(from, to, range.bucketDays);
    const counts = await this.figuresStore.counts({ from, to }, buckets);
    return {
      from: from.toISOString(),
      to: to.toISOString(),
      incidents: counts.incidents,
      by_severity: counts.bySeverity,
      resolved: counts.resolved,
      mttr_ms: counts.mttrMs,
      mttd_ms: counts.mttdMs,
      mtta_ms: counts.mttaMs,
      published: counts.published,
      action_items_done: counts.actionItemsDone,
      action_items_open: counts.actionItemsOpen,
      buckets: buckets.map((bucket, i) => ({
        start: bucket.start.toISOString(),
        end: bucket.end.toISOString(),
        count: counts.bucketCounts[i],
      })),
    };
  }

  /**
   * The figures of a period's incidents by affected service, by the team
   * owning those services in the catalog, or by calendar month (UTC), each
   * counted by the database. Services and teams are titled as the catalog
   * names them; every month of the period has a row.
   */
  async figuresBreakdown(range: {
    from: string;
    to: string;
    by: FiguresBreakdownBy;
    /** Only the incidents of this service. */
    entityRef?: string;
  }): Promise<FiguresBreakdown> {
    const from = new Date(range.from);
    const to = new Date(range.to);
    // For teams the catalog is asked once, for the owners of the period's
    // services; SQL groups their incidents by what it answered.
    const grouping: FiguresGrouping =
      range.by === 'team'
        ? {
            by: 'team',
            owners: this.serviceOwners
              ? await this.serviceOwners.ownersOf(
                  await this.figuresStore.servicesIn(
                    { from, to },
                    MAX_TEAM_SERVICES,
                  ),
                )
              : [],
          }
        : { by: range.by };
    const groups = await this.figuresStore.breakdown(
      { from, to },
      grouping,
      range.entityRef?.toLocaleLowerCase('en-US'),
    );
    let rows: FiguresBreakdownRow[];
    if (range.by === 'month') {
      const byMonth = new Map(groups.map(group => [group.key, group]));
      rows = monthsOf(from, to).map(month =>
        toBreakdownRow(byMonth.get(month) ?? emptyGroup(month)),
      );
    } else {
      // Causes are named as filed; services and teams as the catalog names them.
      const keys =
        range.by === 'cause'
          ? []
          : groups.flatMap(group => (group.key ? [group.key] : []));
      const titles =
        (keys.length && (await this.serviceOwners?.titlesOf(keys))) ||
        new Map<string, string>();
      rows = [...groups]
        .sort(
          (a, b) =>
            Number(a.key === null) - Number(b.key === null) ||
            b.incidents - a.incidents ||
            (a.key ?? '').localeCompare(b.key ?? ''),
        )
        .map(group =>
          toBreakdownRow(group, group.key ? titles.get(group.key) : undefined),
        );
    }
    return {
      from: from.toISOString(),
      to: to.toISOString(),
      by: range.by,
      rows,
    };
  }

  async create(input: IncidentCreateInput, actor: string): Promise<Incident> {
    if (this.upstream) {
      // New incidents are opened where incidents live; we keep the copy.
      const copied = await this.upstream.create(input, actor);
      await this.announce(copied, 'created');
      return copied;
    }
    const created = await this.db.transaction(async tx => {
      const store = this.store.withTransaction(tx);
      const now = new Date().toISOString();
      const incident = await store.create({
        title: input.title,
        description: input.description,
        severity: input.severity,
        status: 'triggered',
        commander: input.commander,
        services: input.services,
        chat: input.chat,
        triggeredAt: now,
        createdBy: actor,
      });
      const entries: NewTimelineEntry[] = [
        {
          type: 'incident_created',
          actor,
          timestamp: now,
          content: { title: input.title, severity: input.severity },
        },
      ];
      if (input.commander) {
        entries.push({
          type: 'commander_assigned',
          actor,
          timestamp: now,
          content: { commander: input.commander },
        });
      }
      await store.addTimelineEntries(incident.id, entries);
      return incident;
    });
    await this.announce(created, 'created');
    return created;
  }

  /**
   * Applies a change; status changes must follow the status machine (409
   * naming the allowed next states otherwise). Every status, severity and
   * commander change is recorded on the timeline.
   */
  async patch(
    idOrNumber: string,
    input: IncidentPatchInput,
    actor: string,
  ): Promise<Incident> {
    // Only with an upstream can the incident belong elsewhere; local edits
    // read it once, inside their transaction.
    if (this.upstream) {
      const current = await this.get(idOrNumber);
      if (this.upstream.owns(current)) {
        const updated = await this.upstream.patch(current, input, actor);
        await this.announce(updated, 'updated', current.status);
        return updated;
      }
    }
    let previousStatus: IncidentStatus | undefined;
    const updated = await this.db.transaction(async tx => {
      const store = this.store.withTransaction(tx);
      const incident = await store.get(idOrNumber);
      if (!incident) {
        throw new NotFoundError(`No incident ${idOrNumber}`);
      }
      previousStatus = incident.status;
      const now = new Date().toISOString();
      const entries: NewTimelineEntry[] = [];
      const changes: Parameters<IncidentStore['update']>[1] = {
        title: input.title,
        description: input.description,
        summary: input.summary,
        services: input.services,
        chat: input.chat,
      };

      if (input.status !== undefined && input.status !== incident.status) {
        const allowed = INCIDENT_TRANSITIONS[incident.status];
        if (!allowed.includes(input.status)) {
          throw new DetailedConflictError(
            `Cannot change status from ${incident.status} to ${
              input.status
            }; allowed: ${
              allowed.length ? allowed.join(', ') : 'none (final status)'
            }`,
            { current_status: incident.status, allowed_transitions: allowed },
          );
        }
        changes.status = input.status;
        if (input.status === 'acknowledged') changes.acknowledgedAt = now;
        if (input.status === 'resolved') changes.resolvedAt = now;
        if (input.status === 'canceled') changes.canceledAt = now;
        entries.push({
          type: 'status_changed',
          actor,
          timestamp: now,
          content: { from: incident.status, to: input.status },
        });
      }
      if (
        input.severity !== undefined &&
        input.severity !== incident.severity
      ) {
        changes.severity = input.severity;
        entries.push({
          type: 'severity_changed',
          actor,
          timestamp: now,
          content: { from: incident.severity, to: input.severity },
        });
      }
      if (
        input.commander !== undefined &&
        input.commander !== incident.commander
      ) {
        changes.commander = input.commander;
        entries.push({
          type: 'commander_assigned',
          actor,
          timestamp: now,
          content: { commander: input.commander },
        });
      }
      const result = await store.update(incident.id, changes);
      await store.addTimelineEntries(incident.id, entries);
      return result;
    });
    await this.announce(updated, 'updated', previousStatus);
    return updated;
  }

  async addMessage(
    idOrNumber: string,
    text: string,
    actor: string,
  ): Promise<TimelineEntry> {
    const incident = await this.get(idOrNumber);
    if (this.upstream?.owns(incident)) {
      return this.upstream.addMessage(incident, text, actor);
    }
    const [entry] = await this.store.addTimelineEntries(incident.id, [
      {
        type: 'message',
        actor,
        timestamp: new Date().toISOString(),
        content: { text },
      },
    ]);
    return entry;
  }

  async timeline(
    idOrNumber: string,
    page: { offset: number; limit: number },
  ): Promise<{ data: TimelineEntry[]; total: number }> {
    const incident = await this.get(idOrNumber);
    return this.store.listTimeline(incident.id, page);
  }

  async fullTimeline(incidentId: string): Promise<TimelineEntry[]> {
    return this.store.fullTimeline(incidentId);
  }

  async alertsOf(incidentId: string): Promise<Alert[]> {
    return this.store.alertsOfIncident(incidentId);
  }

  listAlerts(page: { offset: number; limit: number }) {
    return this.store.listAlerts(page);
  }

  async getAlert(id: string): Promise<Alert> {
    const alert = await this.store.getAlert(id);
    if (!alert) {
      throw new NotFoundError(`No alert ${id}`);
    }
    return alert;
  }

  /**
   * Brings in an incident from another tool with its timeline and alerts, all
   * or nothing. An incident already imported from the same source and external
   * id, or with the same number, is a conflict rather than a duplicate.
   */
  async import(
    document: IncidentImportDocument,
    actor: string,
  ): Promise<Incident> {
    const { incident, timeline, alerts = [] } = document;
    const source = incident.source ?? 'import';
    if (incident.external_id) {
      const existing = await this.store.findByExternalId(
        source,
        incident.external_id,
      );
      if (existing) {
        throw new ConflictError(
          `Incident ${incident.external_id} from ${source} was already imported as ${existing.reference}`,
        );
      }
    }
    if (
      incident.number !== undefined &&
      (await this.store.get(String(incident.number)))
    ) {
      throw new ConflictError(`Incident number ${incident.number} is taken`);
    }
    const imported = await this.db.transaction(async tx => {
      const store = this.store.withTransaction(tx);
      const created = await store.create({
        number: incident.number,
        title: incident.title,
        description: incident.description,
        severity: incident.severity,
        status: incident.status,
        summary: incident.summary,
        commander: incident.commander,
        services: incident.services,
        chat: incident.chat,
        source,
        externalId: incident.external_id,
        triggeredAt: incident.triggered_at,
        acknowledgedAt: incident.acknowledged_at,
        resolvedAt: incident.resolved_at,
        canceledAt: incident.canceled_at,
        createdBy: actor,
      });
      await store.addTimelineEntries(
        created.id,
        // A stable sort: entries that share a timestamp keep their order.
        [...timeline].sort(
          (a, b) => Date.parse(a.timestamp) - Date.parse(b.timestamp),
        ),
      );
      for (const alert of alerts) {
        const stored = await store.createAlert({
          source: alert.source,
          externalId: alert.external_id,
          severity: alert.severity,
          title: alert.title,
          description: alert.description,
          labels: alert.labels,
          firedAt: alert.fired_at,
          acknowledgedAt: alert.acknowledged_at,
          resolvedAt: alert.resolved_at,
        });
        await store.linkAlert(created.id, stored.id);
      }
      return created;
    });
    await this.announce(imported, 'created');
    return imported;
  }
}

/** Regen's pagination: `page` from 1 and `limit`, answered as `{data, total}`. */
export function toPage<T>(
  result: { data: T[]; total: number },
  page: number,
  limit: number,
): Page<T> {
  return { ...result, page, limit };
}

function toBreakdownRow(
  group: FiguresGroupCounts,
  title?: string,
): FiguresBreakdownRow {
  return {
    key: group.key,
    ...(title ? { title } : {}),
    incidents: group.incidents,
    resolved: group.resolved,
    mttr_ms: group.mttrMs,
    mttd_ms: group.mttdMs,
    mtta_ms: group.mttaMs,
    published: group.published,
    action_items_done: group.actionItemsDone,
    action_items_open: group.actionItemsOpen,
    recurrences: group.recurrences,
    recurrence_after_ms: group.recurrenceAfterMs,
  };
}

function emptyGroup(key: string): FiguresGroupCounts {
  return {
    key,
    incidents: 0,
    resolved: 0,
    mttrMs: null,
    mttdMs: null,
    mttaMs: null,
    published: 0,
    actionItemsDone: 0,
    actionItemsOpen: 0,
    recurrences: 0,
    recurrenceAfterMs: null,
  };
}

/** The calendar months (UTC) from `from` to `to`, both included: `2026-01`. */
export function monthsOf(from: Date, to: Date): string[] {
  const months: string[] = [];
  let year = from.getUTCFullYear();
  let month = from.getUTCMonth();
  while (
    year < to.getUTCFullYear() ||
    (year === to.getUTCFullYear() && month <= to.getUTCMonth())
  ) {
    months.push(
      `${String(year).padStart(4, '0')}-${String(month + 1).padStart(2, '0')}`,
    );
    month += 1;
    if (month === 12) {
      month = 0;
      year += 1;
    }
  }
  return months;
}
