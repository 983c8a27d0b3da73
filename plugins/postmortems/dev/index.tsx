import { Entity } from '@backstage/catalog-model';
import { CatalogClient } from '@backstage/catalog-client';
import {
  createPlugin,
  createRoutableExtension,
  discoveryApiRef,
  fetchApiRef,
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
import { EntityPostmortemsCard } from '../src/components/EntityPostmortemsCard';
import { EntityPostmortemsContent } from '../src/components/EntityPostmortemsContent';
import { PostmortemSearchResultListItem } from '../src/components/PostmortemSearchResultListItem';
import { PostmortemSettings } from '../src/components/PostmortemSettings';
import { postmortemsPlugin, PostmortemsPage } from '../src/plugin';

// The dev harness renders the plugin against a running backend, through the
// plugin's own client (its default API factory): start the portal's backend
// (`yarn start` in packages/backend, with `postmortems.demoData` on) and then
// `yarn workspace @postmortems-oss/backstage-plugin-postmortems start`, and
// sign in as the guest. The owner picker and the entity links read the
// backend's catalog (the demo organisation and services).

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
    api: catalogApiRef,
    deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
    factory: ({ discoveryApi, fetchApi }) =>
      new CatalogClient({ discoveryApi, fetchApi }),
  })
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
