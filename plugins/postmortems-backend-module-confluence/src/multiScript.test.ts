// The tests drive the real core plugin with this module; only tests import it.
// eslint-disable-next-line @backstage/no-mixed-plugin-imports
import postmortemsPlugin from '@postmortems-oss/backstage-plugin-postmortems-backend';
import {
  ALICE,
  BIDI_CONTROLS,
  createTestDatabases,
  FakeConfluence,
  MULTI_SCRIPT_TITLE,
  MULTI_SCRIPT_WORDS,
  multiScriptMarkdown,
  multiScriptParagraphs,
  postmortemToExport,
  startTestPostmortemsBackend,
  testApi,
  TestApi,
  useTestPostmortemsBackend,
} from '@internal/postmortems-test-utils';
import postmortemsModuleConfluence from './index';

jest.setTimeout(120_000);

// Text does not depend on the database; one suffices.
const databases = createTestDatabases();
const [[databaseId]] = databases.eachSupportedId();

/** The text of each `<p>` and heading of a storage body, as a reader sees it. */
function textBlocks(storage: string): string[] {
  return [...storage.matchAll(/<(p|h[1-6])>(.*?)<\/\1>/g)].map(([, , inner]) =>
    inner
      .replace(/<br \/>/g, '\n')
      .replace(/<[^>]+>/g, '')
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&quot;/g, '"')
      .replace(/&#39;/g, "'")
      .replace(/&amp;/g, '&'),
  );
}

/**
 * Exports the multi-script post-mortem to `target` and checks what the fake
 * Confluence received in the create request: the title, and each paragraph
 * whole, with no script replaced, no right-to-left run reordered or wrapped
 * in bidi marks, and no emoji turned into a placeholder.
 */
async function exportAndCheck(
  api: TestApi,
  confluence: FakeConfluence,
  target: string,
  createPath: string,
): Promise<string> {
  const { ref, title } = await postmortemToExport(api, multiScriptMarkdown, {
    incidentTitle: MULTI_SCRIPT_TITLE,
  });
  const res = await api.post(`/incidents/${ref}/postmortem/exports`, {
    target,
  });
  expect(res.status).toBe(201);

  // What Confluence received, as it parses the request's UTF-8 JSON.
  const create = confluence
    .requestsTo('POST', createPath)
    .map(r => JSON.parse(r.body))
    .find(body => body.title === title);
  expect(create).toBeDefined();
  expect(title).toContain(MULTI_SCRIPT_TITLE);
  const storage: string = create.body.storage.value;
  expect(confluence.pages.get(res.body.external_id)!.storage).toBe(storage);

  const blocks = textBlocks(storage);
  for (const paragraph of multiScriptParagraphs(title)) {
    expect(blocks).toContain(paragraph);
  }
  for (const word of Object.values(MULTI_SCRIPT_WORDS)) {
    expect(storage).toContain(word);
  }
  expect(storage).not.toMatch(BIDI_CONTROLS);
  expect(storage).not.toContain('\uFFFD');
  expect(storage).not.toContain('[emoji]');
  expect(storage).not.toMatch(/\?/);
  return storage;
}

describe('Confluence export of a post-mortem written in many scripts', () => {
  const backend = useTestPostmortemsBackend(
    databases,
    databaseId,
    [postmortemsPlugin, postmortemsModuleConfluence],
    {
      postmortems: ({ exports }) => ({
        exports: { confluence: exports.confluence },
      }),
    },
  );

  it('delivers every script, right-to-left text and emoji as written to Confluence Cloud', async () => {
    const storage = await exportAndCheck(
      backend.api(),
      backend.fakes.confluence,
      'confluence',
      '/wiki/rest/api/content',
    );
    expect(storage).toContain(MULTI_SCRIPT_WORDS.emoji);
  });

  it('delivers the same to Confluence Data Center', async () => {
    const dataCenter = new FakeConfluence({
      flavour: 'datacenter',
      personalAccessToken: 'dc-token',
      spaceKey: 'OPS',
      contextPath: '/confluence',
    });
    await dataCenter.start();
    try {
      const { server } = await startTestPostmortemsBackend(
        [postmortemsPlugin, postmortemsModuleConfluence],
        await databases.init(databaseId),
        {
          config: {
            app: { baseUrl: 'http://backstage.test' },
            postmortems: {
              exports: {
                wiki: {
                  type: 'confluence',
                  flavour: 'datacenter',
                  baseUrl: `${dataCenter.url}/confluence`,
                  spaceKey: 'OPS',
                  personalAccessToken: 'dc-token',
                },
              },
            },
          },
        },
      );
      const storage = await exportAndCheck(
        testApi(server, ALICE),
        dataCenter,
        'wiki',
        '/confluence/rest/api/content',
      );
      expect(storage).toContain(MULTI_SCRIPT_WORDS.emoji);
    } finally {
      await dataCenter.stop();
    }
  });
});
