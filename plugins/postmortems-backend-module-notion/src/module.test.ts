// The tests drive the real core plugin with this module; only tests import it.
// eslint-disable-next-line @backstage/no-mixed-plugin-imports
import postmortemsPlugin from '@postmortems-oss/backstage-plugin-postmortems-backend';
import {
  ALICE,
  createTestDatabases,
  hostileMarkdown,
  postmortemToExport,
  startTestPostmortemsBackend,
  useTestPostmortemsBackend,
} from '@internal/postmortems-test-utils';
import postmortemsModuleNotion from './index';

jest.setTimeout(120_000);

const databases = createTestDatabases();

// The core plugin with this module, over HTTP, against a fake Notion.
describe.each(databases.eachSupportedId())(
  'Notion exports on %p',
  databaseId => {
    const backend = useTestPostmortemsBackend(
      databases,
      databaseId,
      [postmortemsPlugin, postmortemsModuleNotion],
      {
        postmortems: ({ exports }) => ({ exports: { notion: exports.notion } }),
      },
    );
    const api = backend.api;

    afterEach(() => {
      backend.fakes.notion.faults.set(undefined);
    });

    const exportTo = (ref: string, target: string, user = ALICE) =>
      api(user).post(`/incidents/${ref}/postmortem/exports`, { target });

    it('lists the Notion target as a page target', async () => {
      const res = await api().get('/export-targets');
      expect(res.status).toBe(200);
      expect(res.body.data).toEqual([
        { id: 'notion', type: 'notion', title: 'Notion', kind: 'page' },
      ]);
    });

    it('creates a page, then replaces the blocks of the same page', async () => {
      const { ref, title } = await postmortemToExport(api(), hostileMarkdown);
      const first = await exportTo(ref, 'notion');
      expect(first.status).toBe(201);
      const page = backend.fakes.notionPage(first.body.external_id)!;
      expect(page.title).toBe(title);
      expect(page.parentId).toBe(backend.fakes.notion.options.parentPageId);
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
        content: `${hostileMarkdown(title)}\n\n## Follow-up\n\nAdded later.`,
      });
      const second = await exportTo(ref, 'notion');
      expect(second.status).toBe(200);
      expect(second.body.external_id).toBe(page.id);
      const updated = backend.fakes.notionPage(page.id)!;
      expect(updated.blocks).toHaveLength(firstCount + 2);
      expect(
        updated.blocks.filter(
          b =>
            b.type === 'heading_2' && JSON.stringify(b).includes('Follow-up'),
        ),
      ).toHaveLength(1);
      expect(
        [...backend.fakes.notion.pages.values()].filter(p => p.title === title),
      ).toHaveLength(1);
    });

    it('splits long text at 2,000 characters and appends more than 100 blocks in batches', async () => {
      const long = 'x'.repeat(4500);
      const { ref } = await postmortemToExport(api(), title =>
        [
          `# ${title}`,
          '## Details',
          long,
          ...Array.from({ length: 230 }, (_, i) => `Paragraph ${i + 1}`),
        ].join('\n\n'),
      );
      const before = backend.fakes.notion.requests.length;
      const res = await exportTo(ref, 'notion');
      expect(res.status).toBe(201);
      const page = backend.fakes.notionPage(res.body.external_id)!;
      const longBlock = page.blocks.find(b =>
        JSON.stringify(b).includes('xxxx'),
      ) as any;
      expect(
        longBlock.paragraph.rich_text.map((r: any) => r.text.content.length),
      ).toEqual([2000, 2000, 500]);
      expect(
        page.blocks.filter(b => JSON.stringify(b).includes('Paragraph ')),
      ).toHaveLength(230);
      const calls = backend.fakes.notion.requests.slice(before);
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
      const { ref } = await postmortemToExport(api());
      const first = await exportTo(ref, 'notion');
      backend.fakes.notion.trashPage(first.body.external_id);
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
        const { ref } = await postmortemToExport(api());
        const pages = backend.fakes.notion.pages.size;
        backend.fakes.notion.faults.set(fault);
        const res = await exportTo(ref, 'notion');
        expect(res.status).toBe(502);
        expect(res.body.error.code).toBe(code);
        backend.fakes.notion.faults.set(undefined);
        expect(backend.fakes.notion.pages.size).toBe(pages);
        expect(
          (await api().get(`/incidents/${ref}/postmortem/exports`)).body.data,
        ).toEqual([]);
      },
    );
  },
);

describe('Notion module configuration', () => {
  it('fails start-up naming a missing key of a notion entry', async () => {
    const knex = await databases.init('SQLITE_3');
    await expect(
      startTestPostmortemsBackend(
        [postmortemsPlugin, postmortemsModuleNotion],
        knex,
        {
          config: {
            postmortems: {
              exports: {
                notes: { type: 'notion', parentPageId: 'abc' },
              },
            },
          },
        },
      ),
    ).rejects.toThrow(/postmortems\.exports\.notes\.token/);
  });
});
