import type {
  Figures,
  IncidentSeverity,
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
  /** Mean time to detect: trigger to the key moment marked detected. */
  mttdMs: number | undefined;
  /** Mean time to acknowledge: trigger to acknowledgement. */
  mttaMs: number | undefined;
  published: number;
  actionItemsDone: number;
  actionItemsOpen: number;
  buckets: IncidentBucket[];
}

/** Weeks for a month or a quarter, months for a year. */
export function bucketDaysFor(days: number): number {
  return days > 120 ? 30 : 7;
}

/** The period that ends `now` and lasts `days`, as the figures route takes it. */
export function figuresPeriod(days: number, now = new Date()) {
  return {
    from: new Date(now.getTime() - days * DAY).toISOString(),
    to: now.toISOString(),
    bucketDays: bucketDaysFor(days),
  };
}

/**
 * The backend's figures as the view shows them: buckets labelled by their
 * first day (by month when they span a month).
 */
export function toPeriodFigures(figures: Figures): PeriodFigures {
  const byDay = figures.buckets.every(
    b => Date.parse(b.end) - Date.parse(b.start) <= 7 * DAY,
  );
  return {
    incidents: figures.incidents,
    bySeverity: figures.by_severity,
    resolved: figures.resolved,
    mttrMs: figures.mttr_ms ?? undefined,
    mttdMs: figures.mttd_ms ?? undefined,
    mttaMs: figures.mtta_ms ?? undefined,
    published: figures.published,
    actionItemsDone: figures.action_items_done,
    actionItemsOpen: figures.action_items_open,
    buckets: figures.buckets.map(bucket => {
      const start = new Date(bucket.start);
      return {
        start,
        count: bucket.count,
        label: start.toLocaleDateString(undefined, {
          month: 'short',
          day: byDay ? 'numeric' : undefined,
        }),
      };
    }),
  };
}
