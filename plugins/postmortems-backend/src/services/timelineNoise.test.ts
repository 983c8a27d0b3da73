import { curationOf, noiseOf } from './timelineNoise';

const chat = (text: string, actor = 'Bob Okafor', extra = {}) => ({
  type: 'slack_message' as const,
  actor,
  content: { text, ...extra },
});

describe('the noise rule', () => {
  it.each([
    ['lol', 'reaction'],
    ['LOLOL!!', 'reaction'],
    ['haha nice one', 'reaction'],
    ['lmao that graph 😂', 'reaction'],
    ['+1', 'reaction'],
    ['thanks!', 'reaction'],
    ['ok', 'reaction'],
    ['🔥🔥', 'emoji'],
    [':eyes: :eyes:', 'emoji'],
    ['👍', 'emoji'],
    ['has joined the channel', 'join_leave'],
    ['<@U123> has left the channel', 'join_leave'],
  ])('takes %p for chatter (%s)', (text, kind) => {
    expect(noiseOf(chat(text))).toBe(kind);
  });

  it.each([
    'lol, the retry storm doubled the load on the primary database',
    'Rolled back to 4.17.3',
    'ok to roll back?',
    'Error rate is back under 1%',
    'The x509 errors are gone 🎉 after the rollback',
  ])('keeps %p', text => {
    expect(noiseOf(chat(text))).toBeNull();
  });

  it('takes bots for chatter, by their name or by Slack', () => {
    expect(noiseOf(chat('Pipeline #12 is green', 'deploybot'))).toBe('bot');
    expect(noiseOf(chat('Bumped lodash', 'dependabot[bot]'))).toBe('bot');
    expect(noiseOf(chat('Alert fired', 'Grafana Bot'))).toBe('bot');
    expect(
      noiseOf(chat('Alert fired', 'Grafana', { subtype: 'bot_message' })),
    ).toBe('bot');
    expect(noiseOf(chat('x', 'Bob', { subtype: 'channel_join' }))).toBe(
      'join_leave',
    );
    // "Abbott" is a person, not a bot.
    expect(noiseOf(chat('Restarting the pods now', 'Ann Abbott'))).toBeNull();
  });

  it('never takes recorded events for chatter', () => {
    expect(
      noiseOf({
        type: 'status_changed',
        actor: 'deploybot',
        content: { from: 'triggered', to: 'acknowledged' },
      }),
    ).toBeNull();
    expect(
      noiseOf({ type: 'deploy', actor: 'deploybot', content: { text: 'ok' } }),
    ).toBeNull();
  });

  it("hides noise by default, and lets the author's choice, a pin or a key moment win", () => {
    const joke = chat('lol');
    expect(curationOf(joke, undefined)).toEqual({
      hidden: true,
      pinned: false,
      key_moment: null,
      noise: 'reaction',
      hidden_by_author: false,
    });
    expect(
      curationOf(joke, { hidden: false, pinned: false, keyMoment: null })
        .hidden,
    ).toBe(false);
    expect(
      curationOf(joke, { hidden: null, pinned: true, keyMoment: null }).hidden,
    ).toBe(false);
    expect(
      curationOf(joke, { hidden: null, pinned: false, keyMoment: 'detected' })
        .hidden,
    ).toBe(false);
    const fact = chat('Rolled back to 4.17.3');
    expect(
      curationOf(fact, { hidden: true, pinned: true, keyMoment: null }),
    ).toMatchObject({ hidden: true, pinned: true, hidden_by_author: true });
  });
});
