/*
 * Optimistic concurrency of post-mortem edits under real contention, on
 * SQLite and PostgreSQL: 100 clients save the same version at once (one wins,
 * the others get a 409, nothing is lost from the history), then 100 clients
 * that retry on 409 with the version it names all land, one version each.
 */
import { Knex } from 'knex';
import {
  createTestDatabases,
  draftFor,
  resolvedIncident,
  testApi,
} from '@internal/postmortems-test-utils';
import { startPostmortemsBackend } from './__testUtils__/testBackend';

jest.setTimeout(300_000);

const databases = createTestDatabases();
const WRITERS = 100;
const MAX_ATTEMPTS = 200;

describe.each(databases.eachSupportedId())(
  'concurrent post-mortem edits on %p',
  databaseId => {
    let server: Awaited<ReturnType<typeof startPostmortemsBackend>>['server'];
    let path: string;

    beforeAll(async () => {
      const knex: Knex = await databases.init(databaseId);
      ({ server } = await startPostmortemsBackend(knex));
      const api = testApi(server);
      const incident = await resolvedIncident(api, 'Contended');
      await draftFor(api, incident);
      path = `/incidents/${incident.id}/postmortem`;
    });

    const save = (version: number, text: string) =>
      testApi(server).patch(path, {
        version,
        sections: [{ key: 'summary', title: 'Summary', markdown: text }],
      });

    const current = async () => {
      const res = await testApi(server).get(path);
      expect(res.status).toBe(200);
      return res.body as { version: number; content: string };
    };

    const revisions = async () => {
      const res = await testApi(server).get(`${path}/revisions`);
      expect(res.status).toBe(200);
      return res.body.data as Array<{ version: number; content: string }>;
    };

    it(`accepts exactly one of ${WRITERS} saves of the same version`, async () => {
      const start = (await current()).version;
      const texts = Array.from(
        { length: WRITERS },
        (_, i) => `conflicting writer ${i}`,
      );
      const answers = await Promise.all(texts.map(text => save(start, text)));

      const statuses = answers.map(a => a.status);
      expect(statuses.filter(s => s === 200)).toHaveLength(1);
      expect(statuses.filter(s => s === 409)).toHaveLength(WRITERS - 1);
      for (const rejected of answers.filter(a => a.status === 409)) {
        expect(rejected.body.error).toMatchObject({
          code: 'conflict',
          details: { current_version: start + 1 },
        });
      }

      const accepted = answers.find(a => a.status === 200)!;
      expect(accepted.body.version).toBe(start + 1);
      const winner = texts.find(t => accepted.body.content.includes(t))!;
      expect(winner).toBeDefined();

      // The accepted edit is in the history, and no rejected one is.
      const history = await revisions();
      expect(history[0]).toMatchObject({
        version: start + 1,
        content: accepted.body.content,
      });
      for (const text of texts) {
        const kept = history.filter(r => r.content.includes(`${text}\n`));
        expect({ text, kept: kept.length }).toEqual({
          text,
          kept: text === winner ? 1 : 0,
        });
      }
      expect((await current()).version).toBe(start + 1);
    });

    it(`lands all ${WRITERS} edits of clients that retry on 409`, async () => {
      const start = (await current()).version;
      const texts = Array.from(
        { length: WRITERS },
        (_, i) => `retrying writer ${i}`,
      );

      /** Saves, and on a 409 saves again on the version the conflict names. */
      async function client(text: string) {
        let version = start;
        for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
          const res = await save(version, text);
          if (res.status === 200) return { text, attempt, status: 200 };
          if (res.status !== 409) {
            return { text, attempt, status: res.status, body: res.body };
          }
          version = res.body.error.details.current_version;
        }
        return { text, attempt: MAX_ATTEMPTS, status: 409 };
      }

      const outcomes = await Promise.all(texts.map(client));
      expect(outcomes.filter(o => o.status !== 200)).toEqual([]);
      // The clients really contended: most needed more than one attempt.
      const attempts = outcomes.reduce((sum, o) => sum + o.attempt, 0);
      expect(attempts).toBeGreaterThan(2 * WRITERS);

      const final = await current();
      expect(final.version).toBe(start + WRITERS);

      // Zero lost updates: each text is exactly one revision, one version each.
      const history = (await revisions()).filter(r => r.version > start);
      expect(history.map(r => r.version)).toEqual(
        Array.from({ length: WRITERS }, (_, i) => start + WRITERS - i),
      );
      for (const text of texts) {
        expect({
          text,
          kept: history.filter(r => r.content.includes(`${text}\n`)).length,
        }).toEqual({ text, kept: 1 });
      }
      expect(final.content).toBe(history[0].content);
    });
  },
);
