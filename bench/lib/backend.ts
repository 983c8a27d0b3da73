/*
 * Starts the real post-mortems backend plugin for a benchmark.
 *
 * What is real: a Backstage backend made by backend-defaults' createBackend,
 * so the plugin (routes, validation, services, stores, migrations), the auth
 * service, the HTTP auth service and the HTTP router are the production ones:
 * every request passes the credentials barrier and its token is verified
 * against the static external-access token configured below, as a script
 * calling the API in production would. The permissions service is the real
 * one in its default mode (`permission.enabled` unset: everything is allowed
 * without asking a permission backend) unless a benchmark passes options
 * that add the permission backend and a policy (see BenchBackendOptions).
 * The database is the PostgreSQL database the benchmark created.
 *
 * What is not: the catalog is an in-memory mock, the logger is silent and the
 * scheduler is the test one (it runs each task once at startup, so the
 * reminder and generation workers never run during a measurement).
 *
 * Why not startTestBackend: its server always listens on every interface;
 * this one listens on 127.0.0.1 only, on a free port, behind the production
 * root router's middleware.
 */
import { randomBytes } from 'node:crypto';
import { Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { Knex } from 'knex';
import {
  BackendFeature,
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import { JsonObject } from '@backstage/types';
import { mockServices } from '@backstage/backend-test-utils';
import { createBackend } from '@backstage/backend-defaults';
import { HostDiscovery } from '@backstage/backend-defaults/discovery';
import { rootHttpRouterServiceFactory } from '@backstage/backend-defaults/rootHttpRouter';
import { ConfigReader } from '@backstage/config';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import postmortemsPlugin from '@postmortems-oss/backstage-plugin-postmortems-backend';

export interface BenchBackend {
  /** e.g. http://127.0.0.1:41234 */
  origin: string;
  /** `${origin}/api/postmortems` */
  pluginUrl: string;
  /** The static external-access token every request must carry. */
  token: string;
  /** Headers for an authenticated request. */
  headers: Record<string, string>;
  stop(): Promise<void>;
}

/**
 * Optional additions, for benchmarks that need more of a portal than the
 * plugin alone (the permission backend and a policy, the auth backend that
 * signs users in, the signals backend). Without them the backend is the one
 * described above.
 */
export interface BenchBackendOptions {
  /** More plugins and modules, added after the post-mortems plugin. */
  features?: Array<BackendFeature | Promise<{ default: BackendFeature }>>;
  /** Top-level config keys other than `backend`, e.g. `permission`. */
  config?: JsonObject;
  /** The in-memory catalog's entities (none by default). */
  catalogEntities?: Entity[];
  /**
   * The database of each plugin other than post-mortems. Given, the
   * post-mortems plugin alone uses `knex`, so that what is counted on it is
   * the plugin's own SQL and not, say, the auth backend's user info. By
   * default every plugin shares `knex`.
   */
  otherPluginsDatabase?: (pluginId: string) => Promise<Knex>;
}

export async function startBenchBackend(
  knex: Knex,
  options: BenchBackendOptions = {},
): Promise<BenchBackend> {
  // A fresh random token per run: nothing guessable is ever listening.
  const token = randomBytes(24).toString('base64url');
  let server: Server | undefined;
  const port = () => (server!.address() as AddressInfo).port;

  // The production root router (helmet, CORS, compression, request logging,
  // health, 404 and error middleware), told to listen on the loopback
  // interface and a free port; it hands over its server so that discovery
  // can name the port.
  const rootHttpRouterFactory = rootHttpRouterServiceFactory({
    configure(context) {
      server = context.server;
      context.applyDefaults();
    },
  });
  // Discovery must name the port the server got, so it waits for the router.
  const discoveryFactory = createServiceFactory({
    service: coreServices.discovery,
    deps: { rootHttpRouter: coreServices.rootHttpRouter },
    async factory() {
      return HostDiscovery.fromConfig(
        new ConfigReader({
          backend: {
            baseUrl: `http://127.0.0.1:${port()}`,
            listen: { port: port() },
          },
        }),
      );
    },
  });

  const { otherPluginsDatabase } = options;
  const databaseFactory = otherPluginsDatabase
    ? createServiceFactory({
        service: coreServices.database,
        deps: { plugin: coreServices.pluginMetadata },
        async factory({ plugin }) {
          const id = plugin.getId();
          return {
            getClient: async () =>
              id === 'postmortems' ? knex : otherPluginsDatabase(id),
          };
        },
      })
    : mockServices.database.factory({ knex });

  const backend = createBackend();
  for (const feature of [
    postmortemsPlugin,
    rootHttpRouterFactory,
    discoveryFactory,
    databaseFactory,
    mockServices.rootLogger.factory({ level: 'none' }),
    mockServices.scheduler.factory(),
    catalogServiceMock.factory({ entities: options.catalogEntities ?? [] }),
    mockServices.rootConfig.factory({
      data: {
        ...options.config,
        backend: {
          baseUrl: 'http://127.0.0.1',
          listen: { host: '127.0.0.1', port: 0 },
          auth: {
            externalAccess: [
              { type: 'static', options: { token, subject: 'benchmark' } },
            ],
          },
        },
      },
    }),
    ...(options.features ?? []),
  ]) {
    backend.add(feature);
  }
  await backend.start();
  const origin = `http://127.0.0.1:${port()}`;
  return {
    origin,
    pluginUrl: `${origin}/api/postmortems`,
    token,
    headers: { Authorization: `Bearer ${token}` },
    stop: () => backend.stop(),
  };
}
