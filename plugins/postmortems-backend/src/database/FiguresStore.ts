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

/** A service and a team that owns it, both as lower-case entity refs. */
export interface ServiceOwner {
  service: string;
  team: string;
}

/**
 * How a breakdown groups the period's incidents: by affected service, by the
 * teams owning those services (as the catalog says, passed in), or by the
 * calendar month (UTC) of their trigger.
 */
export type FiguresGrouping =
  | { by: 'service' }
  | { by: 'team'; owners: ServiceOwner[] }
  | { by: 'month' }
  | { by: 'cause' };

/** The counts of one group of a breakdown. */
export interface FiguresGroupCounts {
  /** The service or team ref, or the month (`2026-01`); null for no group. */
  key: string | null;
  incidents: number;
  resolved: number;
  mttrMs: number | null;
  mttdMs: number | null;
  mttaMs: number | null;
  /** Incidents whose post-mortem is published. */
  published: number;
  /** Accepted action items of the group's incidents, done and not. */
  actionItemsDone: number;
  actionItemsOpen: number;
  /** Incidents that were recurrences of an earlier post-mortem. */
  recurrences: number;
  /** Mean time from the earlier items all done to the recurrence. */
  recurrenceAfterMs: number | null;
}

const RESOLVED =
  "incidents.status = 'resolved' and incidents.resolved_at is not null";

/** A mean as a number; null when no row had the moment. */
function average(value: unknown): number | null {
  return value === null || value === undefined ? null : Number(value);
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

  /**
   * The services affected by the period's incidents (lower-case refs), most
   * incidents first, at most `limit`: those whose owners a breakdown by team
   * asks the catalog for.
   */
  async servicesIn(range: FiguresRange, limit: number): Promise<string[]> {
    const rows: Array<{ service: string }> = await this.db(
      'incident_services as s',
    )
      .join('incidents', 'incidents.id', 's.incident_id')
      .whereBetween('incidents.triggered_at', [range.from, range.to])
      .groupBy(this.db.raw('lower(s.entity_ref)'))
      .select(this.db.raw('lower(s.entity_ref) as service'))
      .orderByRaw('count(*) desc, lower(s.entity_ref)')
      .limit(limit);
    return rows.map(row => row.service);
  }

  /**
   * The period's incidents grouped, one row per group, counted in one
   * statement. An incident belongs to a group once however many of its
   * services lead there, so counts and means never weigh it twice.
   */
  async breakdown(
    range: FiguresRange,
    grouping: FiguresGrouping,
    /** Only incidents of this service (lower-case ref). */
    service?: string,
  ): Promise<FiguresGroupCounts[]> {
    const { db } = this;
    // Recurrences per incident: the nearest earlier post-mortem whose items
    // were all done, and how long before this incident they were.
    const recurring = db('postmortem_recurrences as r')
      .join('postmortems as rp', 'rp.id', 'r.postmortem_id')
      .groupBy('rp.incident_id')
      .select(
        'rp.incident_id',
        db.raw(
          `min(${this.differenceMs(
            'rp.incident_triggered_at',
            'r.items_done_at',
          )}) as ??`,
          ['after_ms'],
        ),
      )
      .as('recurring');
    // Action items per incident first: joined per item, an incident would
    // weigh in the means once per item.
    const items = db('action_items')
      .where('accepted', true)
      .groupBy('incident_id')
      .select(
        'incident_id',
        db.raw("sum(case when status = 'done' then 1 else 0 end) as ??", [
          'done',
        ]),
        db.raw("sum(case when status = 'done' then 0 else 1 end) as ??", [
          'open',
        ]),
      )
      .as('items');
    const query = this.withKeyMoments(
      db
        .queryBuilder()
        .from(this.membership(range, grouping, service))
        .join('incidents', 'incidents.id', 'groups.incident_id'),
    )
      .leftJoin('postmortems', 'postmortems.incident_id', 'incidents.id')
      .leftJoin(items, 'items.incident_id', 'incidents.id')
      .leftJoin(recurring, 'recurring.incident_id', 'incidents.id')
      .groupBy('groups.group_key')
      .select(
        'groups.group_key',
        db.raw('count(*) as ??', ['total']),
        this.sumWhen(RESOLVED, [], 'resolved'),
        ...this.means(),
        this.sumWhen("postmortems.status = 'published'", [], 'published'),
        db.raw('coalesce(sum(items.done), 0) as ??', ['items_done']),
        db.raw('coalesce(sum(items.open), 0) as ??', ['items_open']),
        this.sumWhen('recurring.incident_id is not null', [], 'recurrences'),
        db.raw('avg(recurring.after_ms) as ??', ['recurrence_after']),
      );
    if (grouping.by === 'team') {
      query.with(
        'team_of',
        ['service_ref', 'team_ref'],
        grouping.owners.length
          ? db.raw(
              `values ${grouping.owners.map(() => '(?, ?)').join(', ')}`,
              grouping.owners.flatMap(o => [o.service, o.team]),
            )
          : // No owner known: a table without rows, of the same shape.
            db.raw('select cast(null as text), cast(null as text) where 1 = 0'),
      );
    }
    const rows: Array<Record<string, unknown>> = await query;
    return rows.map(row => ({
      key: row.group_key === null ? null : String(row.group_key),
      incidents: toCount(row.total),
      resolved: toCount(row.resolved),
      mttrMs: average(row.mttr),
      mttdMs: average(row.mttd),
      mttaMs: average(row.mtta),
      published: toCount(row.published),
      actionItemsDone: toCount(row.items_done),
      actionItemsOpen: toCount(row.items_open),
      recurrences: toCount(row.recurrences),
      recurrenceAfterMs: average(row.recurrence_after),
    }));
  }

  /**
   * Which group each of the period's incidents belongs to, one row per
   * group and incident (`groups`: group_key, incident_id).
   */
  private membership(
    range: FiguresRange,
    grouping: FiguresGrouping,
    service?: string,
  ) {
    const { db } = this;
    const inPeriod = (query: Knex.QueryBuilder) => {
      query.whereBetween('i.triggered_at', [range.from, range.to]);
      if (service) {
        query.whereExists(
          db('incident_services as fs')
            .select(db.raw('1'))
            .whereRaw('fs.incident_id = i.id')
            .whereRaw('lower(fs.entity_ref) = ?', [service]),
        );
      }
      return query;
    };
    if (grouping.by === 'cause') {
      // The categories of an incident's post-mortem, each once; an incident
      // whose cause is not filed has a row with no key.
      const filed = (query: Knex.QueryBuilder) =>
        query
          .from('postmortems as cp')
          .join('postmortem_causes as c', 'c.postmortem_id', 'cp.id');
      return inPeriod(
        filed(db.queryBuilder())
          .join('incidents as i', 'i.id', 'cp.incident_id')
          .distinct('c.category as group_key', 'i.id as incident_id'),
      )
        .unionAll(
          inPeriod(
            db('incidents as i')
              .select(
                db.raw('null as ??', ['group_key']),
                'i.id as incident_id',
              )
              .whereNotExists(
                filed(db.queryBuilder())
                  .select(db.raw('1'))
                  .whereRaw('cp.incident_id = i.id'),
              ),
          ),
          false,
        )
        .as('groups');
    }
    if (grouping.by === 'month') {
      return inPeriod(
        db('incidents as i').select(
          db.raw(`${this.monthOf('i.triggered_at')} as ??`, ['group_key']),
          'i.id as incident_id',
        ),
      ).as('groups');
    }
    if (grouping.by === 'service') {
      // Refs are case-insensitive; an incident without services has a row
      // with no key.
      return inPeriod(
        db('incidents as i')
          .leftJoin('incident_services as s', 's.incident_id', 'i.id')
          .distinct(
            db.raw('lower(s.entity_ref) as ??', ['group_key']),
            'i.id as incident_id',
          ),
      ).as('groups');
    }
    // The teams of an incident's services, each once; an incident none of
    // whose services has a known owner has a row with no key.
    const owned = (query: Knex.QueryBuilder) =>
      query
        .from('incident_services as s')
        .join('team_of as t', 't.service_ref', db.raw('lower(s.entity_ref)'));
    return inPeriod(
      owned(db.queryBuilder())
        .join('incidents as i', 'i.id', 's.incident_id')
        .distinct('t.team_ref as group_key', 'i.id as incident_id'),
    )
      .unionAll(
        inPeriod(
          db('incidents as i')
            .select(db.raw('null as ??', ['group_key']), 'i.id as incident_id')
            .whereNotExists(
              owned(db.queryBuilder())
                .select(db.raw('1'))
                .whereRaw('s.incident_id = i.id'),
            ),
        ),
        // Unwrapped: SQLite takes no parentheses around a compound's parts.
        false,
      )
      .as('groups');
  }

  private async incidentCounts(
    range: FiguresRange,
    buckets: FiguresBucketRange[],
  ) {
    const columns = [
      this.db.raw('count(*) as ??', ['total']),
      ...(['critical', 'high', 'medium', 'low'] as const).map(severity =>
        this.sumWhen('incidents.severity = ?', [severity], `sev_${severity}`),
      ),
      this.sumWhen(RESOLVED, [], 'resolved'),
      ...this.means(),
      ...buckets.map((bucket, i) =>
        this.sumWhen(
          `incidents.triggered_at >= ? and incidents.triggered_at ${
            bucket.last ? '<=' : '<'
          } ?`,
          [bucket.start, bucket.end],
          `b${i}`,
        ),
      ),
    ];
    // Incidents count by when they happened, not when they were recorded
    // (imports come later).
    const row: Record<string, unknown> = await this.withKeyMoments(
      this.db('incidents'),
    )
      .whereBetween('incidents.triggered_at', [range.from, range.to])
      .select(columns)
      .first();
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

  private sumWhen(condition: string, bindings: unknown[], alias: string) {
    return this.db.raw(
      `coalesce(sum(case when ${condition} then 1 else 0 end), 0) as ??`,
      [...bindings, alias] as Knex.RawBinding[],
    );
  }

  /**
   * The incidents' key moments marked on the timeline, joined as
   * km_detected, km_acknowledged and km_resolved (`moment_at`). At most one
   * row per incident and kind (a unique index), so the joins never count an
   * incident twice.
   */
  private withKeyMoments(query: Knex.QueryBuilder): Knex.QueryBuilder {
    const marked = (kind: string) =>
      this.db('timeline_curation as c')
        .join('timeline_entries as e', 'e.id', 'c.entry_id')
        .where('c.key_moment', kind)
        .select('c.incident_id', 'e.timestamp as moment_at')
        .as(`km_${kind}`);
    return query
      .leftJoin(marked('detected'), 'km_detected.incident_id', 'incidents.id')
      .leftJoin(
        marked('acknowledged'),
        'km_acknowledged.incident_id',
        'incidents.id',
      )
      .leftJoin(marked('resolved'), 'km_resolved.incident_id', 'incidents.id');
  }

  /**
   * MTTR, MTTD and MTTA (`mttr`, `mttd`, `mtta`) over the incidents that
   * have the moment, with {@link FiguresStore.withKeyMoments} joined. Key
   * moments marked on the timeline come before the incident's own
   * timestamps; detection has no timestamp of its own.
   */
  private means() {
    const detectedAt = 'km_detected.moment_at';
    const acknowledgedAt =
      'coalesce(km_acknowledged.moment_at, incidents.acknowledged_at)';
    const resolvedAt = 'coalesce(km_resolved.moment_at, incidents.resolved_at)';
    const mean = (at: string, condition: string, alias: string) =>
      this.db.raw(
        `avg(case when ${condition} then ${this.durationMs(at)} end) as ??`,
        [alias],
      );
    return [
      mean(resolvedAt, RESOLVED, 'mttr'),
      mean(detectedAt, `${detectedAt} is not null`, 'mttd'),
      mean(acknowledgedAt, `${acknowledgedAt} is not null`, 'mtta'),
    ];
  }

  /**
   * The calendar month (UTC) of a timestamp column as `YYYY-MM`: PostgreSQL
   * keeps a timestamp with its zone, SQLite epoch milliseconds.
   */
  private monthOf(at: string): string {
    return this.db.client.dialect === 'postgresql'
      ? `to_char(${at} at time zone 'UTC', 'YYYY-MM')`
      : `strftime('%Y-%m', ${at} / 1000, 'unixepoch')`;
  }

  /**
   * A time minus triggered_at in milliseconds, zero when it comes first (a
   * moment marked on a line written before the incident was declared).
   * PostgreSQL keeps timestamps and subtracts to an interval; SQLite keeps
   * epoch milliseconds.
   */
  /** `later` minus `earlier` in milliseconds, as each database subtracts. */
  private differenceMs(later: string, earlier: string): string {
    return this.db.client.dialect === 'postgresql'
      ? `extract(epoch from (${later} - ${earlier})) * 1000`
      : `(${later} - ${earlier})`;
  }

  private durationMs(at: string): string {
    const difference = this.differenceMs(at, 'incidents.triggered_at');
    return `(case when ${difference} < 0 then 0 else ${difference} end)`;
  }
}
