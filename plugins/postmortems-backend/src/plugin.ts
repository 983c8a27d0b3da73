import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { isResourcePermission } from '@backstage/plugin-permission-common';
import { postmortemPermissions } from '@postmortems-oss/backstage-plugin-postmortems-common';
import { applyDatabaseMigrations } from './database/migrations';
import { loadDemoData } from './demo/loadDemoData';
import { PostmortemResourceLoader } from './permissions/PostmortemResourceLoader';
import { postmortemResourceRef, postmortemRules } from './permissions/rules';
import { createRouter } from './router';
import { createServices } from './services/createServices';

/**
 * The post-mortems backend plugin: incidents, post-mortems, templates and
 * action items under `/api/postmortems`.
 *
 * @public
 */
export const postmortemsPlugin = createBackendPlugin({
  pluginId: 'postmortems',
  register(env) {
    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        database: coreServices.database,
        httpRouter: coreServices.httpRouter,
        httpAuth: coreServices.httpAuth,
        auth: coreServices.auth,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
        catalog: catalogServiceRef,
      },
      async init({
        config,
        logger,
        database,
        httpRouter,
        httpAuth,
        auth,
        permissions,
        permissionsRegistry,
        catalog,
      }) {
        const db = await database.getClient();
        if (!database.migrations?.skip) {
          await applyDatabaseMigrations(db);
        }

        const resources = new PostmortemResourceLoader(db, catalog, auth);
        permissionsRegistry.addResourceType({
          resourceRef: postmortemResourceRef,
          permissions: postmortemPermissions.filter(p =>
            isResourcePermission(p),
          ),
          rules: Object.values(postmortemRules),
          getResources: refs => resources.load(refs),
        });
        permissionsRegistry.addPermissions(
          postmortemPermissions.filter(p => !isResourcePermission(p)),
        );

        const services = createServices(db, permissions);
        await services.templates.seedBuiltins();
        if (config.getOptionalBoolean('postmortems.demoData')) {
          await loadDemoData(db, services.incidents, logger);
        }

        httpRouter.use(await createRouter({ logger, httpAuth, ...services }));
        httpRouter.addAuthPolicy({ path: '/health', allow: 'unauthenticated' });
      },
    });
  },
});
