// @ts-check

/**
 * Lists filter by who may read a draft in SQL (see
 * src/database/readableScope.ts): the incident's commander, the post-mortem's
 * authors, and the services an incident affected, matched case-insensitively
 * because entity refs are. Without these indexes a restricted user's list
 * scanned every revision and every incident-service row.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('incidents', table => {
    table.index(['commander'], 'incidents_commander_index');
  });
  await knex.schema.alterTable('postmortem_revisions', table => {
    table.index(['author', 'postmortem_id'], 'postmortem_revisions_author_index');
  });
  // An expression index; SQLite (3.9+) and PostgreSQL both take this form.
  await knex.raw(
    'CREATE INDEX incident_services_entity_ref_lower_index ON incident_services (lower(entity_ref), incident_id)',
  );
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.raw('DROP INDEX incident_services_entity_ref_lower_index');
  await knex.schema.alterTable('postmortem_revisions', table => {
    table.dropIndex(['author', 'postmortem_id'], 'postmortem_revisions_author_index');
  });
  await knex.schema.alterTable('incidents', table => {
    table.dropIndex(['commander'], 'incidents_commander_index');
  });
};
