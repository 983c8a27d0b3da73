import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import {
  AuthService,
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { Knex } from 'knex';
// The real post-mortems backend evaluates the policy's conditional decisions.
// eslint-disable-next-line @backstage/no-mixed-plugin-imports
import postmortemsPlugin from '@postmortems-oss/backstage-plugin-postmortems-backend';
import permissionPlugin from '@backstage/plugin-permission-backend';
import policyModule from '..';

// Who is who: the group sre holds the admins; team-payments owns checkout-api.
export const ADMIN = 'user:default/frank';
export const COMMANDER = 'user:default/carla';
export const OWNER = 'user:default/alice';
export const OUTSIDER = 'user:default/mallory';
const groups: Record<string, string[]> = {
  [ADMIN]: ['group:default/sre'],
  [OWNER]: ['group:default/team-payments'],
  [COMMANDER]: [],
  [OUTSIDER]: ['group:default/team-storefront'],
};

export const V1 = '/api/postmortems/v1';

export const as = (user: string) => ({
  Authorization: mockCredentials.user.header(user),
});

/**
 * Mock auth, except for two calls where real auth differs from the mock:
 * the permission backend calls the plugins' condition endpoints as itself
 * (real auth sends a service token acting for the user; the mock would send
 * a plain user token, which the endpoint refuses), and a plugin asking the
 * permission backend for a user's conditional decision is a user principal
 * with the plugin as its actor (the mock would make it a direct user
 * request, which the permission backend refuses for resource permissions).
 */
const authWithServiceConditionCalls = createServiceFactory({
  service: coreServices.auth,
  deps: { plugin: coreServices.pluginMetadata },
  factory({ plugin }) {
    const auth = mockServices.auth({ pluginId: plugin.getId() });
    return {
      authenticate: auth.authenticate.bind(auth),
      isPrincipal: auth.isPrincipal.bind(auth) as AuthService['isPrincipal'],
      getNoneCredentials: auth.getNoneCredentials.bind(auth),
      getOwnServiceCredentials: auth.getOwnServiceCredentials.bind(auth),
      getLimitedUserToken: auth.getLimitedUserToken.bind(auth),
      listPublicServiceKeys: auth.listPublicServiceKeys.bind(auth),
      async getPluginRequestToken(options) {
        if (plugin.getId() === 'permission') {
          return auth.getPluginRequestToken({
            ...options,
            onBehalfOf: await auth.getOwnServiceCredentials(),
          });
        }
        const principal = options.onBehalfOf.principal as {
          type: string;
          userEntityRef?: string;
        };
        if (options.targetPluginId === 'permission' && principal.type === 'user') {
          return {
            token: mockCredentials.user.token(principal.userEntityRef, {
              actor: { subject: `plugin:${plugin.getId()}` },
            }),
          };
        }
        return auth.getPluginRequestToken(options);
      },
    };
  },
});

/**
 * The real permission backend with this policy, in front of the real
 * post-mortems backend, over the given database (SQLite in memory if none),
 * with a catalog where team-payments owns checkout-api.
 */
export async function startPolicyBackend(knex?: Knex) {
  const { server } = await startTestBackend({
    features: [
      permissionPlugin,
      authWithServiceConditionCalls,
      policyModule,
      postmortemsPlugin,
      ...(knex ? [mockServices.database.factory({ knex })] : []),
      mockServices.rootLogger.factory({ level: 'error' }),
      mockServices.rootConfig.factory({
        data: {
          permission: { enabled: true },
          postmortems: { permissions: { admins: ['group:default/sre'] } },
        },
      }),
      mockServices.userInfo.mock({
        getUserInfo: async credentials => {
          const userEntityRef = (credentials.principal as any).userEntityRef;
          return {
            userEntityRef,
            ownershipEntityRefs: [
              userEntityRef,
              ...(groups[userEntityRef] ?? []),
            ],
          };
        },
      }).factory,
      catalogServiceMock.factory({
        entities: [
          {
            apiVersion: 'backstage.io/v1alpha1',
            kind: 'Component',
            metadata: { name: 'checkout-api', namespace: 'default' },
            spec: { type: 'service', owner: 'group:default/team-payments' },
            relations: [
              { type: 'ownedBy', targetRef: 'group:default/team-payments' },
            ],
          },
        ],
      }),
    ],
  });
  return server;
}
