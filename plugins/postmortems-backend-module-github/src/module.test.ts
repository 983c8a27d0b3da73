// The tests drive the real core plugin with this module; only tests import it.
// eslint-disable-next-line @backstage/no-mixed-plugin-imports
import postmortemsPlugin from '@postmortems-oss/backstage-plugin-postmortems-backend';
import {
  actionItemNow,
  actionItemOnDraft,
  createTestDatabases,
  deliverWebhook,
  FAKE_DESTINATIONS,
  MALLORY,
  startTestPostmortemsBackend,
  TRACKER_ENTITIES,
  useTestPostmortemsBackend,
} from '@internal/postmortems-test-utils';
import postmortemsModuleGitHub from './index';

jest.setTimeout(120_000);

const databases = createTestDatabases();

// The core plugin with this module, over HTTP, against a fake GitHub. The
// tracker rules shared by every tracker type (TrackerService: claims, 409s,
// saving nothing on failure, sync both ways, webhooks, permissions) live in
// the core and are tested here, with GitHub as the tracker; the Jira module
// tests what differs for Jira.
describe.each(databases.eachSupportedId())(
  'GitHub trackers on %p',
  databaseId => {
    const backend = useTestPostmortemsBackend(
      databases,
      databaseId,
      [postmortemsPlugin, postmortemsModuleGitHub],
      {
        postmortems: ({ trackers }) => ({
          trackers: {
            github: trackers.github,
            // A second repository: an item has one issue, in one tracker.
            platform: { ...trackers.github, repo: 'platform' },
          },
        }),
        entities: TRACKER_ENTITIES,
      },
    );
    const api = backend.api;

    beforeAll(() => {
      // Who the fake tracker lets be assigned issues.
      backend.fakes.github.assignable.add('alice-gh');
    });

    afterEach(() => {
      backend.fakes.github.faults.set(undefined);
    });

    it('lists the configured repositories', async () => {
      const res = await api().get('/trackers');
      expect(res.body.data).toEqual([
        { id: 'github', type: 'github', title: 'acme/payments' },
        { id: 'platform', type: 'github', title: 'acme/platform' },
      ]);
    });

    it('opens an issue assigned from the owner annotation that links back to the post-mortem', async () => {
      const { incident, path } = await actionItemOnDraft(api());
      const res = await api().post(`${path}/issue`, { tracker: 'github' });
      expect(res.status).toBe(201);
      const number = Number(res.body.external_key.split('#')[1]);
      expect(res.body).toMatchObject({
        tracker: 'github',
        external_key: `acme/payments#${number}`,
        external_url: backend.fakes.github.htmlUrl(number),
        status: 'open',
      });
      const issue = backend.fakes.github.issues.get(number)!;
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
      const { path } = await actionItemOnDraft(api(), 'group:default/sre');
      const res = await api().post(`${path}/issue`, { tracker: 'github' });
      expect(res.status).toBe(201);
      const number = Number(res.body.external_key.split('#')[1]);
      expect(backend.fakes.github.issues.get(number)!.assignees).toEqual([]);
    });

    it('marks the item done when the issue is closed on GitHub, and open when reopened', async () => {
      const { incident, path } = await actionItemOnDraft(api());
      const key = (await api().post(`${path}/issue`, { tracker: 'github' }))
        .body.external_key;
      backend.fakes.closeIssue('github', key);
      const sync = await api().post('/trackers/sync');
      expect(sync.status).toBe(200);
      expect(sync.body.done).toBeGreaterThanOrEqual(1);
      expect(sync.body.errors).toEqual([]);
      expect(
        (await actionItemNow(api(), path, incident.reference)).status,
      ).toBe('done');

      backend.fakes.reopenIssue('github', key);
      const again = await api().post('/trackers/sync');
      expect(again.body.reopened).toBeGreaterThanOrEqual(1);
      expect(
        (await actionItemNow(api(), path, incident.reference)).status,
      ).toBe('open');
    });

    it('follows signed webhooks and refuses unsigned or wrongly signed ones', async () => {
      const { incident, path } = await actionItemOnDraft(api());
      const key = (await api().post(`${path}/issue`, { tracker: 'github' }))
        .body.external_key;
      const number = Number(key.split('#')[1]);
      const secret = FAKE_DESTINATIONS.github.webhookSecret;

      const forged = backend.fakes.github.webhookDelivery(
        number,
        'closed',
        'not-the-secret',
      );
      expect(
        (await deliverWebhook(backend.server, 'github', forged)).status,
      ).toBe(401);
      const unsigned = backend.fakes.github.webhookDelivery(
        number,
        'closed',
        secret,
      );
      delete (unsigned.headers as Record<string, string>)[
        'X-Hub-Signature-256'
      ];
      expect(
        (await deliverWebhook(backend.server, 'github', unsigned)).status,
      ).toBe(401);
      // A valid signature over a different body does not pass either.
      const tampered = backend.fakes.github.webhookDelivery(
        number,
        'closed',
        secret,
      );
      expect(
        (
          await deliverWebhook(backend.server, 'github', {
            ...tampered,
            body: tampered.body.replace(`"number":${number}`, '"number":1'),
          })
        ).status,
      ).toBe(401);
      expect(
        (await actionItemNow(api(), path, incident.reference)).status,
      ).toBe('open');

      const closed = await deliverWebhook(
        backend.server,
        'github',
        backend.fakes.github.webhookDelivery(number, 'closed', secret),
      );
      expect(closed.status).toBe(200);
      expect(closed.body).toEqual({ updated: 1 });
      expect(
        (await actionItemNow(api(), path, incident.reference)).status,
      ).toBe('done');

      const reopened = await deliverWebhook(
        backend.server,
        'github',
        backend.fakes.github.webhookDelivery(number, 'reopened', secret),
      );
      expect(reopened.body).toEqual({ updated: 1 });
      expect(
        (await actionItemNow(api(), path, incident.reference)).status,
      ).toBe('open');
    });

    it('closes and reopens the issue when the item is done and reopened here', async () => {
      const { path } = await actionItemOnDraft(api());
      const key = (await api().post(`${path}/issue`, { tracker: 'github' }))
        .body.external_key;
      const number = Number(key.split('#')[1]);
      const issuePath = `/repos/acme/payments/issues/${number}`;
      expect((await api().patch(path, { status: 'done' })).status).toBe(200);
      // The fake keeps the reason the tracker sends, and sets none itself.
      expect(backend.fakes.github.issues.get(number)).toMatchObject({
        state: 'closed',
        state_reason: 'completed',
      });
      const [close] = backend.fakes.github.requestsTo('PATCH', issuePath);
      expect(JSON.parse(close.body)).toMatchObject({
        state: 'closed',
        state_reason: 'completed',
      });
      await api().patch(path, { status: 'in_progress' });
      expect(backend.fakes.github.issues.get(number)!.state).toBe('open');
      const reopen = backend.fakes.github.requestsTo('PATCH', issuePath)[1];
      expect(JSON.parse(reopen.body)).toMatchObject({ state: 'open' });
    });

    it('keeps a done item done when closing the issue failed, and closes it at the next sync', async () => {
      const { incident, path } = await actionItemOnDraft(api());
      const key = (await api().post(`${path}/issue`, { tracker: 'github' }))
        .body.external_key;
      const number = Number(key.split('#')[1]);
      backend.fakes.github.faults.set('down');
      const res = await api().patch(path, { status: 'done' });
      expect(res.status).toBe(200);
      expect(res.body.status).toBe('done');
      expect(backend.fakes.github.issues.get(number)!.state).toBe('open');
      backend.fakes.github.faults.set(undefined);

      const sync = await api().post('/trackers/sync');
      expect(sync.body.pushed).toBeGreaterThanOrEqual(1);
      expect(backend.fakes.github.issues.get(number)!.state).toBe('closed');
      expect(
        (await actionItemNow(api(), path, incident.reference)).status,
      ).toBe('done');
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
        const { incident, path } = await actionItemOnDraft(api());
        const issues = backend.fakes.github.issues.size;
        backend.fakes.github.faults.set(fault);
        const res = await api().post(`${path}/issue`, { tracker: 'github' });
        expect(res.status).toBe(502);
        expect(res.body.error.code).toBe(code);
        expect(res.body.error.message).toMatch(message);
        backend.fakes.github.faults.set(undefined);
        expect(backend.fakes.github.issues.size).toBe(issues);
        expect(
          await actionItemNow(api(), path, incident.reference),
        ).toMatchObject({
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
      const { path } = await actionItemOnDraft(api());
      const res = await api().post(`${path}/issue`, { tracker: 'linear' });
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('validation_error');
      expect(res.body.error.details.fields[0].field).toBe('body.tracker');
    });

    it('lets only those who may write incidents and items sync and open issues', async () => {
      expect((await api(MALLORY).post('/trackers/sync')).status).toBe(403);
      const { incident, path } = await actionItemOnDraft(api());
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
