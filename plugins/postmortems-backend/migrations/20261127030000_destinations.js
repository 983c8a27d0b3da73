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
  await knex.transaction(async trx => upIn(trx));
};

/**
 * Not one transaction for the whole migration: SQLite's foreign keys can
 * only be switched off outside one, which the rollback needs (see down).
 */
exports.config = { transaction: false };

/** @param {import('knex').Knex} knex */
async function upIn(knex) {
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
}

/**
 * SQLite drops columns by rebuilding the table, and dropping the old
 * action_items would cascade to the reminders that refer to it: foreign keys
 * are switched off around the rebuild (and back to what they were).
 *
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  const sqlite = /sqlite/.test(String(knex.client.config.client));
  let foreignKeys = 0;
  if (sqlite) {
    const [row] = await knex.raw('PRAGMA foreign_keys');
    foreignKeys = Number(row?.foreign_keys ?? 0);
    await knex.raw('PRAGMA foreign_keys = OFF');
  }
  try {
    await knex.transaction(async trx => downIn(trx));
  } finally {
    if (sqlite)
      await knex.raw(`PRAGMA foreign_keys = ${foreignKeys ? 'ON' : 'OFF'}`);
  }
};

/** @param {import('knex').Knex} knex */
async function downIn(knex) {
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
}
