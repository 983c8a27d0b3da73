// @ts-check

/**
 * How authors curate an incident's timeline for its post-mortem: entries
 * hidden or shown (null: as the noise rule says), pinned, and the key moments
 * (detected, acknowledged, mitigated, resolved). Kept beside the entries,
 * which stay as they were recorded. An incident has each key moment on at
 * most one entry: the unique index holds it (NULLs do not collide on SQLite
 * or PostgreSQL). A new table, so existing data is untouched.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('timeline_curation', table => {
    table
      .string('incident_id')
      .notNullable()
      .references('id')
      .inTable('incidents')
      .onDelete('CASCADE');
    table
      .string('entry_id')
      .notNullable()
      .references('id')
      .inTable('timeline_entries')
      .onDelete('CASCADE');
    table.boolean('hidden').nullable();
    table.boolean('pinned').notNullable().defaultTo(false);
    table.string('key_moment').nullable();
    table.string('updated_by').nullable();
    table.timestamp('updated_at', { useTz: true }).notNullable();
    table.primary(['incident_id', 'entry_id']);
    table.unique(['incident_id', 'key_moment'], {
      indexName: 'timeline_curation_key_moment_unique',
    });
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('timeline_curation');
};
