import { inflateSync } from 'node:zlib';
import { Knex } from 'knex';
import request from 'supertest';
import {
  DestinationFakes,
  startDestinationFakes,
} from '../__testUtils__/destinationFakes';
import {
  ALICE,
  MALLORY,
  as,
  startPostmortemsBackend,
} from '../__testUtils__/testBackend';
import { createTestDatabases } from '../__testUtils__/testDatabases';

jest.setTimeout(120_000);

const databases = createTestDatabases();
const V1 = '/api/postmortems/v1';

/** A post-mortem body with everything the converters handle, hostile bits included. */
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

describe.each(databases.eachSupportedId())('exports on %p', databaseId => {
  let knex: Knex;
  let fakes: DestinationFakes;
  let server: Awaited<ReturnType<typeof startPostmortemsBackend>>['server'];

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
    fakes = await startDestinationFakes();
    ({ server } = await startPostmortemsBackend(knex, {
      config: {
        app: { baseUrl: 'http://backstage.test' },
        postmortems: fakes.config({ timeoutSeconds: 1 }),
      },
    }));
  });

  afterAll(async () => {
    await fakes.stop();
  });

  afterEach(() => {
    for (const fake of [fakes.confluence, fakes.notion])
      fake.faults.set(undefined);
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
    await api().post(`/incidents/${incident.number}/postmortem/action-items`, {
      description: 'Add a <canary> stage',
      owner: 'user:default/alice',
      due_date: '2026-12-15',
      category: 'prevention',
    });
    return { ref: incident.reference as string, title };
  }

  const exportTo = (ref: string, target: string, user = ALICE) =>
    api(user).post(`/incidents/${ref}/postmortem/exports`, { target });

  it('lists the configured targets with their kinds', async () => {
    const res = await api().get('/export-targets');
    expect(res.status).toBe(200);
    expect(res.body.data).toEqual([
      {
        id: 'confluence',
        type: 'confluence',
        title: 'Confluence (OPS)',
        kind: 'page',
      },
      { id: 'notion', type: 'notion', title: 'Notion', kind: 'page' },
      {
        id: 'markdown',
        type: 'markdown',
        title: 'Markdown file',
        kind: 'file',
      },
      { id: 'pdf', type: 'pdf', title: 'PDF file', kind: 'file' },
    ]);
  });

  describe('Confluence', () => {
    it('creates a page, then updates the same page with the next version', async () => {
      const { ref, title } = await postmortemWith(hostileContent);
      const first = await exportTo(ref, 'confluence');
      expect(first.status).toBe(201);
      expect(first.body).toMatchObject({
        target: 'confluence',
        type: 'confluence',
        version: expect.any(Number),
        exported_by: ALICE,
      });
      const page = fakes.confluencePage(first.body.external_id)!;
      expect(page).toMatchObject({ title, version: 1, spaceKey: 'OPS' });
      expect(first.body.url).toBe(
        `${fakes.urls.confluence}/wiki/spaces/OPS/pages/${page.id}`,
      );

      await api().patch(`/incidents/${ref}/postmortem`, {
        content: `${hostileContent(title)}\n\n## Follow-up\n\nAdded later.`,
      });
      const second = await exportTo(ref, 'confluence');
      expect(second.status).toBe(200);
      expect(second.body.external_id).toBe(page.id);
      expect(second.body.version).toBe(first.body.version + 1);
      expect(fakes.confluencePage(page.id)).toMatchObject({ version: 2 });
      expect(fakes.confluencePage(page.id)!.storage).toContain(
        '<h2>Follow-up</h2>',
      );
      expect(
        [...fakes.confluence.pages.values()].filter(p => p.title === title),
      ).toHaveLength(1);

      const records = await api().get(`/incidents/${ref}/postmortem/exports`);
      expect(records.body.data).toEqual([second.body]);
    });

    it('writes storage format that shows HTML and script as text', async () => {
      const { ref } = await postmortemWith(hostileContent);
      const res = await exportTo(ref, 'confluence');
      const storage = fakes.confluencePage(res.body.external_id)!.storage;
      // No element but those the converter writes; the payloads stay text.
      expect(storage).not.toMatch(/<(script|img|b)[\s>]/i);
      expect(storage).not.toContain(`${'javascript'}:`);
      expect(storage).toContain(
        '<p>&lt;script&gt;alert(&quot;xss&quot;)&lt;/script&gt;</p>',
      );
      expect(storage).toContain('&lt;img src=x onerror=alert(1)&gt;');
      expect(storage).toContain('<code>a &lt; b &amp;&amp; c</code>');
      expect(storage).toContain('<strong>failed</strong>');
      expect(storage).toContain(
        '<a href="https://grafana.example/d/1">the dashboard</a>',
      );
      expect(storage).toContain(
        '<ul><li>10:00 alert fired</li><li>10:05 rollback started<ul><li>nested detail</li></ul></li></ul>',
      );
      expect(storage).toContain('<ol><li>first</li><li>second</li></ol>');
      expect(storage).toContain(
        '<ac:structured-macro ac:name="code"><ac:parameter ac:name="language">sql</ac:parameter><ac:plain-text-body><![CDATA[SELECT * FROM orders WHERE id = 1 ]]]]><![CDATA[> AND x < 2;]]></ac:plain-text-body></ac:structured-macro>',
      );
      expect(storage).toContain('<th><p>Service</p></th>');
      expect(storage).toContain('<td><p>&lt;b&gt;total&lt;/b&gt;</p></td>');
      // The tracked action items table of the Markdown export.
      expect(storage).toContain('<td><p>Add a &lt;canary&gt; stage</p></td>');
      // The title is the page title, not repeated as a heading.
      expect(storage).not.toContain('<h1>');
    });

    it('creates the page again when it was deleted in Confluence', async () => {
      const { ref } = await postmortemWith();
      const first = await exportTo(ref, 'confluence');
      fakes.confluence.deletePage(first.body.external_id);
      const second = await exportTo(ref, 'confluence');
      expect(second.status).toBe(201);
      expect(second.body.external_id).not.toBe(first.body.external_id);
      expect(fakes.confluencePage(second.body.external_id)).toBeDefined();
      const records = await api().get(`/incidents/${ref}/postmortem/exports`);
      expect(records.body.data[0].external_id).toBe(second.body.external_id);
    });

    it('waits out a short rate limit and gives up on a long one', async () => {
      const { ref } = await postmortemWith();
      fakes.confluence.faults.set('rate_limited', 2);
      const ok = await exportTo(ref, 'confluence');
      expect(ok.status).toBe(201);

      const before = fakes.confluence.requests.length;
      fakes.confluence.faults.set('rate_limited');
      const limited = await exportTo(ref, 'confluence');
      expect(limited.status).toBe(502);
      expect(limited.body.error.code).toBe('export_rate_limited');
      // One call and two retries of its first request.
      expect(fakes.confluence.requests.length - before).toBe(3);
      const records = await api().get(`/incidents/${ref}/postmortem/exports`);
      expect(records.body.data[0].exported_at).toBe(ok.body.exported_at);
    });

    it.each([
      ['unauthorized', 'export_unauthorized'],
      ['forbidden', 'export_unauthorized'],
      ['down', 'export_failed'],
      ['hang', 'export_failed'],
    ] as const)(
      'answers %s with 502 %s and records nothing',
      async (fault, code) => {
        const { ref } = await postmortemWith();
        const pages = fakes.confluence.pages.size;
        fakes.confluence.faults.set(fault);
        const res = await exportTo(ref, 'confluence');
        expect(res.status).toBe(502);
        expect(res.body.error.code).toBe(code);
        fakes.confluence.faults.set(undefined);
        expect(fakes.confluence.pages.size).toBe(pages);
        expect(
          (await api().get(`/incidents/${ref}/postmortem/exports`)).body.data,
        ).toEqual([]);
      },
    );
  });

  describe('Notion', () => {
    it('creates a page, then replaces the blocks of the same page', async () => {
      const { ref, title } = await postmortemWith(hostileContent);
      const first = await exportTo(ref, 'notion');
      expect(first.status).toBe(201);
      const page = fakes.notionPage(first.body.external_id)!;
      expect(page.title).toBe(title);
      expect(page.parentId).toBe(fakes.notion.options.parentPageId);
      const types = page.blocks.map(b => b.type);
      expect(types).toEqual(
        expect.arrayContaining([
          'heading_2',
          'paragraph',
          'bulleted_list_item',
          'numbered_list_item',
          'code',
          'table',
          'divider',
        ]),
      );
      const firstCount = page.blocks.length;
      const script = page.blocks.find(
        b => b.type === 'paragraph' && JSON.stringify(b).includes('<script>'),
      ) as any;
      // Shown as literal text, with no link or markup.
      expect(script.paragraph.rich_text[0].text).toEqual({
        content: '<script>alert("xss")</script>',
        link: null,
      });
      const summary = page.blocks.find(
        b => b.type === 'paragraph' && JSON.stringify(b).includes('Checkout'),
      ) as any;
      const runs = summary.paragraph.rich_text;
      expect(
        runs.find((r: any) => r.text.content === 'failed').annotations.bold,
      ).toBe(true);
      expect(
        runs.find((r: any) => r.text.content === 'twelve').annotations.italic,
      ).toBe(true);
      expect(
        runs.find((r: any) => r.text.content === 'the dashboard').text.link,
      ).toEqual({
        url: 'https://grafana.example/d/1',
      });
      expect(
        runs.find((r: any) => r.text.content === 'this').text.link,
      ).toBeNull();

      await api().patch(`/incidents/${ref}/postmortem`, {
        content: `${hostileContent(title)}\n\n## Follow-up\n\nAdded later.`,
      });
      const second = await exportTo(ref, 'notion');
      expect(second.status).toBe(200);
      expect(second.body.external_id).toBe(page.id);
      const updated = fakes.notionPage(page.id)!;
      expect(updated.blocks).toHaveLength(firstCount + 2);
      expect(
        updated.blocks.filter(
          b =>
            b.type === 'heading_2' && JSON.stringify(b).includes('Follow-up'),
        ),
      ).toHaveLength(1);
      expect(
        [...fakes.notion.pages.values()].filter(p => p.title === title),
      ).toHaveLength(1);
    });

    it('splits long text at 2,000 characters and appends more than 100 blocks in batches', async () => {
      const long = 'x'.repeat(4500);
      const { ref } = await postmortemWith(title =>
        [
          `# ${title}`,
          '## Details',
          long,
          ...Array.from({ length: 230 }, (_, i) => `Paragraph ${i + 1}`),
        ].join('\n\n'),
      );
      const before = fakes.notion.requests.length;
      const res = await exportTo(ref, 'notion');
      expect(res.status).toBe(201);
      const page = fakes.notionPage(res.body.external_id)!;
      const longBlock = page.blocks.find(b =>
        JSON.stringify(b).includes('xxxx'),
      ) as any;
      expect(
        longBlock.paragraph.rich_text.map((r: any) => r.text.content.length),
      ).toEqual([2000, 2000, 500]);
      expect(
        page.blocks.filter(b => JSON.stringify(b).includes('Paragraph ')),
      ).toHaveLength(230);
      const calls = fakes.notion.requests.slice(before);
      const appends = calls.filter(
        r => r.method === 'PATCH' && r.path.endsWith('/children'),
      );
      const create = calls.find(
        r => r.method === 'POST' && r.path === '/v1/pages',
      )!;
      expect(JSON.parse(create.body).children).toHaveLength(100);
      expect(appends.map(r => JSON.parse(r.body).children.length)).toEqual([
        100,
        page.blocks.length - 200,
      ]);
    });

    it('creates the page again when it was moved to the trash', async () => {
      const { ref } = await postmortemWith();
      const first = await exportTo(ref, 'notion');
      fakes.notion.trashPage(first.body.external_id);
      const second = await exportTo(ref, 'notion');
      expect(second.status).toBe(201);
      expect(second.body.external_id).not.toBe(first.body.external_id);
    });

    it.each([
      ['unauthorized', 'export_unauthorized'],
      ['rate_limited', 'export_rate_limited'],
      ['down', 'export_failed'],
    ] as const)(
      'answers %s with 502 %s and records nothing',
      async (fault, code) => {
        const { ref } = await postmortemWith();
        const pages = fakes.notion.pages.size;
        fakes.notion.faults.set(fault);
        const res = await exportTo(ref, 'notion');
        expect(res.status).toBe(502);
        expect(res.body.error.code).toBe(code);
        fakes.notion.faults.set(undefined);
        expect(fakes.notion.pages.size).toBe(pages);
        expect(
          (await api().get(`/incidents/${ref}/postmortem/exports`)).body.data,
        ).toEqual([]);
      },
    );
  });

  it('refuses unknown and file targets, naming the field', async () => {
    const { ref } = await postmortemWith();
    const unknown = await exportTo(ref, 'sharepoint');
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.code).toBe('validation_error');
    expect(unknown.body.error.details.fields[0].field).toBe('body.target');
    const file = await exportTo(ref, 'pdf');
    expect(file.status).toBe(400);
    expect(file.body.error.message).toMatch(/download it/);
  });

  it('lets only readers of the post-mortem export it', async () => {
    const { ref } = await postmortemWith();
    // Mallory may read published post-mortems only; this one is a draft.
    const res = await exportTo(ref, 'confluence', MALLORY);
    expect(res.status).toBe(403);
    expect(
      (await api(MALLORY).get(`/incidents/${ref}/postmortem/exports`)).status,
    ).toBe(403);
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
});

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
