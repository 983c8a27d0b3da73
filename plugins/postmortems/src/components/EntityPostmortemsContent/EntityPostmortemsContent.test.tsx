import { screen } from '@testing-library/react';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { Entity } from '@backstage/catalog-model';
import { postmortemsApiRef, PostmortemsApi } from '../../api';
import { EntityPostmortemsContent } from './EntityPostmortemsContent';

const entity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'checkout', namespace: 'default', title: 'Checkout' },
  spec: { type: 'service', owner: 'team-payments', lifecycle: 'production' },
};

function renderTab(api: PostmortemsApi) {
  return renderInTestApp(
    <TestApiProvider apis={[[postmortemsApiRef, api]]}>
      <EntityProvider entity={entity}>
        <EntityPostmortemsContent />
      </EntityProvider>
    </TestApiProvider>,
  );
}

describe('EntityPostmortemsContent', () => {
  it('says that the entity has no post-mortems yet', async () => {
    await renderTab({ getHealth: async () => ({ status: 'ok' }) });

    expect(
      await screen.findByText('No post-mortems for Checkout yet'),
    ).toBeInTheDocument();
    expect(screen.getByText('component:default/checkout')).toBeInTheDocument();
  });

  it('shows the error when the backend cannot be reached', async () => {
    await renderTab({
      getHealth: async () => {
        throw new Error('backend unreachable');
      },
    });

    expect(
      await screen.findByText('Error: backend unreachable'),
    ).toBeInTheDocument();
  });
});
