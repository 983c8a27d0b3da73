import {
  Incident,
  IncidentSeverity,
  TIMELINE_ENTRY_TYPES,
  TimelineEntryType,
} from '@postmortems-oss/backstage-plugin-postmortems-common';
import {
  IncidentChanges,
  NewAlert,
  NewTimelineEntry,
} from '@postmortems-oss/backstage-plugin-postmortems-node';
import {
  RegenAlert,
  RegenAlertSummary,
  RegenIncident,
  RegenTimelineEntry,
} from './regenSchemas';

/** The `source` of incidents copied from Regen. */
export const REGEN_SOURCE = 'regen';

/**
 * The fields Regen owns. Everything else on a copied incident (commander and
 * services as catalog refs, description) is Backstage's and survives a sync.
 */
export function incidentFieldsFromRegen(
  regen: RegenIncident,
  local?: Incident,
): Required<
  Pick<
    IncidentChanges,
    | 'title'
    | 'severity'
    | 'status'
    | 'summary'
    | 'acknowledgedAt'
    | 'resolvedAt'
    | 'canceledAt'
  >
> & { chat: IncidentChanges['chat']; triggeredAt: string } {
  return {
    title: regen.title,
    severity: regen.severity,
    status: regen.status,
    summary: regen.summary || null,
    triggeredAt: regen.triggered_at,
    acknowledgedAt: regen.acknowledged_at ?? null,
    resolvedAt: regen.resolved_at ?? null,
    // Regen keeps no cancel time: the first sync that sees it canceled stamps it.
    canceledAt:
      regen.status === 'canceled'
        ? regen.canceled_at ?? local?.canceled_at ?? new Date().toISOString()
        : null,
    chat: regen.slack_channel
      ? { provider: 'slack', channel_id: regen.slack_channel.id }
      : local?.chat ?? null,
  };
}

const knownTypes = new Set<string>(TIMELINE_ENTRY_TYPES);

/**
 * A Regen timeline entry as ours, keeping Regen's id. Types we have no name
 * for (responder_added, escalated, …) become messages that say what they were,
 * so the evidence still shows them.
 */
export function timelineEntryFromRegen(
  entry: RegenTimelineEntry,
): NewTimelineEntry & { externalId: string } {
  const content = entry.content ?? {};
  const known = knownTypes.has(entry.type);
  return {
    externalId: entry.id,
    type: (known ? entry.type : 'message') as TimelineEntryType,
    actor: entry.actor_name || entry.actor_id || entry.actor_type || null,
    timestamp: entry.timestamp,
    content: known
      ? content
      : {
          text: textOf(content) ?? entry.type.replace(/_/g, ' '),
          ...content,
          upstream_type: entry.type,
        },
  };
}

/** A Regen alert as ours; Regen's id becomes the external id. */
export function alertFromRegen(
  alert: RegenAlert | RegenAlertSummary,
): NewAlert {
  const full = alert as RegenAlert;
  return {
    source: alert.source,
    externalId: regenAlertExternalId(alert.id),
    severity: alertSeverity(alert.severity),
    title: alert.title,
    description: full.description ?? null,
    labels: stringLabels(alert.labels),
    firedAt: alert.started_at ?? alert.received_at ?? new Date(0).toISOString(),
    acknowledgedAt:
      full.acknowledged_at ??
      (alert.status === 'acknowledged' ? alert.received_at ?? null : null),
    resolvedAt:
      full.resolved_at ??
      full.ended_at ??
      (alert.status === 'resolved' ? alert.received_at ?? null : null),
  };
}

export function regenAlertExternalId(regenId: string): string {
  return `regen:${regenId}`;
}

/**
 * Services named by the alerts' labels (e.g. `service: checkout-api`), as
 * catalog refs: Regen has no notion of a catalog, but its alerts do say
 * which service fired.
 */
export function servicesFromAlerts(
  alerts: Array<{ labels?: Record<string, unknown> | null }>,
  label: string,
): string[] {
  const refs = new Set<string>();
  for (const alert of alerts) {
    const value = alert.labels?.[label];
    if (typeof value !== 'string' || !/^[\w.:/-]{1,200}$/.test(value)) continue;
    refs.add(
      value.includes(':') ? value.toLowerCase() : `component:default/${value}`,
    );
  }
  return [...refs];
}

function alertSeverity(severity: string): IncidentSeverity {
  switch (severity.toLowerCase()) {
    case 'critical':
      return 'critical';
    case 'high':
    case 'error':
      return 'high';
    case 'low':
    case 'info':
      return 'low';
    default:
      return 'medium';
  }
}

function stringLabels(
  labels: Record<string, unknown> | null | undefined,
): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [key, value] of Object.entries(labels ?? {})) {
    if (value !== null && value !== undefined) result[key] = String(value);
  }
  return result;
}

function textOf(content: Record<string, unknown>): string | undefined {
  for (const key of ['text', 'message', 'body', 'summary']) {
    if (typeof content[key] === 'string') return content[key] as string;
  }
  return undefined;
}
