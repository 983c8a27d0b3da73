import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { mockApis } from '@backstage/test-utils';
import { http, HttpResponse } from 'msw';
import { Route, Routes } from 'react-router-dom';
import { PostmortemsPage } from './PostmortemsPage';
import {
  figuresBreakdownSchema,
  figuresSchema,
} from '@postmortems-oss/backstage-plugin-postmortems-common';
import {
  answerReads,
  BackendState,
  demoState,
  findPostmortem,
  recordQueries,
  storeActionItem,
} from '../../__testUtils__/backend';
import { withIssue } from '../../__testUtils__/fixtures';
import {
  backendUrl,
  createTestClient,
  setupBackend,
} from '../../__testUtils__/msw';
import { renderWithApis } from '../../__testUtils__/renderWithApis';

jest.setTimeout(20_000);

const server = setupBackend();

let state: BackendState;

beforeEach(() => {
  state = demoState();
  answerReads(server, state);
});

function renderPage(
  path = '/postmortems',
  identity?: ReturnType<typeof mockApis.identity>,
) {
  // The app mounts the page at /postmortems; its own routes live below.
  return renderWithApis(
    <Routes>
      <Route path="/postmortems/*" element={<PostmortemsPage />} />
    </Routes>,
    { api: createTestClient(), routeEntries: [path], identity },
  );
}

describe('PostmortemsPage', () => {
  it('lists every post-mortem with its services and links to the incident route', async () => {
    await renderPage();
    const link = await screen.findByRole('link', { name: 'INC-1' });
    expect(link).toHaveAttribute('href', '/postmortems/incidents/INC-1');
    expect(screen.getByRole('link', { name: 'INC-2' })).toBeInTheDocument();
    expect(
      screen.getAllByRole('link', { name: /payments-service/ }).length,
    ).toBeGreaterThan(0);
  });

  it('keeps the incidents awaiting a post-mortem in view when there are no post-mortems yet', async () => {
    state.postmortems = [];
    await renderPage();
    const awaiting = await screen.findByRole('list', {
      name: 'Incidents awaiting a post-mortem',
    });
    expect(
      screen.getByRole('heading', { name: 'No post-mortems yet' }),
    ).toBeInTheDocument();
    expect(
      screen.getByText(/Pick a resolved incident below to write one/),
    ).toBeInTheDocument();
    // No picture between the filters and the list.
    expect(screen.queryByRole('img', { name: 'no Build' })).toBeNull();
    expect(within(awaiting).getAllByRole('link').length).toBeGreaterThan(0);
  });

  it('shows the empty-state picture when nothing awaits a post-mortem either', async () => {
    state.postmortems = [];
    state.incidents = state.incidents.filter(i => i.status !== 'resolved');
    await renderPage();
    expect(
      await screen.findByRole('img', { name: 'no Build' }),
    ).toBeInTheDocument();
    expect(screen.getByText('No post-mortems yet')).toBeInTheDocument();
    expect(
      screen.queryByText(/Pick a resolved incident below/),
    ).not.toBeInTheDocument();
  });

  it('filters by service through the list query', async () => {
    const queries = recordQueries(server, '/v1/postmortems');
    await renderPage();
    await screen.findByRole('link', { name: 'INC-2' });

    await userEvent.type(
      screen.getByLabelText('Service'),
      'component:default/payments-service{Enter}',
    );
    await waitFor(() =>
      expect(queries[queries.length - 1]).toMatchObject({
        entityRef: 'component:default/payments-service',
      }),
    );
    await waitFor(() =>
      expect(
        screen.queryByRole('link', { name: 'INC-2' }),
      ).not.toBeInTheDocument(),
    );
    expect(screen.getByRole('link', { name: 'INC-1' })).toBeInTheDocument();
  });

  it('narrows the loaded page by incident date', async () => {
    // INC-1 happened 40 days ago, INC-2 8 days ago.
    state.incidents[0] = {
      ...state.incidents[0],
      triggered_at: new Date(Date.now() - 40 * 24 * 3600 * 1000).toISOString(),
    };
    await renderPage();
    await screen.findByRole('link', { name: 'INC-1' });
    await userEvent.click(screen.getByLabelText('Incident date'));
    await userEvent.click(
      await screen.findByRole('option', { name: 'Last 30 days' }),
    );
    await waitFor(() =>
      expect(
        screen.queryByRole('link', { name: 'INC-1' }),
      ).not.toBeInTheDocument(),
    );
    expect(screen.getByRole('link', { name: 'INC-2' })).toBeInTheDocument();
  });

  it('renders one incident post-mortem at incidents/:incidentId', async () => {
    await renderPage('/postmortems/incidents/INC-2');
    expect(
      await screen.findByText(
        'INC-2: Checkout latency after a connection pool change',
      ),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('link', { name: /All post-mortems/ }),
    ).toHaveAttribute('href', '/postmortems');
  });

  it('shows my action items, including my groups, and the overdue ones of everyone', async () => {
    const queries = recordQueries(server, '/v1/action-items');
    await renderPage(
      '/postmortems/action-items',
      mockApis.identity({
        userEntityRef: 'user:default/jane.doe',
        ownershipEntityRefs: [
          'user:default/jane.doe',
          'group:default/team-payments',
        ],
      }),
    );
    const table = await screen.findByRole('table', { name: 'My action items' });
    expect(queries).toContainEqual(
      expect.objectContaining({
        owner: 'user:default/jane.doe,group:default/team-payments',
        status: 'open,in_progress',
      }),
    );
    expect(
      within(table).getByText('Automate certificate renewal with cert-manager'),
    ).toBeInTheDocument();
    expect(
      within(table).getByText('Alert 30 days before any certificate expires'),
    ).toBeInTheDocument();
    expect(within(table).queryByText(/Add a runbook/)).not.toBeInTheDocument();
    for (const link of within(table).getAllByRole('link', { name: 'INC-1' })) {
      expect(link).toHaveAttribute('href', '/postmortems/incidents/INC-1');
    }

    await userEvent.click(screen.getByRole('button', { name: "Everyone's" }));
    await userEvent.click(
      screen.getByRole('checkbox', { name: 'Overdue only' }),
    );
    const overdue = await screen.findByRole('table', { name: 'Action items' });
    await waitFor(() =>
      expect(queries[queries.length - 1]).toMatchObject({ overdue: 'true' }),
    );
    expect(queries[queries.length - 1].owner).toBeUndefined();
    await waitFor(() =>
      expect(within(overdue).getAllByRole('row')).toHaveLength(2),
    );
    expect(within(overdue).getByText('Overdue')).toBeInTheDocument();
  });

  it("links each action item to its issue in the tracker, beside the item's status", async () => {
    const item = (id: string) =>
      findPostmortem(state, 'INC-1')!.action_items.find(i => i.id === id)!;
    storeActionItem(state, 'INC-1', withIssue(item('a1'), 'github'));
    storeActionItem(state, 'INC-1', withIssue(item('a2'), 'jira'));
    // A link pasted by hand, with no tracker behind it.
    storeActionItem(state, 'INC-1', {
      ...item('a3'),
      external_url: 'https://wiki.example.com/runbooks/card-processor',
    });
    await renderPage(
      '/postmortems/action-items',
      mockApis.identity({
        userEntityRef: 'user:default/jane.doe',
        ownershipEntityRefs: [
          'user:default/jane.doe',
          'group:default/team-payments',
        ],
      }),
    );
    const mine = await screen.findByRole('table', { name: 'My action items' });
    const rowOf = (table: HTMLElement, text: string) =>
      within(table)
        .getAllByRole('row')
        .find(r => r.textContent?.includes(text))!;

    const github = within(
      rowOf(mine, 'Automate certificate renewal'),
    ).getByRole('link', { name: 'acme/payments#1' });
    expect(github).toHaveAttribute(
      'href',
      'https://github.com/acme/payments/issues/1',
    );
    const alert = rowOf(mine, 'Alert 30 days before');
    const jira = within(alert).getByRole('link', { name: 'OPS-2' });
    expect(jira).toHaveAttribute(
      'href',
      'https://jira.example.com/browse/OPS-2',
    );
    expect(within(alert).getByText('In progress')).toBeInTheDocument();
    // Named after their trackers once the trackers are read.
    await waitFor(() =>
      expect(github).toHaveAttribute('title', 'Issue in GitHub: acme/payments'),
    );
    expect(jira).toHaveAttribute('title', 'Issue in Jira: OPS');

    await userEvent.click(screen.getByRole('button', { name: "Everyone's" }));
    const everyone = await screen.findByRole('table', { name: 'Action items' });
    const runbook = rowOf(everyone, 'Add a runbook');
    expect(
      within(runbook).getByRole('link', { name: /^Ticket/ }),
    ).toHaveAttribute(
      'href',
      'https://wiki.example.com/runbooks/card-processor',
    );
  });

  it('draws figures for the chosen period', async () => {
    // What the backend counts for the demo world in any recent period.
    const queries = recordQueries(server, '/v1/figures');
    server.use(
      http.get(backendUrl('/v1/figures'), ({ request }) => {
        const query = new URL(request.url).searchParams;
        return HttpResponse.json(
          figuresSchema.parse({
            from: query.get('from'),
            to: query.get('to'),
            incidents: 4,
            by_severity: { critical: 1, high: 1, medium: 1, low: 1 },
            // MTTR over INC-1 (2h), INC-2 (1h), INC-3 (3h); INC-4 is still open.
            resolved: 3,
            mttr_ms: 2 * 3600 * 1000,
            published: 1,
            action_items_done: 0,
            action_items_open: 3,
            buckets: [
              { start: query.get('from'), end: query.get('to'), count: 4 },
            ],
          }),
        );
      }),
      http.get(backendUrl('/v1/figures/breakdown'), ({ request }) => {
        const query = new URL(request.url).searchParams;
        return HttpResponse.json(
          figuresBreakdownSchema.parse({
            from: query.get('from'),
            to: query.get('to'),
            by: query.get('by'),
            rows: [],
          }),
        );
      }),
    );
    await renderPage('/postmortems/figures');

    const count = await screen.findByRole('group', { name: 'Incidents' });
    expect(count).toHaveTextContent('4');
    expect(
      screen.getByRole('group', { name: 'Mean time to resolve' }),
    ).toHaveTextContent('2h');
    expect(
      screen.getByRole('group', { name: 'Post-mortems published' }),
    ).toHaveTextContent('1');
    expect(
      screen.getByRole('group', { name: 'Action items done' }),
    ).toHaveTextContent('0 / 3');
    expect(
      screen.getByRole('img', {
        name: /^Incidents by severity\. Critical: 1, High: 1, Medium: 1, Low: 1/,
      }),
    ).toBeInTheDocument();
    expect(queries).toContainEqual(
      expect.objectContaining({
        from: expect.any(String),
        to: expect.any(String),
      }),
    );

    await userEvent.click(screen.getByLabelText('Period'));
    await userEvent.click(
      await screen.findByRole('option', { name: 'Last 30 days' }),
    );
    await waitFor(() =>
      expect(
        screen.getByRole('img', { name: /^Incidents per period\./ }),
      ).toBeInTheDocument(),
    );
    const since = Date.parse(queries[queries.length - 1].from);
    expect(Date.now() - since).toBeGreaterThan(29 * 24 * 3600 * 1000);
    expect(Date.now() - since).toBeLessThan(31 * 24 * 3600 * 1000);
  });

  it('has a settings tab with the templates', async () => {
    await renderPage('/postmortems/settings');
    expect(
      await screen.findByRole('table', { name: 'Templates' }),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('tab', { name: 'Templates & provider' }),
    ).toHaveAttribute('aria-selected', 'true');
  });
});
