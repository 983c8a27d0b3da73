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

  it('finds the same in a section checked again, and checks it anew once its words change', () => {
    const fresh = new EvidenceCheck(evidence);
    const once = fresh.check([section('Payments recovered at 13:37 UTC.')]);
    const twice = fresh.check([section('Payments recovered at 13:37 UTC.')]);
    expect(twice).toEqual(once);
    expect(
      once.filter(f => f.kind === 'unsupported_timestamp').map(f => f.excerpt),
    ).toEqual(['13:37']);
    const edited = fresh.check([section('Payments recovered at 09:52 UTC.')]);
    expect(edited.filter(f => f.kind === 'unsupported_timestamp')).toEqual([]);
    // The same words under another section key are that section's findings.
    const moved = fresh.check([
      section('Payments recovered at 13:37 UTC.', 'resolution'),
    ]);
    expect(
      moved
        .filter(f => f.kind === 'unsupported_timestamp')
        .map(f => f.section_key),
    ).toEqual(['resolution']);
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

  it('knows the catalog titles the draft names services by', () => {
    const named = new EvidenceCheck({
      ...evidence,
      entities: {
        'component:default/web-storefront': {
          ref: 'component:default/web-storefront',
          title: 'Web Storefront',
          link: '/catalog/default/component/web-storefront',
        },
      },
    });
    const text = section('Web Storefront showed errors; Pallas Athena left.');
    const people = (checker: EvidenceCheck) =>
      checker
        .check([text])
        .filter(f => f.kind === 'unknown_person')
        .map(f => f.excerpt);
    expect(people(check)).toContain('Web Storefront');
    expect(people(named)).not.toContain('Web Storefront');
    expect(people(named)).toContain('Pallas Athena');
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

  it('counts a section holding only questions or the skeleton note as unwritten, required or not', () => {
    const written = (key: string) => ({
      key,
      title: key,
      markdown: `The ${key} in our own words.`,
    });
    const sections = [
      {
        key: 'summary',
        title: 'Summary',
        markdown:
          '> _Automatic skeleton: the facts below come straight from the incident record. Configure a model for a written draft._\n\nIt was triggered at 09:12.',
      },
      written('timeline'),
      {
        key: 'root_cause',
        title: 'Root cause',
        // A template question without the drafter's italics is a question still.
        markdown: 'What change or condition made this incident possible?',
      },
      {
        key: 'contributing_factors',
        title: 'Contributing factors',
        markdown:
          '- _What made the impact larger or the recovery slower?_\n- _Which processes, tools or missing signals played a part?_',
      },
      written('action_items'),
      written('detection'),
      {
        key: 'resolution',
        title: 'Resolution',
        markdown:
          'Rolling back restored payments.\n\n- _What stopped the impact, and what restored normal service?_',
      },
    ];
    const missing = check
      .check(sections)
      .filter(f => f.kind === 'missing_section');
    expect(missing.map(f => [f.section_key, f.message])).toEqual([
      [
        'summary',
        'The section "Summary" still holds the template\'s questions or the automatic skeleton\'s note; answer them in your own words and remove them.',
      ],
      [
        'root_cause',
        'The section "Root cause" holds only the template\'s questions or the automatic skeleton\'s note; it is not written yet.',
      ],
      [
        'contributing_factors',
        'The section "Contributing factors" holds only the template\'s questions or the automatic skeleton\'s note; it is not written yet.',
      ],
      [
        'resolution',
        'The section "Resolution" still holds the template\'s questions or the automatic skeleton\'s note; answer them in your own words and remove them.',
      ],
    ]);
  });

  it('takes a structured action item with an owner and a due date for the Action items section', () => {
    const questionsOnly = [
      {
        key: 'action_items',
        title: 'Action items',
        markdown: '- _Who owns each item and by when?_',
      },
    ];
    const flagged = (actionItems: any[]) =>
      check
        .check(questionsOnly, { actionItems })
        .some(
          f => f.kind === 'missing_section' && f.section_key === 'action_items',
        );
    const item = {
      owner: 'user:default/alice',
      due_date: '2026-10-01',
      source: 'manual',
      accepted: true,
    };
    expect(flagged([])).toBe(true);
    expect(flagged([{ ...item, due_date: null }])).toBe(true);
    expect(flagged([{ ...item, owner: null }])).toBe(true);
    // A proposal nobody accepted yet is not a commitment.
    expect(flagged([{ ...item, source: 'ai', accepted: false }])).toBe(true);
    expect(flagged([item])).toBe(false);
    expect(flagged([{ ...item, source: 'ai', accepted: true }])).toBe(false);
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
