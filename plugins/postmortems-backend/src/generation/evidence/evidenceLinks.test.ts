import { demoIncidents } from '../../demo/demoIncidents';
import { evidenceFromDocument } from '../../__testUtils__/evidenceFixtures';
import { evidenceAfterEdit, evidenceIndex } from './evidenceLinks';

describe('evidence links of a section, from its words', () => {
  const evidence = evidenceFromDocument(demoIncidents[0]);
  const index = evidenceIndex(evidence);
  const entry = (type: string, text: string) =>
    evidence.entries.find(e => e.type === type && e.text.includes(text))!;

  it('cites the deploy of a version it names, and the events at a time it gives', () => {
    const links = index.linksOf(
      'The card processor client moved to a new secrets layout in 4.18.0; the severity was raised at 09:19.',
    );
    expect(links).toEqual([
      entry('deploy', '4.18.0').id,
      entry('severity_changed', 'critical').id,
    ]);
  });

  it('cites a named alert, a quoted line and an explicit #id, in timeline order', () => {
    const rollback = entry('deploy', '4.17.3');
    const links = index.linksOf(
      [
        `Paging came from CheckoutPaymentErrorRateHigh.`,
        `> Funnel is back to baseline: checkout conversion 3.1%`,
        `See #${rollback.id}.`,
      ].join('\n'),
    );
    expect(links).toEqual([
      entry('alert_linked', 'CheckoutPaymentErrorRateHigh').id,
      rollback.id,
      entry('slack_message', 'Funnel is back to baseline').id,
    ]);
  });

  it('cites nothing for words that point at nothing: unknown times, short quotes, other versions', () => {
    expect(
      index.linksOf(
        'At 03:07 someone said "ok". Version 9.9.9 was never deployed.',
      ),
    ).toEqual([]);
  });

  it('keeps the links of sections whose text did not change and cites rewritten ones afresh', () => {
    const rollback = entry('deploy', '4.17.3');
    const before = {
      sections: [
        {
          key: 'summary',
          title: 'Summary',
          markdown: 'As the model wrote it.',
        },
        { key: 'root_cause', title: 'Root cause', markdown: 'The rollback.' },
      ],
      evidence: { summary: ['kept-id'], root_cause: [rollback.id] },
    };
    const after = evidenceAfterEdit(
      index,
      [
        before.sections[0],
        {
          key: 'root_cause',
          title: 'Root cause',
          markdown:
            'The 4.18.0 deploy read the CA bundle from a path that did not exist.',
        },
        { key: 'new', title: 'New', markdown: 'Nothing cited here.' },
      ],
      before,
    );
    expect(after).toEqual({
      summary: ['kept-id'],
      root_cause: [entry('deploy', '4.18.0').id],
    });
  });
});
