import { Knex } from 'knex';
import { figuresSchema } from '@postmortems-oss/backstage-plugin-postmortems-common';
import {
  createTestDatabases,
  draftFor,
  resolvedIncident,
  testApi,
} from '@internal/postmortems-test-utils';
import { ALICE, startPostmortemsBackend } from '../__testUtils__/testBackend';

jest.setTimeout(120_000);

// The stores' SQL runs on every database in serverSideLists.test.ts under
// database/; here the routes' parsing and wiring, on one.
const databases = createTestDatabases();
const [[databaseId]] = databases.eachSupportedId();

describe('GET /v1/incidents?has_postmortem and GET /v1/figures', () => {
  let knex: Knex;
  let server: Awaited<ReturnType<typeof startPostmortemsBackend>>['server'];
  const api = () => testApi(server, ALICE);

  beforeAll(async () => {
    knex = await databases.init(databaseId);
    ({ server } = await startPostmortemsBackend(knex));
  });

  it('lists resolved incidents without a post-mortem, with their exact total', async () => {
    const waiting = await resolvedIncident(api(), 'Nobody wrote this up');
    const written = await resolvedIncident(api(), 'Written up');
    await draftFor(api(), written);

    const res = await api().get(
      '/incidents?has_postmortem=false&status=resolved&limit=100',
    );
    expect(res.status).toBe(200);
    const ids = res.body.data.map((i: { id: string }) => i.id);
    expect(ids).toContain(waiting.id);
    expect(ids).not.toContain(written.id);
    expect(res.body.total).toBe(ids.length);

    const withOne = await api().get('/incidents?has_postmortem=true');
    expect(withOne.body.data.map((i: { id: string }) => i.id)).toContain(
      written.id,
    );
  });

  it('refuses a has_postmortem that is not true or false, naming it', async () => {
    const res = await api().get('/incidents?has_postmortem=maybe');
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('validation_error');
    expect(res.body.error.details.fields[0].field).toBe('query.has_postmortem');
  });

  it('answers the figures of a period in their schema', async () => {
    const from = new Date(Date.now() - 30 * 24 * 60 * 60 * 1000).toISOString();
    const to = new Date(Date.now() + 60_000).toISOString();
    const res = await api().get(
      `/figures?from=${encodeURIComponent(from)}&to=${encodeURIComponent(
        to,
      )}&bucket_days=7`,
    );
    expect(res.status).toBe(200);
    const figures = figuresSchema.parse(res.body);
    expect(figures.incidents).toBeGreaterThanOrEqual(2);
    expect(figures.resolved).toBeGreaterThanOrEqual(2);
    expect(figures.buckets).toHaveLength(5);
    expect(figures.buckets.reduce((sum, b) => sum + b.count, 0)).toBe(
      figures.incidents,
    );
  });

  it.each([
    ['from=yesterday&to=2026-01-01T00:00:00Z', 'query.from'],
    ['from=2026-01-01T00:00:00Z', 'query.to'],
    ['from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z', 'query.to'],
    [
      'from=2000-01-01T00:00:00Z&to=2026-01-01T00:00:00Z&bucket_days=1',
      'query.bucket_days',
    ],
    [
      'from=2026-01-01T00:00:00Z&to=2026-02-01T00:00:00Z&bucket_days=0',
      'query.bucket_days',
    ],
  ])('refuses figures?%s naming %s', async (query, field) => {
    const res = await api().get(`/figures?${query}`);
    expect(res.status).toBe(400);
    expect(res.body.error.details.fields[0].field).toBe(field);
  });
});
