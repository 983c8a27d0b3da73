// @ts-check

/**
 * Upstream incident sources (a Regen server): timeline entries and alerts
 * copied from an upstream keep its ids, so a sync that runs again, or runs on
 * two replicas at once, adds nothing twice; and the outcome of the last sync
 * is kept so that a failing upstream is reported rather than silent.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('timeline_entries', table => {
    table
      .string('external_id')
      .nullable()
      .comment('The id of this entry in the upstream it was copied from');
    // NULLs are distinct in both SQLite and PostgreSQL: local entries never clash.
    table.unique(['incident_id', 'external_id']);
  });

  await knex.schema.alterTable('alerts', table => {
    table.index(['source', 'external_id']);
  });

  await knex.schema.createTable('upstream_sync_state', table => {
    table.string('upstream').primary().comment('e.g. regen');
    table.timestamp('last_attempt_at', { useTz: true }).nullable();
    table.timestamp('last_success_at', { useTz: true }).nullable();
    table.text('last_error').nullable();
    table
      .text('last_counts')
      .notNullable()
      .defaultTo('{}')
      .comment('JSON: what the last successful sync copied');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('upstream_sync_state');
  await knex.schema.alterTable('alerts', table => {
    table.dropIndex(['source', 'external_id']);
  });
  await knex.schema.alterTable('timeline_entries', table => {
    table.dropUnique(['incident_id', 'external_id']);
    table.dropColumn('external_id');
  });
};
