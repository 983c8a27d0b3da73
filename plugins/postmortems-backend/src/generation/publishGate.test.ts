import { Knex } from 'knex';
import {
  createTestDatabases,
  importResolvedIncident,
  testApi,
} from '@internal/postmortems-test-utils';
import { startPostmortemsBackend } from '../__testUtils__/testBackend';

jest.setTimeout(120_000);

const databases = createTestDatabases();

const WRITTEN: Record<string, string> = {
  summary: 'Card payments failed for 54 minutes after a deploy.',
  timeline: '| Time | Event |\n| --- | --- |\n| 09:12 | Triggered |',
  root_cause:
    'The new release read its CA bundle from a path that no longer existed.',
  contributing_factors: 'Nothing in the pipeline checked the CA path.',
  action_items: '- _Who owns each item and by when?_',
  detection: 'An alert on the checkout error rate fired a minute in.',
  resolution: 'Rolling back restored card payments.',
};

describe.each(databases.eachSupportedId())(
  'the publish gate on %p',
  databaseId => {
    let knex: Knex;
    let server: any;

    beforeAll(async () => {
      knex = await databases.init(databaseId);
      ({ server } = await startPostmortemsBackend(knex));
    });

    it('names unwritten sections before publishing, and takes structured action items for the Action items section', async () => {
      const api = testApi(server);
      const incident = await importResolvedIncident(api);
      const path = `/incidents/${incident.id}/postmortem`;
      const drafted = await api.post(`${path}/generate`);
      expect(drafted.status).toBe(200);

      // The skeleton: its questions and its note are not a written section.
      const skeleton = await api.get(`${path}/checks`);
      expect(skeleton.status).toBe(200);
      const unwritten = skeleton.body.data
        .filter((f: any) => f.kind === 'missing_section')
        .map((f: any) => f.section_key);
      expect(unwritten).toEqual(
        expect.arrayContaining([
          'summary',
          'root_cause',
          'contributing_factors',
          'action_items',
          'detection',
          'resolution',
        ]),
      );

      // Everything written but Contributing factors (only its questions)
      // and the Action items prose.
      const sections = drafted.body.sections.map((s: any) => ({
        ...s,
        markdown:
          s.key === 'contributing_factors' ? s.markdown : WRITTEN[s.key],
      }));
      const saved = await api.patch(path, {
        version: drafted.body.version,
        sections,
      });
      expect(saved.status).toBe(200);
      const before = await api.get(`${path}/checks`);
      expect(before.body.data.map((f: any) => f.section_key)).toEqual([
        'contributing_factors',
        'action_items',
      ]);
      expect(before.body.data[0].message).toContain(
        '"Contributing factors" holds only the template\'s questions',
      );

      const refused = await api.patch(path, {
        version: saved.body.version,
        status: 'published',
      });
      expect(refused.status).toBe(409);
      expect(
        refused.body.error.details.findings.map((f: any) => f.section_key),
      ).toEqual(['contributing_factors', 'action_items']);

      // An item without an owner or a due date does not stand for the section.
      const loose = await api.post(`${path}/action-items`, {
        description: 'Check the CA path in CI',
      });
      expect(loose.status).toBe(201);
      expect(
        (await api.get(`${path}/checks`)).body.data.map(
          (f: any) => f.section_key,
        ),
      ).toContain('action_items');
      const tracked = await api.post(`${path}/action-items`, {
        description: 'Fail startup when the CA bundle is missing',
        owner: 'user:default/alice',
        due_date: '2030-01-31',
      });
      expect(tracked.status).toBe(201);

      const written = await api.patch(path, {
        version: saved.body.version,
        sections: sections.map((s: any) =>
          s.key === 'contributing_factors'
            ? { ...s, markdown: WRITTEN.contributing_factors }
            : s,
        ),
      });
      expect(written.status).toBe(200);
      expect((await api.get(`${path}/checks`)).body.data).toEqual([]);
      const published = await api.patch(path, {
        version: written.body.version,
        status: 'published',
      });
      expect(published.status).toBe(200);
      expect(published.body.findings).toEqual([]);
    });

    it('answers 404 for the checks of an incident without a post-mortem', async () => {
      const incident = await importResolvedIncident(testApi(server));
      expect(
        (
          await testApi(server).get(
            `/incidents/${incident.id}/postmortem/checks`,
          )
        ).status,
      ).toBe(404);
    });
  },
);
