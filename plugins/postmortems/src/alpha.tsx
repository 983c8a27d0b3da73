/**
 * Post-Mortems for Backstage on the new frontend system: one feature that an
 * app picks up through `app.packages: all`, or lists in `createApp({ features })`.
 *
 * @packageDocumentation
 */
import {
  convertLegacyRouteRef,
  convertLegacyRouteRefs,
} from '@backstage/core-compat-api';
import {
  ApiBlueprint,
  createFrontendPlugin,
  discoveryApiRef,
  fetchApiRef,
  PageBlueprint,
  SubPageBlueprint,
} from '@backstage/frontend-plugin-api';
import {
  EntityCardBlueprint,
  EntityContentBlueprint,
} from '@backstage/plugin-catalog-react/alpha';
import {
  SearchFilterBlueprint,
  SearchFilterResultTypeBlueprint,
  SearchResultListItemBlueprint,
} from '@backstage/plugin-search-react/alpha';
import { SearchFilter } from '@backstage/plugin-search-react';
import AssignmentIcon from '@material-ui/icons/Assignment';
import { z } from 'zod/v4';
import { postmortemsApiRef, PostmortemsClient } from './api';
import { incidentRouteRef, rootRouteRef } from './routes';

/** The search document type of published post-mortems. */
const SEARCH_TYPE = 'postmortem';

/**
 * The entities that get the Post-Mortems tab and card: Incident entities (the
 * tab is their post-mortem) and what incidents affect, components and the
 * systems they make up. A `filter` in `app.extensions` replaces it.
 */
const AFFECTED_OR_INCIDENT = {
  kind: { $in: ['component', 'system', 'incident'] },
};
const AFFECTED = { kind: { $in: ['component', 'system'] } };

/**
 * The post-mortems API over the backend, through the app's discovery and
 * fetch APIs (the latter adds the user's token).
 *
 * @alpha
 */
export const postmortemsApi = ApiBlueprint.make({
  params: defineParams =>
    defineParams({
      api: postmortemsApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new PostmortemsClient({ discoveryApi, fetchApi }),
    }),
});

/**
 * The org-wide Post-Mortems page at `/postmortems`, with its sidebar entry
 * (from `title` and `icon`). The page draws its own header and tabs, so the
 * app's plugin header is turned off.
 *
 * @alpha
 */
export const postmortemsPage = PageBlueprint.make({
  params: {
    path: '/postmortems',
    title: 'Post-Mortems',
    icon: <AssignmentIcon fontSize="inherit" />,
    // The legacy ref, converted: components keep resolving it with useRouteRef.
    routeRef: convertLegacyRouteRef(rootRouteRef),
    noHeader: true,
    loader: () =>
      import('./components/PostmortemsPage').then(m => <m.PostmortemsPage />),
  },
});

/**
 * The Post-Mortems tab of entity pages: an Incident's own post-mortem, or the
 * post-mortems and open action items of a component or system.
 *
 * @alpha
 */
export const postmortemsEntityContent = EntityContentBlueprint.make({
  params: {
    path: '/postmortems',
    title: 'Post-Mortems',
    // No group: a tab of its own. `group: operation` in config files it
    // under Operation with other plugins' tabs.
    icon: <AssignmentIcon fontSize="inherit" />,
    filter: AFFECTED_OR_INCIDENT,
    loader: () =>
      import('./components/EntityPostmortemsContent').then(m => (
        <m.EntityPostmortemsContent />
      )),
  },
});

/**
 * The overview card of components and systems: latest post-mortems and open
 * action items. `tabPath` must follow the tab's path when config moves it.
 *
 * @alpha
 */
export const postmortemsEntityCard = EntityCardBlueprint.makeWithOverrides({
  configSchema: {
    tabPath: z.string().default('postmortems'),
    limit: z.number().int().positive().default(3),
  },
  factory(originalFactory, { config }) {
    return originalFactory({
      type: 'content',
      filter: AFFECTED,
      loader: () =>
        import('./components/EntityPostmortemsCard').then(m => (
          <m.EntityPostmortemsCard
            tabPath={config.tabPath.replace(/^\//, '')}
            limit={config.limit}
          />
        )),
    });
  },
});

/**
 * Renders search results of type `postmortem` on the search page.
 *
 * @alpha
 */
export const postmortemsSearchResultListItem =
  SearchResultListItemBlueprint.make({
    params: {
      predicate: result => result.type === SEARCH_TYPE,
      icon: <AssignmentIcon />,
      component: () =>
        import('./components/PostmortemSearchResultListItem').then(
          m => m.PostmortemSearchResultListItem,
        ),
    },
  });

/**
 * "Post-Mortems" in the search page's result type filter.
 *
 * @alpha
 */
export const postmortemsSearchResultType = SearchFilterResultTypeBlueprint.make(
  {
    params: {
      value: SEARCH_TYPE,
      name: 'Post-Mortems',
      icon: <AssignmentIcon />,
    },
  },
);

/**
 * A severity filter on the search page; post-mortem documents carry the
 * severity of their incident.
 *
 * @alpha
 */
export const postmortemsSearchSeverityFilter = SearchFilterBlueprint.make({
  name: 'severity',
  params: {
    component: ({ className }) => (
      <SearchFilter.Select
        className={className}
        label="Severity"
        name="severity"
        values={['critical', 'high', 'medium', 'low']}
      />
    ),
  },
});

/**
 * Templates and model provider settings as a tab of the user settings page
 * (`/settings/postmortem-templates`); the same tab is on the Post-Mortems page.
 *
 * @alpha
 */
export const postmortemsSettingsSubPage = SubPageBlueprint.make({
  name: 'user-settings',
  attachTo: { id: 'page:user-settings', input: 'pages' },
  params: {
    path: 'postmortem-templates',
    title: 'Post-Mortem Templates',
    loader: () =>
      import('./components/PostmortemSettings').then(m => (
        <m.PostmortemSettings />
      )),
  },
});

/**
 * The Post-Mortems plugin for the new frontend system.
 *
 * @alpha
 */
export default createFrontendPlugin({
  pluginId: 'postmortems',
  title: 'Post-Mortems',
  icon: <AssignmentIcon fontSize="inherit" />,
  info: { packageJson: () => import('../package.json') },
  routes: convertLegacyRouteRefs({
    root: rootRouteRef,
    incident: incidentRouteRef,
  }),
  extensions: [
    postmortemsApi,
    postmortemsPage,
    postmortemsEntityContent,
    postmortemsEntityCard,
    postmortemsSearchResultListItem,
    postmortemsSearchResultType,
    postmortemsSearchSeverityFilter,
    postmortemsSettingsSubPage,
  ],
});
