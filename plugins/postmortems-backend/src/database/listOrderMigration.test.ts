import { Knex } from 'knex';
import {
  rollBackThrough,
  storedIncident,
  storedPostmortem,
} from '../__testUtils__/storeFixtures';
import { createTestDatabases } from '@internal/postmortems-test-utils';
import { applyDatabaseMigrations } from './migrations';
import { PostmortemStore } from './PostmortemStore';

jest.setTimeout(60_000);

const databases = createTestDatabases();
const MIGRATION = '20261127040000_postmortem_list_order.js';

describe.each(databases.eachSupportedId())(
  'post-mortem list order on %p',
  databaseId => {
    let knex: Knex;

    beforeAll(async () => {
      knex = await databases.init(databaseId);
      await applyDatabaseMigrations(knex);
    });

    const postmortemOf = async (triggeredAt: string) => {
      const incident = await storedIncident(knex, { triggeredAt });
      return storedPostmortem(knex, incident.id);
    };

    it('lists newest incidents first, including post-mortems written before the sort key existed', async () => {
      // One post-mortem from before the migration (its sort key is filled in
      // when the migration runs again), two after.
      await rollBackThrough(knex, MIGRATION);
      const now = new Date();
      // Rows as the stores of that time wrote them.
      const oldIncident = { id: 'incident-before' };
      await knex('incidents').insert({
        id: oldIncident.id,
        number: 1,
        title: 'x',
        severity: 'low',
        status: 'resolved',
        source: 'local',
        triggered_at: new Date('2026-01-01T00:00:00Z'),
        created_at: now,
        updated_at: now,
      });
      const old = { id: 'written-before' };
      // As the store wrote rows before the migration: no sort key.
      await knex('postmortems').insert({
        id: old.id,
        incident_id: oldIncident.id,
        status: 'draft',
        content: '',
        sections: '[]',
        generated_by: 'manual',
        version: 1,
        created_at: now,
        updated_at: now,
      });
      await applyDatabaseMigrations(knex);
      const newest = await postmortemOf('2026-10-01T00:00:00Z');
      const middle = await postmortemOf('2026-05-01T00:00:00Z');

      const { data, total } = await new PostmortemStore(knex).list({
        offset: 0,
        limit: 10,
      });
      expect(total).toBe(3);
      expect(data.map(p => p.id)).toEqual([newest.id, middle.id, old.id]);
    });
  },
);
