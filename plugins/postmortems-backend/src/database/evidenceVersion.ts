import { Knex } from 'knex';

/**
 * Moves the evidence version of incidents whose evidence just changed (see
 * migration 20261208000000_evidence_version). Every store that writes an
 * incident's timeline, alerts, curation, fields or services calls it in the
 * same transaction or right after, so that evidence cached by any replica is
 * known stale on its next read.
 */
export async function evidenceChanged(
  db: Knex | Knex.Transaction,
  incidents: string | Knex.QueryBuilder,
): Promise<void> {
  const query = db('incidents');
  if (typeof incidents === 'string') query.where({ id: incidents });
  else query.whereIn('id', incidents);
  await query.update({ evidence_version: db.raw('evidence_version + 1') });
}
