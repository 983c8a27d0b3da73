import { randomUUID } from 'node:crypto';
import { Knex } from 'knex';
import { parseJson, toCount, toIsoRequired } from '../database/rows';

/** A recurrence as stored: the later post-mortem and the earlier one. */
export interface RecurrenceRecord {
  id: string;
  postmortemId: string;
  earlierPostmortemId: string;
  categories: string[];
  services: string[];
  items: number;
  itemsDoneAt: string;
  detectedAt: string;
  notifiedAt: string | null;
}

/** An earlier post-mortem whose cause came back, as the query finds it. */
export interface RecurrenceCandidate {
  earlierPostmortemId: string;
  categories: string[];
  services: string[];
  items: number;
  itemsDoneAt: string;
}

/** What the detection compares: a post-mortem's incident, services and causes. */
export interface RecurrenceSubject {
  postmortemId: string;
  incidentId: string;
  triggeredAt: string;
  /** Lower-case service refs. */
  services: string[];
  categories: string[];
}

/** How many bindings one `in (…)` takes; SQLite allows 999 per statement. */
const MAX_IN = 200;

/**
 * Recurrences found between post-mortems. The search for candidates is one
 * query: earlier incidents of a shared service, filed under a shared cause
 * category, whose accepted action items (at least one) were all done before
 * the later incident began.
 */
export class RecurrenceStore {
  constructor(private readonly db: Knex) {}

  async candidates(subject: RecurrenceSubject): Promise<RecurrenceCandidate[]> {
    if (!subject.services.length || !subject.categories.length) return [];
    const services = subject.services.slice(0, MAX_IN);
    const categories = subject.categories.slice(0, MAX_IN);
    const triggered = new Date(subject.triggeredAt);
    const accepted = (query: Knex.QueryBuilder) =>
      query
        .from('action_items as a')
        .whereRaw('a.postmortem_id = q.id')
        .where('a.accepted', true);
    const rows = await this.db('postmortems as q')
      .whereNot('q.id', subject.postmortemId)
      .whereNot('q.incident_id', subject.incidentId)
      .where('q.incident_triggered_at', '<', triggered)
      .whereExists(function sharedCause() {
        this.from('postmortem_causes as c')
          .whereRaw('c.postmortem_id = q.id')
          .whereIn('c.category', categories);
      })
      .whereExists(function sharedService() {
        this.from('incident_services as s')
          .whereRaw('s.incident_id = q.incident_id')
          .whereRaw(
            `lower(s.entity_ref) in (${services.map(() => '?').join(', ')})`,
            services,
          );
      })
      .whereExists(function withItems() {
        accepted(this).select('a.id');
      })
      .whereNotExists(function itemNotDoneInTime() {
        accepted(this)
          .where(q =>
            q
              .whereNot('a.status', 'done')
              .orWhereNull('a.done_at')
              .orWhere('a.done_at', '>=', triggered),
          )
          .select('a.id');
      })
      .select('q.id', 'q.incident_id');
    if (!rows.length) return [];

    const ids = rows.map(row => row.id as string);
    const [causes, serviceRows, items] = await Promise.all([
      this.db('postmortem_causes')
        .whereIn('postmortem_id', ids)
        .whereIn('category', categories)
        .select('postmortem_id', 'category'),
      this.db('incident_services')
        .whereIn(
          'incident_id',
          rows.map(row => row.incident_id as string),
        )
        .select('incident_id', 'entity_ref'),
      this.db('action_items')
        .whereIn('postmortem_id', ids)
        .where('accepted', true)
        .groupBy('postmortem_id')
        .select(
          'postmortem_id',
          this.db.raw('count(*) as ??', ['items']),
          this.db.raw('max(done_at) as ??', ['done_at']),
        ),
    ]);
    const wanted = new Set(services);
    return rows.map(row => {
      const item = items.find(i => i.postmortem_id === row.id)!;
      return {
        earlierPostmortemId: row.id,
        categories: causes
          .filter(c => c.postmortem_id === row.id)
          .map(c => c.category)
          .sort(),
        services: [
          ...new Set(
            serviceRows
              .filter(
                s =>
                  s.incident_id === row.incident_id &&
                  wanted.has(String(s.entity_ref).toLowerCase()),
              )
              .map(s => String(s.entity_ref)),
          ),
        ].sort(),
        items: toCount(item.items),
        itemsDoneAt: toIsoRequired(item.done_at),
      };
    });
  }

  /**
   * Makes the stored recurrences of `postmortemId` (as the later one) the
   * found ones, keeping when each was first detected and notified. Returns
   * those not stored before.
   */
  async replaceFor(
    postmortemId: string,
    found: RecurrenceCandidate[],
  ): Promise<RecurrenceRecord[]> {
    return this.db.transaction(async tx => {
      const existing = await tx('postmortem_recurrences')
        .where({ postmortem_id: postmortemId })
        .select('earlier_postmortem_id');
      const before = new Set(existing.map(row => row.earlier_postmortem_id));
      const now = new Set(found.map(f => f.earlierPostmortemId));
      const gone = [...before].filter(id => !now.has(id));
      if (gone.length) {
        await tx('postmortem_recurrences')
          .where({ postmortem_id: postmortemId })
          .whereIn('earlier_postmortem_id', gone)
          .delete();
      }
      const fresh: RecurrenceRecord[] = [];
      for (const candidate of found) {
        const values = {
          categories: JSON.stringify(candidate.categories),
          services: JSON.stringify(candidate.services),
          items: candidate.items,
          items_done_at: new Date(candidate.itemsDoneAt),
        };
        if (before.has(candidate.earlierPostmortemId)) {
          await tx('postmortem_recurrences')
            .where({
              postmortem_id: postmortemId,
              earlier_postmortem_id: candidate.earlierPostmortemId,
            })
            .update(values);
          continue;
        }
        const row = {
          id: randomUUID(),
          postmortem_id: postmortemId,
          earlier_postmortem_id: candidate.earlierPostmortemId,
          ...values,
          detected_at: new Date(),
          notified_at: null,
        };
        await tx('postmortem_recurrences').insert(row);
        fresh.push(toRecord(row));
      }
      return fresh;
    });
  }

  /** Recurrences in which `postmortemId` is the later or the earlier one. */
  async involving(postmortemId: string): Promise<RecurrenceRecord[]> {
    const rows = await this.db('postmortem_recurrences')
      .where({ postmortem_id: postmortemId })
      .orWhere({ earlier_postmortem_id: postmortemId })
      .orderBy('detected_at')
      .orderBy('id');
    return rows.map(toRecord);
  }

  async markNotified(id: string): Promise<void> {
    await this.db('postmortem_recurrences')
      .where({ id })
      .update({ notified_at: new Date() });
  }

  /** Later post-mortems of incidents that touched these services (lower-case refs). */
  async laterOnServices(
    postmortemId: string,
    triggeredAt: string,
    services: string[],
  ): Promise<string[]> {
    if (!services.length) return [];
    const refs = services.slice(0, MAX_IN);
    const rows = await this.db('postmortems as p')
      .whereNot('p.id', postmortemId)
      .where('p.incident_triggered_at', '>', new Date(triggeredAt))
      .whereExists(function onService() {
        this.from('incident_services as s')
          .whereRaw('s.incident_id = p.incident_id')
          .whereRaw(
            `lower(s.entity_ref) in (${refs.map(() => '?').join(', ')})`,
            refs,
          );
      })
      .whereExists(function filed() {
        this.from('postmortem_causes as c').whereRaw('c.postmortem_id = p.id');
      })
      .select('p.id');
    return rows.map(row => row.id);
  }
}

function toRecord(row: any): RecurrenceRecord {
  return {
    id: row.id,
    postmortemId: row.postmortem_id,
    earlierPostmortemId: row.earlier_postmortem_id,
    categories: parseJson<string[]>(row.categories, []),
    services: parseJson<string[]>(row.services, []),
    items: toCount(row.items),
    itemsDoneAt: toIsoRequired(row.items_done_at),
    detectedAt: toIsoRequired(row.detected_at),
    notifiedAt: row.notified_at ? toIsoRequired(row.notified_at) : null,
  };
}
