import {
  LoggerService,
  SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';
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
} from './incidentRecords';

/** @public */
export interface IncidentCreateInput {
  title: string;
  severity: IncidentSeverity;
  description?: string;
  commander?: string;
  services?: string[];
  chat?: ChatThreadRef;
}

/** @public */
export interface IncidentPatchInput {
  status?: IncidentStatus;
  severity?: IncidentSeverity;
  summary?: string | null;
  commander?: string | null;
  title?: string;
  description?: string | null;
  services?: string[];
  chat?: ChatThreadRef | null;
}

/** @public */
export type IncidentChange = 'created' | 'updated';

/**
 * What the last sync with an upstream did, for operators and the API.
 *
 * @public
 */
export interface UpstreamSyncState {
  upstream: string;
  last_attempt_at: string | null;
  last_success_at: string | null;
  /** Why the last attempt failed (or what it had to skip); null when it went cleanly. */
  last_error: string | null;
  last_counts: Record<string, number>;
}

/** @public */
export interface SyncResult {
  ok: boolean;
  counts: Record<string, number>;
  /** Incidents left out (malformed or refused by the upstream), with why. */
  skipped: string[];
  error?: string;
}

/**
 * The local copy of incidents, as an upstream writes it: the core's incident
 * store (inside a transaction when asked), the change announcement that
 * feeds the catalog and auto-drafts, and the sync state.
 *
 * @public
 */
export interface IncidentMirrorStore {
  findByExternalId(
    source: string,
    externalId: string,
  ): Promise<Incident | undefined>;
  numberTaken(number: number): Promise<boolean>;
  create(input: NewIncident): Promise<Incident>;
  update(id: string, changes: IncidentChanges): Promise<Incident>;
  /** Adds the entries not copied before (by external id); answers how many were new. */
  addUpstreamTimelineEntries(
    incidentId: string,
    entries: NewTimelineEntry[],
  ): Promise<number>;
  timelineEntryByExternalId(
    incidentId: string,
    externalId: string,
  ): Promise<TimelineEntry | undefined>;
  findAlertByExternalId(
    source: string,
    externalId: string,
  ): Promise<Alert | undefined>;
  createAlert(input: NewAlert): Promise<Alert>;
  updateAlert(id: string, input: NewAlert): Promise<void>;
  linkAlert(incidentId: string, alertId: string): Promise<void>;
}

/** @public */
export interface IncidentMirror {
  store: IncidentMirrorStore;
  /** Runs `fn` in one database transaction over the store. */
  transaction<T>(fn: (store: IncidentMirrorStore) => Promise<T>): Promise<T>;
  /** Tells the plugin's listeners (catalog, auto-draft) that an incident changed. */
  announce(
    incident: Incident,
    change: IncidentChange,
    previousStatus?: IncidentStatus,
  ): Promise<void>;
  syncState: {
    get(upstream: string): Promise<UpstreamSyncState>;
    recordSuccess(
      upstream: string,
      startedAt: Date,
      counts: Record<string, number>,
      warning: string | null,
    ): Promise<void>;
    recordFailure(
      upstream: string,
      startedAt: Date,
      error: string,
    ): Promise<void>;
  };
  logger: LoggerService;
}

/**
 * Another incident tool that owns some incidents (e.g. Regen): their writes
 * go to it, and what it answers is copied into the plugin's store, which
 * keeps serving reads.
 *
 * @public
 */
export interface IncidentUpstream {
  /** Names the upstream in task ids and messages, e.g. `regen`. */
  readonly id: string;
  /** How often the core runs `sync` (one replica per run). */
  readonly schedule: SchedulerServiceTaskScheduleDefinition;
  /** Whether this incident was copied from the upstream (and so is owned by it). */
  owns(incident: Incident): boolean;
  create(input: IncidentCreateInput, actor: string): Promise<Incident>;
  patch(
    incident: Incident,
    input: IncidentPatchInput,
    actor: string,
  ): Promise<Incident>;
  addMessage(
    incident: Incident,
    text: string,
    actor: string,
  ): Promise<TimelineEntry>;
  /** Copies the incident's latest state, timeline and alerts from the upstream. */
  refresh(incident: Incident): Promise<Incident>;
  /** Copies every incident the upstream has; failures are reported, not thrown. */
  sync(): Promise<SyncResult>;
  status(): Promise<UpstreamSyncState & { base_url: string }>;
}

/** @public */
export type IncidentUpstreamFactory = (
  mirror: IncidentMirror,
) => IncidentUpstream;
