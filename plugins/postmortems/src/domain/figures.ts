import type {
  Figures,
  FiguresBreakdown,
  FiguresBreakdownBy,
  IncidentSeverity,
} from '@postmortems-oss/backstage-plugin-postmortems-common';
import { formatDuration } from './time';

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

/** A mean time, or a dash for a period without any. */
export const meanTime = (ms: number | undefined) =>
  ms === undefined ? '—' : formatDuration(ms);

/** One group of a breakdown as the figures view shows it. */
export interface BreakdownRow {
  /** The service or team ref, the month (`2026-01`), or none. */
  key: string | null;
  /** The catalog's name, the ref without one, or the month in words. */
  label: string;
  incidents: number;
  resolved: number;
  mttrMs: number | undefined;
  mttdMs: number | undefined;
  mttaMs: number | undefined;
  published: number;
  actionItemsDone: number;
  actionItemsTotal: number;
  /** Done out of all, 0 to 100 rounded; undefined without any item. */
  actionItemsDonePct: number | undefined;
  /** Incidents that were recurrences of an earlier post-mortem. */
  recurrences: number;
  /** Mean time from the earlier items all done to the recurrence. */
  recurrenceAfterMs: number | undefined;
}

/** What the row of a breakdown without a service or team stands for. */
const NO_GROUP: Record<FiguresBreakdownBy, string> = {
  service: 'No service',
  team: 'No known owner',
  month: '—',
  cause: 'Not filed',
};

/** A month key (`2026-01`) in words, in UTC: "Jan 2026". */
export function monthLabel(month: string): string {
  return new Date(`${month}-01T00:00:00Z`).toLocaleDateString(undefined, {
    month: 'short',
    year: 'numeric',
    timeZone: 'UTC',
  });
}

/** The backend's breakdown as the figures view shows it. */
export function toBreakdownRows(breakdown: FiguresBreakdown): BreakdownRow[] {
  return breakdown.rows.map(row => {
    const total = row.action_items_done + row.action_items_open;
    let label: string;
    if (row.key === null) label = NO_GROUP[breakdown.by];
    else if (breakdown.by === 'month') label = monthLabel(row.key);
    else label = row.title ?? row.key;
    return {
      key: row.key,
      label,
      incidents: row.incidents,
      resolved: row.resolved,
      mttrMs: row.mttr_ms ?? undefined,
      mttdMs: row.mttd_ms ?? undefined,
      mttaMs: row.mtta_ms ?? undefined,
      published: row.published,
      actionItemsDone: row.action_items_done,
      actionItemsTotal: total,
      actionItemsDonePct: total
        ? Math.round((row.action_items_done / total) * 100)
        : undefined,
      recurrences: row.recurrences,
      recurrenceAfterMs: row.recurrence_after_ms ?? undefined,
    };
  });
}
