import { resolvePackagePath } from '@backstage/backend-plugin-api';
import { Knex } from 'knex';
import { createTestDatabases } from '../__testUtils__/testDatabases';
import { IncidentStore } from './IncidentStore';
import { applyDatabaseMigrations } from './migrations';
import { PostmortemStore } from './PostmortemStore';

jest.setTimeout(60_000);

const databases = createTestDatabases();
const directory = resolvePackagePath(
  '@postmortems-oss/backstage-plugin-postmortems-backend',
  'migrations',
);
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
      const incident = await new IncidentStore(knex).create({
        title: `Triggered ${triggeredAt}`,
        severity: 'low',
        status: 'resolved',
        triggeredAt,
      });
      return new PostmortemStore(knex).create(
        {
          incidentId: incident.id,
          content: '',
          sections: [],
          templateId: null,
          templateName: null,
          generatedBy: 'manual',
          generatedAt: null,
          createdBy: null,
        },
        { kind: 'human', reason: 'create', author: null },
      );
    };

    it('lists newest incidents first, including post-mortems written before the sort key existed', async () => {
      // One post-mortem from before the migration (its sort key is filled in
      // when the migration runs again), two after.
      const [completed] = await knex.migrate.list({ directory });
      const names: string[] = completed.map((m: { name: string }) => m.name);
      for (let i = names.length - 1; i >= names.indexOf(MIGRATION); i--) {
        await knex.migrate.down({ directory });
      }
      const oldIncident = await new IncidentStore(knex).create({
        title: 'Before',
        severity: 'low',
        status: 'resolved',
        triggeredAt: '2026-01-01T00:00:00Z',
      });
      const old = { id: 'written-before' };
      const now = new Date();
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
