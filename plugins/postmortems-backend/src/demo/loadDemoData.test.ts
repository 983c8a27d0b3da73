import { Knex } from 'knex';
import { createTestDatabases, testApi } from '@internal/postmortems-test-utils';
import { startPostmortemsBackend } from '../__testUtils__/testBackend';

jest.setTimeout(120_000);

const databases = createTestDatabases();

describe.each(databases.eachSupportedId())('demo data on %p', databaseId => {
  let knex: Knex;
  let server: any;

  beforeAll(async () => {
    knex = await databases.init(databaseId);
    ({ server } = await startPostmortemsBackend(knex, {
      config: { postmortems: { demoData: true } },
    }));
  });

  it('starts with the demo incidents and a published post-mortem whose cause comes back in INC-3', async () => {
    const api = testApi(server);
    const incidents = (await api.get('/incidents?limit=50')).body;
    expect(incidents.total).toBe(6);

    const inc6 = (await api.get('/incidents/INC-6/postmortem')).body;
    expect(inc6).toMatchObject({
      status: 'published',
      published_by: 'user:default/frank.li',
      published_at: '2026-08-21T15:00:00.000Z',
    });
    expect(inc6.sections.map((s: any) => s.key)).toEqual([
      'summary',
      'timeline',
      'root_cause',
      'contributing_factors',
      'action_items',
      'detection',
      'resolution',
    ]);
    expect(inc6.action_items.map((i: any) => i.status)).toEqual([
      'done',
      'done',
    ]);
    expect(
      (await api.get('/incidents/INC-6/postmortem/causes')).body.categories,
    ).toEqual(['configuration']);

    // INC-3 of the same search service: related while drafting…
    const related = (await api.get('/incidents/INC-3/postmortem/related')).body
      .data;
    expect(related[0]).toMatchObject({ reference: 'INC-6' });
    // …and a recurrence once its cause is filed the same way.
    expect((await api.post('/incidents/INC-3/postmortem', {})).status).toBe(
      201,
    );
    await api.put('/incidents/INC-3/postmortem/causes', {
      categories: ['configuration'],
    });
    const { recurrence_of } = (
      await api.get('/incidents/INC-3/postmortem/recurrences')
    ).body;
    expect(recurrence_of).toEqual([
      expect.objectContaining({
        reference: 'INC-6',
        categories: ['configuration'],
        services: [
          'component:default/search-service',
          'component:default/web-storefront',
        ],
        items: 2,
        items_done_at: '2026-09-04T09:10:00.000Z',
        after_ms:
          Date.parse('2026-10-14T14:07:10Z') -
          Date.parse('2026-09-04T09:10:00Z'),
      }),
    ]);
  });
});
