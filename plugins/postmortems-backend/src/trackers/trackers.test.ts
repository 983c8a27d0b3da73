import {
  actionItemOnDraft,
  createTestDatabases,
  useTestPostmortemsBackend,
} from '@internal/postmortems-test-utils';
import { postmortemsPlugin } from '../plugin';
import { MALLORY, startPostmortemsBackend } from '../__testUtils__/testBackend';

jest.setTimeout(120_000);

const databases = createTestDatabases();

// The core plugin alone: every tracker type comes from a backend module. The
// tracker rules all types share (TrackerService) are tested in the GitHub
// module's package, with a real tracker client against a fake GitHub.
describe.each(databases.eachSupportedId())(
  'trackers without modules on %p',
  databaseId => {
    // The core plugin alone, with tracker settings but no tracker.
    const { api } = useTestPostmortemsBackend(
      databases,
      databaseId,
      [postmortemsPlugin],
      {
        postmortems: () => ({
          trackers: {
            schedule: { frequency: { minutes: 5 }, timeout: 'PT10M' },
            syncFrequency: 'PT5M',
          },
        }),
      },
    );

    it('lists no trackers and syncs nothing', async () => {
      expect((await api().get('/trackers')).body.data).toEqual([]);
      const sync = await api().post('/trackers/sync');
      expect(sync.status).toBe(200);
      expect(sync.body).toMatchObject({ checked: 0, errors: [] });
      expect((await api(MALLORY).post('/trackers/sync')).status).toBe(403);
    });

    it('refuses an unknown tracker, naming the field', async () => {
      const { path } = await actionItemOnDraft(api());
      const res = await api().post(`${path}/issue`, { tracker: 'github' });
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('validation_error');
      expect(res.body.error.details.fields[0].field).toBe('body.tracker');
    });
  },
);

describe('trackers whose module is not installed', () => {
  it.each([
    ['github', { type: 'github', owner: 'acme', repo: 'payments', token: 't' }],
    [
      'jira',
      {
        type: 'jira',
        baseUrl: 'https://acme.atlassian.net',
        projectKey: 'OPS',
        email: 'jira-bot@example.com',
        apiToken: 't',
      },
    ],
  ])('fail start-up on type %s, naming the module', async (type, entry) => {
    const knex = await databases.init('SQLITE_3');
    const module = `@postmortems-oss/backstage-plugin-postmortems-backend-module-${type}`;
    await expect(
      startPostmortemsBackend(knex, {
        config: { postmortems: { trackers: { team: entry } } },
      }),
    ).rejects.toThrow(
      `postmortems.trackers.team.type is "${type}", which needs the backend module ${module}: add it with backend.add(import('${module}'))`,
    );
  });

  it('fail start-up on an unknown type, naming the types', async () => {
    const knex = await databases.init('SQLITE_3');
    await expect(
      startPostmortemsBackend(knex, {
        config: { postmortems: { trackers: { team: { type: 'linear' } } } },
      }),
    ).rejects.toThrow(
      'postmortems.trackers.team.type must be one of github, jira, not "linear"',
    );
  });
});
