/*
 * Signed-in users for benchmarks, the way a portal has them: the real auth
 * backend issues each user a Backstage token, the real permission backend
 * decides with the shipped post-mortems policy, and the plugin verifies the
 * token and asks for decisions exactly as it does in production.
 *
 * Why a sign-in provider of our own: a token the backend accepts can only
 * come from the auth backend (it signs user tokens with a key it keeps and
 * publishes at /api/auth/.well-known/jwks.json; every plugin verifies
 * against that). Its providers sign a person in through a browser flow
 * (OAuth) or trust a header set by a proxy in front of Backstage. The guest
 * provider is the latter kind but knows one user only, and a benchmark needs
 * several. So this module registers a proxy-style provider, `bench`, whose
 * "proxy" is the benchmark itself: `GET /api/auth/bench/refresh?user=<ref>`
 * signs that user in with the standard catalog resolver
 * (`signInWithCatalogUser`: the User entity is looked up in the catalog and
 * the groups it is a member of become its ownership claims), and the auth
 * backend issues the token as for any provider. Everything after sign-in is
 * production code.
 */
import { createBackendModule } from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import {
  authProvidersExtensionPoint,
  createProxyAuthenticator,
  createProxyAuthProviderFactory,
} from '@backstage/plugin-auth-node';
import { JsonObject } from '@backstage/types';

/** The `bench` sign-in provider: signs in the catalog user named in `?user=`. */
export const benchSignInModule = createBackendModule({
  pluginId: 'auth',
  moduleId: 'bench-sign-in',
  register(reg) {
    reg.registerInit({
      deps: { providers: authProvidersExtensionPoint },
      async init({ providers }) {
        providers.registerProvider({
          providerId: 'bench',
          factory: createProxyAuthProviderFactory({
            authenticator: createProxyAuthenticator({
              defaultProfileTransform: async () => ({ profile: {} }),
              initialize: () => undefined,
              async authenticate({ req }) {
                const user = req.query.user;
                if (typeof user !== 'string') {
                  throw new Error('Say who signs in: ?user=<entity ref>');
                }
                return { result: { user } };
              },
            }),
            signInResolver: async ({ result }, ctx) =>
              ctx.signInWithCatalogUser({ entityRef: result.user }),
          }),
        });
      },
    });
  },
});

/**
 * The plugins and modules of a portal with users and permissions: the auth
 * backend with the `bench` provider, and the permission backend with the
 * post-mortems policy module (as packages/backend adds them).
 */
export function userFeatures() {
  return [
    import('@backstage/plugin-auth-backend'),
    benchSignInModule,
    import('@backstage/plugin-permission-backend'),
    import(
      '@postmortems-oss/backstage-plugin-permission-backend-module-postmortems-policy'
    ),
  ];
}

/** Config for userFeatures: permissions on, the admins, the provider. */
export function userConfig(admins: string[]): JsonObject {
  return {
    // The auth backend needs the app's address (for redirects it never
    // makes here); nothing listens there.
    app: { baseUrl: 'http://127.0.0.1:3000' },
    auth: { providers: { bench: {} } },
    permission: { enabled: true },
    postmortems: { permissions: { admins } },
  };
}

const ref = (kind: string, name: string) =>
  `${kind.toLocaleLowerCase('en-US')}:default/${name}`;

/**
 * Catalog entities: users with the groups they are members of, groups, and
 * components with the group that owns them, each with the relations the
 * catalog would have computed (memberOf, ownedBy), which is what the sign-in
 * resolver and the plugin's "services owned by" lookup read.
 */
export function directory(options: {
  users: Array<{ name: string; groups: string[] }>;
  components: Array<{ name: string; owner: string }>;
}): Entity[] {
  const groups = new Set([
    ...options.users.flatMap(u => u.groups),
    ...options.components.map(c => c.owner),
  ]);
  return [
    ...options.users.map(
      (user): Entity => ({
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'User',
        metadata: { name: user.name, namespace: 'default' },
        spec: { memberOf: user.groups },
        relations: user.groups.map(group => ({
          type: 'memberOf',
          targetRef: ref('group', group),
        })),
      }),
    ),
    ...[...groups].map(
      (group): Entity => ({
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'Group',
        metadata: { name: group, namespace: 'default' },
        spec: { type: 'team', children: [] },
      }),
    ),
    ...options.components.map(
      (component): Entity => ({
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'Component',
        metadata: { name: component.name, namespace: 'default' },
        spec: {
          type: 'service',
          lifecycle: 'production',
          owner: ref('group', component.owner),
        },
        relations: [
          { type: 'ownedBy', targetRef: ref('group', component.owner) },
        ],
      }),
    ),
  ];
}

/**
 * Signs a catalog user in through the auth backend, as the frontend does
 * when it refreshes its session, and returns the Backstage token it got.
 */
export async function signIn(origin: string, userRef: string): Promise<string> {
  const response = await fetch(
    `${origin}/api/auth/bench/refresh?user=${encodeURIComponent(userRef)}`,
    { headers: { 'X-Requested-With': 'XMLHttpRequest' } },
  );
  const body = await response.text();
  if (!response.ok) {
    throw new Error(
      `Signing ${userRef} in answered ${response.status}: ${body.slice(
        0,
        300,
      )}`,
    );
  }
  const token = JSON.parse(body)?.backstageIdentity?.token;
  if (typeof token !== 'string') {
    throw new Error(
      `Signing ${userRef} in gave no token: ${body.slice(0, 300)}`,
    );
  }
  return token;
}
