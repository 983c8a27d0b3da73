import { mockServices } from '@backstage/backend-test-utils';
import { FakeReply, FakeSlack } from '@internal/postmortems-test-utils';
import { SlackThreadSource } from './SlackThreadSource';

jest.setTimeout(30_000);

describe('SlackThreadSource through the official Web API client against a fake Slack', () => {
  let server: FakeSlack;
  let apiUrl: string;
  let rateLimitOnce: boolean;
  let failWith: string | undefined;

  const message = (ts: string, user: string, text: string) => ({
    type: 'message',
    ts,
    user,
    text,
  });
  const page1 = [
    message('1760433150.000100', 'U1', 'rolling back now'),
    message('1760433210.000200', 'U2', 'error rate dropping'),
  ];
  const page2 = [
    message('1760433270.000300', 'U1', 'resolved'),
    {
      type: 'message',
      ts: '1760433280.000400',
      bot_profile: { name: 'deploy-bot' },
      text: 'deploy 4.17.3 done',
    },
  ];

  beforeAll(async () => {
    // A thread or channel history, in two pages, or the failure asked for.
    const paged = (args: URLSearchParams): FakeReply => {
      if (failWith) return { body: { ok: false, error: failWith } };
      if (rateLimitOnce) {
        rateLimitOnce = false;
        return {
          status: 429,
          headers: { 'retry-after': '1' },
          body: { ok: false, error: 'ratelimited' },
        };
      }
      return args.get('cursor') === 'page2'
        ? {
            body: {
              ok: true,
              messages: page2,
              has_more: false,
              response_metadata: { next_cursor: '' },
            },
          }
        : {
            body: {
              ok: true,
              messages: page1,
              has_more: true,
              response_metadata: { next_cursor: 'page2' },
            },
          };
    };
    server = new FakeSlack('xoxb-test', {
      'conversations.replies': paged,
      'conversations.history': paged,
    });
    apiUrl = await server.start();
  });
  afterAll(() => server.stop());
  beforeEach(() => {
    server.requests.length = 0;
    rateLimitOnce = false;
    failWith = undefined;
  });

  const source = (token = 'xoxb-test') =>
    new SlackThreadSource(
      { botToken: token, apiUrl, timeoutMs: 5_000 },
      mockServices.logger.mock(),
    );

  it('reads every page of a thread and names people as Slack shows them', async () => {
    const messages = await source().fetch(
      {
        provider: 'slack',
        channel_id: 'C0INC0001',
        thread_ts: '1760433150.000100',
      },
      { from: '2025-10-14T09:00:00Z', to: '2025-10-14T10:00:00Z' },
    );
    expect(messages.map(m => [m.user, m.text])).toEqual([
      ['Alice Nguyen', 'rolling back now'],
      ['Bob Okafor', 'error rate dropping'],
      ['Alice Nguyen', 'resolved'],
      ['deploy-bot', 'deploy 4.17.3 done'],
    ]);
    expect(messages[0].at).toBe(new Date(1760433150_000.1).toISOString());
    const methods = server.requests.map(r => r.path.split('/').pop());
    expect(methods.filter(m => m === 'conversations.replies')).toHaveLength(2);
    // users.info once per user, not once per message.
    expect(methods.filter(m => m === 'users.info')).toHaveLength(2);
  });

  it('reads channel history in the incident window when there is no thread', async () => {
    await source().fetch(
      { provider: 'slack', channel_id: 'C0INC0002' },
      { from: '2025-10-14T09:00:00Z', to: '2025-10-14T10:00:00Z' },
    );
    const first = server.requests.find(r =>
      r.path.endsWith('conversations.history'),
    )!;
    const params = new URLSearchParams(first.body);
    expect(params.get('channel')).toBe('C0INC0002');
    expect(Number(params.get('oldest'))).toBe(
      Date.parse('2025-10-14T08:00:00Z') / 1000,
    );
  });

  it('waits out a rate limit', async () => {
    rateLimitOnce = true;
    const started = Date.now();
    const messages = await source().fetch(
      { provider: 'slack', channel_id: 'C1', thread_ts: '1.1' },
      { from: '2025-10-14T09:00:00Z', to: null },
    );
    expect(messages).toHaveLength(4);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
  });

  it('explains an API error in words', async () => {
    failWith = 'channel_not_found';
    await expect(
      source().fetch(
        { provider: 'slack', channel_id: 'C404', thread_ts: '1.1' },
        { from: '2025-10-14T09:00:00Z', to: null },
      ),
    ).rejects.toThrow(/Could not read the Slack thread \(channel_not_found\)/);
    await expect(
      source('xoxb-wrong').fetch(
        { provider: 'slack', channel_id: 'C1', thread_ts: '1.1' },
        { from: '2025-10-14T09:00:00Z', to: null },
      ),
    ).rejects.toThrow(/invalid_auth/);
  });
});
