// @ts-check

/**
 * Related post-mortems keep the published post-mortems' causes in memory and
 * must know when the published set changed, also when another replica
 * changed it. Asking the database for a fingerprint of the set (count, sum of
 * versions, latest change) scanned every published row on each request
 * (14 ms among 50,000). Instead a counter row, read by its primary key,
 * moves whenever a published post-mortem is written: inserted, amended,
 * published, unpublished or deleted (also when its incident's deletion
 * cascades to it). Triggers move it in the writing statement's own
 * transaction, so a reader that sees the new counter sees the write, and
 * every writer is covered, whatever code or SQL it comes from.
 *
 * On PostgreSQL the trigger runs once per statement, looking at the rows the
 * statement wrote (a bulk insert of many published post-mortems moves the
 * counter once, not once per row); SQLite only has row triggers, whose
 * `when` clause leaves drafts out.
 *
 * The counter is kept in 16 rows (shards), and each transaction moves the
 * one its transaction id picks: a moved row stays locked until its
 * transaction commits, and one row would make every concurrent amendment of
 * a published post-mortem wait for the one before it. Readers add the
 * shards up, which only ever grows as transactions commit.
 */
const SHARDS = 16;

/** @param {import('knex').Knex} knex */
exports.up = async function up(knex) {
  await knex.schema.createTable('change_counters', table => {
    table.comment('Counters that move whenever a set of rows changes');
    table.string('name').notNullable();
    table.integer('shard').notNullable();
    table.bigInteger('value').notNullable().defaultTo(0);
    table.primary(['name', 'shard']);
  });
  await knex('change_counters').insert(
    Array.from({ length: SHARDS }, (_, shard) => ({
      name: 'published_postmortems',
      shard,
      value: 0,
    })),
  );

  const sqlite = /sqlite/.test(String(knex.client.config.client));
  // SQLite has one writer at a time: any shard will do.
  const shard = sqlite
    ? `abs(random()) % ${SHARDS}`
    : `txid_current() % ${SHARDS}`;
  const bump = `update change_counters set value = value + 1 where name = 'published_postmortems' and shard = ${shard}`;
  if (sqlite) {
    await knex.raw(
      `create trigger postmortems_published_insert after insert on postmortems
       when new.status = 'published' begin ${bump}; end`,
    );
    await knex.raw(
      `create trigger postmortems_published_update after update on postmortems
       when old.status = 'published' or new.status = 'published' begin ${bump}; end`,
    );
    await knex.raw(
      `create trigger postmortems_published_delete after delete on postmortems
       when old.status = 'published' begin ${bump}; end`,
    );
    return;
  }

  // Each transition table exists only for the events that have it, and
  // PL/pgSQL plans a statement when it first runs it: hence the nesting.
  await knex.raw(`
    create function postmortems_published_changed() returns trigger
    language plpgsql as $$
    declare
      changed boolean := tg_op = 'TRUNCATE';
    begin
      if tg_op in ('UPDATE', 'DELETE') then
        if exists (select 1 from old_rows where status = 'published') then
          changed := true;
        end if;
      end if;
      if not changed and tg_op in ('INSERT', 'UPDATE') then
        if exists (select 1 from new_rows where status = 'published') then
          changed := true;
        end if;
      end if;
      if changed then
        ${bump};
      end if;
      return null;
    end
    $$`);
  await knex.raw(`
    create trigger postmortems_published_insert after insert on postmortems
    referencing new table as new_rows
    for each statement execute procedure postmortems_published_changed()`);
  await knex.raw(`
    create trigger postmortems_published_update after update on postmortems
    referencing old table as old_rows new table as new_rows
    for each statement execute procedure postmortems_published_changed()`);
  await knex.raw(`
    create trigger postmortems_published_delete after delete on postmortems
    referencing old table as old_rows
    for each statement execute procedure postmortems_published_changed()`);
  await knex.raw(`
    create trigger postmortems_published_truncate after truncate on postmortems
    for each statement execute procedure postmortems_published_changed()`);
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  const sqlite = /sqlite/.test(String(knex.client.config.client));
  for (const event of ['insert', 'update', 'delete', 'truncate']) {
    if (sqlite && event === 'truncate') continue;
    await knex.raw(
      `drop trigger if exists postmortems_published_${event}${
        sqlite ? '' : ' on postmortems'
      }`,
    );
  }
  if (!sqlite) {
    await knex.raw('drop function if exists postmortems_published_changed()');
  }
  await knex.schema.dropTable('change_counters');
};
