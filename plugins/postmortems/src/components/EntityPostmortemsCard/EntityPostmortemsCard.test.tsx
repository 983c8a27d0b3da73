import { screen } from '@testing-library/react';
import { Entity } from '@backstage/catalog-model';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { EntityPostmortemsCard } from './EntityPostmortemsCard';
import { InMemoryPostmortemsApi } from '../../__testUtils__/InMemoryPostmortemsApi';
import { createDemoData, makeTemplates } from '../../__testUtils__/demoData';
import { renderWithApis } from '../../__testUtils__/renderWithApis';

const checkout: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'checkout-api', namespace: 'default' },
  spec: { type: 'service' },
};

describe('EntityPostmortemsCard', () => {
  it('shows the latest post-mortems and the open and overdue counts, linking into the tab', async () => {
    const api = new InMemoryPostmortemsApi(createDemoData());
    const list = jest.spyOn(api, 'listPostmortems');
    await renderWithApis(
      <EntityProvider entity={checkout}>
        <EntityPostmortemsCard limit={1} />
      </EntityProvider>,
      { api },
    );
    const latest = await screen.findByRole('link', {
      name: 'INC-2: Checkout latency after a connection pool change',
    });
    expect(latest).toHaveAttribute(
      'href',
      '/catalog/default/component/checkout-api/postmortems?incident=INC-2',
    );
    expect(list).toHaveBeenCalledWith({
      entityRef: 'component:default/checkout-api',
      page: 1,
      limit: 1,
    });
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
    const api = new InMemoryPostmortemsApi({
      incidents: [],
      templates: makeTemplates(),
    });
    await renderWithApis(
      <EntityProvider entity={checkout}>
        <EntityPostmortemsCard />
      </EntityProvider>,
      { api },
    );
    expect(
      await screen.findByText(
        'No post-mortems yet for incidents that affected this entity.',
      ),
    ).toBeInTheDocument();
  });
});
