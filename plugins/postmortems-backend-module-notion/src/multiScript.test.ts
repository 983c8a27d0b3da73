// The tests drive the real core plugin with this module; only tests import it.
// eslint-disable-next-line @backstage/no-mixed-plugin-imports
import postmortemsPlugin from '@postmortems-oss/backstage-plugin-postmortems-backend';
import {
  BIDI_CONTROLS,
  createTestDatabases,
  FakeNotionBlock,
  MULTI_SCRIPT_TITLE,
  MULTI_SCRIPT_WORDS,
  multiScriptMarkdown,
  multiScriptParagraphs,
  postmortemToExport,
  useTestPostmortemsBackend,
} from '@internal/postmortems-test-utils';
import postmortemsModuleNotion from './index';

jest.setTimeout(120_000);

// Text does not depend on the database; one suffices.
const databases = createTestDatabases();
const [[databaseId]] = databases.eachSupportedId();

/** A block's rich text objects' contents. */
function runsOf(block: FakeNotionBlock): string[] {
  const own = block[block.type] as {
    rich_text?: Array<{ text: { content: string } }>;
  };
  return (own?.rich_text ?? []).map(r => r.text.content);
}

/** A block's text as Notion shows it: its rich text objects joined. */
function textOf(block: FakeNotionBlock): string {
  return runsOf(block).join('');
}

const graphemes = new Intl.Segmenter('und', { granularity: 'grapheme' });

/** Where the characters a reader sees (grapheme clusters) end in `text`. */
function graphemeEnds(text: string): Set<number> {
  return new Set(
    [...graphemes.segment(text)].map(g => g.index + g.segment.length),
  );
}

/**
 * A paragraph longer than one rich text object holds (2,000 UTF-16 units),
 * whose first limit falls inside a flag (two regional indicators), with a
 * family emoji joined by ZWJ and Devanagari conjuncts further on.
 */
function longParagraph(): string {
  const sentence = 'Łódź 東京 العربية עברית सेवा Ελληνικά Русский ';
  const lead = sentence
    .repeat(Math.ceil(1999 / sentence.length))
    .slice(0, 1998);
  const tail = ' 👩‍👩‍👧 क्षत्रिय श्री '.repeat(40).trim();
  return `${lead}\u{1F1F5}\u{1F1F1}${tail}`;
}

describe('Notion export of a post-mortem written in many scripts', () => {
  const backend = useTestPostmortemsBackend(
    databases,
    databaseId,
    [postmortemsPlugin, postmortemsModuleNotion],
    {
      postmortems: ({ exports }) => ({ exports: { notion: exports.notion } }),
    },
  );

  it('delivers every script, right-to-left text and emoji as written', async () => {
    const api = backend.api();
    const { ref, title } = await postmortemToExport(api, multiScriptMarkdown, {
      incidentTitle: MULTI_SCRIPT_TITLE,
    });
    const res = await api.post(`/incidents/${ref}/postmortem/exports`, {
      target: 'notion',
    });
    expect(res.status).toBe(201);

    const page = backend.fakes.notionPage(res.body.external_id)!;
    expect(page.title).toBe(title);
    expect(title).toContain(MULTI_SCRIPT_TITLE);
    const texts = page.blocks.map(textOf);
    // Each paragraph arrives whole: no script replaced, no right-to-left
    // run reordered, no emoji turned into a placeholder.
    for (const paragraph of multiScriptParagraphs(title)) {
      expect(texts).toContain(paragraph);
    }
    // The same in the requests as Notion parses them (UTF-8 JSON).
    const sent = backend.fakes.notion.requests
      .filter(r => r.body)
      .map(r => JSON.stringify(JSON.parse(r.body)))
      .join('\n');
    for (const word of Object.values(MULTI_SCRIPT_WORDS)) {
      expect(sent).toContain(word);
    }
    const all = [page.title, ...texts].join('\n');
    expect(all).not.toMatch(BIDI_CONTROLS);
    expect(all).not.toContain('\uFFFD');
    expect(all).not.toContain('[emoji]');
    expect(all).not.toMatch(/\?/);
  });

  it('splits a paragraph longer than a rich text object between whole characters', async () => {
    const api = backend.api();
    const long = longParagraph();
    const { ref } = await postmortemToExport(api, title =>
      [`# ${title}`, '', '## Summary', '', long, ''].join('\n'),
    );
    const res = await api.post(`/incidents/${ref}/postmortem/exports`, {
      target: 'notion',
    });
    expect(res.status).toBe(201);
    const block = backend.fakes
      .notionPage(res.body.external_id)!
      .blocks.find(b => textOf(b) === long);
    expect(block).toBeDefined();
    const runs = runsOf(block!);
    expect(runs.length).toBeGreaterThan(1);
    // Each rich text object ends where a character a reader sees ends: no
    // flag, emoji sequence or conjunct is cut in two.
    const ends = graphemeEnds(long);
    let offset = 0;
    for (const run of runs) {
      expect(run.length).toBeLessThanOrEqual(2000);
      offset += run.length;
      expect(ends.has(offset)).toBe(true);
    }
  });
});
