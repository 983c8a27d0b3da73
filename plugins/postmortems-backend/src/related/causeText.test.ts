import {
  causeText,
  DocumentFrequencies,
  similarity,
  termVector,
  tokenize,
  weigh,
} from './causeText';

describe('cause text', () => {
  it('keeps the words that say something, plurals made singular', () => {
    expect(
      tokenize(
        'The **certificates** expired; see [the runbook](https://example.com/x). Retries and 42 queues.',
      ),
    ).toEqual(['certificate', 'expired', 'runbook', 'retry', 'queue']);
  });

  it('reads only the root cause and contributing factors', () => {
    expect(
      causeText([
        { key: 'summary', title: 'Summary', markdown: 'Payments failed.' },
        { key: 'root_cause', title: 'Root cause', markdown: 'Expired cert.' },
        {
          key: 'contributing_factors',
          title: 'Contributing factors',
          markdown: 'No alert.',
        },
      ]),
    ).toBe('Expired cert.\nNo alert.');
  });

  it("leaves out the template's guiding questions of a blank draft", () => {
    expect(
      causeText([
        {
          key: 'root_cause',
          title: 'Root cause',
          markdown:
            '- _What change or condition made this incident possible?_\n- _Why did our safeguards not stop it?_\nThe cert expired.',
        },
      ]).trim(),
    ).toBe('The cert expired.');
  });

  it('scores shared rare words above shared common ones', () => {
    const docs = [
      'certificate expired renewal failed',
      'database pool exhausted deploy failed',
      'disk full deploy failed',
      'config typo deploy failed',
    ].map(termVector);
    const frequencies = new DocumentFrequencies();
    docs.forEach(doc => frequencies.add(doc));
    const query = weigh(
      termVector('the certificate expired after a deploy'),
      frequencies,
    );
    const [cert, pool] = docs.map(doc =>
      similarity(query, weigh(doc, frequencies)),
    );
    expect(cert.terms).toEqual(['certificate', 'expired']);
    expect(pool.terms).toEqual(['deploy']);
    expect(cert.score).toBeGreaterThan(pool.score);
    expect(cert.score).toBeLessThanOrEqual(1);
    expect(similarity(query, query).score).toBeCloseTo(1);
  });
});
