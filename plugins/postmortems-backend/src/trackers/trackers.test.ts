import { Entity } from '@backstage/catalog-model';
import { Knex } from 'knex';
import request from 'supertest';
import {
  DestinationFakes,
  FAKE_DESTINATIONS,
  startDestinationFakes,
} from '../__testUtils__/destinationFakes';
import {
  ALICE,
  MALLORY,
  as,
  startPostmortemsBackend,
} from '../__testUtils__/testBackend';
import { createTestDatabases } from '../__testUtils__/testDatabases';

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

describe.each(databases.eachSupportedId())('trackers on %p', databaseId => {
  let knex: Knex;
  let fakes: DestinationFakes;
  let server: Awaited<ReturnType<typeof startPostmortemsBackend>>['server'];

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
    fakes.jira.assignable.add(JIRA_ACCOUNT);
    ({ server } = await startPostmortemsBackend(knex, {
      config: {
        app: { baseUrl: 'http://backstage.test' },
        postmortems: fakes.config({ timeoutSeconds: 1 }),
      },
      entities: [alice, sre],
    }));
  });

  afterAll(async () => {
    await fakes.stop();
  });

  afterEach(() => {
    fakes.github.faults.set(undefined);
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

  it('lists the configured trackers', async () => {
    const res = await api().get('/trackers');
    expect(res.body.data).toEqual([
      { id: 'github', type: 'github', title: 'acme/payments' },
      { id: 'jira', type: 'jira', title: 'Jira OPS' },
    ]);
  });

  describe('GitHub', () => {
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

      const again = await api().post(`${path}/issue`, { tracker: 'jira' });
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
  });

  describe('Jira', () => {
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
  });

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
    const res = await api(MALLORY).post(`${path}/issue`, { tracker: 'github' });
    expect(res.status).toBe(403);
  });
});
