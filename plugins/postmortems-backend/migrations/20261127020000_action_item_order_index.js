// @ts-check

/**
 * An index in the order the action item list is sorted in (items with a due
 * date first, soonest first, then oldest first; see ActionItemStore.list).
 *
 * Without it, a filter that matches many items (`status=open`,
 * `overdue=true`) reads and sorts every matching row to return one page: with
 * 200,000 items, a sequential scan and a top-N sort of ~70,000 rows, 75 ms per
 * page on PostgreSQL (bench/scale.bench.ts). With it, the database walks the
 * index in order and stops after one page: under 1 ms. Narrow filters (an
 * owner) keep using the (owner, status) index.
 *
 * The expression `due_date is null` must match the ORDER BY exactly for the
 * planner to use the index; both SQLite and PostgreSQL index expressions.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.raw(
    'create index action_items_due_order_index on action_items ((due_date is null), due_date, created_at, id)',
  );
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.raw('drop index action_items_due_order_index');
};
