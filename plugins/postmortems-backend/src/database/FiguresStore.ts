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
  /** Mean of resolved minus triggered, in milliseconds; null without any. */
  mttrMs: number | null;
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
    const columns = [
      this.db.raw('count(*) as ??', ['total']),
      ...(['critical', 'high', 'medium', 'low'] as const).map(severity =>
        sumWhen('severity = ?', [severity], `sev_${severity}`),
      ),
      sumWhen(resolved, [], 'resolved'),
      this.db.raw(
        `avg(case when ${resolved} then ${this.durationMs()} end) as ??`,
        ['mttr'],
      ),
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
    const row: Record<string, unknown> = await this.db('incidents')
      .whereBetween('triggered_at', [range.from, range.to])
      .select(columns)
      .first();
    const mttr =
      row.mttr === null || row.mttr === undefined ? null : Number(row.mttr);
    return {
      incidents: toCount(row.total),
      bySeverity: {
        critical: toCount(row.sev_critical),
        high: toCount(row.sev_high),
        medium: toCount(row.sev_medium),
        low: toCount(row.sev_low),
      },
      resolved: toCount(row.resolved),
      mttrMs: mttr,
      bucketCounts: buckets.map((_, i) => toCount(row[`b${i}`])),
    };
  }

  /**
   * resolved_at minus triggered_at in milliseconds. PostgreSQL keeps
   * timestamps and subtracts to an interval; SQLite keeps epoch milliseconds.
   */
  private durationMs(): string {
    return this.db.client.dialect === 'postgresql'
      ? 'extract(epoch from (resolved_at - triggered_at)) * 1000'
      : '(resolved_at - triggered_at)';
  }
}
