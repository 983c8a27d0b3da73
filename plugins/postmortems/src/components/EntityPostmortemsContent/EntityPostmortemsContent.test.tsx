import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Entity } from '@backstage/catalog-model';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { EntityPostmortemsContent } from './EntityPostmortemsContent';
import { InMemoryPostmortemsApi } from '../../__testUtils__/InMemoryPostmortemsApi';
import {
  createDemoData,
  makeIncident,
  makeTemplates,
} from '../../__testUtils__/demoData';
import { renderWithApis } from '../../__testUtils__/renderWithApis';

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
  api: InMemoryPostmortemsApi,
  path = '/catalog/default/component/checkout-api/postmortems',
) {
  return renderWithApis(
    <EntityProvider entity={entity}>
      <EntityPostmortemsContent />
    </EntityProvider>,
    { api, routeEntries: [path] },
  );
}

describe('EntityPostmortemsContent on a service', () => {
  it('lists the post-mortems of incidents that affected the service, newest first', async () => {
    const api = new InMemoryPostmortemsApi(createDemoData());
    const list = jest.spyOn(api, 'listPostmortems');
    await renderTab(checkout, api);

    expect(list).toHaveBeenCalledWith(
      expect.objectContaining({ entityRef: 'component:default/checkout-api' }),
    );

    await screen.findByText('Post-mortems');
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

  it('reads the incidents itself when the list does not embed them', async () => {
    const api = new InMemoryPostmortemsApi(createDemoData());
    const list = api.listPostmortems.bind(api);
    jest.spyOn(api, 'listPostmortems').mockImplementation(async query => {
      const result = await list(query);
      return {
        ...result,
        data: result.data.map(({ incident: _incident, ...p }) => p),
      };
    });
    const get = jest.spyOn(api, 'getIncident');
    await renderTab(checkout, api);
    expect(
      (await screen.findAllByRole('link', { name: 'INC-2' }))[0],
    ).toHaveAttribute(
      'href',
      '/catalog/default/component/checkout-api/postmortems?incident=INC-2',
    );
    expect(get).toHaveBeenCalledWith('incident-2');
  });

  it('filters by status and severity through the list query', async () => {
    const api = new InMemoryPostmortemsApi(createDemoData());
    const list = jest.spyOn(api, 'listPostmortems');
    await renderTab(checkout, api);
    await screen.findByText('Post-mortems');

    await userEvent.click(screen.getByLabelText('Status'));
    await userEvent.click(
      await screen.findByRole('option', { name: 'Published' }),
    );

    await waitFor(() =>
      expect(list).toHaveBeenLastCalledWith(
        expect.objectContaining({ status: ['published'] }),
      ),
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
    expect(
      await screen.findByText('No post-mortems match these filters.'),
    ).toBeInTheDocument();
  });

  it('shows the open action items of the service, overdue ones highlighted', async () => {
    const api = new InMemoryPostmortemsApi(createDemoData());
    const listItems = jest.spyOn(api, 'listActionItems');
    await renderTab(checkout, api);

    const table = await screen.findByRole('table', {
      name: 'Open action items',
    });
    expect(listItems).toHaveBeenCalledWith(
      expect.objectContaining({
        entityRef: 'component:default/checkout-api',
        status: ['open', 'in_progress'],
      }),
    );
    expect(listItems).toHaveBeenCalledWith(
      expect.objectContaining({
        entityRef: 'component:default/checkout-api',
        overdue: true,
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

  it('points to resolved incidents of the service that have no post-mortem yet', async () => {
    const data = createDemoData();
    data.incidents.push(
      makeIncident(5, { title: 'Checkout answered 500s' }),
      makeIncident(6, { title: 'Still burning', status: 'triggered' }),
    );
    await renderTab(checkout, new InMemoryPostmortemsApi(data));
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
    const api = new InMemoryPostmortemsApi({
      incidents: [],
      templates: makeTemplates(),
    });
    await renderTab(checkout, api);
    expect(
      await screen.findByText('No post-mortems for Checkout API yet'),
    ).toBeInTheDocument();
    expect(await screen.findByText(/No open action items/)).toBeInTheDocument();
  });

  it('shows the backend error in words', async () => {
    const api = new InMemoryPostmortemsApi(createDemoData());
    jest
      .spyOn(api, 'listPostmortems')
      .mockRejectedValue(new Error('The post-mortems backend is unavailable'));
    await renderTab(checkout, api);
    expect(
      await screen.findAllByText(/The post-mortems backend is unavailable/),
    ).not.toHaveLength(0);
  });

  it('opens one post-mortem in the tab from ?incident=', async () => {
    const api = new InMemoryPostmortemsApi(createDemoData());
    await renderTab(
      checkout,
      api,
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
    const api = new InMemoryPostmortemsApi(createDemoData());
    const get = jest.spyOn(api, 'getIncident');
    await renderTab(
      incidentEntity,
      api,
      '/catalog/default/incident/inc-1/postmortems',
    );
    expect(
      await screen.findByText('INC-1: Card payments failing at checkout'),
    ).toBeInTheDocument();
    expect(get).toHaveBeenCalledWith('INC-1');
    expect(
      await screen.findByRole('heading', { name: 'Root cause' }),
    ).toBeInTheDocument();
  });

  it('prefers the incident id annotation', async () => {
    const api = new InMemoryPostmortemsApi(createDemoData());
    const get = jest.spyOn(api, 'getIncident');
    await renderTab(
      {
        ...incidentEntity,
        metadata: {
          name: 'card-payments',
          annotations: { 'postmortems.io/incident-id': 'incident-3' },
        },
      },
      api,
    );
    expect(
      await screen.findByText(
        'INC-3: Search latency degraded after index rebuild',
      ),
    ).toBeInTheDocument();
    expect(get).toHaveBeenCalledWith('incident-3');
  });
});
