import { parseEntityRef } from '@backstage/catalog-model';
import {
  Alert,
  Incident,
  TimelineEntry,
} from '@postmortems-oss/backstage-plugin-postmortems-common';

/*
 * Incidents, timeline entries and alerts as Regen's API answers them
 * (`IncidentResponse`, `TimelineEntryResponse` and `AlertResponse` in its
 * DTOs, `Incident`, `TimelineEntry` and `Alert` in its frontend's types.ts).
 * Fields Regen leaves out when empty are left out here too, except where its
 * frontend types declare them required: those are always sent.
 */

/** Regen's incident. */
export interface RegenIncident {
  id: string;
  incident_number: number;
  title: string;
  slug: string;
  status: Incident['status'];
  severity: Incident['severity'];
  summary: string;
  created_at: string;
  triggered_at: string;
  acknowledged_at?: string;
  resolved_at?: string;
  created_by_type: string;
  created_by_id?: string;
  commander_id?: string;
  commander_name?: string;
  ai_enabled: boolean;
}

export interface RegenTimelineEntry {
  id: string;
  incident_id: string;
  timestamp: string;
  type: string;
  actor_type: string;
  actor_id?: string;
  actor_name?: string;
  content: Record<string, unknown>;
}

export interface RegenAlert {
  id: string;
  external_id: string;
  source: string;
  status: 'firing' | 'resolved';
  severity: 'critical' | 'warning' | 'info';
  title: string;
  description: string;
  labels: Record<string, string> | null;
  annotations: Record<string, string> | null;
  acknowledgment_status: 'pending' | 'acknowledged';
  started_at: string;
  ended_at?: string;
  received_at: string;
}

/** Regen's three alert severities for our four (its filter uses these words too). */
export const REGEN_ALERT_SEVERITY: Record<
  Alert['severity'],
  RegenAlert['severity']
> = {
  critical: 'critical',
  high: 'warning',
  medium: 'warning',
  low: 'info',
};

export function toRegenIncident(incident: Incident): RegenIncident {
  const createdByUser = isUserRef(incident.created_by);
  return {
    id: incident.id,
    incident_number: incident.number,
    title: incident.title,
    slug: slugOf(incident),
    status: incident.status,
    severity: incident.severity,
    // Regen keeps what its clients send as `description` in `summary`.
    summary: incident.summary ?? incident.description ?? '',
    created_at: incident.created_at,
    triggered_at: incident.triggered_at,
    ...optional('acknowledged_at', incident.acknowledged_at),
    ...optional('resolved_at', incident.resolved_at),
    created_by_type: createdByUser ? 'user' : 'system',
    ...optional('created_by_id', incident.created_by),
    ...optional('commander_id', incident.commander),
    ...optional('commander_name', nameOf(incident.commander)),
    // Drafting is available for every incident; there is nothing to switch off.
    ai_enabled: true,
  };
}

/** `GET /incidents/:id`: the incident with its alerts and first timeline entries. */
export function toRegenIncidentDetail(
  incident: Incident,
  alerts: Alert[],
  timeline: TimelineEntry[],
) {
  return {
    ...toRegenIncident(incident),
    alerts: alerts.map(toRegenAlert),
    timeline: timeline.map(toRegenTimelineEntry),
  };
}

export function toRegenTimelineEntry(entry: TimelineEntry): RegenTimelineEntry {
  const actor = actorOf(entry);
  return {
    id: entry.id,
    incident_id: entry.incident_id,
    timestamp: entry.timestamp,
    type: entry.type,
    actor_type: actor.type,
    ...optional('actor_id', actor.id),
    ...optional('actor_name', actor.name),
    content: contentOf(entry),
  };
}

export function toRegenAlert(alert: Alert): RegenAlert {
  return {
    id: alert.id,
    external_id: alert.external_id ?? '',
    source: alert.source,
    status: alert.status === 'resolved' ? 'resolved' : 'firing',
    severity: REGEN_ALERT_SEVERITY[alert.severity],
    title: alert.title,
    description: alert.description ?? '',
    labels: alert.labels,
    annotations: null,
    acknowledgment_status: alert.acknowledged_at ? 'acknowledged' : 'pending',
    started_at: alert.fired_at,
    ...optional('ended_at', alert.resolved_at),
    received_at: alert.created_at,
  };
}

/**
 * Regen's URL-safe slug of the title with a short suffix; ours is stable (the
 * suffix comes from the id), so it can be recomputed on every read.
 */
export function slugOf(incident: Pick<Incident, 'id' | 'title'>): string {
  const base =
    incident.title
      .toLowerCase()
      .replace(/[\s_]+/g, '-')
      .replace(/[^a-z0-9-]+/g, '')
      .replace(/-+/g, '-')
      .replace(/^-|-$/g, '') || 'incident';
  const suffix = incident.id.replace(/[^a-z0-9]/gi, '').slice(0, 4);
  return `${base.slice(0, 45).replace(/-$/, '')}-${suffix.toLowerCase()}`;
}

/** The name part of an entity ref (`user:default/jane` -> `jane`). */
export function nameOf(ref: string | null | undefined): string | undefined {
  if (!ref) return undefined;
  try {
    return parseEntityRef(ref).name;
  } catch {
    return ref;
  }
}

function isUserRef(ref: string | null | undefined): boolean {
  return Boolean(ref && /^user:/i.test(ref));
}

/**
 * Our entries name one actor: a user entity ref, a chat user, or a system
 * name. Regen splits that into a type, an id and a display name.
 */
function actorOf(entry: TimelineEntry): {
  type: string;
  id?: string;
  name?: string;
} {
  if (!entry.actor) return { type: 'system' };
  if (isUserRef(entry.actor)) {
    return { type: 'user', id: entry.actor, name: nameOf(entry.actor) };
  }
  if (entry.type === 'slack_message') {
    return { type: 'slack', id: entry.actor, name: entry.actor };
  }
  return { type: 'system', id: entry.actor, name: entry.actor };
}

/** A message is `{message}` in Regen's words (its UI reads `message` first). */
function contentOf(entry: TimelineEntry): Record<string, unknown> {
  if (entry.type === 'message' && typeof entry.content.text === 'string') {
    const { text, ...rest } = entry.content;
    return { ...rest, message: text };
  }
  return entry.content;
}

/** `{[key]: value}` when there is a value, nothing otherwise (Go's omitempty). */
export function optional<K extends string, V>(
  key: K,
  value: V | null | undefined,
): Partial<Record<K, V>> {
  return value === null || value === undefined || value === ''
    ? {}
    : ({ [key]: value } as Record<K, V>);
}
