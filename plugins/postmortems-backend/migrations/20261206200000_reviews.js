// @ts-check

/**
 * Review before publishing and amendments after it:
 *
 * - templates name the reviewers whose approval publishing waits for;
 * - every step of a review (a request, an approval, a request for changes)
 *   is kept in postmortem_reviews, with the content it was taken on, so an
 *   approval of content that changed since no longer counts;
 * - post-mortems remember the version that was published, so edits after
 *   publishing show as amendments. Post-mortems published before this
 *   migration get the version of their last publish revision.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('templates', table => {
    table.text('reviewers').notNullable().defaultTo('[]');
  });
  await knex.schema.alterTable('postmortems', table => {
    table.integer('published_version').nullable();
  });
  await knex.raw(`
    UPDATE postmortems SET published_version = (
      SELECT MAX(r.version) FROM postmortem_revisions r
      WHERE r.postmortem_id = postmortems.id
        AND r.reason IN ('publish', 'save-and-publish')
    )
    WHERE status = 'published'`);
  // A published post-mortem without a publish revision (imported as
  // published) counts as published at its current version.
  await knex('postmortems')
    .where({ status: 'published' })
    .whereNull('published_version')
    .update({ published_version: knex.ref('version') });

  await knex.schema.createTable('postmortem_reviews', table => {
    table.string('id').primary();
    table
      .string('postmortem_id')
      .notNullable()
      .references('id')
      .inTable('postmortems')
      .onDelete('CASCADE');
    table.string('kind').notNullable();
    table.string('author').notNullable();
    table.text('reviewers').notNullable().defaultTo('[]');
    table.text('comment').nullable();
    table.integer('version').notNullable();
    table.string('content_hash').notNullable();
    table.timestamp('created_at', { useTz: true }).notNullable();
    table.index(
      ['postmortem_id', 'created_at'],
      'postmortem_reviews_order_index',
    );
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('postmortem_reviews');
  // Plain SQL rather than knex's dropColumn: on SQLite that rebuilds the
  // table, and dropping the old one would cascade to the rows that refer to
  // it (action items, reminders). Both databases drop a column in place.
  await knex.raw('alter table postmortems drop column published_version');
  await knex.raw('alter table templates drop column reviewers');
};
