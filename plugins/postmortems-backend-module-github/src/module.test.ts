import { Entity } from '@backstage/catalog-model';
// The tests drive the real core plugin with this module; only tests import it.
// eslint-disable-next-line @backstage/no-mixed-plugin-imports
import postmortemsPlugin from '@postmortems-oss/backstage-plugin-postmortems-backend';
import {
  ALICE,
  as,
  createTestDatabases,
  DestinationFakes,
  FAKE_DESTINATIONS,
  MALLORY,
  startDestinationFakes,
  startTestPostmortemsBackend,
} from '@internal/postmortems-test-utils';
import { Knex } from 'knex';
import request from 'supertest';
import postmortemsModuleGitHub from './index';

jest.setTimeout(120_000);

const databases = createTestDatabases();
const V1 = '/api/postmortems/v1';
const JIRA_ACCOUNT = '5b10a2844c20165700ede21g';

const alice: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'User',
  metadata: {
    name: 'alice',
    namespace: 'default',
    annotations: {
      'github.com/user-login': 'alice-gh',
      'atlassian.com/account-id': JIRA_ACCOUNT,
    },
  },
  spec: {},
};
const sre: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Group',
  metadata: { name: 'sre', namespace: 'default' },
  spec: { type: 'team', children: [] },
};

// The core plugin with this module, over HTTP, against a fake GitHub. The
// tracker rules shared by every tracker type (TrackerService: claims, 409s,
// saving nothing on failure, sync both ways, webhooks, permissions) live in
// the core and are tested here, with GitHub as the tracker; the Jira module
// tests what differs for Jira.
describe.each(databases.eachSupportedId())(
  'GitHub trackers on %p',
  databaseId => {
    let knex: Knex;
    let fakes: DestinationFakes;
    let server: Awaited<
      ReturnType<typeof startTestPostmortemsBackend>
    >['server'];

    const api = (user = ALICE) => ({
      get: (path: string) => request(server).get(`${V1}${path}`).set(as(user)),
      post: (path: string, body?: object) =>
        request(server)
          .post(`${V1}${path}`)
          .set(as(user))
          .send(body ?? {}),
      patch: (path: string, body: object) =>
        request(server).patch(`${V1}${path}`).set(as(user)).send(body),
    });

    beforeAll(async () => {
      knex = await databases.init(databaseId);
      fakes = await startDestinationFakes();
      fakes.github.assignable.add('alice-gh');
      const { trackers } = fakes.config({ timeoutSeconds: 1 });
      ({ server } = await startTestPostmortemsBackend(
        [postmortemsPlugin, postmortemsModuleGitHub],
        knex,
        {
          config: {
            app: { baseUrl: 'http://backstage.test' },
            postmortems: {
              trackers: {
                github: trackers.github,
                // A second repository: an item has one issue, in one tracker.
                platform: { ...trackers.github, repo: 'platform' },
              },
            },
          },
          entities: [alice, sre],
        },
      ));
    });

    afterAll(async () => {
      await fakes.stop();
    });

    afterEach(() => {
      fakes.github.faults.set(undefined);
    });

    /** An action item on a fresh draft; returns the paths to reach it. */
    async function actionItem(owner: string | null = ALICE) {
      const incident = (
        await api().post('/incidents', {
          title: 'Payments slow',
          severity: 'high',
        })
      ).body;
      await api().post(`/incidents/${incident.number}/postmortem`);
      const item = await api().post(
        `/incidents/${incident.number}/postmortem/action-items`,
        {
          description: 'Alert on p99 latency of the payments API',
          owner,
          due_date: '2026-12-20',
          category: 'detection',
        },
      );
      expect(item.status).toBe(201);
      const path = `/incidents/${incident.reference}/postmortem/action-items/${item.body.id}`;
      return { incident, item: item.body, path };
    }

    async function itemStatus(itemPath: string, ref: string) {
      const postmortem = await api().get(`/incidents/${ref}/postmortem`);
      const id = itemPath.split('/').pop();
      return postmortem.body.action_items.find((i: any) => i.id === id);
    }

    const webhook = (
      tracker: string,
      delivery: { body: string; headers: Record<string, string> },
      query = '',
    ) =>
      request(server)
        .post(`${V1}/trackers/${tracker}/webhook${query}`)
        .set(delivery.headers)
        .send(delivery.body);

    it('lists the configured repositories', async () => {
      const res = await api().get('/trackers');
      expect(res.body.data).toEqual([
        { id: 'github', type: 'github', title: 'acme/payments' },
        { id: 'platform', type: 'github', title: 'acme/platform' },
      ]);
    });

    it('opens an issue assigned from the owner annotation that links back to the post-mortem', async () => {
      const { incident, path } = await actionItem();
      const res = await api().post(`${path}/issue`, { tracker: 'github' });
      expect(res.status).toBe(201);
      const number = Number(res.body.external_key.split('#')[1]);
      expect(res.body).toMatchObject({
        tracker: 'github',
        external_key: `acme/payments#${number}`,
        external_url: fakes.github.htmlUrl(number),
        status: 'open',
      });
      const issue = fakes.github.issues.get(number)!;
      expect(issue.title).toBe('Alert on p99 latency of the payments API');
      expect(issue.assignees).toEqual(['alice-gh']);
      expect(issue.body).toContain(
        `(http://backstage.test/postmortems/incidents/${incident.reference})`,
      );
      expect(issue.body).toContain(incident.reference);
      expect(issue.body).toContain('**Due:** 2026-12-20');
      expect(issue.body).toContain('**Category:** detection');

      const again = await api().post(`${path}/issue`, { tracker: 'platform' });
      expect(again.status).toBe(409);
    });

    it('leaves issues of group-owned items unassigned', async () => {
      const { path } = await actionItem('group:default/sre');
      const res = await api().post(`${path}/issue`, { tracker: 'github' });
      expect(res.status).toBe(201);
      const number = Number(res.body.external_key.split('#')[1]);
      expect(fakes.github.issues.get(number)!.assignees).toEqual([]);
    });

    it('marks the item done when the issue is closed on GitHub, and open when reopened', async () => {
      const { incident, path } = await actionItem();
      const key = (await api().post(`${path}/issue`, { tracker: 'github' }))
        .body.external_key;
      fakes.closeIssue('github', key);
      const sync = await api().post('/trackers/sync');
      expect(sync.status).toBe(200);
      expect(sync.body.done).toBeGreaterThanOrEqual(1);
      expect(sync.body.errors).toEqual([]);
      expect((await itemStatus(path, incident.reference)).status).toBe('done');

      fakes.reopenIssue('github', key);
      const again = await api().post('/trackers/sync');
      expect(again.body.reopened).toBeGreaterThanOrEqual(1);
      expect((await itemStatus(path, incident.reference)).status).toBe('open');
    });

    it('follows signed webhooks and refuses unsigned or wrongly signed ones', async () => {
      const { incident, path } = await actionItem();
      const key = (await api().post(`${path}/issue`, { tracker: 'github' }))
        .body.external_key;
      const number = Number(key.split('#')[1]);
      const secret = FAKE_DESTINATIONS.github.webhookSecret;

      const forged = fakes.github.webhookDelivery(
        number,
        'closed',
        'not-the-secret',
      );
      expect((await webhook('github', forged)).status).toBe(401);
      const unsigned = fakes.github.webhookDelivery(number, 'closed', secret);
      delete (unsigned.headers as Record<string, string>)[
        'X-Hub-Signature-256'
      ];
      expect((await webhook('github', unsigned)).status).toBe(401);
      // A valid signature over a different body does not pass either.
      const tampered = fakes.github.webhookDelivery(number, 'closed', secret);
      expect(
        (
          await webhook('github', {
            ...tampered,
            body: tampered.body.replace(`"number":${number}`, '"number":1'),
          })
        ).status,
      ).toBe(401);
      expect((await itemStatus(path, incident.reference)).status).toBe('open');

      const closed = await webhook(
        'github',
        fakes.github.webhookDelivery(number, 'closed', secret),
      );
      expect(closed.status).toBe(200);
      expect(closed.body).toEqual({ updated: 1 });
      expect((await itemStatus(path, incident.reference)).status).toBe('done');

      const reopened = await webhook(
        'github',
        fakes.github.webhookDelivery(number, 'reopened', secret),
      );
      expect(reopened.body).toEqual({ updated: 1 });
      expect((await itemStatus(path, incident.reference)).status).toBe('open');
    });

    it('closes and reopens the issue when the item is done and reopened here', async () => {
      const { path } = await actionItem();
      const key = (await api().post(`${path}/issue`, { tracker: 'github' }))
        .body.external_key;
      const number = Number(key.split('#')[1]);
      expect((await api().patch(path, { status: 'done' })).status).toBe(200);
      expect(fakes.github.issues.get(number)).toMatchObject({
        state: 'closed',
        state_reason: 'completed',
      });
      await api().patch(path, { status: 'in_progress' });
      expect(fakes.github.issues.get(number)!.state).toBe('open');
    });

    it('keeps a done item done when closing the issue failed, and closes it at the next sync', async () => {
      const { incident, path } = await actionItem();
      const key = (await api().post(`${path}/issue`, { tracker: 'github' }))
        .body.external_key;
      const number = Number(key.split('#')[1]);
      fakes.github.faults.set('down');
      const res = await api().patch(path, { status: 'done' });
      expect(res.status).toBe(200);
      expect(res.body.status).toBe('done');
      expect(fakes.github.issues.get(number)!.state).toBe('open');
      fakes.github.faults.set(undefined);

      const sync = await api().post('/trackers/sync');
      expect(sync.body.pushed).toBeGreaterThanOrEqual(1);
      expect(fakes.github.issues.get(number)!.state).toBe('closed');
      expect((await itemStatus(path, incident.reference)).status).toBe('done');
    });

    it.each([
      ['unauthorized', 'tracker_unauthorized', /refused the token/],
      ['forbidden', 'tracker_unauthorized', /may not write issues/],
      ['rate_limited', 'tracker_rate_limited', /rate-limiting/],
      [
        'not_found',
        'tracker_failed',
        /repository acme\/payments .*does not exist/,
      ],
      ['down', 'tracker_failed', /HTTP 500/],
      ['hang', 'tracker_failed', /did not answer/],
    ] as const)(
      'answers %s with 502 %s and saves nothing',
      async (fault, code, message) => {
        const { incident, path } = await actionItem();
        const issues = fakes.github.issues.size;
        fakes.github.faults.set(fault);
        const res = await api().post(`${path}/issue`, { tracker: 'github' });
        expect(res.status).toBe(502);
        expect(res.body.error.code).toBe(code);
        expect(res.body.error.message).toMatch(message);
        fakes.github.faults.set(undefined);
        expect(fakes.github.issues.size).toBe(issues);
        expect(await itemStatus(path, incident.reference)).toMatchObject({
          tracker: null,
          external_key: null,
          external_url: null,
        });
        // Nothing is left reserved either: the next attempt goes through.
        expect(
          (await api().post(`${path}/issue`, { tracker: 'github' })).status,
        ).toBe(201);
      },
    );

    it('refuses an unknown tracker, naming the field', async () => {
      const { path } = await actionItem();
      const res = await api().post(`${path}/issue`, { tracker: 'linear' });
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('validation_error');
      expect(res.body.error.details.fields[0].field).toBe('body.tracker');
    });

    it('lets only those who may write incidents and items sync and open issues', async () => {
      expect((await api(MALLORY).post('/trackers/sync')).status).toBe(403);
      const { incident, path } = await actionItem();
      await api().patch(`/incidents/${incident.reference}/postmortem`, {
        status: 'published',
        override_findings: true,
      });
      const res = await api(MALLORY).post(`${path}/issue`, {
        tracker: 'github',
      });
      expect(res.status).toBe(403);
    });
  },
);

describe('GitHub module configuration', () => {
  it('fails start-up naming a missing key of a github entry', async () => {
    const knex = await databases.init('SQLITE_3');
    await expect(
      startTestPostmortemsBackend(
        [postmortemsPlugin, postmortemsModuleGitHub],
        knex,
        {
          config: {
            postmortems: {
              trackers: {
                issues: { type: 'github', owner: 'acme', repo: 'payments' },
              },
            },
          },
        },
      ),
    ).rejects.toThrow(/postmortems\.trackers\.issues\.token/);
  });
});
