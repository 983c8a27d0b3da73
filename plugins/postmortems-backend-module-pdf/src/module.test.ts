// The tests drive the real core plugin with this module; only tests import it.
// eslint-disable-next-line @backstage/no-mixed-plugin-imports
import postmortemsPlugin from '@postmortems-oss/backstage-plugin-postmortems-backend';
import {
  ALICE,
  as,
  createTestDatabases,
  startTestPostmortemsBackend,
} from '@internal/postmortems-test-utils';
import { Knex } from 'knex';
import { inflateSync } from 'node:zlib';
import request from 'supertest';
import postmortemsModulePdf from './index';

jest.setTimeout(120_000);

const databases = createTestDatabases();
const V1 = '/api/postmortems/v1';

/** A post-mortem body with everything the converter handles, hostile bits included. */
function hostileContent(title: string) {
  return [
    `# ${title}`,
    '',
    '## Summary',
    '',
    // A script URL, spelled so that lint does not take it for one here.
    `Checkout **failed** for _twelve_ minutes. See [the dashboard](https://grafana.example/d/1) and [this](${'javascript'}:alert(1)).`,
    '',
    '<script>alert("xss")</script>',
    '',
    'Inline <img src=x onerror=alert(1)> and `a < b && c` and & ampersands.',
    '',
    '## Timeline',
    '',
    '- 10:00 alert fired',
    '- 10:05 rollback started',
    '  - nested detail',
    '',
    '1. first',
    '2. second',
    '',
    '```sql',
    'SELECT * FROM orders WHERE id = 1 ]]> AND x < 2;',
    '```',
    '',
    '| Service | Impact |',
    '| --- | --- |',
    '| checkout | <b>total</b> |',
  ].join('\n');
}

// The core plugin with this module, over HTTP.
describe.each(databases.eachSupportedId())(
  'PDF downloads on %p',
  databaseId => {
    let knex: Knex;
    let server: Awaited<
      ReturnType<typeof startTestPostmortemsBackend>
    >['server'];

    const api = (user = ALICE) => ({
      get: (path: string) => request(server).get(`${V1}${path}`).set(as(user)),
      post: (path: string, body?: object) =>
        request(server)
          .post(`${V1}${path}`)
          .set(as(user))
          .send(body ?? {}),
      patch: (path: string, body: object) =>
        request(server).patch(`${V1}${path}`).set(as(user)).send(body),
    });

    beforeAll(async () => {
      knex = await databases.init(databaseId);
      ({ server } = await startTestPostmortemsBackend(
        [postmortemsPlugin, postmortemsModulePdf],
        knex,
        {
          config: {
            app: { baseUrl: 'http://backstage.test' },
            postmortems: { exports: { pdf: { type: 'pdf' } } },
          },
        },
      ));
    });

    /** An incident with a draft post-mortem holding `content`; its reference. */
    async function postmortemWith(content?: (title: string) => string) {
      const incident = (
        await api().post('/incidents', {
          title: `Checkout down ${Math.random().toString(36).slice(2, 8)}`,
          severity: 'high',
        })
      ).body;
      expect(
        (await api().post(`/incidents/${incident.number}/postmortem`)).status,
      ).toBe(201);
      const title = `Post-mortem: ${incident.reference} ${incident.title}`;
      if (content) {
        const saved = await api().patch(
          `/incidents/${incident.number}/postmortem`,
          {
            content: content(title),
          },
        );
        expect(saved.status).toBe(200);
      }
      await api().post(
        `/incidents/${incident.number}/postmortem/action-items`,
        {
          description: 'Add a <canary> stage',
          owner: 'user:default/alice',
          due_date: '2026-12-15',
          category: 'prevention',
        },
      );
      return { ref: incident.reference as string, title };
    }

    it('lists the PDF file target', async () => {
      const res = await api().get('/export-targets');
      expect(res.status).toBe(200);
      expect(res.body.data).toEqual([
        { id: 'pdf', type: 'pdf', title: 'PDF file', kind: 'file' },
      ]);
    });

    it('downloads the post-mortem as a PDF laid out from its Markdown', async () => {
      const { ref, title } = await postmortemWith(hostileContent);
      const res = await request(server)
        .get(`${V1}/incidents/${ref}/postmortem/export?format=pdf`)
        .set(as(ALICE))
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
      const { ref } = await postmortemWith();
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
