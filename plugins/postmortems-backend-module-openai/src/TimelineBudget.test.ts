// Fixtures and the real core plugin, for tests and dev scripts only.
// eslint-disable-next-line @backstage/no-mixed-plugin-imports
import {
  demoIncidents,
  evidenceFromDocument,
  longIncident,
} from '@postmortems-oss/backstage-plugin-postmortems-backend/testUtils';
import { TimelineBudget } from './TimelineBudget';
import { TokenCounter } from './tokens';

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
});
