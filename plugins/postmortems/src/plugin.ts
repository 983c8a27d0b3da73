import {
  createApiFactory,
  createComponentExtension,
  createPlugin,
  createRoutableExtension,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/core-plugin-api';
import { postmortemsApiRef, PostmortemsClient } from './api';
import { rootRouteRef } from './routes';

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
 * Contents of the Post-Mortems tab on an entity page (services and incidents).
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
