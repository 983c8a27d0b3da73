import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { mockApis } from '@backstage/test-utils';
import { Route, Routes } from 'react-router-dom';
import { PostmortemsPage } from './PostmortemsPage';
import { InMemoryPostmortemsApi } from '../../__testUtils__/InMemoryPostmortemsApi';
import { createDemoData } from '../../__testUtils__/demoData';
import { renderWithApis } from '../../__testUtils__/renderWithApis';

jest.setTimeout(20_000);

function renderPage(
  api: InMemoryPostmortemsApi,
  path = '/postmortems',
  identity?: ReturnType<typeof mockApis.identity>,
) {
  // The app mounts the page at /postmortems; its own routes live below.
  return renderWithApis(
    <Routes>
      <Route path="/postmortems/*" element={<PostmortemsPage />} />
    </Routes>,
    { api, routeEntries: [path], identity },
  );
}

describe('PostmortemsPage', () => {
  it('lists every post-mortem with its services and links to the incident route', async () => {
    const api = new InMemoryPostmortemsApi(createDemoData());
    await renderPage(api);
    const link = await screen.findByRole('link', { name: 'INC-1' });
    expect(link).toHaveAttribute('href', '/postmortems/incidents/INC-1');
    expect(screen.getByRole('link', { name: 'INC-2' })).toBeInTheDocument();
    expect(
      screen.getAllByRole('link', { name: /payments-service/ }).length,
    ).toBeGreaterThan(0);
  });

  it('filters by service through the list query', async () => {
    const api = new InMemoryPostmortemsApi(createDemoData());
    const list = jest.spyOn(api, 'listPostmortems');
    await renderPage(api);
    await screen.findByRole('link', { name: 'INC-2' });

    await userEvent.type(
      screen.getByLabelText('Service'),
      'component:default/payments-service{Enter}',
    );
    await waitFor(() =>
      expect(list).toHaveBeenLastCalledWith(
        expect.objectContaining({
          entityRef: 'component:default/payments-service',
        }),
      ),
    );
    await waitFor(() =>
      expect(
        screen.queryByRole('link', { name: 'INC-2' }),
      ).not.toBeInTheDocument(),
    );
    expect(screen.getByRole('link', { name: 'INC-1' })).toBeInTheDocument();
  });

  it('narrows the loaded page by incident date', async () => {
    const api = new InMemoryPostmortemsApi(createDemoData());
    // INC-1 happened 40 days ago, INC-2 8 days ago.
    api.incidents[0] = {
      ...api.incidents[0],
      triggered_at: new Date(Date.now() - 40 * 24 * 3600 * 1000).toISOString(),
    };
    await renderPage(api);
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
    const api = new InMemoryPostmortemsApi(createDemoData());
    await renderPage(api, '/postmortems/incidents/INC-2');
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
    const api = new InMemoryPostmortemsApi(createDemoData());
    const list = jest.spyOn(api, 'listActionItems');
    await renderPage(
      api,
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
    expect(list).toHaveBeenCalledWith(
      expect.objectContaining({
        owner: ['user:default/jane.doe', 'group:default/team-payments'],
        status: ['open', 'in_progress'],
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
      expect(list).toHaveBeenLastCalledWith(
        expect.objectContaining({ owner: undefined, overdue: true }),
      ),
    );
    await waitFor(() =>
      expect(within(overdue).getAllByRole('row')).toHaveLength(2),
    );
    expect(within(overdue).getByText('Overdue')).toBeInTheDocument();
  });

  it('draws figures for the chosen period', async () => {
    const api = new InMemoryPostmortemsApi(createDemoData());
    const incidents = jest.spyOn(api, 'listIncidents');
    await renderPage(api, '/postmortems/figures');

    const count = await screen.findByRole('group', { name: 'Incidents' });
    expect(count).toHaveTextContent('4');
    // MTTR over INC-1 (2h), INC-2 (1h), INC-3 (3h); INC-4 is still open.
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
    expect(incidents).toHaveBeenCalledWith(
      expect.objectContaining({
        limit: 100,
        page: 1,
        createdAfter: expect.any(String),
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
    const since = Date.parse(
      incidents.mock.calls[incidents.mock.calls.length - 1][0]!.createdAfter!,
    );
    expect(Date.now() - since).toBeGreaterThan(29 * 24 * 3600 * 1000);
    expect(Date.now() - since).toBeLessThan(31 * 24 * 3600 * 1000);
  });

  it('has a settings tab with the templates', async () => {
    const api = new InMemoryPostmortemsApi(createDemoData());
    await renderPage(api, '/postmortems/settings');
    expect(
      await screen.findByRole('table', { name: 'Templates' }),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('tab', { name: 'Templates & provider' }),
    ).toHaveAttribute('aria-selected', 'true');
  });
});
