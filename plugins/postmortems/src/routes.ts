import { createRouteRef, createSubRouteRef } from '@backstage/core-plugin-api';

export const rootRouteRef = createRouteRef({
  id: 'postmortems',
});

/** The post-mortem view of one incident, under the Post-Mortems page. */
export const incidentRouteRef = createSubRouteRef({
  id: 'postmortems/incident',
  parent: rootRouteRef,
  path: '/incidents/:incidentId',
});
