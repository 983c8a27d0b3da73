// The tests drive the real core plugin with this module; only tests import it.
// eslint-disable-next-line @backstage/no-mixed-plugin-imports
import postmortemsPlugin from '@postmortems-oss/backstage-plugin-postmortems-backend';
import {
  actionItemNow,
  actionItemOnDraft,
  ALICE,
  createTestDatabases,
  deliverWebhook,
  FakeJira,
  startTestPostmortemsBackend,
  testApi,
} from '@internal/postmortems-test-utils';
import { Entity } from '@backstage/catalog-model';
import { Knex } from 'knex';
import postmortemsModuleJira from './index';

jest.setTimeout(120_000);

const databases = createTestDatabases();

const PAT = 'jira-dc-personal-access-token';
const WEBHOOK_SECRET = 'jira-dc-webhook-secret';

/** Alice as Jira Data Center knows her: by user name, not account id. */
const ALICE_ON_SERVER: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'User',
  metadata: {
    name: 'alice',
    namespace: 'default',
    annotations: { 'atlassian.com/username': 'alice.s' },
  },
  spec: {},
};

function trackerConfig(baseUrl: string, extra: object = {}) {
  return {
    app: { baseUrl: 'http://backstage.test' },
    postmortems: {
      trackers: {
        jira: {
          type: 'jira',
          flavour: 'datacenter',
          baseUrl,
          projectKey: 'OPS',
          personalAccessToken: PAT,
          webhookSecret: WEBHOOK_SECRET,
          timeoutSeconds: 1,
          ...extra,
        },
      },
    },
  };
}

// The core plugin with this module, over HTTP, against a fake Jira Data
// Center mounted under /jira that refuses what only Cloud takes.
describe.each(databases.eachSupportedId())(
  'Jira Data Center trackers on %p',
  databaseId => {
    const jira = new FakeJira({
      flavour: 'datacenter',
      personalAccessToken: PAT,
      projectKey: 'OPS',
      contextPath: '/jira',
    });
    let knex: Knex;
    let server: Awaited<
      ReturnType<typeof startTestPostmortemsBackend>
    >['server'];
    const api = () => testApi(() => server, ALICE);

    beforeAll(async () => {
      knex = await databases.init(databaseId);
      await jira.start();
      jira.assignable.add('alice.s');
      ({ server } = await startTestPostmortemsBackend(
        [postmortemsPlugin, postmortemsModuleJira],
        knex,
        {
          config: trackerConfig(`${jira.url}/jira/`),
          entities: [ALICE_ON_SERVER],
        },
      ));
    });

    afterAll(() => jira.stop());

    afterEach(() => jira.faults.set(undefined));

    const openIssue = async (path: string) => {
      const res = await api().post(`${path}/issue`, { tracker: 'jira' });
      expect(res.status).toBe(201);
      return res.body.external_key as string;
    };

    it('opens an issue through REST v2 with a wiki-markup description, assigned by user name', async () => {
      const { incident, path } = await actionItemOnDraft(api());
      const res = await api().post(`${path}/issue`, { tracker: 'jira' });
      expect(res.status).toBe(201);
      const key = res.body.external_key;
      expect(res.body.external_url).toBe(`${jira.url}/jira/browse/${key}`);
      const issue = jira.issues.get(key)!;
      expect(issue).toMatchObject({
        summary: 'Alert on p99 latency of the payments API',
        assignee: 'alice.s',
        status: 'To Do',
      });
      const ref = incident.reference;
      expect(issue.description).toBe(
        [
          'Alert on p99 latency of the payments API',
          '',
          `Action item of the post-mortem of incident ${ref}.`,
          '',
          `* *Post-mortem:* [${ref} Payments slow|http://backstage.test/postmortems/incidents/${ref}]`,
          '* *Severity:* high',
          '* *Due:* 2026-12-20',
          '* *Category:* detection',
          `* *Owner in Backstage:* ${ALICE}`,
          '',
          '----',
          '_Created from a Backstage post-mortem. Closing this issue marks the action item done there; reopening it reopens the item._',
        ].join('\n'),
      );
      const [create] = jira.requestsTo('POST', '/jira/rest/api/2/issue');
      expect(create.headers.authorization).toBe(`Bearer ${PAT}`);
    });

    it('escapes what wiki markup would read as formatting', async () => {
      const { path } = await actionItemOnDraft(api());
      const item = await api().patch(path, {
        description: 'Fix *all* [links] in {code} -- or -strike- them? INC-7',
      });
      expect(item.status).toBe(200);
      const key = await openIssue(path);
      expect(jira.issues.get(key)!.description).toMatch(
        /^Fix \\\*all\\\* \\\[links\\\] in \\\{code\\\} \\-\\- or \\-strike\\- them\? INC-7\n/,
      );
    });

    it('syncs done issues in batches through /search, and reads one by one when a key is gone', async () => {
      const items = [
        await actionItemOnDraft(api()),
        await actionItemOnDraft(api()),
        await actionItemOnDraft(api()),
      ];
      const [a, b, c] = [
        await openIssue(items[0].path),
        await openIssue(items[1].path),
        await openIssue(items[2].path),
      ];
      jira.setStatus(a, 'Done');
      jira.issues.delete(c);
      const before = jira.requests.length;
      const sync = await api().post('/trackers/sync');
      expect(sync.body.errors).toEqual([]);

      const during = jira.requests.slice(before);
      const searches = during.filter(r => r.method === 'POST');
      expect(searches.map(r => r.path)).toEqual(['/jira/rest/api/2/search']);
      const jql = JSON.parse(searches[0].body).jql as string;
      for (const key of [a, b, c]) expect(jql).toContain(key);
      // The whole batch failed on the deleted key: each issue is read alone.
      const readAlone = during
        .filter(r => r.method === 'GET')
        .map(r => new URL(r.path, 'http://jira').pathname);
      expect(readAlone).toEqual(
        expect.arrayContaining(
          [a, b, c].map(k => `/jira/rest/api/2/issue/${k}`),
        ),
      );
      expect(
        (await actionItemNow(api(), items[0].path, items[0].incident.reference))
          .status,
      ).toBe('done');
      expect(
        (await actionItemNow(api(), items[1].path, items[1].incident.reference))
          .status,
      ).toBe('open');
    });

    it('transitions the issue to Done when the item is done here, and back when reopened', async () => {
      const { path } = await actionItemOnDraft(api());
      const key = await openIssue(path);
      await api().patch(path, { status: 'done' });
      expect(jira.issues.get(key)!.status).toBe('Done');
      await api().patch(path, { status: 'open' });
      expect(jira.issues.get(key)!.status).toBe('To Do');
      expect(
        jira.requestsTo('POST', `/jira/rest/api/2/issue/${key}/transitions`),
      ).toHaveLength(2);
    });

    it('follows webhooks signed with the secret or carrying it, and refuses others', async () => {
      const { incident, path } = await actionItemOnDraft(api());
      const key = await openIssue(path);
      const unsigned = await deliverWebhook(
        server,
        'jira',
        jira.webhookDelivery(key, 'Done', 'wrong'),
      );
      expect(unsigned.status).toBe(401);
      const signed = await deliverWebhook(
        server,
        'jira',
        jira.webhookDelivery(key, 'Done', WEBHOOK_SECRET),
      );
      expect(signed.body).toEqual({ updated: 1 });
      expect(
        (await actionItemNow(api(), path, incident.reference)).status,
      ).toBe('done');
      // Older servers cannot sign: the secret comes in the query.
      const byQuery = await deliverWebhook(
        server,
        'jira',
        jira.webhookDelivery(key, 'To Do'),
        `?secret=${WEBHOOK_SECRET}`,
      );
      expect(byQuery.body).toEqual({ updated: 1 });
      expect(
        (await actionItemNow(api(), path, incident.reference)).status,
      ).toBe('open');
    });

    it('answers a refused token with 502 tracker_unauthorized naming it, and saves nothing', async () => {
      const { incident, path } = await actionItemOnDraft(api());
      const issues = jira.issues.size;
      jira.faults.set('unauthorized');
      const res = await api().post(`${path}/issue`, { tracker: 'jira' });
      expect(res.status).toBe(502);
      expect(res.body.error.code).toBe('tracker_unauthorized');
      expect(res.body.error.message).toMatch(
        /Jira refused the personal access token \(HTTP 401\)/,
      );
      expect(jira.issues.size).toBe(issues);
      expect(
        (await actionItemNow(api(), path, incident.reference)).external_key,
      ).toBeNull();
    });
  },
);

describe('Jira Data Center configuration', () => {
  const start = async (config: object) =>
    startTestPostmortemsBackend(
      [postmortemsPlugin, postmortemsModuleJira],
      await databases.init('SQLITE_3'),
      { config },
    );

  it('fails start-up naming a missing personal access token', async () => {
    const config = trackerConfig('https://jira.acme.com/jira');
    delete (config.postmortems.trackers.jira as any).personalAccessToken;
    await expect(start(config)).rejects.toThrow(
      /postmortems\.trackers\.jira\.personalAccessToken/,
    );
  });

  it('fails start-up naming a flavour it does not know', async () => {
    await expect(
      start(trackerConfig('https://jira.acme.com/jira', { flavour: 'server' })),
    ).rejects.toThrow(
      /postmortems\.trackers\.jira\.flavour: 'server' is not cloud or datacenter/,
    );
  });

  it('does not reach a Data Center server with Cloud settings', async () => {
    const jira = new FakeJira({
      flavour: 'datacenter',
      personalAccessToken: PAT,
      projectKey: 'OPS',
      contextPath: '/jira',
    });
    await jira.start();
    try {
      const { server } = await start({
        app: { baseUrl: 'http://backstage.test' },
        postmortems: {
          trackers: {
            jira: {
              type: 'jira',
              baseUrl: `${jira.url}/jira`,
              projectKey: 'OPS',
              email: 'jira-bot@example.com',
              apiToken: PAT,
              timeoutSeconds: 1,
            },
          },
        },
      });
      const { path } = await actionItemOnDraft(testApi(server, ALICE));
      const res = await testApi(server, ALICE).post(`${path}/issue`, {
        tracker: 'jira',
      });
      expect(res.status).toBe(502);
      expect(jira.issues.size).toBe(0);
    } finally {
      await jira.stop();
    }
  });
});
