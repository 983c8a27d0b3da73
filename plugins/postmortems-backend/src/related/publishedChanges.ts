import { Knex } from 'knex';

/**
 * The change counter of the published post-mortems: its shards added up (see
 * the migration `20261208100000_published_change_counter`). It only grows, and
 * moves in the same transaction as any write to a published post-mortem.
 * Undefined when the counter has no rows.
 */
export async function publishedChangeCount(
  db: Knex,
): Promise<number | undefined> {
  const counter = await db('change_counters')
    .where('name', 'published_postmortems')
    .sum({ value: 'value' })
    .first();
  return counter?.value === null || counter?.value === undefined
    ? undefined
    : Number(counter.value);
}
