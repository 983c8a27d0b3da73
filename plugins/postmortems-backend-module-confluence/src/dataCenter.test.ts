// The tests drive the real core plugin with this module; only tests import it.
// eslint-disable-next-line @backstage/no-mixed-plugin-imports
import postmortemsPlugin from '@postmortems-oss/backstage-plugin-postmortems-backend';
import {
  ALICE,
  createTestDatabases,
  FakeConfluence,
  multiScriptMarkdown,
  postmortemToExport,
  startTestPostmortemsBackend,
  testApi,
} from '@internal/postmortems-test-utils';
import { RemoteServiceError } from '@postmortems-oss/backstage-plugin-postmortems-node';
import { ConfluenceTarget } from './ConfluenceTarget';
import postmortemsModuleConfluence from './index';

jest.setTimeout(120_000);

const databases = createTestDatabases();

const PAT = 'dc-personal-access-token';
const document = {
  title: 'Post-mortem: INC-7 Checkout down',
  blocks: [{ kind: 'paragraph' as const, content: [{ text: 'Łódź 東京' }] }],
} as any;

describe('Confluence Data Center', () => {
  const dataCenter = new FakeConfluence({
    flavour: 'datacenter',
    personalAccessToken: PAT,
    spaceKey: 'OPS',
    contextPath: '/confluence',
  });
  const cloud = new FakeConfluence({
    email: 'wiki-bot@example.com',
    apiToken: 'cloud-token',
    spaceKey: 'OPS',
  });
  beforeAll(async () => {
    await Promise.all([dataCenter.start(), cloud.start()]);
  });
  afterAll(async () => {
    await Promise.all([dataCenter.stop(), cloud.stop()]);
  });

  const target = (baseUrl: string, token = PAT) =>
    new ConfluenceTarget({
      flavour: 'datacenter',
      baseUrl,
      spaceKey: 'OPS',
      personalAccessToken: token,
      maxRetries: 0,
    });

  it('creates and updates pages under the context path with REST v1 and a bearer token', async () => {
    const wiki = target(`${dataCenter.url}/confluence/`);
    const created = await wiki.publish(document, null);
    const page = dataCenter.pages.get(created.externalId)!;
    expect(page).toMatchObject({ title: document.title, version: 1 });
    expect(page.storage).toContain('Łódź 東京');
    expect(created).toEqual({
      externalId: page.id,
      url: `${dataCenter.url}/confluence/pages/viewpage.action?pageId=${page.id}`,
      created: true,
    });
    const again = await wiki.publish(document, created.externalId);
    expect(again.created).toBe(false);
    expect(dataCenter.pages.get(created.externalId)!.version).toBe(2);
    const requests = dataCenter.requestsTo(
      'POST',
      '/confluence/rest/api/content',
    );
    expect(requests).toHaveLength(1);
    expect(requests[0].headers.authorization).toBe(`Bearer ${PAT}`);
  });

  it('names the personal access token when the server refuses it', async () => {
    const error = await target(`${dataCenter.url}/confluence`, 'expired')
      .publish(document, null)
      .catch(e => e);
    expect(error).toBeInstanceOf(RemoteServiceError);
    expect(error.failure).toBe('unauthorized');
    expect(error.message).toBe(
      'Confluence refused the personal access token (HTTP 401)',
    );
  });

  it('does not reach a Cloud site with Data Center settings, nor the other way round', async () => {
    const fromDataCenter = await target(cloud.url)
      .publish(document, null)
      .catch(e => e);
    expect(fromDataCenter).toBeInstanceOf(RemoteServiceError);
    const fromCloud = await new ConfluenceTarget({
      baseUrl: `${dataCenter.url}/confluence`,
      spaceKey: 'OPS',
      email: 'wiki-bot@example.com',
      apiToken: 'cloud-token',
      maxRetries: 0,
    })
      .publish(document, null)
      .catch(e => e);
    expect(fromCloud).toBeInstanceOf(RemoteServiceError);
    expect(cloud.pages.size + dataCenter.pages.size).toBe(1);
  });

  it('is configured with flavour: datacenter and exports the same text through the backend', async () => {
    const knex = await databases.init('SQLITE_3');
    const { server } = await startTestPostmortemsBackend(
      [postmortemsPlugin, postmortemsModuleConfluence],
      knex,
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
                personalAccessToken: PAT,
              },
            },
          },
        },
      },
    );
    const api = testApi(server, ALICE);
    const { ref } = await postmortemToExport(api, multiScriptMarkdown);
    const res = await api.post(`/incidents/${ref}/postmortem/exports`, {
      target: 'wiki',
    });
    expect(res.status).toBe(201);
    const storage = dataCenter.pages.get(res.body.external_id)!.storage;
    // The multi-script text reaches the page unchanged (XML escapes aside).
    expect(storage).toContain(
      'Der Ausfall traf Kunden in Łódź, 東京 und São Paulo; Zoë Ångström leitete 🚀',
    );
    expect(storage).toContain('العربية: توقفت الخدمة');
    expect(storage).toContain('עברית: השירות נפל');
  });

  it('refuses a flavour it does not know, naming the key', async () => {
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
                  flavour: 'server',
                  baseUrl: 'https://wiki.acme.com',
                  spaceKey: 'OPS',
                  personalAccessToken: PAT,
                },
              },
            },
          },
        },
      ),
    ).rejects.toThrow(/flavour/);
  });
});
