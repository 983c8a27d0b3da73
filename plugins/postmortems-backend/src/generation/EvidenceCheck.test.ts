import { demoIncidents } from '../demo/demoIncidents';
import { evidenceFromDocument } from '../__testUtils__/evidenceFixtures';
import { EvidenceCheck } from './EvidenceCheck';

describe('EvidenceCheck', () => {
  const evidence = evidenceFromDocument(demoIncidents[0]);
  const check = new EvidenceCheck(evidence);
  const section = (markdown: string, key = 'root_cause') => ({
    key,
    title: 'Root cause',
    markdown,
  });

  it('accepts times from the evidence, with or without their date', () => {
    const findings = check.check([
      section(
        'The first alert fired at 2026-09-15 09:11 UTC and the rollback finished at 09:52.',
      ),
    ]);
    expect(findings.filter(f => f.kind === 'unsupported_timestamp')).toEqual(
      [],
    );
  });

  it('flags a time that appears nowhere in the evidence', () => {
    const findings = check.check([
      section('Payments recovered at 2026-09-15 13:37 UTC.'),
    ]);
    expect(findings).toContainEqual(
      expect.objectContaining({
        kind: 'unsupported_timestamp',
        excerpt: '2026-09-15 13:37',
        section_key: 'root_cause',
      }),
    );
  });

  it('flags people the evidence does not name, and knows those it does', () => {
    const findings = check.check([
      section(
        'Bob Okafor and Alice Nguyen found the CA path; Jennifer Smithson approved it; @zed pinged user:default/nobody.',
      ),
    ]);
    const people = findings
      .filter(f => f.kind === 'unknown_person')
      .map(f => f.excerpt);
    expect(people).toEqual(
      expect.arrayContaining([
        'Jennifer Smithson',
        '@zed',
        'user:default/nobody',
      ]),
    );
    expect(people).not.toContain('Bob Okafor');
    expect(people).not.toContain('Alice Nguyen');
  });

  it('flags sentences that blame a person, with a blameless hint', () => {
    const findings = check.check([
      section(
        'Bob forgot to update the CA path. The engineer should have checked the canary. The pipeline did not check the path.',
      ),
    ]);
    const blame = findings.filter(f => f.kind === 'blame');
    expect(blame.map(f => f.excerpt)).toEqual([
      'Bob forgot to update the CA path',
      'The engineer should have checked the canary',
    ]);
    expect(blame[0].hint).toMatch(/Describe what allowed it/);
  });

  it('flags required sections that are still empty or only questions', () => {
    const findings = check.check([
      { key: 'summary', title: 'Summary', markdown: '- _What happened?_' },
      { key: 'timeline', title: 'Timeline', markdown: 'written' },
    ]);
    const missing = findings
      .filter(f => f.kind === 'missing_section')
      .map(f => f.section_key);
    expect(missing).toEqual(
      expect.arrayContaining([
        'summary',
        'root_cause',
        'action_items',
        'detection',
        'resolution',
      ]),
    );
    expect(missing).not.toContain('timeline');
    expect(missing).not.toContain('contributing_factors');
  });

  it('does not treat quoted chat or code as the draft’s own claims', () => {
    const findings = check.check([
      section(
        '> Jennifer Smithson said at 13:37 it was fine\n\nRan `kubectl rollout at 23:59`.',
      ),
    ]);
    expect(findings.filter(f => f.kind !== 'missing_section')).toEqual([]);
  });
});
