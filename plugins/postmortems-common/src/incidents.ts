/**
 * Incidents, their timelines and alerts, as the API serves them. Field names
 * follow Fluidify Regen's `/api/v1` (snake_case) so that its clients keep working.
 */

/** @public */
export const INCIDENT_SEVERITIES = [
  'critical',
  'high',
  'medium',
  'low',
] as const;
/** @public */
export type IncidentSeverity = (typeof INCIDENT_SEVERITIES)[number];

/** @public */
export const INCIDENT_STATUSES = [
  'triggered',
  'acknowledged',
  'resolved',
  'canceled',
] as const;
/** @public */
export type IncidentStatus = (typeof INCIDENT_STATUSES)[number];

/**
 * The status machine: triggered -> acknowledged -> resolved, and triggered ->
 * resolved | canceled. Resolved and canceled are final.
 *
 * @public
 */
export const INCIDENT_TRANSITIONS: Record<IncidentStatus, IncidentStatus[]> = {
  triggered: ['acknowledged', 'resolved', 'canceled'],
  acknowledged: ['resolved'],
  resolved: [],
  canceled: [],
};

/** Where the incident's chat thread lives, when it has one. @public */
export interface ChatThreadRef {
  provider: 'slack';
  channel_id: string;
  /** The thread's parent message; without it the channel's history is the thread. */
  thread_ts?: string;
}

/** @public */
export interface Incident {
  id: string;
  /** Human number; shown as `INC-<number>`. */
  number: number;
  reference: string;
  title: string;
  description: string | null;
  severity: IncidentSeverity;
  status: IncidentStatus;
  summary: string | null;
  /** Backstage user entity ref of the incident commander. */
  commander: string | null;
  /** Entity refs of the services the incident affected. */
  services: string[];
  chat: ChatThreadRef | null;
  source: string;
  external_id: string | null;
  triggered_at: string;
  acknowledged_at: string | null;
  resolved_at: string | null;
  canceled_at: string | null;
  created_by: string | null;
  created_at: string;
  updated_at: string;
}

/** @public */
export const TIMELINE_ENTRY_TYPES = [
  'incident_created',
  'status_changed',
  'severity_changed',
  'commander_assigned',
  'alert_linked',
  'alert_acknowledged',
  'message',
  'slack_message',
  'deploy',
  'postmortem_created',
  'postmortem_published',
] as const;
/** @public */
export type TimelineEntryType = (typeof TIMELINE_ENTRY_TYPES)[number];

/**
 * One immutable event of an incident. `content` depends on `type`, e.g.
 * `{from, to}` for status_changed, `{text}` for message, `{text, user, ts}` for
 * slack_message, `{service, version, description}` for deploy.
 *
 * @public
 */
export interface TimelineEntry {
  id: string;
  incident_id: string;
  type: TimelineEntryType;
  /** Who did it: a user entity ref, a chat user name, or a system name. */
  actor: string | null;
  timestamp: string;
  content: Record<string, unknown>;
  created_at: string;
}

/** @public */
export interface Alert {
  id: string;
  source: string;
  external_id: string | null;
  severity: IncidentSeverity;
  status: 'firing' | 'acknowledged' | 'resolved';
  title: string;
  description: string | null;
  labels: Record<string, string>;
  fired_at: string;
  acknowledged_at: string | null;
  resolved_at: string | null;
  created_at: string;
}

/**
 * One incident with its timeline and alerts as one document: what the import
 * route takes, so that incidents from other tools can be brought in.
 *
 * @public
 */
export interface IncidentImportDocument {
  incident: {
    number?: number;
    title: string;
    description?: string;
    severity: IncidentSeverity;
    status: IncidentStatus;
    summary?: string;
    commander?: string;
    services?: string[];
    chat?: ChatThreadRef;
    source?: string;
    external_id?: string;
    triggered_at: string;
    acknowledged_at?: string;
    resolved_at?: string;
    canceled_at?: string;
  };
  timeline: Array<{
    type: TimelineEntryType;
    actor?: string;
    timestamp: string;
    content: Record<string, unknown>;
  }>;
  alerts?: Array<{
    source: string;
    external_id?: string;
    severity: IncidentSeverity;
    title: string;
    description?: string;
    labels?: Record<string, string>;
    fired_at: string;
    acknowledged_at?: string;
    resolved_at?: string;
  }>;
}

/** A page of a list, as Regen paginates: `page` from 1, `limit` per page. @public */
export interface Page<T> {
  data: T[];
  total: number;
  page: number;
  limit: number;
}

/**
 * Topic of the events the backend publishes (through the Backstage events
 * service) whenever an incident is created or changed, locally or by a sync
 * from an upstream. The catalog's Incident provider applies them as deltas.
 *
 * @public
 */
export const INCIDENT_EVENTS_TOPIC = 'postmortems.incidents';

/** The payload of an {@link INCIDENT_EVENTS_TOPIC} event. @public */
export interface IncidentEventPayload {
  action: 'created' | 'updated';
  incident_id: string;
  reference: string;
}
