import { CatalogClient } from '@backstage/catalog-client';
import {
  createPlugin,
  createRoutableExtension,
  discoveryApiRef,
  fetchApiRef,
  useApi,
} from '@backstage/core-plugin-api';
import {
  Content,
  Header,
  Page,
  Progress,
  WarningPanel,
} from '@backstage/core-components';
import { createDevApp } from '@backstage/dev-utils';
import {
  catalogApiRef,
  EntityProvider,
  entityRouteRef,
  useEntity,
} from '@backstage/plugin-catalog-react';
import { Grid, Typography } from '@material-ui/core';
import { ReactNode } from 'react';
import { useParams } from 'react-router-dom';
import useAsync from 'react-use/esm/useAsync';
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

// The demo catalog's checkout service and the Incident entity the catalog
// module publishes for INC-2, read from the running backend's catalog.
const CHECKOUT_SERVICE = 'component:default/checkout-api';
const INCIDENT_2 = 'incident:default/inc-2';

/** Provides the catalog's entity to `children`, or says why it cannot. */
const CatalogEntity = ({
  entityRef,
  children,
}: {
  entityRef: string;
  children: ReactNode;
}) => {
  const catalogApi = useApi(catalogApiRef);
  const { value, loading, error } = useAsync(
    () => catalogApi.getEntityByRef(entityRef),
    [catalogApi, entityRef],
  );
  if (loading) return <Progress />;
  if (error || !value) {
    return (
      <WarningPanel
        title={`${entityRef} is not in the catalog`}
        message={
          error?.message ??
          'Start the backend with the demo catalog and postmortems.demoData.'
        }
      />
    );
  }
  return <EntityProvider entity={value}>{children}</EntityProvider>;
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

const EntityTab = () => {
  const { entity } = useEntity();
  return (
    <Page themeId="service">
      <Header
        title={entity.metadata.title ?? entity.metadata.name}
        type={entity.kind}
      />
      <Content>
        <EntityPostmortemsContent />
      </Content>
    </Page>
  );
};

const EntityPage = ({ entityRef }: { entityRef: string }) => (
  <CatalogEntity entityRef={entityRef}>
    <EntityTab />
  </CatalogEntity>
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
    element: <EntityPage entityRef={CHECKOUT_SERVICE} />,
    title: 'Service tab',
    path: '/service-tab',
  })
  .addPage({
    element: <EntityPage entityRef={INCIDENT_2} />,
    title: 'Incident tab',
    path: '/incident-tab',
  })
  .addPage({
    element: (
      <CatalogEntity entityRef={CHECKOUT_SERVICE}>
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
      </CatalogEntity>
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
