// @ts-check

/**
 * The post-mortems schema. Runs on SQLite (embedded default) and PostgreSQL.
 * JSON values are stored as text so both databases treat them alike.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('incidents', table => {
    table.string('id').primary();
    table.integer('number').notNullable().unique();
    table.text('title').notNullable();
    table.text('description').nullable();
    table.string('severity').notNullable();
    table.string('status').notNullable();
    table.text('summary').nullable();
    table.string('commander').nullable();
    table.text('chat').nullable().comment('JSON ChatThreadRef');
    table.string('source').notNullable().defaultTo('local');
    table.string('external_id').nullable();
    table.timestamp('triggered_at', { useTz: true }).notNullable();
    table.timestamp('acknowledged_at', { useTz: true }).nullable();
    table.timestamp('resolved_at', { useTz: true }).nullable();
    table.timestamp('canceled_at', { useTz: true }).nullable();
    table.string('created_by').nullable();
    table.timestamp('created_at', { useTz: true }).notNullable();
    table.timestamp('updated_at', { useTz: true }).notNullable();
    table.unique(['source', 'external_id']);
    table.index(['status']);
    table.index(['severity']);
    table.index(['triggered_at']);
  });

  // The services an incident affected, one row each, so that "post-mortems of
  // this service" is an indexed lookup rather than a scan of JSON.
  await knex.schema.createTable('incident_services', table => {
    table
      .string('incident_id')
      .notNullable()
      .references('id')
      .inTable('incidents')
      .onDelete('CASCADE');
    table.string('entity_ref').notNullable();
    table.primary(['incident_id', 'entity_ref']);
    table.index(['entity_ref']);
  });

  await knex.schema.createTable('timeline_entries', table => {
    // seq keeps insertion order among entries that share a timestamp.
    table.bigIncrements('seq').primary();
    table.string('id').notNullable().unique();
    table
      .string('incident_id')
      .notNullable()
      .references('id')
      .inTable('incidents')
      .onDelete('CASCADE');
    table.string('type').notNullable();
    table.string('actor').nullable();
    table.timestamp('timestamp', { useTz: true }).notNullable();
    table.text('content').notNullable().comment('JSON object');
    table.timestamp('created_at', { useTz: true }).notNullable();
    table.index(['incident_id', 'timestamp']);
  });

  await knex.schema.createTable('alerts', table => {
    table.string('id').primary();
    table.string('source').notNullable();
    table.string('external_id').nullable();
    table.string('severity').notNullable();
    table.string('status').notNullable();
    table.text('title').notNullable();
    table.text('description').nullable();
    table.text('labels').notNullable().comment('JSON object');
    table.timestamp('fired_at', { useTz: true }).notNullable();
    table.timestamp('acknowledged_at', { useTz: true }).nullable();
    table.timestamp('resolved_at', { useTz: true }).nullable();
    table.timestamp('created_at', { useTz: true }).notNullable();
    table.index(['fired_at']);
  });

  await knex.schema.createTable('incident_alerts', table => {
    table
      .string('incident_id')
      .notNullable()
      .references('id')
      .inTable('incidents')
      .onDelete('CASCADE');
    table
      .string('alert_id')
      .notNullable()
      .references('id')
      .inTable('alerts')
      .onDelete('CASCADE');
    table.timestamp('linked_at', { useTz: true }).notNullable();
    table.primary(['incident_id', 'alert_id']);
    table.index(['alert_id']);
  });

  await knex.schema.createTable('templates', table => {
    table.string('id').primary();
    table.string('name').notNullable().unique();
    table.text('description').notNullable();
    table.text('sections').notNullable().comment('JSON TemplateSection[]');
    table.text('action_item_categories').notNullable().comment('JSON string[]');
    table.boolean('is_builtin').notNullable().defaultTo(false);
    table.boolean('is_active').notNullable().defaultTo(false);
    table.timestamp('created_at', { useTz: true }).notNullable();
    table.timestamp('updated_at', { useTz: true }).notNullable();
  });

  await knex.schema.createTable('postmortems', table => {
    table.string('id').primary();
    table
      .string('incident_id')
      .notNullable()
      .unique()
      .references('id')
      .inTable('incidents')
      .onDelete('CASCADE');
    table.string('status').notNullable();
    table.text('content').notNullable();
    table.text('sections').notNullable().comment('JSON PostmortemSection[]');
    table.string('template_id').nullable();
    table.string('template_name').nullable();
    table.string('generated_by').notNullable();
    table.timestamp('generated_at', { useTz: true }).nullable();
    table.integer('version').notNullable();
    table.timestamp('published_at', { useTz: true }).nullable();
    table.string('published_by').nullable();
    table.string('created_by').nullable();
    table.string('updated_by').nullable();
    table.timestamp('created_at', { useTz: true }).notNullable();
    table.timestamp('updated_at', { useTz: true }).notNullable();
    table.index(['status']);
    table.index(['updated_at']);
  });

  // Every version a post-mortem ever had, so no save, generation or
  // publication can lose content.
  await knex.schema.createTable('postmortem_revisions', table => {
    table.string('id').primary();
    table
      .string('postmortem_id')
      .notNullable()
      .references('id')
      .inTable('postmortems')
      .onDelete('CASCADE');
    table.integer('version').notNullable();
    table.string('kind').notNullable();
    table.string('reason').notNullable();
    table.string('status').notNullable();
    table.text('content').notNullable();
    table.text('sections').notNullable();
    table.string('author').nullable();
    table.timestamp('created_at', { useTz: true }).notNullable();
    table.unique(['postmortem_id', 'version']);
  });

  await knex.schema.createTable('action_items', table => {
    table.string('id').primary();
    table
      .string('postmortem_id')
      .notNullable()
      .references('id')
      .inTable('postmortems')
      .onDelete('CASCADE');
    table.string('incident_id').notNullable();
    table.text('description').notNullable();
    table.string('owner').nullable();
    // A calendar date (YYYY-MM-DD): text compares correctly and has no time zone.
    table.string('due_date', 10).nullable();
    table.string('status').notNullable();
    table.string('category').nullable();
    table.text('external_url').nullable();
    table.string('source').notNullable();
    table.boolean('accepted').notNullable().defaultTo(true);
    table.string('created_by').nullable();
    table.timestamp('created_at', { useTz: true }).notNullable();
    table.timestamp('updated_at', { useTz: true }).notNullable();
    table.index(['postmortem_id']);
    table.index(['incident_id']);
    table.index(['owner', 'status']);
    table.index(['status', 'due_date']);
  });

  await knex.schema.createTable('postmortem_comments', table => {
    table.string('id').primary();
    table
      .string('postmortem_id')
      .notNullable()
      .references('id')
      .inTable('postmortems')
      .onDelete('CASCADE');
    table.string('author').notNullable();
    table.text('body').notNullable();
    table.timestamp('created_at', { useTz: true }).notNullable();
    table.index(['postmortem_id', 'created_at']);
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  for (const table of [
    'postmortem_comments',
    'action_items',
    'postmortem_revisions',
    'postmortems',
    'templates',
    'incident_alerts',
    'alerts',
    'timeline_entries',
    'incident_services',
    'incidents',
  ]) {
    await knex.schema.dropTable(table);
  }
};
