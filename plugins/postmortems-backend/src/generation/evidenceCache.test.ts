import { Knex } from 'knex';
import {
  createTestDatabases,
  importResolvedIncident,
  testApi,
} from '@internal/postmortems-test-utils';
import { EvidenceBundle } from '@postmortems-oss/backstage-plugin-postmortems-node';
import { statementsDuring } from '../__testUtils__/storeFixtures';
import { startPostmortemsBackend } from '../__testUtils__/testBackend';
import { evidenceFromDocument, longIncident } from '../testUtils';
import {
  EvidenceCache,
  PreparedEvidence,
  prepareEvidence,
} from './evidence/EvidenceCache';

jest.setTimeout(120_000);

const databases = createTestDatabases();

describe.each(databases.eachSupportedId())(
  'evidence kept between saves on %p',
  databaseId => {
    let knex: Knex;
    let replicaA: any;
    let replicaB: any;

    beforeAll(async () => {
      knex = await databases.init(databaseId);
      // Two backends over one database, as two replicas of a portal.
      ({ server: replicaA } = await startPostmortemsBackend(knex));
      ({ server: replicaB } = await startPostmortemsBackend(knex));
    });

    it('checks a save against the timeline as it is now, also when another replica changed it since the last save', async () => {
      const a = testApi(replicaA);
      const b = testApi(replicaB);
      const incident = await importResolvedIncident(a);
      const path = `/incidents/${incident.id}/postmortem`;
      const created = await a.post(path, {});
      expect(created.status).toBe(201);
      const withSummary = (markdown: string) =>
        created.body.sections.map((s: any) =>
          s.key === 'summary' ? { ...s, markdown } : s,
        );
      const unsupportedTimes = (body: any) =>
        body.findings
          .filter((f: any) => f.kind === 'unsupported_timestamp')
          .map((f: any) => f.message);

      const first = await a.patch(path, {
        sections: withSummary('The cache was flushed at 17:47.'),
      });
      expect(first.status).toBe(200);
      expect(unsupportedTimes(first.body).join(' ')).toContain('17:47');

      // Saved again on replica A with the timeline unchanged: the evidence
      // it kept still holds, and nothing of the timeline is read again.
      let again: any;
      const statements = await statementsDuring(knex, async () => {
        again = await a.patch(path, {
          sections: withSummary('The cache was flushed at 17:47 (again).'),
        });
      });
      expect(unsupportedTimes(again.body).join(' ')).toContain('17:47');
      expect(statements.length).toBeGreaterThan(0);
      expect(
        statements.filter(sql =>
          /timeline_entries|incident_alerts|timeline_curation|templates/.test(
            sql,
          ),
        ),
      ).toEqual([]);

      // Replica B adds the message that supports the time...
      const message = await b.post(`/incidents/${incident.id}/timeline`, {
        type: 'message',
        content: 'Flushed the cache at 17:47, errors dropping',
      });
      expect(message.status).toBe(201);

      // ...and replica A's next save sees it.
      const after = await a.patch(path, {
        sections: withSummary('The cache was flushed at 17:47.'),
      });
      expect(after.status).toBe(200);
      expect(unsupportedTimes(after.body)).toEqual([]);
      // So does the publish dialog's check on either replica.
      for (const api of [a, b]) {
        const checks = await api.get(`${path}/checks`);
        expect(
          checks.body.data.filter(
            (f: any) => f.kind === 'unsupported_timestamp',
          ),
        ).toEqual([]);
      }
    });
  },
);

describe('EvidenceCache', () => {
  const prepared = (entries: number): Promise<PreparedEvidence> =>
    Promise.resolve(
      prepareEvidence(evidenceFromDocument(longIncident(entries))),
    );

  it('prepares once per key, shares a preparation in flight, and prepares again when the key moves', async () => {
    const cache = new EvidenceCache({ maxEntries: 1000, ttlMs: 60_000 });
    const prepare = jest.fn(() => prepared(10));
    const [one, two] = await Promise.all([
      cache.get('i1', 'v1', prepare),
      cache.get('i1', 'v1', prepare),
    ]);
    expect(one).toBe(two);
    expect(prepare).toHaveBeenCalledTimes(1);
    expect(await cache.get('i1', 'v1', prepare)).toBe(one);
    expect(prepare).toHaveBeenCalledTimes(1);
    const moved = await cache.get('i1', 'v2', prepare);
    expect(moved).not.toBe(one);
    expect(prepare).toHaveBeenCalledTimes(2);
  });

  it('forgets evidence older than its time to live (names from the catalog)', async () => {
    let now = 0;
    const cache = new EvidenceCache({
      maxEntries: 1000,
      ttlMs: 1000,
      now: () => now,
    });
    const prepare = jest.fn(() => prepared(5));
    await cache.get('i1', 'v1', prepare);
    now = 999;
    await cache.get('i1', 'v1', prepare);
    expect(prepare).toHaveBeenCalledTimes(1);
    now = 1000;
    await cache.get('i1', 'v1', prepare);
    expect(prepare).toHaveBeenCalledTimes(2);
  });

  it('keeps at most the given number of timeline entries, dropping the least recently used incident first', async () => {
    const cache = new EvidenceCache({ maxEntries: 250, ttlMs: 60_000 });
    const calls: string[] = [];
    const get = (id: string) =>
      cache.get(id, 'v', () => {
        calls.push(id);
        return prepared(100);
      });
    await get('i1');
    await get('i2');
    await get('i1'); // i1 is now the most recently used
    await get('i3'); // over 250: i2 goes
    expect(cache.size).toBeLessThanOrEqual(250);
    await get('i1');
    await get('i3');
    expect(calls).toEqual(['i1', 'i2', 'i3']);
    await get('i2');
    expect(calls).toEqual(['i1', 'i2', 'i3', 'i2']);
  });

  it('does not keep a preparation that failed', async () => {
    const cache = new EvidenceCache({ maxEntries: 1000, ttlMs: 60_000 });
    const failing = jest.fn(() =>
      Promise.reject<PreparedEvidence>(new Error('database gone')),
    );
    await expect(cache.get('i1', 'v', failing)).rejects.toThrow(
      'database gone',
    );
    // Let the cache see the failure before asking again.
    await new Promise(resolve => setImmediate(resolve));
    const bundle: EvidenceBundle = evidenceFromDocument(longIncident(3));
    const ok = await cache.get('i1', 'v', () =>
      Promise.resolve(prepareEvidence(bundle)),
    );
    expect(ok.bundle).toBe(bundle);
    expect(failing).toHaveBeenCalledTimes(1);
    expect(cache.size).toBe(bundle.entries.length + 1);
  });
});
