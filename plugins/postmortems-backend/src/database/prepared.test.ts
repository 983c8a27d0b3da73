import { Knex } from 'knex';
import { createTestDatabases } from '@internal/postmortems-test-utils';
import { rowsPrepared } from './prepared';

jest.setTimeout(60_000);

const databases = createTestDatabases();

describe.each(databases.eachSupportedId())(
  'prepared statements on %p',
  databaseId => {
    let knex: Knex;

    beforeAll(async () => {
      knex = await databases.init(databaseId);
      await knex.schema.createTable('prepared_probe', table => {
        table.string('id').primary();
        table.string('name');
      });
      await knex('prepared_probe').insert({ id: 'a', name: 'first' });
    });

    it('answers like knex, emits its query events, and survives a table that changed under a prepared statement', async () => {
      const read = () =>
        rowsPrepared(
          knex,
          knex('prepared_probe').select('*').where({ id: 'a' }),
        );
      const seen: string[] = [];
      const listener = (query: { sql: string }) => seen.push(query.sql);
      knex.on('query', listener);
      expect(await read()).toEqual([{ id: 'a', name: 'first' }]);
      knex.removeListener('query', listener);
      expect(seen).toHaveLength(1);

      // Run it on every pooled connection, so that each has it prepared.
      await Promise.all(Array.from({ length: 10 }, read));
      // A migration elsewhere adds a column: the prepared plans are stale.
      await knex.schema.alterTable('prepared_probe', table => {
        table.string('extra').nullable();
      });
      const after = await Promise.all(Array.from({ length: 10 }, read));
      for (const rows of after) {
        expect(rows).toEqual([{ id: 'a', name: 'first', extra: null }]);
      }
    });
  },
);
