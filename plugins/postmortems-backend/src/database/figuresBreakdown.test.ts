import { Knex } from 'knex';
import { createTestDatabases } from '@internal/postmortems-test-utils';
import {
  BILLING,
  CHECKOUT,
  clearFiguresFixture,
  FIXTURE_OWNERS,
  FIXTURE_PERIOD,
  LEGACY,
  PAYMENTS,
  SEARCH,
  SEARCH_TEAM,
  writeFiguresFixture,
} from '../__testUtils__/figuresFixture';
import { MAX_TEAM_SERVICES } from '../services/IncidentService';
import { FiguresGroupCounts, FiguresStore } from './FiguresStore';
import { applyDatabaseMigrations } from './migrations';

jest.setTimeout(120_000);

const databases = createTestDatabases();
const MINUTE = 60_000;

/** A group's counts, zero and without means unless given. */
const group = (
  key: string | null,
  counts: Partial<FiguresGroupCounts>,
): FiguresGroupCounts => ({
  key,
  incidents: 0,
  resolved: 0,
  mttrMs: null,
  mttdMs: null,
  mttaMs: null,
  published: 0,
  actionItemsDone: 0,
  actionItemsOpen: 0,
  recurrences: 0,
  recurrenceAfterMs: null,
  ...counts,
});

const byKey = (rows: FiguresGroupCounts[]) =>
  [...rows].sort((a, b) => (a.key ?? '').localeCompare(b.key ?? ''));

// A and B, both on checkout-api (A also on billing): the payments team's
// figures are theirs, A counted once.
const checkoutAndPayments = {
  incidents: 2,
  resolved: 2,
  mttrMs: 90 * MINUTE,
  mttdMs: 10 * MINUTE,
  mttaMs: 25 * MINUTE,
  published: 1,
  actionItemsDone: 2,
  actionItemsOpen: 2,
};
const searchOnly = {
  incidents: 1,
  resolved: 1,
  mttrMs: 30 * MINUTE,
  mttdMs: 5 * MINUTE,
  published: 1,
  actionItemsDone: 1,
};

describe.each(databases.eachSupportedId())(
  'figures by service, team and month computed by %p',
  databaseId => {
    let knex: Knex;
    let store: FiguresStore;

    beforeAll(async () => {
      knex = await databases.init(databaseId);
      await applyDatabaseMigrations(knex);
      store = new FiguresStore(knex);
      await clearFiguresFixture(knex);
      await writeFiguresFixture(knex);
    });

    it('counts an incident once for each service it affected', async () => {
      const rows = await store.breakdown(FIXTURE_PERIOD, { by: 'service' });
      expect(byKey(rows)).toEqual([
        group(null, { incidents: 1 }),
        group(BILLING, {
          incidents: 1,
          resolved: 1,
          mttrMs: 60 * MINUTE,
          mttdMs: 10 * MINUTE,
          mttaMs: 20 * MINUTE,
          published: 1,
          actionItemsDone: 2,
          actionItemsOpen: 1,
        }),
        group(CHECKOUT, checkoutAndPayments),
        // Written with capitals, grouped by its lower-case ref.
        group(LEGACY, { incidents: 1, resolved: 1, mttrMs: 10 * MINUTE }),
        group(SEARCH, searchOnly),
      ]);
    });

    it('counts an incident once for each team, however many of its services the team owns', async () => {
      const rows = await store.breakdown(FIXTURE_PERIOD, {
        by: 'team',
        owners: FIXTURE_OWNERS,
      });
      expect(byKey(rows)).toEqual([
        // D (no service) and E (a service without a known owner).
        group(null, { incidents: 2, resolved: 1, mttrMs: 10 * MINUTE }),
        group(PAYMENTS, checkoutAndPayments),
        group(SEARCH_TEAM, searchOnly),
      ]);
    });

    it('takes the owners of as many services as a breakdown by team asks the catalog for', async () => {
      const others = Array.from({ length: MAX_TEAM_SERVICES }, (_, i) => ({
        service: `component:default/other-${i}`,
        team: `group:default/team-${i % 7}`,
      }));
      const rows = await store.breakdown(FIXTURE_PERIOD, {
        by: 'team',
        owners: [...others, ...FIXTURE_OWNERS],
      });
      expect(byKey(rows).map(row => [row.key, row.incidents])).toEqual([
        [null, 2],
        [PAYMENTS, 2],
        [SEARCH_TEAM, 1],
      ]);
    });

    it('puts every incident under no team when no owner is known', async () => {
      const rows = await store.breakdown(FIXTURE_PERIOD, {
        by: 'team',
        owners: [],
      });
      expect(rows).toEqual([
        group(null, {
          incidents: 5,
          resolved: 4,
          // (60 + 120 + 30 + 10) / 4 minutes
          mttrMs: 55 * MINUTE,
          // (10 + 5) / 2
          mttdMs: 7.5 * MINUTE,
          mttaMs: 25 * MINUTE,
          published: 2,
          actionItemsDone: 3,
          actionItemsOpen: 2,
        }),
      ]);
    });

    it('groups by the calendar month in UTC of the trigger', async () => {
      const rows = await store.breakdown(FIXTURE_PERIOD, { by: 'month' });
      expect(byKey(rows)).toEqual([
        // B, at 23:30 UTC on 31 January, is January's.
        group('2026-01', checkoutAndPayments),
        group('2026-02', {
          incidents: 3,
          resolved: 2,
          // (30 + 10) / 2 minutes
          mttrMs: 20 * MINUTE,
          mttdMs: 5 * MINUTE,
          published: 1,
          actionItemsDone: 1,
        }),
      ]);
    });

    it('lists the services of the period, most incidents first, up to a limit', async () => {
      expect(await store.servicesIn(FIXTURE_PERIOD, 10)).toEqual([
        CHECKOUT,
        BILLING,
        LEGACY,
        SEARCH,
      ]);
      expect(await store.servicesIn(FIXTURE_PERIOD, 1)).toEqual([CHECKOUT]);
    });

    it('answers no groups for a period without incidents', async () => {
      const empty = {
        from: new Date('2020-01-01T00:00:00Z'),
        to: new Date('2020-03-01T00:00:00Z'),
      };
      expect(await store.breakdown(empty, { by: 'service' })).toEqual([]);
      expect(
        await store.breakdown(empty, { by: 'team', owners: FIXTURE_OWNERS }),
      ).toEqual([]);
      expect(await store.breakdown(empty, { by: 'month' })).toEqual([]);
    });

    it('keeps the totals of the period as they were', async () => {
      const counts = await store.counts(FIXTURE_PERIOD, []);
      expect(counts).toMatchObject({
        incidents: 5,
        resolved: 4,
        mttrMs: 55 * MINUTE,
        mttdMs: 7.5 * MINUTE,
        mttaMs: 25 * MINUTE,
      });
    });
  },
);
