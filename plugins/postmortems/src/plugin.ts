import {
  createApiFactory,
  createComponentExtension,
  createPlugin,
  createRoutableExtension,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/core-plugin-api';
import { createSearchResultListItemExtension } from '@backstage/plugin-search-react';
import { postmortemsApiRef, PostmortemsClient } from './api';
import { incidentRouteRef, rootRouteRef } from './routes';

/** @public */
export const postmortemsPlugin = createPlugin({
  id: 'postmortems',
  apis: [
    createApiFactory({
      api: postmortemsApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new PostmortemsClient({ discoveryApi, fetchApi }),
    }),
  ],
  routes: {
    root: rootRouteRef,
    incident: incidentRouteRef,
  },
});

/**
 * The org-wide Post-Mortems page, usually mounted at `/postmortems`.
 *
 * @public
 */
export const PostmortemsPage = postmortemsPlugin.provide(
  createRoutableExtension({
    name: 'PostmortemsPage',
    component: () =>
      import('./components/PostmortemsPage').then(m => m.PostmortemsPage),
    mountPoint: rootRouteRef,
  }),
);

/**
 * Contents of the Post-Mortems tab on an entity page: for a service, the
 * post-mortems of the incidents that affected it and its open action items;
 * for an Incident entity, its post-mortem.
 *
 * @public
 */
export const EntityPostmortemsContent = postmortemsPlugin.provide(
  createComponentExtension({
    name: 'EntityPostmortemsContent',
    component: {
      lazy: () =>
        import('./components/EntityPostmortemsContent').then(
          m => m.EntityPostmortemsContent,
        ),
    },
  }),
);

/**
 * A compact card for an entity's overview page: latest post-mortems and open
 * action items.
 *
 * @public
 */
export const EntityPostmortemsCard = postmortemsPlugin.provide(
  createComponentExtension({
    name: 'EntityPostmortemsCard',
    component: {
      lazy: () =>
        import('./components/EntityPostmortemsCard').then(
          m => m.EntityPostmortemsCard,
        ),
    },
  }),
);

/**
 * One incident's post-mortem view, for pages that know the incident id.
 *
 * @public
 */
export const IncidentPostmortemContent = postmortemsPlugin.provide(
  createComponentExtension({
    name: 'IncidentPostmortemContent',
    component: {
      lazy: () =>
        import('./components/IncidentPostmortem').then(
          m => m.IncidentPostmortem,
        ),
    },
  }),
);

/**
 * Templates and model provider settings, e.g. as a tab of the user settings
 * page (`SettingsLayout.Route`).
 *
 * @public
 */
export const PostmortemSettings = postmortemsPlugin.provide(
  createComponentExtension({
    name: 'PostmortemSettings',
    component: {
      lazy: () =>
        import('./components/PostmortemSettings').then(
          m => m.PostmortemSettings,
        ),
    },
  }),
);

/**
 * Renders search results of type `postmortem`; put it inside `<SearchResult>`.
 *
 * @public
 */
export const PostmortemSearchResultListItem = postmortemsPlugin.provide(
  createSearchResultListItemExtension({
    name: 'PostmortemSearchResultListItem',
    component: () =>
      import('./components/PostmortemSearchResultListItem').then(
        m => m.PostmortemSearchResultListItem,
      ),
    predicate: result => result.type === 'postmortem',
  }),
);
