// @ts-check

/**
 * Action item reminders: one row per notification sent (or being sent).
 *
 * The row is the claim. A replica inserts it before sending and only the
 * replica whose insert went in sends, so the unique key is what keeps two
 * replicas (or two runs) from notifying twice. The key is what the reminder
 * is about: the owner for `assigned`, the due date for `due_soon` and
 * `overdue`, so that reassigning an item or moving its due date gives a new
 * reminder.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('action_item_reminders', table => {
    table.string('id').primary();
    table
      .string('action_item_id')
      .notNullable()
      .references('id')
      .inTable('action_items')
      .onDelete('CASCADE');
    table.string('kind').notNullable().comment('assigned|due_soon|overdue');
    table
      .string('reminder_key')
      .notNullable()
      .comment('owner for assigned, due date for due_soon and overdue');
    table.string('recipient').notNullable();
    table.timestamp('sent_at', { useTz: true }).notNullable();
    table.unique(['action_item_id', 'kind', 'reminder_key']);
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('action_item_reminders');
};
