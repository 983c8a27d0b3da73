import { z } from 'zod';
import { entityRef, isoTime, timestamp } from './shared';

/*
 * Figures over a period, `GET /v1/figures`: counted by the database over any
 * range, so that a year of incidents never travels to the browser.
 */

const count = z.number().int().min(0);

const DAY_MS = 24 * 60 * 60 * 1000;

/** At most this many buckets per answer; a bucket is one SQL aggregate. */
const MAX_FIGURE_BUCKETS = 400;

/**
 * `GET /v1/figures?from=&to=&bucket_days=`: the period (`from` inclusive, `to`
 * inclusive) and the width of the incident buckets, counted back from `to`.
 *
 * @public
 */
export const figuresQuerySchema = z
  .object({
    from: isoTime,
    to: isoTime,
    bucket_days: z.coerce.number().int().min(1).max(366).default(7),
  })
  .superRefine((query, ctx) => {
    const from = Date.parse(query.from);
    const to = Date.parse(query.to);
    if (to <= from) {
      ctx.addIssue({
        code: 'custom',
        message: 'must be after from',
        path: ['to'],
      });
      return;
    }
    if ((to - from) / (query.bucket_days * DAY_MS) > MAX_FIGURE_BUCKETS) {
      ctx.addIssue({
        code: 'custom',
        message: `is too small for the period: at most ${MAX_FIGURE_BUCKETS} buckets`,
        path: ['bucket_days'],
      });
    }
  });
/** @public */
export type FiguresQuery = z.input<typeof figuresQuerySchema>;

/** Incidents triggered within one slice of the period. @public */
export const figureBucketSchema = z.object({
  start: timestamp,
  end: timestamp,
  count: z.number().int().min(0),
});
/** @public */
export type FigureBucket = z.infer<typeof figureBucketSchema>;

/**
 * What happened in a period: incidents by when they were triggered, post-mortems
 * by when they were published, action items by when they were created.
 *
 * @public
 */
export const figuresSchema = z.object({
  from: timestamp,
  to: timestamp,
  incidents: z.number().int().min(0),
  by_severity: z.object({
    critical: count,
    high: count,
    medium: count,
    low: count,
  }),
  /** Resolved incidents with a resolution time: the base of the MTTR. */
  resolved: z.number().int().min(0),
  /**
   * Mean time to resolve in milliseconds (triggered to the marked resolved
   * moment, or the incident's resolution); null without resolved incidents.
   */
  mttr_ms: z.number().nullable(),
  /**
   * Mean time to detect (triggered to the marked detected moment) over the
   * incidents with one, in milliseconds; null without any (or from a
   * backend that does not count it).
   */
  mttd_ms: z.number().nullable().default(null),
  /**
   * Mean time to acknowledge (triggered to the marked acknowledged moment, or
   * the incident's acknowledgement) in milliseconds; null without any.
   */
  mtta_ms: z.number().nullable().default(null),
  published: z.number().int().min(0),
  action_items_done: z.number().int().min(0),
  action_items_open: z.number().int().min(0),
  /** Oldest first; the last one ends at `to`. */
  buckets: z.array(figureBucketSchema),
});
/** @public */
export type Figures = z.infer<typeof figuresSchema>;

/** At most this many months in a breakdown by month (every one is a row). */
const MAX_BREAKDOWN_MONTHS = 240;

/**
 * What a breakdown groups by: the services an incident affected (an incident
 * counts once for each), the teams owning those services in the catalog (once
 * for each team, however many of its services were affected), or the
 * calendar month (UTC) the incident was triggered in.
 *
 * @public
 */
export const figuresBreakdownBySchema = z.enum([
  'service',
  'team',
  'month',
  'cause',
]);
/** @public */
export type FiguresBreakdownBy = z.infer<typeof figuresBreakdownBySchema>;

/**
 * `GET /v1/figures/breakdown?from=&to=&by=`: the incidents triggered in the
 * period (both ends included), grouped.
 *
 * @public
 */
export const figuresBreakdownQuerySchema = z
  .object({
    from: isoTime,
    to: isoTime,
    by: figuresBreakdownBySchema,
    /** Only the incidents that affected this service (a service's own story). */
    entity_ref: entityRef.optional(),
  })
  .superRefine((query, ctx) => {
    const from = Date.parse(query.from);
    const to = Date.parse(query.to);
    if (to <= from) {
      ctx.addIssue({
        code: 'custom',
        message: 'must be after from',
        path: ['to'],
      });
      return;
    }
    if (
      query.by === 'month' &&
      (to - from) / DAY_MS > MAX_BREAKDOWN_MONTHS * 31
    ) {
      ctx.addIssue({
        code: 'custom',
        message: `is too long before to: at most ${MAX_BREAKDOWN_MONTHS} months by month`,
        path: ['from'],
      });
    }
  });
/** @public */
export type FiguresBreakdownQuery = z.input<typeof figuresBreakdownQuerySchema>;

/**
 * The figures of one group: its incidents, their mean times, whether their
 * post-mortems are published and the action items those post-mortems hold.
 *
 * @public
 */
export const figuresBreakdownRowSchema = z.object({
  /**
   * The service or team entity ref (lower-case), or the month (`2026-01`);
   * null for the incidents without a service, or whose services have no
   * owner the catalog knows.
   */
  key: z.string().nullable(),
  /** The catalog's title (or name) of the service or team, when it has one. */
  title: z.string().optional(),
  incidents: count,
  /** Resolved incidents with a resolution time: the base of the MTTR. */
  resolved: count,
  /** Mean time to resolve in milliseconds, as in the period's figures. */
  mttr_ms: z.number().nullable(),
  /** Mean time to detect in milliseconds, over the incidents with one. */
  mttd_ms: z.number().nullable(),
  /** Mean time to acknowledge in milliseconds, over the incidents with one. */
  mtta_ms: z.number().nullable(),
  /** Incidents whose post-mortem is published. */
  published: count,
  /** Accepted action items of the incidents' post-mortems that are done. */
  action_items_done: count,
  /** Accepted action items of the incidents' post-mortems not done yet. */
  action_items_open: count,
  /**
   * Incidents that were recurrences: an earlier post-mortem of a shared
   * service and cause had all its action items done before they began.
   */
  recurrences: count.default(0),
  /**
   * Mean time from "all action items done" to the recurrence, in
   * milliseconds (the nearest earlier post-mortem of each); null without any.
   */
  recurrence_after_ms: z.number().nullable().default(null),
});
/** @public */
export type FiguresBreakdownRow = z.infer<typeof figuresBreakdownRowSchema>;

/**
 * The figures of a period by service, team or month. Services and teams come
 * most incidents first (the group without a key last); months come oldest
 * first, every month of the period included.
 *
 * @public
 */
export const figuresBreakdownSchema = z.object({
  from: timestamp,
  to: timestamp,
  by: figuresBreakdownBySchema,
  rows: z.array(figuresBreakdownRowSchema),
});
/** @public */
export type FiguresBreakdown = z.infer<typeof figuresBreakdownSchema>;
