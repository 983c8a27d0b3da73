// The tests drive the real core plugin with this module; only tests import it.
// eslint-disable-next-line @backstage/no-mixed-plugin-imports
import postmortemsPlugin from '@postmortems-oss/backstage-plugin-postmortems-backend';
import {
  actionItemNow,
  actionItemOnDraft,
  ALICE_JIRA_ACCOUNT,
  createTestDatabases,
  deliverWebhook,
  FAKE_DESTINATIONS,
  startTestPostmortemsBackend,
  TRACKER_ENTITIES,
  useTestPostmortemsBackend,
} from '@internal/postmortems-test-utils';
import postmortemsModuleJira from './index';

jest.setTimeout(120_000);

const databases = createTestDatabases();

// The core plugin with this module, over HTTP, against a fake Jira. The
// tracker rules every type shares are tested with the GitHub module.
describe.each(databases.eachSupportedId())(
  'Jira trackers on %p',
  databaseId => {
    const backend = useTestPostmortemsBackend(
      databases,
      databaseId,
      [postmortemsPlugin, postmortemsModuleJira],
      {
        postmortems: ({ trackers }) => ({ trackers: { jira: trackers.jira } }),
        entities: TRACKER_ENTITIES,
      },
    );
    const api = backend.api;

    beforeAll(() => {
      // Who the fake tracker lets be assigned issues.
      backend.fakes.jira.assignable.add(ALICE_JIRA_ACCOUNT);
    });

    afterEach(() => {
      backend.fakes.jira.faults.set(undefined);
    });

    it('lists the configured project', async () => {
      const res = await api().get('/trackers');
      expect(res.body.data).toEqual([
        { id: 'jira', type: 'jira', title: 'Jira OPS' },
      ]);
    });

    it('opens an issue with an ADF description, assigned from the owner annotation', async () => {
      const { incident, path } = await actionItemOnDraft(api());
      const res = await api().post(`${path}/issue`, { tracker: 'jira' });
      expect(res.status).toBe(201);
      const key = res.body.external_key;
      expect(key).toMatch(/^OPS-\d+$/);
      expect(res.body.external_url).toBe(
        `${backend.fakes.urls.jira}/browse/${key}`,
      );
      const issue = backend.fakes.jira.issues.get(key)!;
      expect(issue).toMatchObject({
        summary: 'Alert on p99 latency of the payments API',
        issueType: 'Task',
        assignee: ALICE_JIRA_ACCOUNT,
        status: 'To Do',
      });
      const description = JSON.stringify(issue.description);
      expect(description).toContain(
        `{"type":"link","attrs":{"href":"http://backstage.test/postmortems/incidents/${incident.reference}"}}`,
      );
      expect(description).toContain('2026-12-20');
    });

    it('syncs done issues in batches, and reads one by one when a key is gone', async () => {
      const first = await actionItemOnDraft(api());
      const second = await actionItemOnDraft(api());
      const gone = await actionItemOnDraft(api());
      const keyOf = async (p: string) =>
        (await api().post(`${p}/issue`, { tracker: 'jira' })).body.external_key;
      const [a, b, c] = [
        await keyOf(first.path),
        await keyOf(second.path),
        await keyOf(gone.path),
      ];
      backend.fakes.closeIssue('jira', a);
      backend.fakes.jira.issues.delete(c);
      const before = backend.fakes.jira.requests.length;
      const sync = await api().post('/trackers/sync');
      expect(sync.body.errors).toEqual([]);
      expect(sync.body.missing).toBeGreaterThanOrEqual(1);

      // The sync asks for the three issues in one JQL search (with the issues
      // of earlier tests: they share the database), which fails as a whole on
      // the deleted key; then it reads each issue of that batch on its own.
      const during = backend.fakes.jira.requests.slice(before);
      const keysOf = (jql: string) =>
        (/^key in \((.*)\)$/.exec(jql)?.[1] ?? '')
          .split(',')
          .map(k => k.trim().replace(/^"|"$/g, ''));
      const searches = during
        .filter(r => r.method === 'POST' && r.path === '/rest/api/3/search/jql')
        .map(r => keysOf(JSON.parse(r.body).jql));
      const batch = searches.find(keys => keys.includes(a));
      expect(batch).toEqual(expect.arrayContaining([a, b, c]));
      expect(searches.filter(keys => keys.includes(c))).toHaveLength(1);
      const readAlone = during
        .filter(r => r.method === 'GET')
        .map(r => new URL(r.path, 'http://jira').pathname)
        .filter(p => /^\/rest\/api\/3\/issue\/[^/]+$/.test(p));
      expect(readAlone).toEqual(
        expect.arrayContaining([a, b, c].map(k => `/rest/api/3/issue/${k}`)),
      );
      expect(readAlone).toHaveLength(batch!.length);
      expect(
        (await actionItemNow(api(), first.path, first.incident.reference))
          .status,
      ).toBe('done');
      expect(
        (await actionItemNow(api(), second.path, second.incident.reference))
          .status,
      ).toBe('open');
      expect(backend.fakes.jira.issues.get(b)!.status).toBe('To Do');
    });

    it('follows webhooks signed with the secret or carrying it, and refuses others', async () => {
      const { incident, path } = await actionItemOnDraft(api());
      const key = (await api().post(`${path}/issue`, { tracker: 'jira' })).body
        .external_key;
      const secret = FAKE_DESTINATIONS.jira.webhookSecret;

      expect(
        (
          await deliverWebhook(
            backend.server,
            'jira',
            backend.fakes.jira.webhookDelivery(key, 'Done', 'wrong'),
          )
        ).status,
      ).toBe(401);
      expect(
        (
          await deliverWebhook(
            backend.server,
            'jira',
            backend.fakes.jira.webhookDelivery(key, 'Done'),
            '?secret=wrong',
          )
        ).status,
      ).toBe(401);
      expect(
        (
          await deliverWebhook(
            backend.server,
            'jira',
            backend.fakes.jira.webhookDelivery(key, 'Done'),
          )
        ).status,
      ).toBe(401);
      expect(
        (await actionItemNow(api(), path, incident.reference)).status,
      ).toBe('open');

      const signed = await deliverWebhook(
        backend.server,
        'jira',
        backend.fakes.jira.webhookDelivery(key, 'Done', secret),
      );
      expect(signed.body).toEqual({ updated: 1 });
      expect(
        (await actionItemNow(api(), path, incident.reference)).status,
      ).toBe('done');

      const byQuery = await deliverWebhook(
        backend.server,
        'jira',
        backend.fakes.jira.webhookDelivery(key, 'In Progress'),
        `?secret=${secret}`,
      );
      expect(byQuery.body).toEqual({ updated: 1 });
      expect(
        (await actionItemNow(api(), path, incident.reference)).status,
      ).toBe('open');
    });

    it('transitions the issue to Done when the item is done here, and back when reopened', async () => {
      const { path } = await actionItemOnDraft(api());
      const key = (await api().post(`${path}/issue`, { tracker: 'jira' })).body
        .external_key;
      await api().patch(path, { status: 'done' });
      expect(backend.fakes.jira.issues.get(key)!.status).toBe('Done');
      await api().patch(path, { status: 'open' });
      expect(backend.fakes.jira.issues.get(key)!.status).toBe('To Do');
    });

    it.each([
      ['unauthorized', 'tracker_unauthorized'],
      ['rate_limited', 'tracker_rate_limited'],
      ['down', 'tracker_failed'],
    ] as const)(
      'answers %s with 502 %s and saves nothing',
      async (fault, code) => {
        const { incident, path } = await actionItemOnDraft(api());
        const issues = backend.fakes.jira.issues.size;
        backend.fakes.jira.faults.set(fault);
        const res = await api().post(`${path}/issue`, { tracker: 'jira' });
        expect(res.status).toBe(502);
        expect(res.body.error.code).toBe(code);
        expect(backend.fakes.jira.issues.size).toBe(issues);
        expect(
          (await actionItemNow(api(), path, incident.reference)).external_key,
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
