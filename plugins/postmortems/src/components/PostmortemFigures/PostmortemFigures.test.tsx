import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http, HttpResponse } from 'msw';
import {
  FiguresBreakdownRow,
  figuresBreakdownSchema,
  figuresSchema,
} from '@postmortems-oss/backstage-plugin-postmortems-common';
import {
  backendUrl,
  createTestClient,
  setupBackend,
} from '../../__testUtils__/msw';
import { renderWithApis } from '../../__testUtils__/renderWithApis';
import { PostmortemFigures } from './PostmortemFigures';

const server = setupBackend();
const DAY = 24 * 60 * 60 * 1000;
const MINUTE = 60_000;

const figuresOf = (query: URLSearchParams) =>
  figuresSchema.parse({
    from: query.get('from'),
    to: query.get('to'),
    incidents: 3,
    by_severity: { critical: 1, high: 1, medium: 1, low: 0 },
    resolved: 3,
    mttr_ms: 60 * MINUTE,
    published: 1,
    action_items_done: 3,
    action_items_open: 2,
    buckets: [{ start: query.get('from'), end: query.get('to'), count: 3 }],
  });

/** A group's figures: zero and without means unless given. */
const row = (
  key: string | null,
  figures: Partial<FiguresBreakdownRow>,
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

/** What the backend groups for each `by`. */
const BREAKDOWNS: Record<string, FiguresBreakdownRow[]> = {
  service: [
    row('component:default/checkout-api', {
      title: 'Checkout API',
      incidents: 2,
      resolved: 2,
      mttr_ms: 90 * MINUTE,
      mttd_ms: 10 * MINUTE,
      mtta_ms: 25 * MINUTE,
      published: 1,
      action_items_done: 3,
      action_items_open: 1,
      recurrences: 1,
      recurrence_after_ms: 90 * MINUTE,
    }),
    row('component:default/search-api', {
      incidents: 1,
      resolved: 1,
      mttr_ms: 30 * MINUTE,
    }),
    row(null, { incidents: 1 }),
  ],
  team: [
    row('group:default/payments', {
      title: 'Payments team',
      incidents: 2,
      resolved: 2,
      mttr_ms: 90 * MINUTE,
      action_items_done: 3,
      action_items_open: 1,
    }),
    row(null, { incidents: 2 }),
  ],
  month: [
    row('2026-01', {
      incidents: 2,
      resolved: 2,
      mttr_ms: 90 * MINUTE,
      action_items_done: 1,
      action_items_open: 1,
    }),
    row('2026-02', {}),
    row('2026-03', { incidents: 1, resolved: 1, mttr_ms: 2 * 60 * MINUTE }),
  ],
};

function answerFigures(breakdowns: URLSearchParams[] = []) {
  server.use(
    http.get(backendUrl('/v1/figures'), ({ request }) =>
      HttpResponse.json(figuresOf(new URL(request.url).searchParams)),
    ),
    http.get(backendUrl('/v1/figures/breakdown'), ({ request }) => {
      const query = new URL(request.url).searchParams;
      breakdowns.push(query);
      return HttpResponse.json(
        figuresBreakdownSchema.parse({
          from: query.get('from'),
          to: query.get('to'),
          by: query.get('by'),
          rows: BREAKDOWNS[query.get('by')!],
        }),
      );
    }),
  );
}

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

describe('PostmortemFigures', () => {
  it('shows the figures the backend counted for the last 90 days, reading no lists', async () => {
    const queries: URLSearchParams[] = [];
    // Only the figures answer: reading incident or post-mortem lists fails the test.
    answerFigures();
    server.use(
      http.get(backendUrl('/v1/figures'), ({ request }) => {
        const query = new URL(request.url).searchParams;
        queries.push(query);
        return HttpResponse.json(
          figuresSchema.parse({
            from: query.get('from'),
            to: query.get('to'),
            incidents: 2412,
            by_severity: { critical: 12, high: 400, medium: 1000, low: 1000 },
            resolved: 2400,
            mttr_ms: 90 * 60_000,
            mttd_ms: 4 * 60_000,
            mtta_ms: null,
            published: 321,
            action_items_done: 30,
            action_items_open: 10,
            buckets: [
              { start: query.get('from'), end: query.get('to'), count: 2412 },
            ],
          }),
        );
      }),
    );
    await renderWithApis(<PostmortemFigures />, { api: createTestClient() });
    const incidents = await screen.findByRole('group', { name: 'Incidents' });
    expect(incidents).toHaveTextContent('2412');
    expect(
      within(
        screen.getByRole('group', { name: 'Post-mortems published' }),
      ).getByText('321'),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('group', { name: 'Action items done' }),
    ).toHaveTextContent('30 / 40');
    expect(
      screen.getByRole('group', { name: 'Mean time to detect' }),
    ).toHaveTextContent(/4m/);
    // No incident acknowledged in the period: no figure, not zero.
    expect(
      screen.getByRole('group', { name: 'Mean time to acknowledge' }),
    ).toHaveTextContent('—');
    expect(queries).toHaveLength(1);
    const from = Date.parse(queries[0].get('from')!);
    const to = Date.parse(queries[0].get('to')!);
    expect(Math.round((to - from) / DAY)).toBe(90);
    expect(queries[0].get('bucket_days')).toBe('7');
  });

  it('shows the figures by service, team and month, with a chart of each', async () => {
    const breakdowns: URLSearchParams[] = [];
    answerFigures(breakdowns);
    await renderWithApis(<PostmortemFigures />, { api: createTestClient() });

    const tabs = await screen.findByRole('tablist', {
      name: 'Group the figures',
    });
    expect(
      within(tabs).getByRole('tab', { name: 'By service' }),
    ).toHaveAttribute('aria-selected', 'true');
    const byService = await screen.findByRole('table', {
      name: 'Figures by service',
    });
    expect(cellsOf(byService)).toEqual([
      [
        'Checkout API',
        '2',
        '25m',
        '10m',
        '1h 30m',
        '1',
        '3 / 4 (75%)',
        '1 (after 1h 30m)',
      ],
      ['component:default/search-api', '1', '—', '—', '30m', '0', '—', '0'],
      ['No service', '1', '—', '—', '—', '0', '—', '0'],
    ]);
    expect(
      screen.getByRole('img', {
        name: 'Incidents per service. Checkout API: 2 incidents, component:default/search-api: 1 incidents, No service: 1 incidents',
      }),
    ).toBeInTheDocument();

    await userEvent.click(within(tabs).getByRole('tab', { name: 'By team' }));
    const byTeam = await screen.findByRole('table', {
      name: 'Figures by team',
    });
    expect(cellsOf(byTeam)).toEqual([
      ['Payments team', '2', '—', '—', '1h 30m', '0', '3 / 4 (75%)', '0'],
      ['No known owner', '2', '—', '—', '—', '0', '—', '0'],
    ]);
    expect(screen.getByRole('tabpanel')).toHaveAttribute(
      'aria-labelledby',
      within(tabs).getByRole('tab', { name: 'By team' }).id,
    );

    await userEvent.click(within(tabs).getByRole('tab', { name: 'By month' }));
    const byMonth = await screen.findByRole('table', {
      name: 'Figures by month',
    });
    expect(cellsOf(byMonth).map(cells => cells[0])).toEqual([
      'Jan 2026',
      'Feb 2026',
      'Mar 2026',
    ]);
    expect(cellsOf(byMonth)[0]).toEqual([
      'Jan 2026',
      '2',
      '—',
      '—',
      '1h 30m',
      '0',
      '1 / 2 (50%)',
      '0',
    ]);
    // A month without a resolved incident reads as none, not as zero.
    expect(
      screen.getByRole('img', {
        name: 'Mean time to resolve per month. Jan 2026: 1h 30m, Feb 2026: —, Mar 2026: 2h',
      }),
    ).toBeInTheDocument();

    expect(breakdowns.map(query => query.get('by'))).toEqual([
      'service',
      'team',
      'month',
    ]);
    const from = Date.parse(breakdowns[0].get('from')!);
    const to = Date.parse(breakdowns[0].get('to')!);
    expect(Math.round((to - from) / DAY)).toBe(90);
  });
});
