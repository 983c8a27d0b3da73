import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { Knex } from 'knex';
import request from 'supertest';
import { figuresBreakdownSchema } from '@postmortems-oss/backstage-plugin-postmortems-common';
import {
  API_V1,
  createTestDatabases,
  testApi,
} from '@internal/postmortems-test-utils';
import {
  BILLING,
  CHECKOUT,
  clearFiguresFixture,
  fixtureEntities,
  FIXTURE_PERIOD,
  LEGACY,
  PAYMENTS,
  SEARCH,
  SEARCH_TEAM,
  writeFiguresFixture,
} from '../__testUtils__/figuresFixture';
import { ALICE, startPostmortemsBackend } from '../__testUtils__/testBackend';

jest.setTimeout(120_000);

const databases = createTestDatabases();
const MINUTE = 60_000;

const period = `from=${encodeURIComponent(
  FIXTURE_PERIOD.from.toISOString(),
)}&to=${encodeURIComponent(FIXTURE_PERIOD.to.toISOString())}`;

describe.each(databases.eachSupportedId())(
  'GET /v1/figures/breakdown on %p',
  databaseId => {
    let server: Awaited<ReturnType<typeof startPostmortemsBackend>>['server'];
    const api = () => testApi(server, ALICE);

    beforeAll(async () => {
      const knex: Knex = await databases.init(databaseId);
      ({ server } = await startPostmortemsBackend(knex, {
        entities: fixtureEntities(),
        // A request without a token is nobody's, as in a portal.
        services: [
          mockServices.httpAuth.factory({
            defaultCredentials: mockCredentials.none(),
          }),
        ],
      }));
      await clearFiguresFixture(knex);
      await writeFiguresFixture(knex);
    });

    const breakdown = async (by: string) => {
      const res = await api().get(`/figures/breakdown?${period}&by=${by}`);
      expect(res.status).toBe(200);
      return figuresBreakdownSchema.parse(res.body);
    };

    it('answers by service, most incidents first, titled as the catalog names them', async () => {
      const figures = await breakdown('service');
      expect(figures.by).toBe('service');
      expect(figures.from).toBe('2026-01-01T00:00:00.000Z');
      expect(
        figures.rows.map(row => [row.key, row.title, row.incidents]),
      ).toEqual([
        [CHECKOUT, 'Checkout API', 2],
        // No title: the name.
        [BILLING, 'billing', 1],
        // Not in the catalog: no title.
        [LEGACY, undefined, 1],
        [SEARCH, 'Search API', 1],
        // The incident without a service, last.
        [null, undefined, 1],
      ]);
      expect(figures.rows[0]).toEqual({
        key: CHECKOUT,
        title: 'Checkout API',
        incidents: 2,
        resolved: 2,
        mttr_ms: 90 * MINUTE,
        mttd_ms: 10 * MINUTE,
        mtta_ms: 25 * MINUTE,
        published: 1,
        action_items_done: 2,
        action_items_open: 2,
        recurrences: 0,
        recurrence_after_ms: null,
      });
    });

    it('answers by the teams owning the services in the catalog, each incident once per team', async () => {
      const figures = await breakdown('team');
      expect(figures.rows).toEqual([
        {
          key: PAYMENTS,
          title: 'Payments team',
          incidents: 2,
          resolved: 2,
          mttr_ms: 90 * MINUTE,
          mttd_ms: 10 * MINUTE,
          mtta_ms: 25 * MINUTE,
          published: 1,
          action_items_done: 2,
          action_items_open: 2,
          recurrences: 0,
          recurrence_after_ms: null,
        },
        // Ties go by ref: the incident without a service and the one on a
        // service the catalog does not know have no team, and come last.
        {
          key: SEARCH_TEAM,
          title: 'search',
          incidents: 1,
          resolved: 1,
          mttr_ms: 30 * MINUTE,
          mttd_ms: 5 * MINUTE,
          mtta_ms: null,
          published: 1,
          action_items_done: 1,
          action_items_open: 0,
          recurrences: 0,
          recurrence_after_ms: null,
        },
        {
          key: null,
          incidents: 2,
          resolved: 1,
          mttr_ms: 10 * MINUTE,
          mttd_ms: null,
          mtta_ms: null,
          published: 0,
          action_items_done: 0,
          action_items_open: 0,
          recurrences: 0,
          recurrence_after_ms: null,
        },
      ]);
    });

    it('answers every month of the period by month, oldest first', async () => {
      const res = await api().get(
        `/figures/breakdown?from=2025-11-15T00:00:00Z&to=2026-02-28T23:59:59Z&by=month`,
      );
      expect(res.status).toBe(200);
      const figures = figuresBreakdownSchema.parse(res.body);
      expect(
        figures.rows.map(row => [row.key, row.incidents, row.mttr_ms]),
      ).toEqual([
        ['2025-11', 0, null],
        // The incident of 31 December, before the fixture's period.
        ['2025-12', 1, 5 * MINUTE],
        ['2026-01', 2, 90 * MINUTE],
        ['2026-02', 3, 20 * MINUTE],
      ]);
    });

    it.each([
      [`${period}&by=owner`, 'query.by'],
      [period, 'query.by'],
      ['from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z&by=team', 'query.to'],
      ['from=last-week&to=2026-01-01T00:00:00Z&by=service', 'query.from'],
      [
        'from=1990-01-01T00:00:00Z&to=2026-01-01T00:00:00Z&by=month',
        'query.from',
      ],
    ])('refuses breakdown?%s naming %s', async (query, field) => {
      const res = await api().get(`/figures/breakdown?${query}`);
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('validation_error');
      expect(res.body.error.details.fields[0].field).toBe(field);
    });

    it('answers nobody without credentials', async () => {
      const res = await request(server).get(
        `${API_V1}/figures/breakdown?${period}&by=service`,
      );
      expect(res.status).toBe(401);
    });
  },
);
