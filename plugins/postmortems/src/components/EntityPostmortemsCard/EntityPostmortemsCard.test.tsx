import { screen } from '@testing-library/react';
import { Entity } from '@backstage/catalog-model';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { http, HttpResponse } from 'msw';
import { EntityPostmortemsCard } from './EntityPostmortemsCard';
import {
  actionItemPage,
  demoFixtures,
  postmortemPage,
} from '../../__testUtils__/fixtures';
import {
  backendUrl,
  createTestClient,
  setupBackend,
} from '../../__testUtils__/msw';
import { renderWithApis } from '../../__testUtils__/renderWithApis';

const checkout: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'checkout-api', namespace: 'default' },
  spec: { type: 'service' },
};

const server = setupBackend();

describe('EntityPostmortemsCard', () => {
  it('shows the latest post-mortems and the open and overdue counts, linking into the tab', async () => {
    const demo = demoFixtures();
    const items = demo.postmortem('INC-1').action_items;
    const listQueries: URLSearchParams[] = [];
    server.use(
      http.get(backendUrl('/v1/postmortems'), ({ request }) => {
        listQueries.push(new URL(request.url).searchParams);
        return HttpResponse.json(
          postmortemPage([demo.listedPostmortem('INC-2')], {
            limit: 1,
            total: 2,
          }),
        );
      }),
      http.get(backendUrl('/v1/action-items'), ({ request }) => {
        const overdue = new URL(request.url).searchParams.get('overdue');
        // Three open items of which the one past its due date is overdue.
        const answer =
          overdue === 'true' ? items.filter(item => item.id === 'a1') : items;
        return HttpResponse.json(actionItemPage(answer, { limit: 100 }));
      }),
    );
    await renderWithApis(
      <EntityProvider entity={checkout}>
        <EntityPostmortemsCard limit={1} />
      </EntityProvider>,
      { api: createTestClient() },
    );
    const latest = await screen.findByRole('link', {
      name: 'INC-2: Checkout latency after a connection pool change',
    });
    expect(latest).toHaveAttribute(
      'href',
      '/catalog/default/component/checkout-api/postmortems?incident=INC-2',
    );
    expect(listQueries.map(q => Object.fromEntries(q))).toEqual([
      { entityRef: 'component:default/checkout-api', page: '1', limit: '1' },
    ]);
    expect(screen.queryByText(/INC-1/)).not.toBeInTheDocument();
    expect(await screen.findByText('open action items')).toBeInTheDocument();
    expect(
      screen.getByText('open action items').previousSibling,
    ).toHaveTextContent('3');
    expect(screen.getByText('overdue').previousSibling).toHaveTextContent('1');
    expect(
      screen.getByRole('link', { name: /All post-mortems and action items/ }),
    ).toHaveAttribute(
      'href',
      '/catalog/default/component/checkout-api/postmortems',
    );
  });

  it('says when there is nothing yet', async () => {
    server.use(
      http.get(backendUrl('/v1/postmortems'), () =>
        HttpResponse.json(postmortemPage([], { limit: 3 })),
      ),
      http.get(backendUrl('/v1/action-items'), () =>
        HttpResponse.json(actionItemPage([], { limit: 100 })),
      ),
    );
    await renderWithApis(
      <EntityProvider entity={checkout}>
        <EntityPostmortemsCard />
      </EntityProvider>,
      { api: createTestClient() },
    );
    expect(
      await screen.findByText(
        'No post-mortems yet for incidents that affected this entity.',
      ),
    ).toBeInTheDocument();
  });
});
