import { Knex } from 'knex';
// Fixtures and the real core plugin, for tests and dev scripts only.
// eslint-disable-next-line @backstage/no-mixed-plugin-imports
import postmortemsPlugin from '@postmortems-oss/backstage-plugin-postmortems-backend';
import {
  ALICE,
  createTestDatabases,
  FakeRegen,
  startTestPostmortemsBackend,
  testApi,
} from '@internal/postmortems-test-utils';
import { postmortemsModuleRegen } from './module';

/** The real plugin with the Regen module, as a portal installs them. */
function startPostmortemsBackend(
  knex: Knex,
  options: { config?: object } = {},
) {
  return startTestPostmortemsBackend(
    [postmortemsPlugin, postmortemsModuleRegen],
    knex,
    options,
  );
}

jest.setTimeout(120_000);

const databases = createTestDatabases();
const TOKEN = 'regen-token';

function regenConfig(baseUrl: string, token = TOKEN) {
  return {
    postmortems: {
      regen: {
        baseUrl,
        token,
        timeoutSeconds: 1,
        // The tests sync on demand; the schedule must not run in between.
        schedule: {
          frequency: { hours: 6 },
          timeout: { minutes: 5 },
          initialDelay: { hours: 6 },
        },
      },
    },
  };
}

describe.each(databases.eachSupportedId())(
  'Regen upstream on %p',
  databaseId => {
    let knex: Knex;
    let regen: FakeRegen;
    let server: Awaited<ReturnType<typeof startPostmortemsBackend>>['server'];
    let checkout: ReturnType<FakeRegen['addIncident']>;
    let baseUrl: string;

    const api = testApi(() => server);

    beforeAll(async () => {
      knex = await databases.init(databaseId);
      // Regen caps pages at 2 items here, so every list takes several pages.
      regen = new FakeRegen({ token: TOKEN, maxPageSize: 2 });
      baseUrl = await regen.start();
      checkout = regen.addIncident(
        {
          title: 'Checkout returns 502',
          severity: 'critical',
          incident_number: 41,
          slack_channel: { id: 'C0CHECKOUT', name: 'inc-41', url: 'x' },
        },
        260,
        [{ title: 'checkout 5xx', labels: { service: 'checkout-api' } }],
      );
      regen.addIncident({ title: 'Search slow', incident_number: 42 }, 4);
      regen.addIncident(
        {
          title: 'Old DNS outage',
          incident_number: 43,
          status: 'resolved',
          resolved_at: '2026-10-01T12:00:00.000Z',
        },
        5,
      );
      ({ server } = await startPostmortemsBackend(knex, {
        config: regenConfig(baseUrl),
      }));
    });

    afterAll(async () => {
      await regen.stop();
    });

    it('fills incidents, timelines and alerts from Regen, page by page', async () => {
      const sync = await api.post('/upstream/sync');
      expect(sync.status).toBe(200);
      expect(sync.body).toMatchObject({
        ok: true,
        counts: { incidents: 3, copied: 3, skipped: 0 },
      });
      expect(regen.requests[0].headers.authorization).toBe(`Bearer ${TOKEN}`);

      const list = await api.get('/incidents?limit=10');
      expect(list.body.total).toBe(3);
      const copy = (await api.get('/incidents/41')).body;
      expect(copy).toMatchObject({
        reference: 'INC-41',
        title: 'Checkout returns 502',
        severity: 'critical',
        status: 'triggered',
        source: 'regen',
        external_id: checkout.id,
        services: ['component:default/checkout-api'],
        chat: { provider: 'slack', channel_id: 'C0CHECKOUT' },
      });

      // 260 entries came over three pages of Regen's timeline route, each once.
      const timeline = await api.get('/incidents/41/timeline?limit=100&page=3');
      expect(timeline.body.total).toBe(260);
      expect(timeline.body.data).toHaveLength(60);
      const first = (await api.get('/incidents/41/timeline?limit=5')).body;
      expect(first.data[0].type).toBe('incident_created');
      // Regen's own entry types survive as messages saying what they were.
      expect(first.data[3]).toMatchObject({
        type: 'message',
        content: { upstream_type: 'responder_added' },
      });

      const alerts = await api.get('/incidents/41/alerts');
      expect(alerts.body.data).toEqual([
        expect.objectContaining({
          title: 'checkout 5xx',
          source: 'prometheus',
          external_id: `regen:${regen.alerts.get(checkout.id)![0].id}`,
          labels: { service: 'checkout-api' },
        }),
      ]);

      const status = await api.get('/upstream');
      expect(status.body).toMatchObject({
        configured: true,
        upstream: 'regen',
        last_error: null,
        last_counts: { incidents: 3 },
      });
      expect(status.body.last_success_at).toBeTruthy();
    });

    it('copies only what changed when it syncs again', async () => {
      regen.timelines.get(checkout.id)!.push({
        id: 'late-entry',
        timestamp: '2026-10-01T20:00:00.000Z',
        type: 'message',
        actor_type: 'user',
        content: { message: 'Rolled back the gateway config' },
      });
      checkout.status = 'resolved';
      checkout.resolved_at = '2026-10-01T20:05:00.000Z';

      expect((await api.post('/upstream/sync')).status).toBe(200);
      const copy = (await api.get('/incidents/41')).body;
      expect(copy.status).toBe('resolved');
      expect(copy.resolved_at).toBe('2026-10-01T20:05:00.000Z');
      const timeline = await api.get('/incidents/41/timeline?limit=5&page=53');
      expect(timeline.body.total).toBe(261);
      expect(timeline.body.data.at(-1).content.message).toBe(
        'Rolled back the gateway config',
      );
      const [{ count }] = await knex('alerts').count({ count: '*' });
      expect(Number(count)).toBe(1);
    });

    it.each([
      ['down', /database connection lost/],
      ['bad-gateway', /HTTP 502/],
      ['malformed', /not JSON/],
      ['hang', /did not answer/],
    ] as const)(
      'keeps the last good copy and reports it when Regen is %s',
      async (fault, message) => {
        const before = (await api.get('/upstream')).body;
        const incidentsBefore = (await api.get('/incidents?limit=10')).body;
        regen.fault = fault;
        try {
          const sync = await api.post('/upstream/sync');
          expect(sync.status).toBe(502);
          expect(sync.body.error.code).toBe('upstream_unavailable');
          expect(sync.body.error.message).toMatch(message);
        } finally {
          regen.fault = undefined;
        }
        const after = (await api.get('/upstream')).body;
        expect(after.last_error).toMatch(message);
        expect(after.last_success_at).toBe(before.last_success_at);
        expect((await api.get('/incidents?limit=10')).body).toEqual(
          incidentsBefore,
        );
        expect(
          (await api.get('/incidents/41/timeline?limit=1')).body.total,
        ).toBe(261);

        // Back up: the next sync clears the failure.
        expect((await api.post('/upstream/sync')).status).toBe(200);
        expect((await api.get('/upstream')).body.last_error).toBeNull();
      },
    );

    it('skips and reports one malformed incident without stopping the sync', async () => {
      const broken = regen.addIncident({ title: 'Broken record' }, 1);
      regen.malformedIds.add(broken.id);
      const sync = await api.post('/upstream/sync');
      expect(sync.status).toBe(200);
      expect(sync.body.counts.skipped).toBe(1);
      expect(sync.body.skipped[0]).toMatch(broken.id);
      expect((await api.get('/upstream')).body.last_error).toMatch(/Skipped 1/);
      regen.malformedIds.delete(broken.id);
      expect((await api.post('/upstream/sync')).body.counts.skipped).toBe(0);
      expect((await api.get('/incidents/44')).body.title).toBe('Broken record');
    });

    it('sends writes to Regen and keeps the copy in step', async () => {
      const created = await api.post('/incidents', {
        title: 'Payments double charge',
        severity: 'high',
        commander: ALICE,
        services: ['component:default/payments-api'],
      });
      expect(created.status).toBe(201);
      const inRegen = regen.incidents.find(
        i => i.title === 'Payments double charge',
      )!;
      expect(inRegen).toBeDefined();
      expect(created.body).toMatchObject({
        number: inRegen.incident_number,
        source: 'regen',
        external_id: inRegen.id,
        commander: ALICE,
        services: ['component:default/payments-api'],
      });
      const ref = `/incidents/${created.body.number}`;

      // Regen's status machine decides, and its refusal reaches the caller.
      const invalid = await api.patch(ref, { status: 'acknowledged' });
      expect(invalid.status).toBe(200);
      const refused = await api.patch(ref, { status: 'triggered' });
      expect(refused.status).toBe(409);
      expect(refused.body.error.message).toMatch(/cannot transition/);
      expect(refused.body.error.details.allowed_transitions).toEqual([
        'resolved',
      ]);

      const note = await api.post(`${ref}/timeline`, {
        type: 'message',
        content: 'Refunds started',
      });
      expect(note.status).toBe(201);
      expect(note.body).toMatchObject({
        type: 'message',
        actor: ALICE,
        content: { text: 'Refunds started', author: ALICE },
      });
      expect(regen.timelines.get(inRegen.id)!.at(-1)!.content).toEqual({
        text: 'Refunds started',
        author: ALICE,
      });

      const renamed = await api.patch(ref, { title: 'Another title' });
      expect(renamed.status).toBe(400);
      expect(renamed.body.error.details.fields[0].field).toBe('title');

      // A write while Regen is down changes nothing anywhere.
      const before = (await api.get(ref)).body;
      regen.fault = 'down';
      try {
        const failed = await api.patch(ref, { status: 'resolved' });
        expect(failed.status).toBe(502);
        expect(failed.body.error.code).toBe('upstream_unavailable');
        const lostNote = await api.post(`${ref}/timeline`, {
          type: 'message',
          content: 'lost?',
        });
        expect(lostNote.status).toBe(502);
      } finally {
        regen.fault = undefined;
      }
      expect((await api.get(ref)).body).toEqual(before);
      expect(inRegen.status).toBe('acknowledged');

      const resolved = await api.patch(ref, { status: 'resolved' });
      expect(resolved.status).toBe(200);
      expect(resolved.body.status).toBe('resolved');
      expect(inRegen.status).toBe('resolved');
    });

    it('reports credentials Regen refuses', async () => {
      const other = await startPostmortemsBackend(
        await databases.init(databaseId),
        { config: regenConfig(baseUrl, 'wrong-token') },
      );
      const sync = await testApi(other.server).post('/upstream/sync');
      expect(sync.status).toBe(502);
      expect(sync.body.error.message).toMatch(/Authentication required/);
      const status = await testApi(other.server).get('/upstream');
      expect(status.body.last_success_at).toBeNull();
      expect(status.body.last_error).toMatch(/Authentication required/);
    });
  },
);

describe.each(databases.eachSupportedId())(
  'Regen sync on two replicas on %p',
  databaseId => {
    it('copies each incident and entry once when both sync at once', async () => {
      const knex = await databases.init(databaseId);
      const regen = new FakeRegen({ token: TOKEN, maxPageSize: 3 });
      const baseUrl = await regen.start();
      try {
        for (let i = 0; i < 8; i++) {
          regen.addIncident({ title: `Incident ${i}` }, 30, [
            { labels: { service: `svc-${i % 2}` } },
          ]);
        }
        // Two backends on one database, each syncing on demand at once.
        const replica = async () =>
          (
            await startPostmortemsBackend(knex, {
              config: regenConfig(baseUrl),
            })
          ).server;
        const [a, b] = [await replica(), await replica()];
        const results = await Promise.all(
          [a, b].map(server => testApi(server).post('/upstream/sync')),
        );
        expect(results.map(r => [r.status, r.body.ok])).toEqual([
          [200, true],
          [200, true],
        ]);

        const [{ count: incidents }] = await knex('incidents').count({
          count: '*',
        });
        const [{ count: entries }] = await knex('timeline_entries').count({
          count: '*',
        });
        const [{ count: alerts }] = await knex('alerts').count({ count: '*' });
        expect(Number(incidents)).toBe(8);
        expect(Number(entries)).toBe(8 * 30);
        expect(Number(alerts)).toBe(8);
      } finally {
        await regen.stop();
      }
    });
  },
);
