// The tests drive the real core plugin with this module; only tests import it.
// eslint-disable-next-line @backstage/no-mixed-plugin-imports
import postmortemsPlugin from '@postmortems-oss/backstage-plugin-postmortems-backend';
import {
  ALICE,
  createTestDatabases,
  hostileMarkdown,
  MALLORY,
  postmortemToExport,
  startTestPostmortemsBackend,
  useTestPostmortemsBackend,
} from '@internal/postmortems-test-utils';
import postmortemsModuleConfluence from './index';

jest.setTimeout(120_000);

const databases = createTestDatabases();

// The core plugin with this module, over HTTP, against a fake Confluence.
// The export record rules (recorded only once the target has the page, the
// latest export per target, readers only) are the core's and are tested here
// because they need a page target.
describe.each(databases.eachSupportedId())(
  'Confluence exports on %p',
  databaseId => {
    const backend = useTestPostmortemsBackend(
      databases,
      databaseId,
      [postmortemsPlugin, postmortemsModuleConfluence],
      {
        postmortems: ({ exports }) => ({
          exports: {
            confluence: exports.confluence,
            markdown: exports.markdown,
          },
        }),
      },
    );
    const api = backend.api;

    afterEach(() => {
      backend.fakes.confluence.faults.set(undefined);
    });

    const exportTo = (ref: string, target: string, user = ALICE) =>
      api(user).post(`/incidents/${ref}/postmortem/exports`, { target });

    it('lists the Confluence target as a page target titled by its space', async () => {
      const res = await api().get('/export-targets');
      expect(res.status).toBe(200);
      expect(res.body.data).toEqual([
        {
          id: 'confluence',
          type: 'confluence',
          title: 'Confluence (OPS)',
          kind: 'page',
        },
        {
          id: 'markdown',
          type: 'markdown',
          title: 'Markdown file',
          kind: 'file',
        },
      ]);
    });

    it('creates a page, then updates the same page with the next version', async () => {
      const { ref, title } = await postmortemToExport(api(), hostileMarkdown);
      const first = await exportTo(ref, 'confluence');
      expect(first.status).toBe(201);
      expect(first.body).toMatchObject({
        target: 'confluence',
        type: 'confluence',
        version: expect.any(Number),
        exported_by: ALICE,
      });
      const page = backend.fakes.confluencePage(first.body.external_id)!;
      expect(page).toMatchObject({ title, version: 1, spaceKey: 'OPS' });
      expect(first.body.url).toBe(
        `${backend.fakes.urls.confluence}/wiki/spaces/OPS/pages/${page.id}`,
      );

      await api().patch(`/incidents/${ref}/postmortem`, {
        content: `${hostileMarkdown(title)}\n\n## Follow-up\n\nAdded later.`,
      });
      const second = await exportTo(ref, 'confluence');
      expect(second.status).toBe(200);
      expect(second.body.external_id).toBe(page.id);
      expect(second.body.version).toBe(first.body.version + 1);
      expect(backend.fakes.confluencePage(page.id)).toMatchObject({
        version: 2,
      });
      expect(backend.fakes.confluencePage(page.id)!.storage).toContain(
        '<h2>Follow-up</h2>',
      );
      expect(
        [...backend.fakes.confluence.pages.values()].filter(
          p => p.title === title,
        ),
      ).toHaveLength(1);

      const records = await api().get(`/incidents/${ref}/postmortem/exports`);
      expect(records.body.data).toEqual([second.body]);
    });

    it('writes storage format that shows HTML and script as text', async () => {
      const { ref } = await postmortemToExport(api(), hostileMarkdown);
      const res = await exportTo(ref, 'confluence');
      const storage = backend.fakes.confluencePage(
        res.body.external_id,
      )!.storage;
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
      const { ref } = await postmortemToExport(api());
      const first = await exportTo(ref, 'confluence');
      backend.fakes.confluence.deletePage(first.body.external_id);
      const second = await exportTo(ref, 'confluence');
      expect(second.status).toBe(201);
      expect(second.body.external_id).not.toBe(first.body.external_id);
      expect(
        backend.fakes.confluencePage(second.body.external_id),
      ).toBeDefined();
      const records = await api().get(`/incidents/${ref}/postmortem/exports`);
      expect(records.body.data[0].external_id).toBe(second.body.external_id);
    });

    it('waits out a short rate limit and gives up on a long one', async () => {
      const { ref } = await postmortemToExport(api());
      backend.fakes.confluence.faults.set('rate_limited', 2);
      const ok = await exportTo(ref, 'confluence');
      expect(ok.status).toBe(201);

      const before = backend.fakes.confluence.requests.length;
      backend.fakes.confluence.faults.set('rate_limited');
      const limited = await exportTo(ref, 'confluence');
      expect(limited.status).toBe(502);
      expect(limited.body.error.code).toBe('export_rate_limited');
      // One call and two retries of its first request.
      expect(backend.fakes.confluence.requests.length - before).toBe(3);
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
        const { ref } = await postmortemToExport(api());
        const pages = backend.fakes.confluence.pages.size;
        backend.fakes.confluence.faults.set(fault);
        const res = await exportTo(ref, 'confluence');
        expect(res.status).toBe(502);
        expect(res.body.error.code).toBe(code);
        backend.fakes.confluence.faults.set(undefined);
        expect(backend.fakes.confluence.pages.size).toBe(pages);
        expect(
          (await api().get(`/incidents/${ref}/postmortem/exports`)).body.data,
        ).toEqual([]);
      },
    );

    it('lets only readers of the post-mortem export it', async () => {
      const { ref } = await postmortemToExport(api());
      // Mallory may read published post-mortems only; this one is a draft.
      const res = await exportTo(ref, 'confluence', MALLORY);
      expect(res.status).toBe(403);
      expect(
        (await api(MALLORY).get(`/incidents/${ref}/postmortem/exports`)).status,
      ).toBe(403);
    });
  },
);

describe('Confluence module configuration', () => {
  it('fails start-up naming a missing key of a confluence entry', async () => {
    const knex = await databases.init('SQLITE_3');
    await expect(
      startTestPostmortemsBackend(
        [postmortemsPlugin, postmortemsModuleConfluence],
        knex,
        {
          config: {
            postmortems: {
              exports: {
                wiki: {
                  type: 'confluence',
                  baseUrl: 'https://acme.atlassian.net',
                  spaceKey: 'OPS',
                  email: 'wiki-bot@example.com',
                },
              },
            },
          },
        },
      ),
    ).rejects.toThrow(/postmortems\.exports\.wiki\.apiToken/);
  });
});
