// Fixtures and the real core plugin, for tests and dev scripts only.
// eslint-disable-next-line @backstage/no-mixed-plugin-imports
import {
  demoIncidents,
  evidenceFromDocument,
  longIncident,
} from '@postmortems-oss/backstage-plugin-postmortems-backend/testUtils';
import { EvidenceEntry } from '@postmortems-oss/backstage-plugin-postmortems-node';
import { TimelineBudget, TimelineLines } from './TimelineBudget';
import { TokenCounter } from './tokens';
import { entityNamer } from './entityNames';

describe('TimelineBudget', () => {
  const counter = new TokenCounter('gpt-4o-mini');

  it('keeps a short timeline whole', () => {
    const evidence = evidenceFromDocument(demoIncidents[0]);
    const fitted = new TimelineBudget(50_000, counter).fit(evidence.entries);
    expect(fitted.omitted).toBe(0);
    expect(fitted.keptIds.size).toBe(evidence.entries.length);
  });

  it.each([10_000, 100_000])(
    'fits %d entries into the budget without losing the skeleton or the resolution',
    count => {
      const evidence = evidenceFromDocument(longIncident(count));
      const budget = 8_000;
      const fitted = new TimelineBudget(budget, counter).fit(evidence.entries);

      expect(fitted.tokens).toBeLessThanOrEqual(budget);
      expect(counter.count(fitted.text)).toBe(fitted.tokens);
      expect(fitted.omitted).toBeGreaterThan(0);
      for (const type of [
        'incident_created',
        'deploy',
        'severity_changed',
        'status_changed',
      ]) {
        const entry = evidence.entries.find(e => e.type === type)!;
        expect(fitted.keptIds.has(entry.id)).toBe(true);
      }
      // The end of the incident (its resolution) is always there.
      const last = evidence.entries[evidence.entries.length - 1];
      expect(fitted.text).toContain(`#${last.id} status_changed`);
      // And it says what it left out.
      expect(fitted.text).toMatch(
        /\[\d+ entries from .* left out for length; from Person/,
      );
      expect(fitted.text).not.toContain('10.1.');
    },
  );

  it("sends only what the authors' curation keeps, with key moments marked and pinned chat kept", () => {
    const evidence = evidenceFromDocument(longIncident(10_000));
    const chat = evidence.entries.filter(e => e.type.endsWith('message'));
    const hiddenLine = chat[10];
    const pinnedLine = chat[5_000];
    const keyLine = chat[6_000];
    const entries = evidence.entries.map(e => {
      if (e === hiddenLine) {
        return {
          ...e,
          curation: { hidden: true, pinned: false, key_moment: null },
        };
      }
      if (e === pinnedLine) {
        return {
          ...e,
          curation: { hidden: false, pinned: true, key_moment: null },
        };
      }
      if (e === keyLine) {
        return {
          ...e,
          curation: {
            hidden: false,
            pinned: false,
            key_moment: 'detected' as const,
          },
        };
      }
      return e;
    });

    const fitted = new TimelineBudget(8_000, counter).fit(entries);

    expect(fitted.hidden).toBe(1);
    expect(fitted.keptIds.has(hiddenLine.id)).toBe(false);
    expect(fitted.text).not.toContain(`#${hiddenLine.id} `);
    // Deep in the middle, where chatter is thinned out, and still there.
    expect(fitted.keptIds.has(pinnedLine.id)).toBe(true);
    expect(fitted.text).toContain(
      `#${keyLine.id} ${keyLine.type} [key moment: detected]`,
    );
    expect(fitted.tokens).toBeLessThanOrEqual(8_000);
  });

  it('names catalog entities instead of showing their refs', () => {
    const evidence = evidenceFromDocument(demoIncidents[0]);
    const commander = evidence.incident.commander!;
    expect(commander).toMatch(/^user:/);
    const names = entityNamer({
      [commander.toLowerCase()]: {
        ref: commander.toLowerCase(),
        title: 'Frank Li (SRE)',
        link: null,
      },
    });
    const entries = [
      ...evidence.entries,
      {
        id: 'x1',
        at: evidence.entries[0].at,
        type: 'commander_assigned',
        actor: commander,
        text: `Incident commander: ${commander}, then ${commander}x stays`,
      },
    ];

    const fitted = new TimelineBudget(50_000, counter, names).fit(entries);

    expect(fitted.text).toContain(
      'commander_assigned Frank Li (SRE): Incident commander: Frank Li (SRE), then',
    );
    // A longer name that merely starts with the ref is not a mention of it.
    expect(fitted.text).toContain(`${commander}x stays`);
  });
});

describe('TimelineLines', () => {
  it('measures every line as long as it is when written', () => {
    const at = '2026-10-01T00:00:00.000Z';
    const entries: EvidenceEntry[] = [
      { id: 'e1', at, type: 'message', actor: 'Person 1', text: 'plain' },
      {
        id: 'e2',
        at,
        type: 'message',
        actor: null,
        text: 'tabs\tand  double  spaces\nand lines\u00a0and a no-break space',
      },
      {
        id: 'e3',
        at: 'not a time',
        type: 'deploy',
        actor: 'user:default/frank.li',
        text: `${'x'.repeat(598)}  cut in the middle of white space`,
      },
      {
        id: 'e4',
        at: '2026-10-01',
        type: 'message',
        actor: '',
        text: 'word '.repeat(200),
        curation: { hidden: false, pinned: false, key_moment: 'detected' },
      },
      { id: 'e5', at, type: 'message', actor: 'Person 1', text: '' },
      {
        id: 'e6',
        at,
        type: 'commander_assigned',
        actor: 'Person 2',
        text: ' Incident commander: user:default/frank.li ',
      },
    ];
    const names = entityNamer({
      'user:default/frank.li': {
        ref: 'user:default/frank.li',
        title: 'Frank Li (SRE)',
        link: null,
      },
    });
    for (const namer of [undefined, names]) {
      const lines = new TimelineLines(entries, namer ?? (text => text));
      entries.forEach((_, i) => {
        expect(lines.length(i)).toBe(lines.line(i).length);
      });
    }
  });

  it('names each person once in a note, in the order they first wrote', () => {
    const at = '2026-10-01T00:00:00.000Z';
    const entries: EvidenceEntry[] = [
      'user:default/frank.li',
      'Person 1',
      'USER:Default/Frank.Li',
      null,
      'Person 1',
      'Person 2',
    ].map((actor, k) => ({
      id: `e${k}`,
      at,
      type: 'message',
      actor,
      text: 'hi',
    }));
    const names = entityNamer({
      'user:default/frank.li': {
        ref: 'user:default/frank.li',
        title: 'Frank Li',
        link: null,
      },
    });
    const lines = new TimelineLines(entries, names);
    expect(lines.omission(0, 6)).toContain(
      '; from Frank Li, Person 1, Person 2]',
    );
    expect(lines.omission(2, 5)).toContain('; from Frank Li, Person 1]');
    expect(lines.omission(3, 4)).toBe(
      '[1 entry from 2026-10-01 00:00:00 UTC to 2026-10-01 00:00:00 UTC left out for length]',
    );
  });
});
