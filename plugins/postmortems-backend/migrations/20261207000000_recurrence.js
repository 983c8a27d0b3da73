// @ts-check

/**
 * Cause categories and recurrence:
 *
 * - templates offer cause categories; every template written before this
 *   migration gets the default set, the built-ins included;
 * - post-mortems are filed under cause categories (postmortem_causes);
 * - action items remember when they were done (done_at). Items done before
 *   this migration count as done when they were last changed;
 * - postmortem_recurrences keeps each recurrence found: the later
 *   post-mortem, the earlier one whose action items were all done, what they
 *   share, and whether the earlier items' owners were told.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('templates', table => {
    table.text('cause_categories').notNullable().defaultTo('[]');
  });
  await knex('templates').update({
    cause_categories: JSON.stringify([
      'code-change',
      'configuration',
      'capacity',
      'dependency',
      'expiry',
      'data',
      'infrastructure',
      'process',
    ]),
  });

  await knex.schema.alterTable('action_items', table => {
    table.timestamp('done_at', { useTz: true }).nullable();
  });
  await knex('action_items')
    .where({ status: 'done' })
    .update({ done_at: knex.ref('updated_at') });

  await knex.schema.createTable('postmortem_causes', table => {
    table
      .string('postmortem_id')
      .notNullable()
      .references('id')
      .inTable('postmortems')
      .onDelete('CASCADE');
    table.string('category', 100).notNullable();
    table.primary(['postmortem_id', 'category']);
    table.index(['category'], 'postmortem_causes_category_index');
  });

  await knex.schema.createTable('postmortem_recurrences', table => {
    table.string('id').primary();
    table
      .string('postmortem_id')
      .notNullable()
      .references('id')
      .inTable('postmortems')
      .onDelete('CASCADE')
      .comment('the later post-mortem: its incident is the recurrence');
    table
      .string('earlier_postmortem_id')
      .notNullable()
      .references('id')
      .inTable('postmortems')
      .onDelete('CASCADE');
    table.text('categories').notNullable().comment('JSON string[]');
    table.text('services').notNullable().comment('JSON string[]');
    table.integer('items').notNullable();
    table.timestamp('items_done_at', { useTz: true }).notNullable();
    table.timestamp('detected_at', { useTz: true }).notNullable();
    table.timestamp('notified_at', { useTz: true }).nullable();
    table.unique(['postmortem_id', 'earlier_postmortem_id'], {
      indexName: 'postmortem_recurrences_pair_index',
    });
    table.index(
      ['earlier_postmortem_id'],
      'postmortem_recurrences_earlier_index',
    );
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('postmortem_recurrences');
  await knex.schema.dropTable('postmortem_causes');
  // Plain SQL rather than knex's dropColumn: on SQLite that rebuilds the
  // table, and dropping the old one would cascade to the rows that refer to it.
  await knex.raw('alter table action_items drop column done_at');
  await knex.raw('alter table templates drop column cause_categories');
};
