import { BackendFeature } from '@backstage/backend-plugin-api';
import { TestDatabaseId, TestDatabases } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { Knex } from 'knex';
import { DestinationFakes, startDestinationFakes } from './destinationFakes';
import { ALICE, startTestPostmortemsBackend } from './testBackend';
import { testApi } from './testApi';

type TestBackend = Awaited<ReturnType<typeof startTestPostmortemsBackend>>;

/**
 * For the tests of one `describe`: before them, a fresh `databaseId`
 * database, the destination fakes and the post-mortems backend with
 * `features`, configured with `postmortems` (built from the fakes' config)
 * and a portal base URL; after them, the fakes stopped. The handle's fields
 * are read in the tests, once the backend is up.
 */
export function useTestPostmortemsBackend(
  databases: TestDatabases,
  databaseId: TestDatabaseId,
  features: BackendFeature[],
  options: {
    postmortems?: (config: ReturnType<DestinationFakes['config']>) => object;
    entities?: Entity[];
  } = {},
) {
  let knex: Knex | undefined;
  let fakes: DestinationFakes | undefined;
  let backend: TestBackend | undefined;
  const started = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`${what} is not started yet`);
    return value;
  };

  beforeAll(async () => {
    knex = await databases.init(databaseId);
    fakes = await startDestinationFakes();
    backend = await startTestPostmortemsBackend(features, knex, {
      config: {
        app: { baseUrl: 'http://backstage.test' },
        postmortems:
          options.postmortems?.(fakes.config({ timeoutSeconds: 1 })) ?? {},
      },
      entities: options.entities,
    });
  });

  afterAll(async () => {
    await fakes?.stop();
  });

  return {
    /** Requests to the API as `user` (alice by default). */
    api: (user: string = ALICE) =>
      testApi(() => started(backend, 'The backend').server, user),
    get server() {
      return started(backend, 'The backend').server;
    },
    get fakes() {
      return started(fakes, 'The destination fakes');
    },
    get knex() {
      return started(knex, 'The database');
    },
  };
}
