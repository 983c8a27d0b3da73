// The tests drive the real core plugin with this module; only tests import it.
// eslint-disable-next-line @backstage/no-mixed-plugin-imports
import postmortemsPlugin from '@postmortems-oss/backstage-plugin-postmortems-backend';
import {
  createTestDatabases,
  hostileMarkdown,
  postmortemToExport,
  useTestPostmortemsBackend,
} from '@internal/postmortems-test-utils';
import { inflateSync } from 'node:zlib';
import postmortemsModulePdf from './index';

jest.setTimeout(120_000);

const databases = createTestDatabases();

// The core plugin with this module, over HTTP.
describe.each(databases.eachSupportedId())(
  'PDF downloads on %p',
  databaseId => {
    const backend = useTestPostmortemsBackend(
      databases,
      databaseId,
      [postmortemsPlugin, postmortemsModulePdf],
      {
        postmortems: () => ({ exports: { pdf: { type: 'pdf' } } }),
      },
    );
    const api = backend.api;

    it('lists the PDF file target', async () => {
      const res = await api().get('/export-targets');
      expect(res.status).toBe(200);
      expect(res.body.data).toEqual([
        { id: 'pdf', type: 'pdf', title: 'PDF file', kind: 'file' },
      ]);
    });

    it('downloads the post-mortem as a PDF laid out from its Markdown', async () => {
      const { ref, title } = await postmortemToExport(api(), hostileMarkdown);
      const res = await api()
        .get(`/incidents/${ref}/postmortem/export?format=pdf`)
        .buffer(true)
        .parse((response, callback) => {
          const chunks: Buffer[] = [];
          response.on('data', (c: Buffer) => chunks.push(c));
          response.on('end', () => callback(null, Buffer.concat(chunks)));
        });
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toBe('application/pdf');
      expect(res.headers['content-disposition']).toBe(
        `attachment; filename="postmortem-${ref.toLowerCase()}.pdf"`,
      );
      const pdf: Buffer = res.body;
      expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
      expect(pdf.subarray(-6).toString('latin1')).toMatch(/%%EOF/);
      expect(pdf.toString('latin1')).toMatch(/\/Type \/Page\b/);
      const text = pdfText(pdf);
      expect(text).toContain(title);
      expect(text).toContain('<script>alert("xss")</script>');
      expect(text).toContain('Add a <canary> stage');
    });

    it('refuses to push the PDF file target like a page, naming the download', async () => {
      const { ref } = await postmortemToExport(api());
      const res = await api().post(`/incidents/${ref}/postmortem/exports`, {
        target: 'pdf',
      });
      expect(res.status).toBe(400);
      expect(res.body.error.details.fields[0].field).toBe('body.target');
      expect(res.body.error.message).toMatch(/download it/);
    });
  },
);

/**
 * The text a PDF shows: its content streams inflated, and the strings of
 * their text operators (pdfkit writes them as hex) decoded and joined.
 */
function pdfText(pdf: Buffer): string {
  const raw = pdf.toString('latin1');
  const out: string[] = [];
  const streams = /stream\r?\n([\s\S]*?)\r?\nendstream/g;
  for (let m = streams.exec(raw); m; m = streams.exec(raw)) {
    let content: string;
    try {
      content = inflateSync(Buffer.from(m[1], 'latin1')).toString('latin1');
    } catch {
      continue; // not a Flate stream (fonts, images)
    }
    for (const tj of content.matchAll(/\[(.*?)\] TJ/g)) {
      out.push(
        [...tj[1].matchAll(/<([0-9a-fA-F]*)>/g)]
          .map(h => Buffer.from(h[1], 'hex').toString('latin1'))
          .join(''),
      );
    }
  }
  return out.join('\n');
}
