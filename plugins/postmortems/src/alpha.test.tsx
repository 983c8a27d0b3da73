import { screen } from '@testing-library/react';
import { Entity } from '@backstage/catalog-model';
import {
  ApiBlueprint,
  coreExtensionData,
} from '@backstage/frontend-plugin-api';
import {
  createExtensionTester,
  renderTestApp,
} from '@backstage/frontend-test-utils';
import { convertLegacyRouteRef } from '@backstage/core-compat-api';
import { catalogApiRef, entityRouteRef } from '@backstage/plugin-catalog-react';
import {
  EntityCardBlueprint,
  EntityContentBlueprint,
} from '@backstage/plugin-catalog-react/alpha';
import {
  SearchFilterResultTypeBlueprint,
  SearchResultListItemBlueprint,
} from '@backstage/plugin-search-react/alpha';
import postmortemsPlugin, {
  postmortemsApi,
  postmortemsEntityCard,
  postmortemsEntityContent,
  postmortemsPage,
  postmortemsSearchResultListItem,
  postmortemsSearchResultType,
} from './alpha';
import { postmortemsApiRef, PostmortemsClient } from './api';
import { answerReads, demoState } from './__testUtils__/backend';
import { createTestClient, setupBackend } from './__testUtils__/msw';
import { fakeCatalogApi, renderWithApis } from './__testUtils__/renderWithApis';
import { PostmortemsPage as LegacyPostmortemsPage } from './plugin';
import { FlatRoutes } from '@backstage/core-app-api';
import { Route } from 'react-router-dom';

jest.setTimeout(30_000);

const server = setupBackend();

beforeEach(() => answerReads(server, demoState()));

function entity(kind: string, name = 'some-entity'): Entity {
  return {
    apiVersion:
      kind === 'Incident' ? 'postmortems.io/v1alpha1' : 'backstage.io/v1alpha1',
    kind,
    metadata: { name, namespace: 'default' },
  };
}

describe('postmortems frontend plugin (new frontend system)', () => {
  it('is the postmortems plugin with the legacy routes', () => {
    expect(postmortemsPlugin.id).toBe('postmortems');
    expect(Object.keys(postmortemsPlugin.routes).sort()).toEqual([
      'incident',
      'root',
    ]);
  });

  // The ids are what app.extensions config names (see the README).
  it.each([
    'api:postmortems',
    'page:postmortems',
    'entity-content:postmortems',
    'entity-card:postmortems',
    'search-result-list-item:postmortems',
    'search-filter-result-type:postmortems',
    'search-filter:postmortems/severity',
    'sub-page:postmortems/user-settings',
  ] as const)('has the extension %s', id => {
    expect(postmortemsPlugin.getExtension(id)).toBeDefined();
  });

  it('mounts the page at /postmortems with a sidebar title and icon', () => {
    const tester = createExtensionTester(postmortemsPage);
    expect(tester.get(coreExtensionData.routePath)).toBe('/postmortems');
    expect(tester.get(coreExtensionData.title)).toBe('Post-Mortems');
    expect(tester.get(coreExtensionData.icon)).toBeTruthy();
  });

  it('takes its path and title from app.extensions config', () => {
    const tester = createExtensionTester(postmortemsPage, {
      config: { path: '/learning', title: 'Learning reviews' },
    });
    expect(tester.get(coreExtensionData.routePath)).toBe('/learning');
    expect(tester.get(coreExtensionData.title)).toBe('Learning reviews');
  });

  it('renders the page in an app, resolving the legacy route refs', async () => {
    renderTestApp({
      features: [postmortemsPlugin],
      initialRouteEntries: ['/postmortems'],
      // The catalog plugin mounts entity pages here in a real app; the list
      // links each affected service to its page.
      mountedRoutes: {
        '/catalog/:namespace/:kind/:name':
          convertLegacyRouteRef(entityRouteRef),
      },
      apis: [
        [postmortemsApiRef, createTestClient()],
        [catalogApiRef, fakeCatalogApi()],
      ],
    });
    // The incident link comes from useRouteRef(incidentRouteRef): it only
    // resolves if the converted refs are the plugin's routes.
    const link = await screen.findByRole(
      'link',
      { name: 'INC-1' },
      { timeout: 20_000 },
    );
    expect(link).toHaveAttribute('href', '/postmortems/incidents/INC-1');
    expect(
      screen.getByRole('heading', { name: 'Post-Mortems' }),
    ).toBeInTheDocument();
    // The page's title and icon make its sidebar item.
    expect(screen.getByRole('link', { name: 'Post-Mortems' })).toHaveAttribute(
      'href',
      '/postmortems',
    );
  });

  // The README's recipe for moving the page: links that name the old path,
  // such as search results and notifications, are redirected.
  it('moves through config, the old links redirected', async () => {
    renderTestApp({
      features: [postmortemsPlugin],
      config: {
        app: {
          extensions: [
            { 'page:postmortems': { config: { path: '/learning' } } },
            {
              'app/routes': {
                config: {
                  redirects: [{ from: '/postmortems', to: '/learning/*' }],
                },
              },
            },
          ],
        },
      },
      initialRouteEntries: ['/postmortems/incidents/INC-1'],
      mountedRoutes: {
        '/catalog/:namespace/:kind/:name':
          convertLegacyRouteRef(entityRouteRef),
      },
      apis: [
        [postmortemsApiRef, createTestClient()],
        [catalogApiRef, fakeCatalogApi()],
      ],
    });
    expect(
      await screen.findByRole(
        'heading',
        { name: 'Post-mortem of INC-1' },
        { timeout: 20_000 },
      ),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('link', { name: 'All post-mortems' }),
    ).toHaveAttribute('href', '/learning');
  });

  it('puts the tab on incidents, components and systems only', () => {
    const tester = createExtensionTester(postmortemsEntityContent);
    expect(tester.get(coreExtensionData.routePath)).toBe('/postmortems');
    expect(tester.get(EntityContentBlueprint.dataRefs.title)).toBe(
      'Post-Mortems',
    );
    const filter = tester.get(EntityContentBlueprint.dataRefs.filterFunction)!;
    expect(filter(entity('Incident', 'inc-3'))).toBe(true);
    expect(filter(entity('Component'))).toBe(true);
    expect(filter(entity('System'))).toBe(true);
    expect(filter(entity('User'))).toBe(false);
    expect(filter(entity('Group'))).toBe(false);
    expect(filter(entity('Location'))).toBe(false);
  });

  it('lets config narrow the tab to some entities', () => {
    const tester = createExtensionTester(postmortemsEntityContent, {
      config: {
        filter: { kind: 'component', 'spec.type': 'service' },
        title: 'Incidents',
      },
    });
    const filter = tester.get(EntityContentBlueprint.dataRefs.filterFunction)!;
    const service = {
      ...entity('Component'),
      spec: { type: 'service' },
    };
    const library = {
      ...entity('Component'),
      spec: { type: 'library' },
    };
    expect(filter(service)).toBe(true);
    expect(filter(library)).toBe(false);
    expect(filter(entity('Incident'))).toBe(false);
    expect(tester.get(EntityContentBlueprint.dataRefs.title)).toBe('Incidents');
  });

  it('shows the overview card on components and systems, not on incidents', () => {
    const tester = createExtensionTester(postmortemsEntityCard);
    const filter = tester.get(EntityCardBlueprint.dataRefs.filterFunction)!;
    expect(filter(entity('Component'))).toBe(true);
    expect(filter(entity('System'))).toBe(true);
    expect(filter(entity('Incident'))).toBe(false);
    expect(filter(entity('Group'))).toBe(false);
    expect(tester.get(EntityCardBlueprint.dataRefs.type)).toBe('content');
  });

  it('renders search results of type postmortem only', () => {
    const item = createExtensionTester(postmortemsSearchResultListItem).get(
      SearchResultListItemBlueprint.dataRefs.item,
    );
    const result = (type: string) => ({
      type,
      document: { title: 'INC-1', text: '', location: '/x' },
    });
    expect(item.predicate!(result('postmortem'))).toBe(true);
    expect(item.predicate!(result('software-catalog'))).toBe(false);

    const resultType = createExtensionTester(postmortemsSearchResultType).get(
      SearchFilterResultTypeBlueprint.dataRefs.resultType,
    );
    expect(resultType).toMatchObject({
      value: 'postmortem',
      name: 'Post-Mortems',
    });
  });

  it('provides the client over the discovery and fetch APIs', async () => {
    const factory = createExtensionTester(postmortemsApi).get(
      ApiBlueprint.dataRefs.factory,
    );
    expect(factory.api.id).toBe(postmortemsApiRef.id);

    const requested: string[] = [];
    const client = factory.factory({
      discoveryApi: {
        getBaseUrl: async (pluginId: string) =>
          `http://backstage.test/api/${pluginId}`,
      },
      fetchApi: {
        fetch: async (input: RequestInfo | URL) => {
          requested.push(String(input));
          return new Response(
            JSON.stringify({ data: [], total: 0, page: 1, limit: 20 }),
            { headers: { 'Content-Type': 'application/json' } },
          );
        },
      },
    });
    expect(client).toBeInstanceOf(PostmortemsClient);
    await (client as PostmortemsClient).listPostmortems();
    expect(requested).toHaveLength(1);
    expect(requested[0]).toMatch(
      /^http:\/\/backstage\.test\/api\/postmortems\/v1\/postmortems/,
    );
  });

  // Converting the route refs for the new system must leave them usable in a
  // legacy app: both entry points can be loaded in one bundle.
  it('leaves the legacy page extension working in a legacy app', async () => {
    await renderWithApis(
      <FlatRoutes>
        <Route path="/postmortems" element={<LegacyPostmortemsPage />} />
      </FlatRoutes>,
      {
        api: createTestClient(),
        routeEntries: ['/postmortems'],
      },
    );
    const link = await screen.findByRole(
      'link',
      { name: 'INC-1' },
      { timeout: 20_000 },
    );
    expect(link).toHaveAttribute('href', '/postmortems/incidents/INC-1');
  });
});
