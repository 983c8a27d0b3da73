// @ts-check

/**
 * A counter on each incident that moves whenever its evidence changes: the
 * incident's own fields and services, its timeline, its alerts or the
 * authors' curation of the timeline. Saving a post-mortem checks the draft
 * against that evidence; with the counter, which is read in the same
 * statement as the post-mortem, a replica can keep the assembled evidence in
 * memory and know, without another query, whether it is still current,
 * even when another replica changed the timeline.
 *
 * Existing incidents start at 0: no replica holds evidence from before.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('incidents', table => {
    table.integer('evidence_version').notNullable().defaultTo(0);
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  // Plain SQL rather than knex's dropColumn, which rebuilds the table on
  // SQLite and would cascade to the rows that refer to it.
  await knex.raw('alter table incidents drop column evidence_version');
};
