import {
  createTestDatabases,
  draftFor,
  useTestPostmortemsBackend,
} from '@internal/postmortems-test-utils';
import { postmortemsPlugin } from '../plugin';
import { MALLORY, startPostmortemsBackend } from '../__testUtils__/testBackend';

jest.setTimeout(120_000);

const databases = createTestDatabases();

// The core plugin alone: Markdown and JSON are built in, every other target
// type and file format comes from a backend module. The modules' packages
// test their targets (and the export records they make) over HTTP against
// fake Confluence and Notion servers.
describe.each(databases.eachSupportedId())(
  'exports without modules on %p',
  databaseId => {
    // The core plugin alone.
    const { api } = useTestPostmortemsBackend(
      databases,
      databaseId,
      [postmortemsPlugin],
      {
        postmortems: () => ({
          exports: {
            markdown: { type: 'markdown' },
            handbook: { type: 'markdown', title: 'Handbook (Markdown)' },
          },
        }),
      },
    );

    /** An incident with a draft post-mortem; its reference. */
    async function postmortem() {
      const incident = (
        await api().post('/incidents', {
          title: `Checkout down ${Math.random().toString(36).slice(2, 8)}`,
          severity: 'high',
        })
      ).body;
      await draftFor(api(), incident);
      return incident.reference as string;
    }

    it('lists the Markdown targets as files, with their titles', async () => {
      const res = await api().get('/export-targets');
      expect(res.status).toBe(200);
      expect(res.body.data).toEqual([
        {
          id: 'markdown',
          type: 'markdown',
          title: 'Markdown file',
          kind: 'file',
        },
        {
          id: 'handbook',
          type: 'markdown',
          title: 'Handbook (Markdown)',
          kind: 'file',
        },
      ]);
    });

    it('refuses unknown and file targets, naming the field', async () => {
      const ref = await postmortem();
      const exportTo = (target: string) =>
        api().post(`/incidents/${ref}/postmortem/exports`, { target });
      const unknown = await exportTo('sharepoint');
      expect(unknown.status).toBe(400);
      expect(unknown.body.error.code).toBe('validation_error');
      expect(unknown.body.error.details.fields[0].field).toBe('body.target');
      expect(unknown.body.error.message).toMatch(/known: markdown, handbook/);
      const file = await exportTo('markdown');
      expect(file.status).toBe(400);
      expect(file.body.error.details.fields[0].field).toBe('body.target');
      expect(file.body.error.message).toMatch(/download it/);
      expect(
        (await api().get(`/incidents/${ref}/postmortem/exports`)).body.data,
      ).toEqual([]);
    });

    it('answers format=pdf with 400 naming query.format when the PDF module is not installed', async () => {
      const ref = await postmortem();
      const res = await api().get(
        `/incidents/${ref}/postmortem/export?format=pdf`,
      );
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('validation_error');
      expect(res.body.error.details.fields[0].field).toBe('query.format');
      expect(res.body.error.message).toMatch(
        /@postmortems-oss\/backstage-plugin-postmortems-backend-module-pdf/,
      );
      // The built-in formats are unaffected.
      const markdown = await api().get(
        `/incidents/${ref}/postmortem/export?format=markdown`,
      );
      expect(markdown.status).toBe(200);
      expect(markdown.headers['content-type']).toMatch(/^text\/markdown/);
    });

    it('lets only readers of the post-mortem list its exports', async () => {
      const ref = await postmortem();
      // Mallory may read published post-mortems only; this one is a draft.
      expect(
        (await api(MALLORY).get(`/incidents/${ref}/postmortem/exports`)).status,
      ).toBe(403);
    });
  },
);

describe('export targets whose module is not installed', () => {
  it.each([
    [
      'confluence',
      {
        type: 'confluence',
        baseUrl: 'https://acme.atlassian.net',
        spaceKey: 'OPS',
        email: 'wiki-bot@example.com',
        apiToken: 'token',
      },
    ],
    ['notion', { type: 'notion', token: 'secret', parentPageId: 'abc' }],
    ['pdf', { type: 'pdf' }],
  ])('fail start-up on type %s, naming the module', async (type, entry) => {
    const knex = await databases.init('SQLITE_3');
    const module = `@postmortems-oss/backstage-plugin-postmortems-backend-module-${type}`;
    await expect(
      startPostmortemsBackend(knex, {
        config: { postmortems: { exports: { team: entry } } },
      }),
    ).rejects.toThrow(
      `postmortems.exports.team.type is "${type}", which needs the backend module ${module}: add it with backend.add(import('${module}'))`,
    );
  });

  it('fail start-up on an unknown type, naming the types', async () => {
    const knex = await databases.init('SQLITE_3');
    await expect(
      startPostmortemsBackend(knex, {
        config: { postmortems: { exports: { team: { type: 'sharepoint' } } } },
      }),
    ).rejects.toThrow(
      'postmortems.exports.team.type must be one of confluence, notion, markdown, pdf, not "sharepoint"',
    );
  });
});
