import { demoIncidents } from '../../demo/demoIncidents';
import { evidenceFromDocument } from '../../__testUtils__/evidenceFixtures';
import { EvidenceCheck } from '../EvidenceCheck';
import { DeterministicProvider } from './DeterministicProvider';

describe('DeterministicProvider', () => {
  const provider = new DeterministicProvider();

  it('fills all seven sections of the Standard template from the evidence', async () => {
    const evidence = evidenceFromDocument(demoIncidents[0]);
    const seen: string[] = [];
    const draft = await provider.draft({
      evidence,
      mode: 'draft',
      onSection: s => {
        seen.push(s.key);
      },
    });

    expect(draft.generatedBy).toBe('deterministic');
    expect(draft.sections.map(s => s.key)).toEqual([
      'summary',
      'timeline',
      'root_cause',
      'contributing_factors',
      'action_items',
      'detection',
      'resolution',
    ]);
    expect(seen).toEqual(draft.sections.map(s => s.key));
    const byKey = Object.fromEntries(
      draft.sections.map(s => [s.key, s.markdown]),
    );

    expect(byKey.summary).toMatch(/Automatic skeleton/);
    expect(byKey.summary).toContain('triggered at 2026-09-15 09:12:30 UTC');
    expect(byKey.summary).toContain('2 h 54 min in all');
    // Every timeline entry is a row, with its exact time.
    expect(
      byKey.timeline.split('\n').filter(l => l.startsWith('| 2026-')).length,
    ).toBe(evidence.entries.length);
    expect(byKey.detection).toContain(
      'First alert: **payments-service: TLS handshake failures to card processor**',
    );
    expect(byKey.detection).toContain('time to acknowledge 2 min');
    expect(byKey.resolution).toContain('time to resolve 2 h 54 min');
    expect(byKey.resolution).toContain('Rollback from 4.18.0 to 4.17.3');
    expect(byKey.root_cause).toContain(
      'What change or condition made this incident possible?',
    );
    expect(draft.actionItems).toEqual([]);
    expect(
      draft.sections.find(s => s.key === 'timeline')!.evidence,
    ).toHaveLength(evidence.entries.length);
  });

  it.each(demoIncidents.map((doc, k) => [doc.incident.title, k]))(
    'states no time the evidence lacks (%s)',
    async (_title, k) => {
      const evidence = evidenceFromDocument(demoIncidents[k as number]);
      const draft = await provider.draft({ evidence, mode: 'draft' });
      const findings = new EvidenceCheck(evidence).check(draft.sections);
      expect(findings.filter(f => f.kind === 'unsupported_timestamp')).toEqual(
        [],
      );
      expect(findings.filter(f => f.kind === 'unknown_person')).toEqual([]);
      expect(findings.filter(f => f.kind === 'blame')).toEqual([]);
    },
  );

  it('regenerates one section alone', async () => {
    const evidence = evidenceFromDocument(demoIncidents[1]);
    const draft = await provider.draft({
      evidence,
      mode: 'draft',
      sectionKeys: ['resolution'],
    });
    expect(draft.sections.map(s => s.key)).toEqual(['resolution']);
    expect(draft.sections[0].markdown).not.toMatch(/Automatic skeleton/);
  });
});
