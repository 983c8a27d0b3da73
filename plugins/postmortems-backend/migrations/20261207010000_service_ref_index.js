// @ts-check

/**
 * Entity refs are compared case-insensitively (`lower(entity_ref) in (…)`)
 * when related post-mortems, recurrences and figures look for the incidents
 * of a service; an index on the lower-cased ref serves those lookups on both
 * databases instead of a scan of every incident's services.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.raw(
    'create index incident_services_lower_ref_index on incident_services (lower(entity_ref))',
  );
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.raw('drop index incident_services_lower_ref_index');
};
