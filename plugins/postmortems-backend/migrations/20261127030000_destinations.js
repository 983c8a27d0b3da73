// @ts-check

/**
 * Destinations beyond Backstage.
 *
 * `postmortem_exports`: where each post-mortem was last pushed on each page
 * target (Confluence, Notion). The page id is kept so that exporting again
 * updates that page instead of creating a duplicate; one row per target.
 *
 * Action items linked to an issue tracker: the tracker id and issue key,
 * plus the issue state last seen in the tracker (`external_state`, `open` or
 * `closed`). Comparing a fresh reading with that state tells whether the
 * tracker changed since, which is what decides which side wins a sync (see
 * src/trackers/TrackerService.ts).
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('postmortem_exports', table => {
    table.string('id').primary();
    table
      .string('postmortem_id')
      .notNullable()
      .references('id')
      .inTable('postmortems')
      .onDelete('CASCADE');
    table
      .string('target')
      .notNullable()
      .comment('key under postmortems.exports');
    table.string('type').notNullable().comment('confluence|notion');
    table.string('external_id').nullable().comment('page id in the target');
    table.text('url').nullable();
    table
      .integer('version')
      .notNullable()
      .comment('the post-mortem version that was exported');
    table.timestamp('exported_at', { useTz: true }).notNullable();
    table.string('exported_by').notNullable();
    table.unique(['postmortem_id', 'target']);
  });

  await knex.schema.alterTable('action_items', table => {
    table
      .string('tracker')
      .nullable()
      .comment('key under postmortems.trackers');
    table
      .string('external_key')
      .nullable()
      .comment('issue key: owner/repo#12 or OPS-42');
    table
      .string('external_state')
      .nullable()
      .comment('open|closed: the issue state last seen in the tracker');
    table.timestamp('external_synced_at', { useTz: true }).nullable();
    table.index(['tracker', 'external_key'], 'action_items_tracker_key_idx');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.alterTable('action_items', table => {
    table.dropIndex(
      ['tracker', 'external_key'],
      'action_items_tracker_key_idx',
    );
  });
  await knex.schema.alterTable('action_items', table => {
    table.dropColumns(
      'tracker',
      'external_key',
      'external_state',
      'external_synced_at',
    );
  });
  await knex.schema.dropTable('postmortem_exports');
};
