import { BackendFeature } from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { Entity } from '@backstage/catalog-model';
import { Knex } from 'knex';

/** Users of the router tests: alice may do everything, mallory only read published post-mortems. */
export const ALICE = 'user:default/alice';
export const MALLORY = 'user:default/mallory';

export const as = (userRef: string) => ({
  Authorization: mockCredentials.user.header(userRef),
});

/**
 * Starts the real post-mortems plugin and modules (`features`) on a test
 * backend over the given database, with a permission service that allows
 * everything to everyone but mallory, who may only read published
 * post-mortems.
 */
export async function startTestPostmortemsBackend(
  features: BackendFeature[],
  knex: Knex,
  options: {
    config?: object;
    entities?: Entity[];
    /** More service implementations, e.g. a user info that knows groups. */
    services?: BackendFeature[];
  } = {},
) {
  const authorize = jest.fn(
    async (
      requests: Array<{ permission: { name: string } }>,
      authorizeOptions: { credentials: BackstageCredentials },
    ) => {
      const principal = authorizeOptions.credentials.principal as {
        type: string;
        userEntityRef?: string;
      };
      const mallory = principal.userEntityRef === MALLORY;
      return requests.map(request => ({
        result:
          !mallory || request.permission.name === 'postmortem.read'
            ? AuthorizeResult.ALLOW
            : AuthorizeResult.DENY,
      }));
    },
  );
  // Lists ask for the decision as a whole (to filter in SQL); the same rule.
  const authorizeConditional = jest.fn(
    async (
      requests: Array<{ permission: { name: string } }>,
      authorizeOptions: { credentials: BackstageCredentials },
    ) => authorize(requests, authorizeOptions),
  );
  const { server } = await startTestBackend({
    features: [
      ...features,
      mockServices.database.factory({ knex }),
      mockServices.permissions.mock({
        authorize: authorize as any,
        authorizeConditional: authorizeConditional as any,
      }).factory,
      catalogServiceMock.factory({ entities: options.entities ?? [] }),
      mockServices.rootConfig.factory({ data: options.config ?? {} }),
      ...(options.services ?? []),
    ],
  });
  return { server, authorize };
}
