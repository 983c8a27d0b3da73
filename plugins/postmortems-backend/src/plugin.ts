import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { notificationService } from '@backstage/plugin-notifications-node';
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
        scheduler: coreServices.scheduler,
        lifecycle: coreServices.lifecycle,
        catalog: catalogServiceRef,
        notifications: notificationService,
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
        scheduler,
        lifecycle,
        catalog,
        notifications,
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

        const services = createServices({
          db,
          permissions,
          logger,
          config,
          catalog,
          auth,
          notifyDraftReady: async incident => {
            if (!incident.commander) return;
            await notifications.send({
              recipients: { type: 'entity', entityRef: incident.commander },
              payload: {
                title: `Post-mortem draft ready for ${incident.reference}`,
                description: `A draft post-mortem of "${incident.title}" is waiting for your review.`,
                link: `/postmortems/incidents/${incident.reference}`,
                severity: 'normal',
                topic: 'postmortems',
              },
            });
          },
        });
        await services.templates.seedBuiltins();
        if (config.getOptionalBoolean('postmortems.demoData')) {
          await loadDemoData(db, services.incidents, logger);
        }

        lifecycle.addShutdownHook(() => services.generation.stop());

        // Every replica drains the job queue; claims in the database make
        // sure each job runs once. This also resumes jobs after a restart.
        await scheduler.scheduleTask({
          id: 'postmortems-generation-worker',
          frequency: { seconds: 15 },
          timeout: { minutes: 15 },
          scope: 'local',
          fn: () => services.generation.drain(),
        });

        httpRouter.use(
          await createRouter({
            logger,
            httpAuth,
            ...services,
            syncWaitMs:
              (config.getOptionalNumber(
                'postmortems.generation.syncWaitSeconds',
              ) ?? 120) * 1000,
          }),
        );
        httpRouter.addAuthPolicy({ path: '/health', allow: 'unauthenticated' });
      },
    });
  },
});
