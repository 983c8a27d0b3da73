import {
  EvidenceBundle,
  EvidenceEntry,
} from '@postmortems-oss/backstage-plugin-postmortems-node';

/** How far before the first signal a change is still a suspect. */
export const SUSPECT_WINDOW_MS = 24 * 3_600_000;

/** A change or signal worth looking at when writing the root cause. */
export interface SuspectedChange {
  /** Timeline entry id, or `alert:<id>` for an alert that fired before the trigger. */
  id: string;
  at: string;
  kind: 'deploy' | 'alert';
  text: string;
  /** Whether it happened before the incident began or while it ran. */
  when: 'before' | 'during';
  /** The change touched a service the incident affected. */
  affectedService: boolean;
}

/** The instant the incident shows first: its first alert, else its trigger. */
export function firstSignal(evidence: EvidenceBundle): number {
  const trigger = Date.parse(evidence.incident.triggered_at);
  return Math.min(trigger, ...evidence.alerts.map(a => Date.parse(a.fired_at)));
}

function touchesAffected(entry: EvidenceEntry, services: string[]): boolean {
  const text = entry.text.toLowerCase();
  return services.some(service => {
    const name = service.replace(/^[a-z]+:(?:[^/]+\/)?/i, '').toLowerCase();
    return text.includes(service.toLowerCase()) || text.includes(name);
  });
}

/**
 * Changes ranked as starting points for the root cause. What changed in the
 * window before the first signal comes first, the most likely cause on top:
 * a deploy of an affected service before one of another service, the one
 * closest to the first signal before older ones. Alerts that fired before
 * the trigger follow, earliest first, since the earliest shows where it
 * began. Deploys while the incident ran come last, in time order: they are
 * mostly the mitigation (rollback, fix forward), not the cause.
 */
export function suspectedChanges(evidence: EvidenceBundle): SuspectedChange[] {
  const signal = firstSignal(evidence);
  const trigger = Date.parse(evidence.incident.triggered_at);
  const services = evidence.incident.services;
  const deploys = evidence.entries.filter(e => e.type === 'deploy');

  const before = deploys
    .filter(d => {
      const at = Date.parse(d.at);
      return at <= signal && at >= signal - SUSPECT_WINDOW_MS;
    })
    .map(d => ({
      entry: d,
      affected: touchesAffected(d, services),
      distance: signal - Date.parse(d.at),
    }))
    .sort(
      (a, b) =>
        Number(b.affected) - Number(a.affected) || a.distance - b.distance,
    )
    .map(
      ({ entry, affected }): SuspectedChange => ({
        id: entry.id,
        at: entry.at,
        kind: 'deploy',
        text: entry.text,
        when: 'before',
        affectedService: affected,
      }),
    );

  const earlyAlerts = evidence.alerts
    .filter(a => Date.parse(a.fired_at) < trigger)
    .sort((a, b) => Date.parse(a.fired_at) - Date.parse(b.fired_at))
    .map(
      (a): SuspectedChange => ({
        id: `alert:${a.id}`,
        at: a.fired_at,
        kind: 'alert',
        text: `Alert fired: ${a.title} (${a.source})`,
        when: 'before',
        affectedService: false,
      }),
    );

  const during = deploys
    .filter(d => Date.parse(d.at) > signal)
    .map(
      (d): SuspectedChange => ({
        id: d.id,
        at: d.at,
        kind: 'deploy',
        text: d.text,
        when: 'during',
        affectedService: touchesAffected(d, services),
      }),
    );

  return [...before, ...earlyAlerts, ...during];
}
