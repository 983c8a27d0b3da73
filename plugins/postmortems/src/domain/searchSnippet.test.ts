import {
  markWords,
  partsOfHighlight,
  snippetAround,
  windowAround,
} from './searchSnippet';

const render = (parts: { text: string; match: boolean }[] | undefined) =>
  parts?.map(p => (p.match ? `[${p.text}]` : p.text)).join('');

describe('snippetAround', () => {
  const text = `${'Card payments failed for two hours. '.repeat(
    12,
  )}The root cause was an expired TLS certificate on the card processor gateway. ${'Nothing else changed that day. '.repeat(
    12,
  )}`;

  it('starts near the first searched word, not at the top, and marks every searched word', () => {
    const snippet = render(snippetAround(text, 'TLS Certificates'))!;
    expect(snippet.startsWith('…')).toBe(true);
    expect(snippet.endsWith('…')).toBe(true);
    expect(snippet).toContain('an expired [TLS] [certificate] on the card');
    expect(snippet.length).toBeLessThan(260);
    // Cut between words.
    expect(snippet).toMatch(/^…failed for two hours\. The root cause/);
    expect(snippet).toMatch(/ Nothing…$/);
  });

  it('is undefined when no searched word is in the text', () => {
    expect(snippetAround(text, 'database')).toBeUndefined();
    expect(snippetAround(text, '  ')).toBeUndefined();
  });

  it('takes a short text whole', () => {
    expect(render(snippetAround('Expired certificate.', 'certificate'))).toBe(
      'Expired [certificate].',
    );
  });
});

describe('markWords', () => {
  it('marks words at their start, whatever the case, and reads regex syntax as text', () => {
    expect(
      render(markWords('Renewal of certs; recertified (c++)', 'CERT c++')),
    ).toBe('Renewal of [certs]; recertified (c++)');
    expect(render(markWords('<b>not html</b>', 'html'))).toBe(
      '<b>not [html]</b>',
    );
  });
});

describe('a highlight from the search engine', () => {
  it('reads its tags as delimiters and keeps the part around the first match of a long text', () => {
    const text = `${'<b>Intro</b> words. '
      .replace(/<\/?b>/g, '')
      .repeat(30)}an expired @@TLS@@ certificate ${'tail words. '.repeat(30)}`;
    const parts = partsOfHighlight(
      text.replace('@@TLS@@', '<em-x>TLS</em-x>'),
      '<em-x>',
      '</em-x>',
    );
    expect(parts.filter(p => p.match)).toEqual([{ text: 'TLS', match: true }]);
    const snippet = render(windowAround(parts))!;
    expect(snippet).toMatch(/^…words\. .*an expired \[TLS\] certificate tail/);
    expect(snippet.length).toBeLessThan(260);
    expect(snippet).not.toContain('em-x');
  });
});
