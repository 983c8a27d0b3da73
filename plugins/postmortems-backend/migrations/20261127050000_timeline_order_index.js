// @ts-check

/**
 * An incident's timeline is read in (timestamp, seq) order, a page at a time.
 * With an index on (incident_id, timestamp) only, a deep page of a long
 * timeline (the last page of 200,000 entries) was a sequential scan and an
 * on-disk sort of all of them: 393 ms (bench/scale.bench.ts). This index
 * holds the whole order, so the store can find a page's entries by walking
 * the index alone and then read just those rows (see
 * IncidentStore.listTimeline). It replaces the (incident_id, timestamp) one,
 * whose every use it serves.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('timeline_entries', table => {
    table.index(
      ['incident_id', 'timestamp', 'seq'],
      'timeline_entries_incident_order_index',
    );
  });
  await knex.schema.alterTable('timeline_entries', table => {
    table.dropIndex(['incident_id', 'timestamp']);
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.alterTable('timeline_entries', table => {
    table.index(['incident_id', 'timestamp']);
  });
  await knex.schema.alterTable('timeline_entries', table => {
    table.dropIndex(
      ['incident_id', 'timestamp', 'seq'],
      'timeline_entries_incident_order_index',
    );
  });
};
