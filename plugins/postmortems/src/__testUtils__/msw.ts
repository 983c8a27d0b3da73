import { registerMswTestHooks } from '@backstage/test-utils';
import { setupServer } from 'msw/node';
import { PostmortemsClient } from '../api';

/** Where the tests' backend answers; msw handlers are registered under it. */
export const BACKEND_URL = 'http://backstage.test/api/postmortems';

/** A full URL of the backend's `path`, for an msw handler. */
export const backendUrl = (path: string) => `${BACKEND_URL}${path}`;

/**
 * An msw server for one test file, started before its tests and reset after
 * each (handlers and listeners); a request no handler answers fails the test.
 */
export function setupBackend() {
  const server = setupServer();
  registerMswTestHooks(server);
  // Listeners that record requests belong to the test that added them.
  afterEach(() => server.events.removeAllListeners());
  return server;
}

/** The real client, talking to the msw server over the global fetch. */
export function createTestClient() {
  return new PostmortemsClient({
    discoveryApi: { getBaseUrl: async () => BACKEND_URL },
    fetchApi: { fetch: (input, init) => fetch(input, init) },
    pollIntervalMs: 10,
  });
}
