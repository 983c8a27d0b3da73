import { Knex } from 'knex';
// Fixtures and the real core plugin, for tests and dev scripts only.
// eslint-disable-next-line @backstage/no-mixed-plugin-imports
import postmortemsPlugin from '@postmortems-oss/backstage-plugin-postmortems-backend';
import {
  createTestDatabases,
  FakeReply,
  FakeSlack,
  importResolvedIncident,
  startTestPostmortemsBackend,
  testApi,
} from '@internal/postmortems-test-utils';
import { postmortemsModuleSlack as slackModule } from './module';

jest.setTimeout(120_000);

const databases = createTestDatabases();

/** A fake Slack with one two-message thread in channel C42. */
function fakeSlack() {
  return new FakeSlack('xoxb-module', {
    'conversations.replies': (args): FakeReply => {
      if (
        args.get('channel') !== 'C42' ||
        args.get('ts') !== '1757927550.000100'
      ) {
        return { body: { ok: false, error: 'thread_not_found' } };
      }
      return {
        body: {
          ok: true,
          has_more: false,
          messages: [
            {
              type: 'message',
              ts: '1757927550.000100',
              user: 'U1',
              text: 'payments are failing, looking',
            },
            {
              type: 'message',
              ts: '1757929020.000200',
              user: 'U2',
              text: 'rolled back to 4.17.3',
            },
          ],
        },
      };
    },
  });
}

describe.each(databases.eachSupportedId())(
  'the Slack module on %p',
  databaseId => {
    let knex: Knex;
    let slack: FakeSlack;
    let apiUrl: string;

    beforeAll(async () => {
      knex = await databases.init(databaseId);
      slack = fakeSlack();
      apiUrl = await slack.start();
    });
    afterAll(() => slack.stop());

    it("puts the incident's thread on its timeline when a draft is generated", async () => {
      const { server } = await startTestPostmortemsBackend(
        [postmortemsPlugin, slackModule],
        knex,
        {
          config: {
            postmortems: { slack: { botToken: 'xoxb-module', apiUrl } },
          },
        },
      );
      const incident = await importResolvedIncident(testApi(server), {
        chat: {
          provider: 'slack',
          channel_id: 'C42',
          thread_ts: '1757927550.000100',
        },
        // Only what the thread adds.
        timeline: [],
      });
      slack.requests.length = 0;

      const generated = await testApi(server).post(
        `/incidents/${incident.id}/postmortem/generate`,
      );
      expect(generated.status).toBe(200);

      // The thread asked for is the incident's, in its channel.
      const replies = slack.requests.filter(r =>
        r.path.includes('conversations.replies'),
      );
      expect(replies.length).toBeGreaterThan(0);
      const asked = new URLSearchParams(replies[0].body);
      expect(asked.get('channel')).toBe('C42');
      expect(asked.get('ts')).toBe('1757927550.000100');

      const timeline = await testApi(server).get(
        `/incidents/${incident.id}/timeline`,
      );
      const chat = timeline.body.data.filter(
        (e: any) => e.type === 'slack_message',
      );
      expect(chat.map((e: any) => [e.actor, e.content.text])).toEqual([
        ['Alice Nguyen', 'payments are failing, looking'],
        ['Bob Okafor', 'rolled back to 4.17.3'],
      ]);
      expect(generated.body.content).toContain('rolled back to 4.17.3');
    });

    it('reads no thread without a bot token', async () => {
      const { server } = await startTestPostmortemsBackend(
        [postmortemsPlugin, slackModule],
        knex,
      );
      const incident = await importResolvedIncident(testApi(server), {
        chat: {
          provider: 'slack',
          channel_id: 'C42',
          thread_ts: '1757927550.000100',
        },
        // Only what the thread adds.
        timeline: [],
      });
      slack.requests.length = 0;
      const generated = await testApi(server).post(
        `/incidents/${incident.id}/postmortem/generate`,
      );
      expect(generated.status).toBe(200);
      expect(slack.requests).toEqual([]);
    });
  },
);
