// @ts-check

/**
 * Post-mortem lists are ordered by their incident's trigger time, newest
 * first. With that time only on `incidents`, every page joined and sorted all
 * matching post-mortems (155 ms for the last page of 50,000 published ones,
 * bench/scale.bench.ts), so reading them all page by page (the search
 * collator) took time growing with the square of their number. The time is
 * copied onto the post-mortem (an incident's trigger time never changes) and
 * indexed in the list's order, with and without the status filter.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('postmortems', table => {
    table
      .timestamp('incident_triggered_at', { useTz: true })
      .nullable()
      .comment("Copy of the incident's triggered_at: the list's sort key");
  });
  await knex('postmortems').update({
    incident_triggered_at: knex('incidents')
      .select('triggered_at')
      .where('incidents.id', knex.ref('postmortems.incident_id')),
  });
  await knex.raw(
    'create index postmortems_status_order_index on postmortems (status, incident_triggered_at desc, id)',
  );
  await knex.raw(
    'create index postmortems_order_index on postmortems (incident_triggered_at desc, id)',
  );
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.raw('drop index postmortems_order_index');
  await knex.raw('drop index postmortems_status_order_index');
  // Plain SQL rather than knex's dropColumn: on SQLite that rebuilds the
  // table, and dropping the old one would cascade to the post-mortems' rows
  // elsewhere (action items, reminders). Both databases drop a column in place.
  await knex.raw('alter table postmortems drop column incident_triggered_at');
};
