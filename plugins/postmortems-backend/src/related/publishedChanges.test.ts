import { Knex } from 'knex';
import {
  createTestDatabases,
  testApi,
  TestApi,
} from '@internal/postmortems-test-utils';
import { rollBackThrough } from '../__testUtils__/storeFixtures';
import { startPostmortemsBackend } from '../__testUtils__/testBackend';
import { applyDatabaseMigrations } from '../database/migrations';
import { publishedChangeCount } from './publishedChanges';

jest.setTimeout(120_000);

const databases = createTestDatabases();
const MIGRATION = '20261208100000_published_change_counter.js';

/** The counter as a number (NaN without its rows). */
const counter = async (knex: Knex) => (await publishedChangeCount(knex)) ?? NaN;

let nextNumber = 8100;

/** An incident of its own service with a post-mortem stating `rootCause`. */
async function writeUp(
  api: TestApi,
  title: string,
  rootCause: string,
  publish: boolean,
) {
  nextNumber += 1;
  const imported = await api.post('/incidents/import', {
    incident: {
      number: nextNumber,
      title,
      severity: 'high',
      status: 'resolved',
      services: [`component:default/service-${nextNumber}`],
      triggered_at: new Date(Date.UTC(2026, 1, 1, nextNumber % 24)),
      resolved_at: new Date(Date.UTC(2026, 1, 2)),
    },
    timeline: [],
  });
  expect(imported.status).toBe(201);
  const incident = imported.body;
  const path = `/incidents/${incident.id}/postmortem`;
  const created = await api.post(path, {});
  expect(created.status).toBe(201);
  const written = await api.patch(path, {
    version: created.body.version,
    content: `# ${title}\n\n## Root cause\n\n${rootCause}`,
  });
  expect(written.status).toBe(200);
  if (!publish) return { incident, path, version: written.body.version };
  const published = await api.patch(path, {
    version: written.body.version,
    status: 'published',
    override_findings: true,
  });
  expect(published.status).toBe(200);
  return { incident, path, version: published.body.version };
}

describe.each(databases.eachSupportedId())(
  'published post-mortems changed on another replica, on %p',
  databaseId => {
    let knex: Knex;
    /** Two replicas of the backend over one database, each with its own cache. */
    let one: TestApi;
    let two: TestApi;

    beforeAll(async () => {
      knex = await databases.init(databaseId);
      one = testApi((await startPostmortemsBackend(knex)).server);
      two = testApi((await startPostmortemsBackend(knex)).server);
    });

    it('moves the counter on every write to a published post-mortem, never for drafts alone', async () => {
      const before = await counter(knex);
      const draft = await writeUp(
        one,
        'Draft only',
        'A draft about disks.',
        false,
      );
      expect(await counter(knex)).toBe(before);

      const published = await writeUp(
        one,
        'Published',
        'A cause about queues.',
        true,
      );
      const afterPublish = await counter(knex);
      expect(afterPublish).toBeGreaterThan(before);

      // Saving a draft again leaves it.
      const saved = await one.patch(draft.path, {
        version: draft.version,
        content: '# Draft only\n\n## Root cause\n\nStill about disks.',
      });
      expect(saved.status).toBe(200);
      expect(await counter(knex)).toBe(afterPublish);

      // Any writer, not only the stores: SQL that deletes a published one,
      // or its incident's, which cascades to it.
      await knex('postmortems')
        .where({ incident_id: published.incident.id })
        .delete();
      const afterDelete = await counter(knex);
      expect(afterDelete).toBeGreaterThan(afterPublish);
      const cascaded = await writeUp(one, 'Cascaded', 'A cause.', true);
      const beforeCascade = await counter(knex);
      await knex('incidents').where({ id: cascaded.incident.id }).delete();
      expect(
        await knex('postmortems').where({ incident_id: cascaded.incident.id }),
      ).toEqual([]);
      expect(await counter(knex)).toBeGreaterThan(beforeCascade);
      // Deleting the draft's incident leaves it.
      await knex('incidents').where({ id: draft.incident.id }).delete();
      expect(await counter(knex)).toBe(beforeCascade + 1);
    });

    it('can be rolled back and applied again', async () => {
      await rollBackThrough(knex, MIGRATION);
      expect(await knex.schema.hasTable('change_counters')).toBe(false);
      // Without its triggers, writes still work.
      await knex('postmortems').update({ updated_by: 'someone' });
      await applyDatabaseMigrations(knex);
      expect(await counter(knex)).toBe(0);
      await writeUp(one, 'After the migration', 'A cause.', true);
      expect(await counter(knex)).toBeGreaterThan(0);
    });

    it('sees a publication, an amendment and an unpublication made by the other replica', async () => {
      const related = async (path: string) =>
        ((await one.get(`${path}/related?limit=5`)).body.data as any[]).map(
          d => [d.reference, d.reasons],
        );

      const { path } = await writeUp(
        one,
        'Invoices stuck',
        'A poison message blocked the consumer of the invoices queue.',
        false,
      );
      expect(await related(path)).toEqual([]);

      // Published on the other replica: this one's cache is out of date.
      const other = await writeUp(
        two,
        'Receipts stuck',
        'A poison message blocked the consumer of the receipts queue.',
        true,
      );
      const seen = await related(path);
      expect(seen).toEqual([
        [
          other.incident.reference,
          [
            expect.objectContaining({
              kind: 'similar_cause',
              terms: ['blocked', 'consumer', 'message'],
            }),
          ],
        ],
      ]);

      // Amended there: the words this one compares are the new ones.
      const amended = await two.patch(other.path, {
        version: other.version,
        content:
          '# Receipts stuck\n\n## Root cause\n\nA poison message jammed the consumer of the invoices queue.',
      });
      expect(amended.status).toBe(200);
      const afterAmend = await related(path);
      expect(afterAmend).toHaveLength(1);
      expect(afterAmend[0][1][0].terms).toContain('invoice');

      // Unpublished there: no longer related.
      const unpublished = await two.patch(other.path, {
        version: amended.body.version,
        status: 'draft',
      });
      expect(unpublished.status).toBe(200);
      expect(await related(path)).toEqual([]);

      // Published again, then deleted by SQL: seen, then gone.
      const again = await two.patch(other.path, {
        version: unpublished.body.version,
        status: 'published',
        override_findings: true,
      });
      expect(again.status).toBe(200);
      expect(await related(path)).toHaveLength(1);
      await knex('postmortems')
        .where({ incident_id: other.incident.id })
        .delete();
      expect(await related(path)).toEqual([]);
    });
  },
);
