import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Entity } from '@backstage/catalog-model';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { http, HttpResponse } from 'msw';
import { figuresBreakdownSchema } from '@postmortems-oss/backstage-plugin-postmortems-common';
import { EntityPostmortemsContent } from './EntityPostmortemsContent';
import {
  answerReads,
  BackendState,
  demoState,
  findPostmortem,
  recordQueries,
  storeActionItem,
} from '../../__testUtils__/backend';
import { makeIncident } from '../../__testUtils__/demoData';
import {
  errorBody,
  postmortemPage,
  withIssue,
} from '../../__testUtils__/fixtures';
import {
  backendUrl,
  createTestClient,
  setupBackend,
} from '../../__testUtils__/msw';
import { renderWithApis } from '../../__testUtils__/renderWithApis';

jest.setTimeout(20_000);

const server = setupBackend();

let state: BackendState;
/** The query strings of the list requests, in order. */
let postmortemQueries: Array<Record<string, string>>;
let actionItemQueries: Array<Record<string, string>>;

/** The incident ids and references the tab read one by one. */
let incidentReads: string[];
/** The query strings of the figures breakdowns the reliability card asked for. */
let breakdownQueries: Array<Record<string, string>>;

beforeEach(() => {
  state = demoState();
  answerReads(server, state);
  postmortemQueries = recordQueries(server, '/v1/postmortems');
  actionItemQueries = recordQueries(server, '/v1/action-items');
  breakdownQueries = recordQueries(server, '/v1/figures/breakdown');
  // The reliability card's figures: a quiet year (its own tests tell the rest).
  server.use(
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
  incidentReads = [];
  server.events.on('request:start', ({ request }) => {
    const match = /\/v1\/incidents\/([^/?]+)$/.exec(
      new URL(request.url).pathname,
    );
    if (match) incidentReads.push(decodeURIComponent(match[1]));
  });
});

const checkout: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'checkout-api',
    namespace: 'default',
    title: 'Checkout API',
  },
  spec: { type: 'service', owner: 'team-payments', lifecycle: 'production' },
};

const incidentEntity: Entity = {
  apiVersion: 'postmortems.io/v1alpha1',
  kind: 'Incident',
  metadata: { name: 'inc-1', namespace: 'default' },
  spec: {},
};

function renderTab(
  entity: Entity,
  path = '/catalog/default/component/checkout-api/postmortems',
) {
  return renderWithApis(
    <EntityProvider entity={entity}>
      <EntityPostmortemsContent />
    </EntityProvider>,
    { api: createTestClient(), routeEntries: [path] },
  );
}

describe('EntityPostmortemsContent on a service', () => {
  it('lists the post-mortems of incidents that affected the service, newest first', async () => {
    await renderTab(checkout);

    await screen.findByText('Post-mortems');
    expect(postmortemQueries).toContainEqual(
      expect.objectContaining({ entityRef: 'component:default/checkout-api' }),
    );
    const links = await screen.findAllByRole('link', { name: /^INC-\d$/ });
    // INC-2 (8 days ago) before INC-1 (20 days ago).
    expect(links.map(l => l.textContent)).toEqual(
      expect.arrayContaining(['INC-2', 'INC-1']),
    );
    const postmortemLinks = links.filter(l =>
      l.getAttribute('href')?.includes('?incident='),
    );
    expect(postmortemLinks[0]).toHaveTextContent('INC-2');
    expect(postmortemLinks[0]).toHaveAttribute(
      'href',
      '/catalog/default/component/checkout-api/postmortems?incident=INC-2',
    );
    expect(
      screen.getAllByText('Card payments failing at checkout').length,
    ).toBeGreaterThan(0);
    expect(screen.getAllByText('Published').length).toBeGreaterThan(0);
    expect(screen.getAllByText('Draft').length).toBeGreaterThan(0);
    // Duration of INC-1: 2 hours.
    expect(screen.getByText('2h')).toBeInTheDocument();
  });

  it("shows the service's reliability above its post-mortems", async () => {
    await renderTab(checkout);

    expect(
      await screen.findByText('No incidents in the last 12 months'),
    ).toBeInTheDocument();
    expect(screen.getByText('Reliability')).toBeInTheDocument();
    expect(breakdownQueries.map(q => q.by).sort()).toEqual(['cause', 'month']);
    expect(breakdownQueries).toContainEqual(
      expect.objectContaining({ entity_ref: 'component:default/checkout-api' }),
    );
  });

  it('reads the incidents itself when the list does not embed them', async () => {
    // A backend that lists post-mortems without their incidents.
    server.use(
      http.get(backendUrl('/v1/postmortems'), () =>
        HttpResponse.json(postmortemPage([...state.postmortems].reverse())),
      ),
    );
    await renderTab(checkout);
    expect(
      (await screen.findAllByRole('link', { name: 'INC-2' }))[0],
    ).toHaveAttribute(
      'href',
      '/catalog/default/component/checkout-api/postmortems?incident=INC-2',
    );
    expect(incidentReads).toContain('incident-2');
  });

  it('filters by status and severity through the list query', async () => {
    await renderTab(checkout);
    await screen.findByText('Post-mortems');

    await userEvent.click(screen.getByLabelText('Status'));
    await userEvent.click(
      await screen.findByRole('option', { name: 'Published' }),
    );

    await waitFor(() =>
      expect(postmortemQueries[postmortemQueries.length - 1]).toMatchObject({
        status: 'published',
      }),
    );
    await waitFor(() =>
      expect(
        screen.queryByRole('link', { name: 'INC-2' }),
      ).not.toBeInTheDocument(),
    );
    expect(
      screen.getAllByRole('link', { name: 'INC-1' }).length,
    ).toBeGreaterThan(0);

    await userEvent.click(screen.getByLabelText('Severity'));
    await userEvent.click(await screen.findByRole('option', { name: 'Low' }));
    await waitFor(() =>
      expect(postmortemQueries[postmortemQueries.length - 1]).toMatchObject({
        status: 'published',
        severity: 'low',
      }),
    );
    expect(
      await screen.findByText('No post-mortems match these filters.'),
    ).toBeInTheDocument();
  });

  it('shows the open action items of the service, overdue ones highlighted', async () => {
    await renderTab(checkout);

    const table = await screen.findByRole('table', {
      name: 'Open action items',
    });
    expect(actionItemQueries).toContainEqual(
      expect.objectContaining({
        entityRef: 'component:default/checkout-api',
        status: 'open,in_progress',
      }),
    );
    expect(actionItemQueries).toContainEqual(
      expect.objectContaining({
        entityRef: 'component:default/checkout-api',
        overdue: 'true',
      }),
    );
    const rows = within(table).getAllByRole('row').slice(1);
    // The overdue item comes first and says so.
    expect(rows[0]).toHaveTextContent('Automate certificate renewal');
    expect(within(rows[0]).getByText('Overdue')).toBeInTheDocument();
    expect(
      rows.some(r => r.textContent?.includes('Alert 30 days before')),
    ).toBe(true);
    expect(screen.getByText('3 open · 1 overdue')).toBeInTheDocument();
  });

  it('links the open action items to their issues in the trackers', async () => {
    const a1 = findPostmortem(state, 'INC-1')!.action_items.find(
      i => i.id === 'a1',
    )!;
    storeActionItem(state, 'INC-1', withIssue(a1, 'github'));
    await renderTab(checkout);

    const table = await screen.findByRole('table', {
      name: 'Open action items',
    });
    const rowOf = (text: string) =>
      within(table)
        .getAllByRole('row')
        .find(r => r.textContent?.includes(text))!;
    const chip = within(rowOf('Automate certificate renewal')).getByRole(
      'link',
      { name: 'acme/payments#1' },
    );
    expect(chip).toHaveAttribute(
      'href',
      'https://github.com/acme/payments/issues/1',
    );
    await waitFor(() =>
      expect(chip).toHaveAttribute('title', 'Issue in GitHub: acme/payments'),
    );
    // An item without an issue says so rather than leaving a blank.
    const alert = rowOf('Alert 30 days before');
    expect(within(alert).queryByRole('link', { name: /#|OPS-/ })).toBeNull();
    expect(within(alert).getAllByRole('cell').pop()).toHaveTextContent('—');
  });

  it('points to resolved incidents of the service that have no post-mortem yet', async () => {
    state.incidents.push(
      makeIncident(5, { title: 'Checkout answered 500s' }),
      makeIncident(6, { title: 'Still burning', status: 'triggered' }),
    );
    await renderTab(checkout);
    const awaiting = await screen.findByRole('list', {
      name: 'Incidents awaiting a post-mortem',
    });
    expect(
      within(awaiting).getByRole('link', {
        name: 'INC-5: Checkout answered 500s',
      }),
    ).toHaveAttribute(
      'href',
      '/catalog/default/component/checkout-api/postmortems?incident=INC-5',
    );
    // Open incidents and those with a post-mortem are not listed.
    expect(within(awaiting).getAllByRole('link')).toHaveLength(1);
  });

  it('says so when the service has no post-mortems', async () => {
    state.incidents = [];
    state.postmortems = [];
    await renderTab(checkout);
    expect(
      await screen.findByText('No post-mortems for Checkout API yet'),
    ).toBeInTheDocument();
    expect(await screen.findByText(/No open action items/)).toBeInTheDocument();
  });

  it('shows the backend error in words', async () => {
    server.use(
      http.get(backendUrl('/v1/postmortems'), () =>
        HttpResponse.json(
          errorBody(
            'service_unavailable',
            'The post-mortems backend is unavailable',
          ),
          { status: 503 },
        ),
      ),
    );
    await renderTab(checkout);
    expect(
      await screen.findAllByText(/The post-mortems backend is unavailable/),
    ).not.toHaveLength(0);
  });

  it('opens one post-mortem in the tab from ?incident=', async () => {
    await renderTab(
      checkout,
      '/catalog/default/component/checkout-api/postmortems?incident=INC-1',
    );
    expect(
      await screen.findByText('INC-1: Card payments failing at checkout'),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('link', { name: /All post-mortems of this service/ }),
    ).toHaveAttribute(
      'href',
      '/catalog/default/component/checkout-api/postmortems',
    );
  });
});

describe('EntityPostmortemsContent on an incident', () => {
  it('shows the incident post-mortem, mapping the entity name inc-1 to INC-1', async () => {
    await renderTab(
      incidentEntity,
      '/catalog/default/incident/inc-1/postmortems',
    );
    expect(
      await screen.findByText('INC-1: Card payments failing at checkout'),
    ).toBeInTheDocument();
    expect(incidentReads).toContain('INC-1');
    expect(
      await screen.findByRole('heading', { name: 'Root cause' }),
    ).toBeInTheDocument();
  });

  it('prefers the incident id annotation', async () => {
    await renderTab({
      ...incidentEntity,
      metadata: {
        name: 'card-payments',
        annotations: { 'postmortems.io/incident-id': 'incident-3' },
      },
    });
    expect(
      await screen.findByText(
        'INC-3: Search latency degraded after index rebuild',
      ),
    ).toBeInTheDocument();
    expect(incidentReads).toContain('incident-3');
  });
});
