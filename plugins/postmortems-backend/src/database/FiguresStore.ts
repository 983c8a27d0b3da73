import { Knex } from 'knex';
import { toCount } from './rows';

/** A period to count over; both ends included. */
export interface FiguresRange {
  from: Date;
  to: Date;
}

/** A slice of the period; `end` is excluded except for the last slice. */
export interface FiguresBucketRange {
  start: Date;
  end: Date;
  last: boolean;
}

/** The counts of a period as the database computes them. */
export interface FiguresCounts {
  incidents: number;
  bySeverity: Record<'critical' | 'high' | 'medium' | 'low', number>;
  resolved: number;
  /**
   * Mean of resolved (the marked moment, or the incident's) minus triggered,
   * in milliseconds; null without any.
   */
  mttrMs: number | null;
  /** Mean of the marked detected moment minus triggered; null without any. */
  mttdMs: number | null;
  /**
   * Mean of acknowledged (the marked moment, or the incident's) minus
   * triggered; null without any.
   */
  mttaMs: number | null;
  published: number;
  actionItemsDone: number;
  actionItemsOpen: number;
  bucketCounts: number[];
}

/**
 * Figures by SQL aggregates: each table is read once with conditional sums,
 * so the cost does not grow with what the period holds in the browser.
 */
export class FiguresStore {
  constructor(private readonly db: Knex) {}

  async counts(
    range: FiguresRange,
    buckets: FiguresBucketRange[],
  ): Promise<FiguresCounts> {
    const [incidents, published, actionItems] = await Promise.all([
      this.incidentCounts(range, buckets),
      this.db('postmortems')
        .where('status', 'published')
        .whereBetween('published_at', [range.from, range.to])
        .count({ count: '*' })
        .first(),
      this.db('action_items')
        .whereBetween('created_at', [range.from, range.to])
        .select(
          this.db.raw(
            "coalesce(sum(case when status = 'done' then 1 else 0 end), 0) as done",
          ),
          this.db.raw(
            "coalesce(sum(case when status = 'done' then 0 else 1 end), 0) as open",
          ),
        )
        .first(),
    ]);
    return {
      ...incidents,
      published: toCount(published?.count),
      actionItemsDone: toCount(actionItems?.done),
      actionItemsOpen: toCount(actionItems?.open),
    };
  }

  private async incidentCounts(
    range: FiguresRange,
    buckets: FiguresBucketRange[],
  ) {
    const sumWhen = (condition: string, bindings: unknown[], alias: string) =>
      this.db.raw(
        `coalesce(sum(case when ${condition} then 1 else 0 end), 0) as ??`,
        [...bindings, alias] as Knex.RawBinding[],
      );
    const resolved = "status = 'resolved' and resolved_at is not null";
    // Key moments marked on the timeline come before the incident's own
    // timestamps; detection has no timestamp of its own.
    const detectedAt = 'km_detected.moment_at';
    const acknowledgedAt =
      'coalesce(km_acknowledged.moment_at, acknowledged_at)';
    const resolvedAt = 'coalesce(km_resolved.moment_at, resolved_at)';
    const mean = (at: string, condition: string, alias: string) =>
      this.db.raw(
        `avg(case when ${condition} then ${this.durationMs(at)} end) as ??`,
        [alias],
      );
    const columns = [
      this.db.raw('count(*) as ??', ['total']),
      ...(['critical', 'high', 'medium', 'low'] as const).map(severity =>
        sumWhen('severity = ?', [severity], `sev_${severity}`),
      ),
      sumWhen(resolved, [], 'resolved'),
      mean(resolvedAt, resolved, 'mttr'),
      mean(detectedAt, `${detectedAt} is not null`, 'mttd'),
      mean(acknowledgedAt, `${acknowledgedAt} is not null`, 'mtta'),
      ...buckets.map((bucket, i) =>
        sumWhen(
          `triggered_at >= ? and triggered_at ${bucket.last ? '<=' : '<'} ?`,
          [bucket.start, bucket.end],
          `b${i}`,
        ),
      ),
    ];
    // Incidents count by when they happened, not when they were recorded
    // (imports come later).
    const marked = (kind: string) =>
      this.db('timeline_curation as c')
        .join('timeline_entries as e', 'e.id', 'c.entry_id')
        .where('c.key_moment', kind)
        .select('c.incident_id', 'e.timestamp as moment_at')
        .as(`km_${kind}`);
    // At most one row per incident and kind (a unique index), so the joins
    // never count an incident twice.
    const row: Record<string, unknown> = await this.db('incidents')
      .leftJoin(marked('detected'), 'km_detected.incident_id', 'incidents.id')
      .leftJoin(
        marked('acknowledged'),
        'km_acknowledged.incident_id',
        'incidents.id',
      )
      .leftJoin(marked('resolved'), 'km_resolved.incident_id', 'incidents.id')
      .whereBetween('triggered_at', [range.from, range.to])
      .select(columns)
      .first();
    const average = (value: unknown) =>
      value === null || value === undefined ? null : Number(value);
    return {
      incidents: toCount(row.total),
      bySeverity: {
        critical: toCount(row.sev_critical),
        high: toCount(row.sev_high),
        medium: toCount(row.sev_medium),
        low: toCount(row.sev_low),
      },
      resolved: toCount(row.resolved),
      mttrMs: average(row.mttr),
      mttdMs: average(row.mttd),
      mttaMs: average(row.mtta),
      bucketCounts: buckets.map((_, i) => toCount(row[`b${i}`])),
    };
  }

  /**
   * A time minus triggered_at in milliseconds, zero when it comes first (a
   * moment marked on a line written before the incident was declared).
   * PostgreSQL keeps timestamps and subtracts to an interval; SQLite keeps
   * epoch milliseconds.
   */
  private durationMs(at: string): string {
    const difference =
      this.db.client.dialect === 'postgresql'
        ? `extract(epoch from (${at} - triggered_at)) * 1000`
        : `(${at} - triggered_at)`;
    return `(case when ${difference} < 0 then 0 else ${difference} end)`;
  }
}
