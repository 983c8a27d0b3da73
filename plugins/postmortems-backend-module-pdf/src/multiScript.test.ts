// The tests drive the real core plugin with this module; only tests import it.
// eslint-disable-next-line @backstage/no-mixed-plugin-imports
import postmortemsPlugin from '@postmortems-oss/backstage-plugin-postmortems-backend';
import {
  createTestDatabases,
  MULTI_SCRIPT_WORDS,
  multiScriptMarkdown,
  postmortemToExport,
  useTestPostmortemsBackend,
} from '@internal/postmortems-test-utils';
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import postmortemsModulePdf from './index';

jest.setTimeout(120_000);

// Fonts and layout do not depend on the database; one suffices.
const databases = createTestDatabases();
const [[databaseId]] = databases.eachSupportedId();

/** The PDF's text as PDF.js extracts it, one string per page. */
async function extractText(pdf: Buffer): Promise<string[]> {
  const dir = await mkdtemp(join(tmpdir(), 'postmortem-pdf-'));
  try {
    const file = join(dir, 'export.pdf');
    await writeFile(file, pdf);
    const { stdout } = await promisify(execFile)(process.execPath, [
      join(__dirname, '__testUtils__', 'extractPdfText.mjs'),
      file,
    ]);
    return JSON.parse(stdout);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

describe('exports of a post-mortem written in many scripts', () => {
  const backend = useTestPostmortemsBackend(
    databases,
    databaseId,
    [postmortemsPlugin, postmortemsModulePdf],
    { postmortems: () => ({ exports: { pdf: { type: 'pdf' } } }) },
  );
  const api = backend.api;

  async function download(ref: string, format: string): Promise<Buffer> {
    const res = await api()
      .get(`/incidents/${ref}/postmortem/export?format=${format}`)
      .buffer(true)
      .parse((response, callback) => {
        const chunks: Buffer[] = [];
        response.on('data', (c: Buffer) => chunks.push(c));
        response.on('end', () => callback(null, Buffer.concat(chunks)));
      });
    expect(res.status).toBe(200);
    return res.body;
  }

  it('draws every script in the PDF with embedded fonts, emoji as a placeholder and never ?', async () => {
    const { ref } = await postmortemToExport(api(), multiScriptMarkdown);
    const pdf = await download(ref, 'pdf');
    const text = (await extractText(pdf)).join('\n');

    const { emoji, ...words } = MULTI_SCRIPT_WORDS;
    for (const word of Object.values(words)) expect(text).toContain(word);
    expect(text).toContain(
      'Der Ausfall traf Kunden in Łódź, 東京 und São Paulo; Zoë Ångström leitete [emoji]',
    );
    // Right-to-left lines come out in visual order: the label's colon sits
    // to the left of the Hebrew label, the sentence to its left.
    expect(text).toContain('נפל השירות :עברית');
    expect(text).not.toContain(emoji);
    expect(text).not.toContain('?');
    expect(text).not.toContain('\uFFFD');
    // The fonts are embedded, and only subsets of them.
    expect(pdf.toString('latin1')).toMatch(/\/FontFile2/);
    expect(pdf.length).toBeLessThan(1_000_000);
  });

  it('keeps the same text in the Markdown and JSON exports', async () => {
    const { ref, title } = await postmortemToExport(api(), multiScriptMarkdown);
    const markdown = (await download(ref, 'markdown')).toString('utf8');
    expect(markdown).toContain(
      multiScriptMarkdown(title).split('## Summary')[1].trim(),
    );
    const json = JSON.parse((await download(ref, 'json')).toString('utf8'));
    expect(JSON.stringify(json)).toContain(MULTI_SCRIPT_WORDS.emoji);
    for (const word of Object.values(MULTI_SCRIPT_WORDS)) {
      expect(markdown).toContain(word);
      expect(JSON.stringify(json)).toContain(word);
    }
  });
});
