// @ts-check

/**
 * Generation: persisted jobs (so a restart or another replica can finish
 * them), and the evidence check findings and evidence links kept with each
 * post-mortem.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('postmortems', table => {
    table
      .text('findings')
      .notNullable()
      .defaultTo('[]')
      .comment('JSON EvidenceFinding[]');
    table
      .text('evidence')
      .notNullable()
      .defaultTo('{}')
      .comment('JSON section key -> timeline entry ids');
  });

  await knex.schema.createTable('generation_jobs', table => {
    table.string('id').primary();
    table
      .string('incident_id')
      .notNullable()
      .references('id')
      .inTable('incidents')
      .onDelete('CASCADE');
    table.string('kind').notNullable();
    table.string('section_key').nullable();
    table.string('status').notNullable();
    table.string('provider').notNullable();
    table.string('template_id').nullable();
    table.text('sections_done').notNullable().defaultTo('[]');
    // Sections finished so far, streamed to watchers; the post-mortem itself
    // is written once, when the whole job succeeds.
    table.text('partial_sections').notNullable().defaultTo('[]');
    table.text('error').nullable();
    table.integer('attempts').notNullable().defaultTo(0);
    table.string('requested_by').nullable();
    // The version of the post-mortem the job started from (null: none existed).
    table.integer('base_version').nullable();
    table.string('locked_by').nullable();
    table.timestamp('locked_until', { useTz: true }).nullable();
    table.timestamp('created_at', { useTz: true }).notNullable();
    table.timestamp('updated_at', { useTz: true }).notNullable();
    table.timestamp('finished_at', { useTz: true }).nullable();
    table.index(['status', 'created_at']);
    table.index(['incident_id']);
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('generation_jobs');
  await knex.schema.alterTable('postmortems', table => {
    table.dropColumn('findings');
    table.dropColumn('evidence');
  });
};
