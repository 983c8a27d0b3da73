import { Knex } from 'knex';
import {
  createTestDatabases,
  importResolvedIncident,
  testApi,
  TestApi,
} from '@internal/postmortems-test-utils';
import { rollBackThrough } from '../__testUtils__/storeFixtures';
import { publishedChangeCount } from '../related/publishedChanges';
import { startPostmortemsBackend } from '../__testUtils__/testBackend';
import { applyDatabaseMigrations } from './migrations';

jest.setTimeout(120_000);

const databases = createTestDatabases();
/** The first of the migrations that keep evidence and related causes in memory. */
const FIRST_NEW = '20261208000000_evidence_version.js';

/** Every row of a table, in a stable order, as plain values. */
async function rowsOf(knex: Knex, table: string, orderBy: string) {
  const rows = await knex(table).orderBy(orderBy);
  return JSON.parse(JSON.stringify(rows)) as Record<string, unknown>[];
}

const TABLES: Array<[string, string]> = [
  ['incidents', 'id'],
  ['postmortems', 'id'],
  ['postmortem_revisions', 'id'],
  ['timeline_entries', 'seq'],
  ['action_items', 'id'],
];

/** A post-mortem of its own incident, written and optionally published. */
async function writeUp(
  api: TestApi,
  number: number,
  rootCause: string,
  publish: boolean,
) {
  const imported = await api.post('/incidents/import', {
    incident: {
      number,
      title: `Queue stuck ${number}`,
      severity: 'high',
      status: 'resolved',
      services: [`component:default/queue-${number}`],
      triggered_at: '2026-10-01T10:00:00Z',
      resolved_at: '2026-10-01T11:00:00Z',
    },
    timeline: [],
  });
  expect(imported.status).toBe(201);
  const path = `/incidents/${imported.body.id}/postmortem`;
  const created = await api.post(path, {});
  const written = await api.patch(path, {
    version: created.body.version,
    content: `# Queue stuck ${number}\n\n## Root cause\n\n${rootCause}`,
  });
  expect(written.status).toBe(200);
  if (publish) {
    const published = await api.patch(path, {
      version: written.body.version,
      status: 'published',
      override_findings: true,
    });
    expect(published.status).toBe(200);
  }
  return { incident: imported.body, path };
}

describe.each(databases.eachSupportedId())(
  'upgrading a database written before evidence and causes were kept in memory, on %p',
  databaseId => {
    it('keeps every row, checks saves against the timeline written before, and relates post-mortems published before', async () => {
      const knex = await databases.init(databaseId);
      await applyDatabaseMigrations(knex);
      const before = testApi((await startPostmortemsBackend(knex)).server);

      // What a portal holds before the upgrade.
      const incident = await importResolvedIncident(before);
      const path = `/incidents/${incident.id}/postmortem`;
      const created = await before.post(path, {});
      expect(created.status).toBe(201);
      const withSummary = (markdown: string) =>
        created.body.sections.map((s: any) =>
          s.key === 'summary' ? { ...s, markdown } : s,
        );
      const posted = await before.post(`/incidents/${incident.id}/timeline`, {
        type: 'message',
        content: 'Restarted the workers at 17:30',
      });
      expect(posted.status).toBe(201);
      const earlier = await writeUp(
        before,
        9101,
        'A poison message blocked the consumer of the receipts queue.',
        true,
      );
      const later = await writeUp(
        before,
        9102,
        'A poison message blocked the consumer of the invoices queue.',
        false,
      );

      // The schema as the version before had it, and a timeline entry that
      // version wrote: the message supporting the time the draft states.
      await rollBackThrough(knex, FIRST_NEW);
      expect(await knex.schema.hasColumn('incidents', 'evidence_version')).toBe(
        false,
      );
      const restart = await knex('timeline_entries')
        .where({ id: posted.body.id })
        .first();
      const { seq: _seq, ...copy } = restart;
      const text = (value: unknown) =>
        typeof value === 'string'
          ? value.replace(
              'Restarted the workers at 17:30',
              'Flushed the cache at 17:47',
            )
          : JSON.parse(
              JSON.stringify(value).replace(
                'Restarted the workers at 17:30',
                'Flushed the cache at 17:47',
              ),
            );
      await knex('timeline_entries').insert({
        ...copy,
        id: 'written-by-the-version-before',
        content: text(copy.content),
      });
      const held = Object.fromEntries(
        await Promise.all(
          TABLES.map(
            async ([table, order]) =>
              [table, await rowsOf(knex, table, order)] as const,
          ),
        ),
      );

      await applyDatabaseMigrations(knex);

      // Nothing lost or changed; every incident starts at evidence version 0.
      const incidents = await rowsOf(knex, 'incidents', 'id');
      expect(incidents.map(r => Number(r.evidence_version))).toEqual(
        incidents.map(() => 0),
      );
      const now = Object.fromEntries(
        await Promise.all(
          TABLES.map(async ([table, order]) => {
            const rows = await rowsOf(knex, table, order);
            return [
              table,
              rows.map(({ evidence_version: _v, ...rest }) => rest),
            ] as const;
          }),
        ),
      );
      expect(now).toEqual(held);

      // A replica of the new version checks against the whole timeline,
      // including what the version before wrote.
      const after = testApi((await startPostmortemsBackend(knex)).server);
      const saved = await after.patch(path, {
        sections: withSummary('The cache was flushed at 17:47.'),
      });
      expect(saved.status).toBe(200);
      expect(
        saved.body.findings.filter(
          (f: any) => f.kind === 'unsupported_timestamp',
        ),
      ).toEqual([]);

      // It relates the post-mortem published before the upgrade.
      const related = await after.get(`${later.path}/related?limit=5`);
      expect(related.status).toBe(200);
      expect(related.body.data.map((d: any) => d.reference)).toEqual([
        earlier.incident.reference,
      ]);

      // And from now on, changes move the new counters.
      const message = await after.post(`/incidents/${incident.id}/timeline`, {
        type: 'message',
        content: 'Errors back to normal',
      });
      expect(message.status).toBe(201);
      const moved = await knex('incidents')
        .where({ id: incident.id })
        .first('evidence_version');
      expect(Number(moved.evidence_version)).toBeGreaterThan(0);
      expect(await publishedChangeCount(knex)).toBe(0);
      const amendment = await after.patch(earlier.path, {
        content: '# Queue stuck 9101\n\n## Root cause\n\nAmended.',
      });
      expect(amendment.status).toBe(200);
      expect(await publishedChangeCount(knex)).toBeGreaterThan(0);
    });
  },
);
