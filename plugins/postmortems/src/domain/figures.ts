import type {
  ActionItem,
  Incident,
  IncidentSeverity,
  Postmortem,
} from '@postmortems-oss/backstage-plugin-postmortems-common';

const DAY = 24 * 60 * 60 * 1000;

/** Incidents counted over one slice of the period. */
export interface IncidentBucket {
  label: string;
  start: Date;
  count: number;
}

/** What the figures view shows for a period. */
export interface PeriodFigures {
  incidents: number;
  bySeverity: Record<IncidentSeverity, number>;
  /** Resolved incidents, the base of the MTTR. */
  resolved: number;
  /** Mean time to resolve (resolved minus triggered); canceled ones excluded. */
  mttrMs: number | undefined;
  published: number;
  actionItemsDone: number;
  actionItemsOpen: number;
  buckets: IncidentBucket[];
}

/** Weeks for a month or a quarter, months for a year. */
function bucketDaysFor(days: number): number {
  return days > 120 ? 30 : 7;
}

export function computeFigures(options: {
  days: number;
  now?: Date;
  incidents: Incident[];
  postmortems: Postmortem[];
  actionItems: ActionItem[];
}): PeriodFigures {
  const now = options.now ?? new Date();
  const since = now.getTime() - options.days * DAY;
  const inPeriod = (iso: string | null | undefined) =>
    Boolean(iso) &&
    Date.parse(iso!) >= since &&
    Date.parse(iso!) <= now.getTime();

  // When it happened counts, not when it was recorded (imports come later).
  const incidents = options.incidents.filter(i => inPeriod(i.triggered_at));
  const bySeverity: Record<IncidentSeverity, number> = {
    critical: 0,
    high: 0,
    medium: 0,
    low: 0,
  };
  for (const incident of incidents) bySeverity[incident.severity]++;

  const resolved = incidents.filter(
    i => i.status === 'resolved' && i.resolved_at,
  );
  const mttrMs = resolved.length
    ? resolved.reduce(
        (sum, i) =>
          sum + (Date.parse(i.resolved_at!) - Date.parse(i.triggered_at)),
        0,
      ) / resolved.length
    : undefined;

  const items = options.actionItems.filter(item => inPeriod(item.created_at));
  const bucketDays = bucketDaysFor(options.days);
  const count = Math.ceil(options.days / bucketDays);
  const buckets: IncidentBucket[] = [];
  for (let i = count - 1; i >= 0; i--) {
    const end = now.getTime() - i * bucketDays * DAY;
    const start = Math.max(end - bucketDays * DAY, since);
    const startDate = new Date(start);
    buckets.push({
      start: startDate,
      label: startDate.toLocaleDateString(undefined, {
        month: 'short',
        day: bucketDays === 7 ? 'numeric' : undefined,
      }),
      count: incidents.filter(incident => {
        const t = Date.parse(incident.triggered_at);
        return t >= start && (t < end || (i === 0 && t <= end));
      }).length,
    });
  }

  return {
    incidents: incidents.length,
    bySeverity,
    resolved: resolved.length,
    mttrMs,
    published: options.postmortems.filter(
      p => p.status === 'published' && inPeriod(p.published_at),
    ).length,
    actionItemsDone: items.filter(item => item.status === 'done').length,
    actionItemsOpen: items.filter(item => item.status !== 'done').length,
    buckets,
  };
}
