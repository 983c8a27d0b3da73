import { createApiRef } from '@backstage/core-plugin-api';

/** What the backend says about its own state. */
export interface PostmortemsHealth {
  status: 'ok';
}

/**
 * Client-side access to the post-mortems backend. Components go through this
 * API, never through fetch, so that tests and the dev harness can swap it.
 *
 * @public
 */
export interface PostmortemsApi {
  /** Checks that the post-mortems backend is reachable. */
  getHealth(): Promise<PostmortemsHealth>;
}

/** @public */
export const postmortemsApiRef = createApiRef<PostmortemsApi>({
  id: 'plugin.postmortems.api',
});
