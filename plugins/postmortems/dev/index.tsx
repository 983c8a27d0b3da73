import { createDevApp } from '@backstage/dev-utils';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { TestApiProvider } from '@backstage/test-utils';
import { EntityPostmortemsContent } from '../src/components/EntityPostmortemsContent';
import { postmortemsApiRef, PostmortemsApi } from '../src/api';
import { postmortemsPlugin, PostmortemsPage } from '../src/plugin';

// The dev harness renders the plugin against an in-memory API so that it can be
// worked on without a backend: `yarn workspace @postmortems-oss/backstage-plugin-postmortems start`.
const fakeApi: PostmortemsApi = {
  getHealth: async () => ({ status: 'ok' }),
};

const demoService = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'checkout-api', namespace: 'default' },
  spec: { type: 'service', owner: 'team-payments', lifecycle: 'production' },
};

createDevApp()
  .registerPlugin(postmortemsPlugin)
  .addPage({
    element: <PostmortemsPage />,
    title: 'Post-Mortems',
    path: '/postmortems',
  })
  .addPage({
    element: (
      <TestApiProvider apis={[[postmortemsApiRef, fakeApi]]}>
        <EntityProvider entity={demoService}>
          <EntityPostmortemsContent />
        </EntityProvider>
      </TestApiProvider>
    ),
    title: 'Entity tab',
    path: '/entity-tab',
  })
  .render();
