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
  startDestinationFakes,
  startTestPostmortemsBackend,
} from '@internal/postmortems-test-utils';
import { Knex } from 'knex';
import request from 'supertest';
import postmortemsModuleJira from './index';

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

// The core plugin with this module, over HTTP, against a fake Jira. The
// tracker rules every type shares are tested with the GitHub module.
describe.each(databases.eachSupportedId())(
  'Jira trackers on %p',
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
      fakes.jira.assignable.add(JIRA_ACCOUNT);
      const { trackers } = fakes.config({ timeoutSeconds: 1 });
      ({ server } = await startTestPostmortemsBackend(
        [postmortemsPlugin, postmortemsModuleJira],
        knex,
        {
          config: {
            app: { baseUrl: 'http://backstage.test' },
            postmortems: { trackers: { jira: trackers.jira } },
          },
          entities: [alice, sre],
        },
      ));
    });

    afterAll(async () => {
      await fakes.stop();
    });

    afterEach(() => {
      fakes.jira.faults.set(undefined);
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

    it('lists the configured project', async () => {
      const res = await api().get('/trackers');
      expect(res.body.data).toEqual([
        { id: 'jira', type: 'jira', title: 'Jira OPS' },
      ]);
    });

    it('opens an issue with an ADF description, assigned from the owner annotation', async () => {
      const { incident, path } = await actionItem();
      const res = await api().post(`${path}/issue`, { tracker: 'jira' });
      expect(res.status).toBe(201);
      const key = res.body.external_key;
      expect(key).toMatch(/^OPS-\d+$/);
      expect(res.body.external_url).toBe(`${fakes.urls.jira}/browse/${key}`);
      const issue = fakes.jira.issues.get(key)!;
      expect(issue).toMatchObject({
        summary: 'Alert on p99 latency of the payments API',
        issueType: 'Task',
        assignee: JIRA_ACCOUNT,
        status: 'To Do',
      });
      const description = JSON.stringify(issue.description);
      expect(description).toContain(
        `{"type":"link","attrs":{"href":"http://backstage.test/postmortems/incidents/${incident.reference}"}}`,
      );
      expect(description).toContain('2026-12-20');
    });

    it('syncs done issues in batches, and reads one by one when a key is gone', async () => {
      const first = await actionItem();
      const second = await actionItem();
      const gone = await actionItem();
      const keyOf = async (p: string) =>
        (await api().post(`${p}/issue`, { tracker: 'jira' })).body.external_key;
      const [a, b, c] = [
        await keyOf(first.path),
        await keyOf(second.path),
        await keyOf(gone.path),
      ];
      fakes.closeIssue('jira', a);
      fakes.jira.issues.delete(c);
      const sync = await api().post('/trackers/sync');
      expect(sync.body.errors).toEqual([]);
      expect(sync.body.missing).toBeGreaterThanOrEqual(1);
      expect(
        (await itemStatus(first.path, first.incident.reference)).status,
      ).toBe('done');
      expect(
        (await itemStatus(second.path, second.incident.reference)).status,
      ).toBe('open');
      expect(fakes.jira.issues.get(b)!.status).toBe('To Do');
    });

    it('follows webhooks signed with the secret or carrying it, and refuses others', async () => {
      const { incident, path } = await actionItem();
      const key = (await api().post(`${path}/issue`, { tracker: 'jira' })).body
        .external_key;
      const secret = FAKE_DESTINATIONS.jira.webhookSecret;

      expect(
        (
          await webhook(
            'jira',
            fakes.jira.webhookDelivery(key, 'Done', 'wrong'),
          )
        ).status,
      ).toBe(401);
      expect(
        (
          await webhook(
            'jira',
            fakes.jira.webhookDelivery(key, 'Done'),
            '?secret=wrong',
          )
        ).status,
      ).toBe(401);
      expect(
        (await webhook('jira', fakes.jira.webhookDelivery(key, 'Done'))).status,
      ).toBe(401);
      expect((await itemStatus(path, incident.reference)).status).toBe('open');

      const signed = await webhook(
        'jira',
        fakes.jira.webhookDelivery(key, 'Done', secret),
      );
      expect(signed.body).toEqual({ updated: 1 });
      expect((await itemStatus(path, incident.reference)).status).toBe('done');

      const byQuery = await webhook(
        'jira',
        fakes.jira.webhookDelivery(key, 'In Progress'),
        `?secret=${secret}`,
      );
      expect(byQuery.body).toEqual({ updated: 1 });
      expect((await itemStatus(path, incident.reference)).status).toBe('open');
    });

    it('transitions the issue to Done when the item is done here, and back when reopened', async () => {
      const { path } = await actionItem();
      const key = (await api().post(`${path}/issue`, { tracker: 'jira' })).body
        .external_key;
      await api().patch(path, { status: 'done' });
      expect(fakes.jira.issues.get(key)!.status).toBe('Done');
      await api().patch(path, { status: 'open' });
      expect(fakes.jira.issues.get(key)!.status).toBe('To Do');
    });

    it.each([
      ['unauthorized', 'tracker_unauthorized'],
      ['rate_limited', 'tracker_rate_limited'],
      ['down', 'tracker_failed'],
    ] as const)(
      'answers %s with 502 %s and saves nothing',
      async (fault, code) => {
        const { incident, path } = await actionItem();
        const issues = fakes.jira.issues.size;
        fakes.jira.faults.set(fault);
        const res = await api().post(`${path}/issue`, { tracker: 'jira' });
        expect(res.status).toBe(502);
        expect(res.body.error.code).toBe(code);
        expect(fakes.jira.issues.size).toBe(issues);
        expect(
          (await itemStatus(path, incident.reference)).external_key,
        ).toBeNull();
      },
    );
  },
);

describe('Jira module configuration', () => {
  it('fails start-up naming a missing key of a jira entry', async () => {
    const knex = await databases.init('SQLITE_3');
    await expect(
      startTestPostmortemsBackend(
        [postmortemsPlugin, postmortemsModuleJira],
        knex,
        {
          config: {
            postmortems: {
              trackers: {
                ops: {
                  type: 'jira',
                  baseUrl: 'https://acme.atlassian.net',
                  projectKey: 'OPS',
                  email: 'jira-bot@example.com',
                },
              },
            },
          },
        },
      ),
    ).rejects.toThrow(/postmortems\.trackers\.ops\.apiToken/);
  });
});
