import { Knex } from 'knex';
import { createTestDatabases } from '@internal/postmortems-test-utils';
import {
  rollBackThrough,
  storedIncident,
} from '../__testUtils__/storeFixtures';
import { applyDatabaseMigrations } from './migrations';
import { TimelineCurationStore } from './TimelineCurationStore';
import { TimelineStore } from './TimelineStore';

jest.setTimeout(60_000);

const databases = createTestDatabases();
const MIGRATION = '20261206100000_timeline_curation.js';

describe.each(databases.eachSupportedId())(
  'timeline curation migration on %p',
  databaseId => {
    let knex: Knex;

    beforeAll(async () => {
      knex = await databases.init(databaseId);
      await applyDatabaseMigrations(knex);
    });

    async function incidentWithEntries() {
      const incident = await storedIncident(knex);
      const entries = await new TimelineStore(knex).addTimelineEntries(
        incident.id,
        ['a', 'b'].map(text => ({
          type: 'message' as const,
          actor: 'Bob',
          timestamp: '2026-11-01T00:05:00Z',
          content: { text },
        })),
      );
      return { incident, entries };
    }

    it('holds one key moment of each kind per incident in the database', async () => {
      // The rule is a unique index over (incident, key moment); entries
      // without a key moment (NULL) never collide in either database.
      const unique = /sqlite/.test(String(knex.client.config.client))
        ? await knex.raw(
            "select sql from sqlite_master where type = 'index' and name = 'timeline_curation_key_moment_unique'",
          )
        : (
            await knex.raw(
              "select indexdef as sql from pg_indexes where indexname = 'timeline_curation_key_moment_unique'",
            )
          ).rows;
      expect(unique).toHaveLength(1);
      expect(String(unique[0].sql).toLowerCase()).toMatch(
        /create unique index .*\(.?incident_id.?, .?key_moment.?\)/,
      );
      const { incident, entries } = await incidentWithEntries();
      await knex.transaction(async tx => {
        const row = (entryId: string, keyMoment: string | null) => ({
          incident_id: incident.id,
          entry_id: entryId,
          pinned: false,
          key_moment: keyMoment,
          updated_at: new Date(),
        });
        await tx('timeline_curation').insert(row(entries[0].id, null));
        await tx('timeline_curation').insert(row(entries[1].id, null));
      });
    });

    it('moves a key moment through the store, and drops curation with its incident', async () => {
      const { incident, entries } = await incidentWithEntries();
      const store = new TimelineCurationStore(knex);
      await store.change(
        incident.id,
        entries[0].id,
        { keyMoment: 'resolved' },
        'a',
      );
      await store.change(
        incident.id,
        entries[1].id,
        { keyMoment: 'resolved' },
        'a',
      );
      const rows = await store.curationOf(incident.id);
      expect(rows.get(entries[0].id)?.keyMoment).toBeNull();
      expect(rows.get(entries[1].id)).toEqual({
        hidden: null,
        pinned: false,
        keyMoment: 'resolved',
      });
      await knex('incidents').where({ id: incident.id }).delete();
      const [{ n }] = await knex('timeline_curation')
        .where({ incident_id: incident.id })
        .count({ n: '*' });
      expect(Number(n)).toBe(0);
    });

    it('can be rolled back and applied again', async () => {
      await rollBackThrough(knex, MIGRATION);
      expect(await knex.schema.hasTable('timeline_curation')).toBe(false);
      await applyDatabaseMigrations(knex);
      expect(await knex.schema.hasTable('timeline_curation')).toBe(true);
    });
  },
);
