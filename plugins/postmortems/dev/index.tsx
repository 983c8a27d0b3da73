import { Entity } from '@backstage/catalog-model';
import {
  createPlugin,
  createRoutableExtension,
} from '@backstage/core-plugin-api';
import { Content, Header, Page } from '@backstage/core-components';
import { createDevApp } from '@backstage/dev-utils';
import {
  catalogApiRef,
  EntityProvider,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import { Grid, Typography } from '@material-ui/core';
import { useParams } from 'react-router-dom';
import { postmortemsApiRef } from '../src/api';
import { EntityPostmortemsCard } from '../src/components/EntityPostmortemsCard';
import { EntityPostmortemsContent } from '../src/components/EntityPostmortemsContent';
import { PostmortemSearchResultListItem } from '../src/components/PostmortemSearchResultListItem';
import { PostmortemSettings } from '../src/components/PostmortemSettings';
import { createDemoData } from '../src/__testUtils__/demoData';
import { InMemoryPostmortemsApi } from '../src/__testUtils__/InMemoryPostmortemsApi';
import { postmortemsPlugin, PostmortemsPage } from '../src/plugin';

// The dev harness renders the plugin against an in-memory API holding a few
// demo incidents, so that it can be worked on without a backend:
// `yarn workspace @postmortems-oss/backstage-plugin-postmortems start`.
const fakeApi = new InMemoryPostmortemsApi({
  ...createDemoData(),
  generationDelayMs: 700,
});

const people: Entity[] = [
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'User',
    metadata: { name: 'jane.doe', namespace: 'default' },
    spec: { profile: { displayName: 'Jane Doe' } },
  },
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'User',
    metadata: { name: 'guest', namespace: 'default' },
    spec: { profile: { displayName: 'Guest' } },
  },
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Group',
    metadata: {
      name: 'team-payments',
      namespace: 'default',
      title: 'Payments',
    },
    spec: { type: 'team' },
  },
];
const components: Entity[] = [
  'checkout-api',
  'payments-service',
  'search-service',
].map(name => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name, namespace: 'default' },
  spec: { type: 'service' },
}));

const fakeCatalog = {
  async getEntities(request?: { filter?: unknown }) {
    const wantsComponents = JSON.stringify(request?.filter ?? '').includes(
      'Component',
    );
    return { items: wantsComponents ? components : people };
  },
  async getEntityByRef() {
    return undefined;
  },
  async getEntitiesByRefs() {
    return { items: [] };
  },
} as unknown as typeof catalogApiRef.T;

const demoService: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'checkout-api',
    namespace: 'default',
    title: 'Checkout API',
  },
  spec: { type: 'service', owner: 'team-payments', lifecycle: 'production' },
};

const demoIncident: Entity = {
  apiVersion: 'postmortems.io/v1alpha1',
  kind: 'Incident',
  metadata: { name: 'inc-2', namespace: 'default', title: 'INC-2' },
  spec: {},
};

// Entity links need the catalog's entity route; this stands in for it.
const DevEntityPage = () => {
  const { kind, namespace, name } = useParams();
  return (
    <Page themeId="tool">
      <Header title={`${kind}:${namespace}/${name}`} />
      <Content>
        <Typography>The catalog page of this entity in a real app.</Typography>
      </Content>
    </Page>
  );
};
const devCatalogPlugin = createPlugin({ id: 'dev-catalog' });
const DevEntityRoute = devCatalogPlugin.provide(
  createRoutableExtension({
    name: 'DevEntityPage',
    component: async () => DevEntityPage,
    mountPoint: entityRouteRef,
  }),
);

const EntityPage = ({ entity }: { entity: Entity }) => (
  <EntityProvider entity={entity}>
    <Page themeId="service">
      <Header
        title={entity.metadata.title ?? entity.metadata.name}
        type={entity.kind}
      />
      <Content>
        <EntityPostmortemsContent />
      </Content>
    </Page>
  </EntityProvider>
);

createDevApp()
  .registerPlugin(postmortemsPlugin)
  .registerApi({
    api: postmortemsApiRef,
    deps: {},
    factory: () => fakeApi,
  })
  .registerApi({ api: catalogApiRef, deps: {}, factory: () => fakeCatalog })
  .addPage({
    element: <PostmortemsPage />,
    title: 'Post-Mortems',
    path: '/postmortems',
  })
  .addPage({
    element: <EntityPage entity={demoService} />,
    title: 'Service tab',
    path: '/service-tab',
  })
  .addPage({
    element: <EntityPage entity={demoIncident} />,
    title: 'Incident tab',
    path: '/incident-tab',
  })
  .addPage({
    element: (
      <EntityProvider entity={demoService}>
        <Page themeId="service">
          <Header title="Overview card" />
          <Content>
            <Grid container>
              <Grid item xs={12} md={6}>
                <EntityPostmortemsCard />
              </Grid>
            </Grid>
          </Content>
        </Page>
      </EntityProvider>
    ),
    title: 'Overview card',
    path: '/overview-card',
  })
  .addPage({
    element: (
      <Page themeId="tool">
        <Header title="Settings" />
        <Content>
          <PostmortemSettings />
        </Content>
      </Page>
    ),
    title: 'Settings',
    path: '/postmortem-settings',
  })
  .addPage({
    element: (
      <Page themeId="home">
        <Header title="Search result" />
        <Content>
          <PostmortemSearchResultListItem
            result={
              {
                title: 'INC-1: Card payments failing at checkout',
                text: 'Card payments failed for 2 hours because a TLS certificate expired.',
                location: '/postmortems/incidents/INC-1',
                incident_reference: 'INC-1',
                severity: 'critical',
                services: ['component:default/checkout-api'],
                published_at: new Date().toISOString(),
              } as any
            }
            highlight={{
              preTag: '<em>',
              postTag: '</em>',
              fields: {
                text: 'Card payments failed because a <em>TLS certificate</em> expired.',
              },
            }}
          />
        </Content>
      </Page>
    ),
    title: 'Search result',
    path: '/search-result',
  })
  .addPage({
    element: <DevEntityRoute />,
    path: '/catalog/:namespace/:kind/:name',
  })
  .render();
