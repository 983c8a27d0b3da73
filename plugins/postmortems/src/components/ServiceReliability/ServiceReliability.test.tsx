import { screen, within } from '@testing-library/react';
import { Entity } from '@backstage/catalog-model';
import { http, HttpResponse } from 'msw';
import {
  FiguresBreakdownRow,
  figuresBreakdownSchema,
} from '@postmortems-oss/backstage-plugin-postmortems-common';
import { monthLabel } from '../../domain/figures';
import { actionItemPage, errorBody } from '../../__testUtils__/fixtures';
import {
  backendUrl,
  createTestClient,
  setupBackend,
} from '../../__testUtils__/msw';
import { renderWithApis } from '../../__testUtils__/renderWithApis';
import { ServiceReliability } from './ServiceReliability';

const server = setupBackend();
const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

const searchService: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'search-service', namespace: 'default', title: 'Search' },
  spec: { type: 'service', owner: 'team-search', lifecycle: 'production' },
};

/** A group's figures: zero and without means unless given. */
const row = (
  key: string | null,
  figures: Partial<FiguresBreakdownRow> = {},
): FiguresBreakdownRow => ({
  key,
  incidents: 0,
  resolved: 0,
  mttr_ms: null,
  mttd_ms: null,
  mtta_ms: null,
  recurrences: 0,
  recurrence_after_ms: null,
  published: 0,
  action_items_done: 0,
  action_items_open: 0,
  ...figures,
});

/** The month keys (`2026-01`) from `from`'s month to `to`'s, as the backend lists them. */
function monthsBetween(from: string, to: string): string[] {
  const keys: string[] = [];
  const end = new Date(to);
  const month = new Date(from);
  month.setUTCDate(1);
  while (
    month.getUTCFullYear() < end.getUTCFullYear() ||
    (month.getUTCFullYear() === end.getUTCFullYear() &&
      month.getUTCMonth() <= end.getUTCMonth())
  ) {
    keys.push(month.toISOString().slice(0, 7));
    month.setUTCMonth(month.getUTCMonth() + 1);
  }
  return keys;
}

/**
 * The service's story: incidents in the last month (two, resolved in 1h and
 * 3h) and three months before it (one, 30m); by cause, configuration came
 * back once 40 days after an earlier post-mortem's items were done.
 */
function story(months: string[]): Record<string, FiguresBreakdownRow[]> {
  const last = months.length - 1;
  return {
    month: months.map((key, index) => {
      if (index === last) {
        return row(key, { incidents: 2, resolved: 2, mttr_ms: 120 * MINUTE });
      }
      if (index === last - 3) {
        return row(key, { incidents: 1, resolved: 1, mttr_ms: 30 * MINUTE });
      }
      return row(key);
    }),
    cause: [
      row('configuration', {
        incidents: 2,
        recurrences: 1,
        recurrence_after_ms: 40 * DAY,
      }),
      row('code-change', { incidents: 1 }),
      row(null, { incidents: 1 }),
    ],
  };
}

const quiet = (months: string[]): Record<string, FiguresBreakdownRow[]> => ({
  month: months.map(key => row(key)),
  cause: [],
});

/**
 * Answers the breakdowns with `rowsOf` and the action item lists with the
 * totals given, recording what was asked.
 */
function answer(
  rowsOf: (months: string[]) => Record<string, FiguresBreakdownRow[]>,
  totals = { open: 3, overdue: 1 },
) {
  const breakdowns: URLSearchParams[] = [];
  const actionItems: URLSearchParams[] = [];
  server.use(
    http.get(backendUrl('/v1/figures/breakdown'), ({ request }) => {
      const query = new URL(request.url).searchParams;
      breakdowns.push(query);
      const from = query.get('from')!;
      const to = query.get('to')!;
      return HttpResponse.json(
        figuresBreakdownSchema.parse({
          from,
          to,
          by: query.get('by'),
          rows: rowsOf(monthsBetween(from, to))[query.get('by')!],
        }),
      );
    }),
    http.get(backendUrl('/v1/action-items'), ({ request }) => {
      const query = new URL(request.url).searchParams;
      actionItems.push(query);
      const total = query.get('overdue') ? totals.overdue : totals.open;
      return HttpResponse.json(actionItemPage([], { limit: 1, total }));
    }),
  );
  return { breakdowns, actionItems };
}

const render = () =>
  renderWithApis(<ServiceReliability entity={searchService} />, {
    api: createTestClient(),
  });

/** The rows of a table as the texts of their cells, the row's header first. */
const cellsOf = (table: HTMLElement) =>
  within(table)
    .getAllByRole('row')
    .slice(1)
    .map(tr =>
      [
        ...within(tr).getAllByRole('rowheader'),
        ...within(tr).getAllByRole('cell'),
      ].map(cell => cell.textContent),
    );

describe('ServiceReliability', () => {
  it("asks for the service's last twelve months only, and counts its action items without listing them", async () => {
    const { breakdowns, actionItems } = answer(story);
    await render();
    await screen.findByRole('img', { name: /^Incidents per month\. / });

    expect(breakdowns.map(q => q.get('by')).sort()).toEqual(['cause', 'month']);
    for (const query of breakdowns) {
      expect(query.get('entity_ref')).toBe('component:default/search-service');
      const from = new Date(query.get('from')!);
      const to = new Date(query.get('to')!);
      // From the first day of the month eleven months back: twelve months.
      expect(from.getUTCDate()).toBe(1);
      expect(from.toISOString()).toMatch(/T00:00:00\.000Z$/);
      expect(
        (to.getUTCFullYear() - from.getUTCFullYear()) * 12 +
          to.getUTCMonth() -
          from.getUTCMonth(),
      ).toBe(11);
    }

    expect(actionItems).toHaveLength(2);
    const open = actionItems.find(q => !q.get('overdue'))!;
    const overdue = actionItems.find(q => q.get('overdue'))!;
    expect(open.get('entityRef')).toBe('component:default/search-service');
    expect(open.get('status')).toBe('open,in_progress');
    expect(open.get('limit')).toBe('1');
    expect(overdue.get('entityRef')).toBe('component:default/search-service');
    expect(overdue.get('overdue')).toBe('true');
    expect(overdue.get('limit')).toBe('1');
  });

  it('draws the incidents and the mean time to resolve of every month', async () => {
    const { breakdowns } = answer(story);
    await render();

    const incidents = await screen.findByRole('img', {
      name: /^Incidents per month\. /,
    });
    const query = breakdowns[0];
    const months = monthsBetween(query.get('from')!, query.get('to')!);
    expect(months).toHaveLength(12);
    const name = incidents.getAttribute('aria-label')!;
    expect(name.match(/: \d+ incidents/g)).toHaveLength(12);
    expect(name).toContain(`${monthLabel(months[11])}: 2 incidents`);
    expect(name).toContain(`${monthLabel(months[8])}: 1 incidents`);
    expect(name).toContain(`${monthLabel(months[0])}: 0 incidents`);

    const mttr = screen.getByRole('img', {
      name: /^Mean time to resolve per month\. /,
    });
    // A month without a resolved incident reads as none, not as zero.
    expect(mttr.getAttribute('aria-label')).toContain(
      `${monthLabel(months[11])}: 2h`,
    );
    expect(mttr.getAttribute('aria-label')).toContain(
      `${monthLabel(months[8])}: 30m`,
    );
    expect(mttr.getAttribute('aria-label')).toContain(
      `${monthLabel(months[0])}: —`,
    );
    // Over the year: 3 incidents, (2 × 2h + 30m) / 3 = 1h 30m.
    expect(
      screen.getByText('3 incidents · mean time to resolve 1h 30m'),
    ).toBeInTheDocument();
  });

  it('shows the causes as the backend sorts them, with their recurrences', async () => {
    answer(story);
    await render();

    const table = await screen.findByRole('table', {
      name: 'Causes of Search',
    });
    expect(
      within(table)
        .getAllByRole('columnheader')
        .map(cell => cell.textContent),
    ).toEqual(['Cause', 'Incidents', 'Recurrences']);
    expect(cellsOf(table)).toEqual([
      ['Configuration', '2', '1 (after 40d)'],
      ['Code change', '1', '0'],
      ['Not filed', '1', '0'],
    ]);
  });

  it('shows how many action items are open and overdue', async () => {
    answer(story, { open: 3, overdue: 1 });
    await render();
    expect(await screen.findByText('3 open, 1 overdue')).toBeInTheDocument();
  });

  it('says so in one line when nothing happened in twelve months', async () => {
    answer(quiet, { open: 0, overdue: 0 });
    await render();
    expect(
      await screen.findByText('No incidents in the last 12 months'),
    ).toBeInTheDocument();
    expect(screen.queryByRole('img')).not.toBeInTheDocument();
    expect(screen.queryByRole('table')).not.toBeInTheDocument();
    expect(screen.getByText('0 open, 0 overdue')).toBeInTheDocument();
  });

  it('shows the backend error in words', async () => {
    answer(story);
    server.use(
      http.get(backendUrl('/v1/figures/breakdown'), () =>
        HttpResponse.json(
          errorBody('service_unavailable', 'The figures are unavailable'),
          { status: 503 },
        ),
      ),
    );
    await render();
    expect(
      await screen.findAllByText(/The figures are unavailable/),
    ).not.toHaveLength(0);
  });
});
