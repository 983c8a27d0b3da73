/**
 * Incidents: their enumerations, the status machine, and the events and
 * catalog annotation other plugins use. The API's shapes (`Incident`,
 * `TimelineEntry`, `Alert`, ...) are inferred from the schemas in
 * `api/incidents.ts`.
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
 * The moments of an incident an author can mark on its timeline: when it was
 * detected, acknowledged, mitigated and resolved. Each is marked on at most
 * one entry of an incident; they give the incident's MTTD, MTTA, time to
 * mitigate and MTTR.
 *
 * @public
 */
export const TIMELINE_KEY_MOMENTS = [
  'detected',
  'acknowledged',
  'mitigated',
  'resolved',
] as const;
/** @public */
export type TimelineKeyMoment = (typeof TIMELINE_KEY_MOMENTS)[number];

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

/**
 * The annotation of an Incident catalog entity that names its incident in
 * the post-mortems backend.
 *
 * @public
 */
export const INCIDENT_ID_ANNOTATION = 'postmortems.io/incident-id';
