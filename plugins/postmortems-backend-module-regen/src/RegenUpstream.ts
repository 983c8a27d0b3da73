import { LoggerService } from '@backstage/backend-plugin-api';
import { InputError, NotFoundError } from '@backstage/errors';
import {
  Incident,
  TimelineEntry,
} from '@postmortems-oss/backstage-plugin-postmortems-common';
import {
  DetailedConflictError,
  IncidentCreateInput,
  IncidentMirror,
  IncidentPatchInput,
  IncidentUpstream,
  SyncResult,
  UpstreamError,
  UpstreamSyncState,
  ValidationError,
} from '@postmortems-oss/backstage-plugin-postmortems-node';
import { SchedulerServiceTaskScheduleDefinition } from '@backstage/backend-plugin-api';
import { RegenClient, RegenError } from './RegenClient';
import { CommanderLookup, CommanderMapping } from './commanderMapping';
import { CommanderChange, copiedCommander } from './copiedCommander';
import {
  alertFromRegen,
  incidentFieldsFromRegen,
  REGEN_SOURCE,
  servicesFromAlerts,
  timelineEntryFromRegen,
} from './regenMapping';
import { RegenIncident, RegenIncidentDetail } from './regenSchemas';

export interface RegenUpstreamOptions {
  /** The plugin's local copy of incidents. */
  mirror: IncidentMirror;
  client: RegenClient;
  logger: LoggerService;
  schedule: SchedulerServiceTaskScheduleDefinition;
  baseUrl: string;
  /** The alert label that names the affected service. */
  serviceLabel?: string;
  /** Closed incidents older than this only get their fields refreshed by a full sync. */
  recentDays?: number;
  /** Who Regen's commanders are in the catalog; without it copies get no commander from Regen. */
  commanders?: CommanderMapping;
}

/**
 * Regen as the home of incidents. Its incidents, timelines and alerts are
 * copied into our store (where post-mortems, templates and action items
 * live): on a schedule, on demand, and before a draft. Writes to a copied
 * incident go to Regen first and are copied back from its answer, so our
 * copy never holds a change Regen refused. When Regen is down the last copy
 * stays as it was and the failure is recorded for the API and the logs.
 *
 * @public
 */
export class RegenUpstream implements IncidentUpstream {
  readonly id = REGEN_SOURCE;
  readonly schedule: SchedulerServiceTaskScheduleDefinition;
  private running?: Promise<SyncResult>;
  private readonly serviceLabel: string;
  private readonly recentMs: number;

  constructor(private readonly options: RegenUpstreamOptions) {
    this.schedule = options.schedule;
    this.serviceLabel = options.serviceLabel ?? 'service';
    this.recentMs = (options.recentDays ?? 30) * 24 * 3600_000;
  }

  owns(incident: Incident): boolean {
    return incident.source === REGEN_SOURCE && !!incident.external_id;
  }

  async create(input: IncidentCreateInput, actor: string): Promise<Incident> {
    const regen = await this.call(() =>
      this.options.client.createIncident({
        title: input.title,
        severity: input.severity,
        description: input.description,
      }),
    );
    const { incident } = await this.copyWithTimeline(regen, {
      commander: input.commander ?? null,
      services: input.services ?? [],
      description: input.description ?? null,
      chat: input.chat ?? null,
      createdBy: actor,
    });
    return incident;
  }

  async patch(
    incident: Incident,
    input: IncidentPatchInput,
    _actor: string,
  ): Promise<Incident> {
    if (input.title !== undefined && input.title !== incident.title) {
      throw new ValidationError([
        {
          field: 'title',
          message: `${incident.reference} belongs to Regen, which does not let its title change`,
        },
      ]);
    }
    const regenChanges: {
      status?: string;
      severity?: string;
      summary?: string;
    } = {};
    if (input.status !== undefined && input.status !== incident.status) {
      regenChanges.status = input.status;
    }
    if (input.severity !== undefined && input.severity !== incident.severity) {
      regenChanges.severity = input.severity;
    }
    if (input.summary !== undefined && input.summary !== incident.summary) {
      regenChanges.summary = input.summary ?? '';
    }
    if (Object.keys(regenChanges).length > 0) {
      await this.call(() =>
        this.options.client.updateIncident(incident.external_id!, regenChanges),
      );
    }
    // Catalog refs are Backstage's own; Regen has nowhere to keep them.
    await this.options.mirror.store.update(incident.id, {
      commander: input.commander,
      services: input.services,
      description: input.description,
      chat: input.chat,
    });
    return this.refresh(incident);
  }

  async addMessage(
    incident: Incident,
    text: string,
    actor: string,
  ): Promise<TimelineEntry> {
    const entry = await this.call(() =>
      this.options.client.addMessage(incident.external_id!, {
        text,
        author: actor,
      }),
    );
    // Regen records its API user as the actor; the copy names who wrote it.
    await this.options.mirror.store.addUpstreamTimelineEntries(incident.id, [
      { ...timelineEntryFromRegen(entry), actor },
    ]);
    const stored = await this.options.mirror.store.timelineEntryByExternalId(
      incident.id,
      entry.id,
    );
    return stored!;
  }

  async refresh(incident: Incident): Promise<Incident> {
    const detail = await this.call(() =>
      this.options.client.getIncident(incident.external_id!),
    );
    return (await this.copyWithTimeline(detail)).incident;
  }

  status(): Promise<UpstreamSyncState & { base_url: string }> {
    return this.options.mirror.syncState
      .get(REGEN_SOURCE)
      .then(state => ({ ...state, base_url: this.options.baseUrl }));
  }

  /** One sync at a time per process; a second caller shares the running one. */
  sync(): Promise<SyncResult> {
    if (!this.running) {
      this.running = this.syncAll().finally(() => {
        this.running = undefined;
      });
    }
    return this.running;
  }

  private async syncAll(): Promise<SyncResult> {
    const { client, logger } = this.options;
    const { store, syncState: state } = this.options.mirror;
    const startedAt = new Date();
    const counts = { incidents: 0, copied: 0, refreshed: 0, skipped: 0 };
    const skipped: string[] = [];
    const commanders = this.commanderLookup();
    try {
      for await (const page of client.listIncidents()) {
        skipped.push(...page.rejected.map(r => `incident ${r}`));
        counts.skipped += page.rejected.length;
        for (const regen of page.items) {
          counts.incidents++;
          const existing = await store.findByExternalId(REGEN_SOURCE, regen.id);
          if (existing && this.isSettled(regen, existing, startedAt)) {
            await this.copyFields(regen, existing, commanders);
            counts.refreshed++;
            continue;
          }
          try {
            await this.copyWithTimeline(
              await client.getIncident(regen.id),
              undefined,
              commanders,
            );
            counts.copied++;
          } catch (error) {
            // One incident Regen will not serve must not stop the others; an
            // outage must, so that nothing is half-read as if it were empty.
            if (error instanceof RegenError && !error.isOutage) {
              skipped.push(`INC-${regen.incident_number}: ${error.message}`);
              counts.skipped++;
              continue;
            }
            throw error;
          }
        }
      }
      const warning = skipped.length
        ? `Skipped ${skipped.length}: ${skipped.slice(0, 5).join('; ')}`
        : null;
      await state.recordSuccess(REGEN_SOURCE, startedAt, counts, warning);
      if (warning) logger.warn(`Regen sync: ${warning}`);
      return { ok: true, counts, skipped };
    } catch (error) {
      const message = (error as Error).message;
      await state.recordFailure(REGEN_SOURCE, startedAt, message);
      logger.warn(
        `Regen sync failed; the incidents copied before keep their last good copy: ${message}`,
      );
      return { ok: false, counts, skipped, error: message };
    }
  }

  /**
   * A closed incident whose closing has been copied and is older than the
   * recent window: its timeline is not re-read on every scheduled sync.
   */
  private isSettled(regen: RegenIncident, local: Incident, now: Date) {
    const closedAt = regen.resolved_at ?? local.canceled_at;
    return (
      (regen.status === 'resolved' || regen.status === 'canceled') &&
      local.status === regen.status &&
      !!closedAt &&
      now.getTime() - Date.parse(closedAt) > this.recentMs
    );
  }

  /** Only the incident's own fields (and its commander), for settled incidents. */
  private async copyFields(
    regen: RegenIncident,
    local: Incident,
    commanders: CommanderLookup,
  ) {
    const { store } = this.options.mirror;
    const fields = incidentFieldsFromRegen(regen, local);
    const { triggeredAt: _unchanged, ...regenFields } = fields;
    const commander = await copiedCommander(
      store,
      local,
      await commanders(regen),
      regen,
      [],
    );
    const changes = { ...regenFields, ...commanderOf(commander) };
    if (!differs(local, changes)) return;
    const updated = await store.update(local.id, changes);
    if (commander.entry) {
      await store.addUpstreamTimelineEntries(local.id, [commander.entry]);
    }
    await this.options.mirror.announce(updated, 'updated', local.status);
  }

  /** Without a catalog, nobody is anybody: Regen's commanders are not copied. */
  private commanderLookup(): CommanderLookup {
    return this.options.commanders?.round() ?? (async () => undefined);
  }

  /**
   * Copies one incident with its whole timeline and its alerts, in one
   * transaction, and tells the listeners (catalog, auto-draft) if it changed.
   */
  private async copyWithTimeline(
    regen: RegenIncident | RegenIncidentDetail,
    local?: {
      commander: string | null;
      services: string[];
      description: string | null;
      chat: Incident['chat'];
      createdBy: string;
    },
    commanders: CommanderLookup = this.commanderLookup(),
  ): Promise<{ incident: Incident }> {
    const { client, mirror } = this.options;
    const { entries } = await client.timeline(regen.id);
    // Only the single-incident answer carries the linked alerts.
    const alerts = (regen as RegenIncidentDetail).alerts ?? [];
    // Asked outside the transaction: the catalog and Regen may be slow.
    const mappedCommander = await commanders(regen);

    const write = () =>
      mirror.transaction(async txStore => {
        const existing = await txStore.findByExternalId(REGEN_SOURCE, regen.id);
        const fields = incidentFieldsFromRegen(regen, existing);
        const services = [
          ...new Set([
            ...(existing?.services ?? local?.services ?? []),
            ...servicesFromAlerts(alerts, this.serviceLabel),
          ]),
        ];
        const commander = await copiedCommander(
          txStore,
          existing ?? { commander: local?.commander ?? null },
          mappedCommander,
          regen,
          entries,
        );
        let incident: Incident;
        if (existing) {
          const { triggeredAt: _unchanged, ...regenFields } = fields;
          const changes = {
            ...regenFields,
            services,
            ...commanderOf(commander),
          };
          incident = differs(existing, changes)
            ? await txStore.update(existing.id, changes)
            : existing;
        } else {
          // Keep Regen's number so INC-42 means the same incident in both
          // tools, unless a local incident already has it.
          const taken = await txStore.numberTaken(regen.incident_number);
          incident = await txStore.create({
            ...fields,
            number: taken ? undefined : regen.incident_number,
            services,
            commander: commander.commander ?? local?.commander ?? null,
            description: local?.description ?? null,
            chat: fields.chat ?? local?.chat ?? null,
            source: REGEN_SOURCE,
            externalId: regen.id,
            createdBy: local?.createdBy ?? 'regen',
          });
          if (taken) {
            this.options.logger.warn(
              `Regen incident ${regen.incident_number} is ${incident.reference} here: its number is taken by a local incident`,
            );
          }
        }
        const added = await txStore.addUpstreamTimelineEntries(incident.id, [
          ...entries.map(timelineEntryFromRegen),
          ...(commander.entry ? [commander.entry] : []),
        ]);
        for (const alert of alerts) {
          const mapped = alertFromRegen(alert);
          const found = await txStore.findAlertByExternalId(
            mapped.source,
            mapped.externalId!,
          );
          if (found) {
            await txStore.updateAlert(found.id, mapped);
          } else {
            const created = await txStore.createAlert(mapped);
            await txStore.linkAlert(incident.id, created.id);
            continue;
          }
          await txStore.linkAlert(incident.id, found.id);
        }
        return {
          incident,
          previous: existing,
          changed: !existing || incident !== existing || added > 0,
        };
      });

    let result;
    try {
      result = await write();
    } catch (error) {
      // Another sync (or replica) copied the same new incident first: the
      // unique (source, external id) index refused ours; copy over theirs.
      if (!isUniqueViolation(error)) throw error;
      result = await write();
    }
    if (result.changed) {
      await mirror.announce(
        result.incident,
        result.previous ? 'updated' : 'created',
        result.previous?.status ?? result.incident.status,
      );
    }
    return { incident: result.incident };
  }

  /** Regen's refusals become ours (4xx); its outages become 502s. */
  private async call<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (error) {
      if (!(error instanceof RegenError)) throw error;
      if (error.status === 404) throw new NotFoundError(error.message);
      if (error.status === 409) {
        throw new DetailedConflictError(error.message, {
          upstream: REGEN_SOURCE,
          ...(isRecord(error.details) ? error.details : {}),
        });
      }
      if (error.status === 400 || error.status === 422) {
        throw new InputError(error.message);
      }
      if (error.status === 401 || error.status === 403) {
        throw new UpstreamError(
          `Regen refused our credentials (HTTP ${error.status}); check postmortems.regen.token`,
          'upstream_unauthorized',
        );
      }
      throw new UpstreamError(
        `${error.message}. Nothing was changed; try again when Regen is back.`,
        'upstream_unavailable',
      );
    }
  }
}

function differs(local: Incident, changes: Record<string, unknown>): boolean {
  const current: Record<string, unknown> = {
    title: local.title,
    severity: local.severity,
    status: local.status,
    summary: local.summary,
    acknowledgedAt: local.acknowledged_at,
    resolvedAt: local.resolved_at,
    canceledAt: local.canceled_at,
    chat: local.chat,
    services: local.services,
    commander: local.commander,
  };
  return Object.entries(changes).some(([key, value]) => {
    if (!(key in current)) return false;
    const a = current[key];
    if (key.endsWith('At') && a && value) {
      return Date.parse(a as string) !== Date.parse(value as string);
    }
    if (key === 'services') {
      return (
        JSON.stringify([...((value as string[]) ?? [])].sort()) !==
        JSON.stringify(a)
      );
    }
    return JSON.stringify(a ?? null) !== JSON.stringify(value ?? null);
  });
}

function commanderOf(change: CommanderChange): { commander?: string | null } {
  return change.commander === undefined ? {} : { commander: change.commander };
}

function isUniqueViolation(error: unknown): boolean {
  const e = error as { code?: string; message?: string };
  return (
    e?.code === '23505' ||
    e?.code === 'SQLITE_CONSTRAINT_UNIQUE' ||
    /UNIQUE constraint failed/.test(e?.message ?? '')
  );
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
