// Fixtures and the real core plugin, for tests and dev scripts only.
// eslint-disable-next-line @backstage/no-mixed-plugin-imports
import {
  demoIncidents,
  evidenceFromDocument,
  longIncident,
} from '@postmortems-oss/backstage-plugin-postmortems-backend/testUtils';
import { TimelineBudget } from './TimelineBudget';
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
