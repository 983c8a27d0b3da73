import {
  BackendPluginRegistrationPoints,
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { eventsServiceRef } from '@backstage/plugin-events-node';
import { signalsServiceRef } from '@backstage/plugin-signals-node';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { notificationService } from '@backstage/plugin-notifications-node';
import { isResourcePermission } from '@backstage/plugin-permission-common';
import {
  INCIDENT_EVENTS_TOPIC,
  IncidentEventPayload,
  postmortemPermissions,
} from '@postmortems-oss/backstage-plugin-postmortems-common';
import { applyDatabaseMigrations } from './database/migrations';
import { loadDemoData } from './demo/loadDemoData';
import { PostmortemResourceLoader } from './permissions/PostmortemResourceLoader';
import { postmortemResourceRef, postmortemRules } from './permissions/rules';
import { warnAboutOpenPermissions } from './permissions/warnAboutOpenPermissions';
import { createRouter } from './router';
import { scheduleTasks } from './schedules';
import { warnAboutMissingModules } from './integrationsCheck';
import { createServices, Integrations } from './services/createServices';
import {
  postmortemsChatSourcesExtensionPoint,
  postmortemsDraftProvidersExtensionPoint,
  postmortemsExportsExtensionPoint,
  postmortemsIncidentUpstreamExtensionPoint,
  postmortemsTrackersExtensionPoint,
} from '@postmortems-oss/backstage-plugin-postmortems-node';

/**
 * The post-mortems backend plugin: incidents, post-mortems, templates and
 * action items under `/api/postmortems`.
 *
 * @public
 */
export const postmortemsPlugin = createBackendPlugin({
  pluginId: 'postmortems',
  register(env) {
    const integrations = registerExtensionPoints(env);
    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        instanceMetadata: coreServices.rootInstanceMetadata,
        logger: coreServices.logger,
        database: coreServices.database,
        httpRouter: coreServices.httpRouter,
        httpAuth: coreServices.httpAuth,
        auth: coreServices.auth,
        permissions: coreServices.permissions,
        userInfo: coreServices.userInfo,
        permissionsRegistry: coreServices.permissionsRegistry,
        scheduler: coreServices.scheduler,
        lifecycle: coreServices.lifecycle,
        catalog: catalogServiceRef,
        notifications: notificationService,
        events: eventsServiceRef,
        signals: signalsServiceRef,
      },
      async init({
        config,
        instanceMetadata,
        logger,
        database,
        httpRouter,
        httpAuth,
        auth,
        permissions,
        userInfo,
        permissionsRegistry,
        scheduler,
        lifecycle,
        catalog,
        notifications,
        events,
        signals,
      }) {
        await warnAboutOpenPermissions({ config, logger, instanceMetadata });
        warnAboutMissingModules(config, integrations, logger);
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
          userInfo,
          notifications,
          integrations,
          events,
          signals,
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
        await services.live.start();
        await services.templates.seedBuiltins();
        if (config.getOptionalBoolean('postmortems.demoData')) {
          await loadDemoData(db, services, logger);
        }

        lifecycle.addShutdownHook(() => services.generation.stop());
        lifecycle.addShutdownHook(() => services.live.stop());

        // The catalog's Incident provider applies these as delta updates, so
        // an incident page follows a change without waiting for a full sync.
        services.incidents.onChanged(async (incident, change) => {
          await events.publish({
            topic: INCIDENT_EVENTS_TOPIC,
            eventPayload: {
              action: change,
              incident_id: incident.id,
              reference: incident.reference,
            } satisfies IncidentEventPayload,
          });
        });

        await scheduleTasks({ config, scheduler, logger, services });

        httpRouter.use(
          await createRouter({
            logger,
            httpAuth,
            ...services,
            syncWaitMs:
              (config.getOptionalNumber(
                'postmortems.generation.syncWaitSeconds',
              ) ?? 120) * 1000,
            regenDialect: {
              enforcePublishChecks:
                config.getOptionalBoolean(
                  'postmortems.regen.dialect.enforcePublishChecks',
                ) ?? false,
            },
          }),
        );
        httpRouter.addAuthPolicy({ path: '/health', allow: 'unauthenticated' });
        // Regen's browser UI has no Backstage token, only the user cookie a
        // signed-in Backstage session is issued; the dialect accepts it.
        httpRouter.addAuthPolicy({ path: '/regen', allow: 'user-cookie' });
        // Tracker webhooks bring no Backstage token; each delivery is
        // verified against the tracker's webhookSecret instead.
        for (const id of services.trackers.ids()) {
          httpRouter.addAuthPolicy({
            path: `/v1/trackers/${id}/webhook`,
            allow: 'unauthenticated',
          });
        }
      },
    });
  },
});

/**
 * The extension points through which backend modules add integrations
 * (models, chat, export targets, trackers); what they add is read once, when
 * the plugin starts.
 */
function registerExtensionPoints(
  env: BackendPluginRegistrationPoints,
): Integrations {
  const integrations: Integrations = {
    draftProviders: [],
    chatSources: [],
    trackerTypes: new Map(),
    pageTargetTypes: new Map(),
    fileFormats: new Map(),
  };
  const once = <K, V>(map: Map<K, V>, key: K, value: V, what: string) => {
    if (map.has(key)) {
      throw new Error(`Two backend modules add the ${what} "${key}"`);
    }
    map.set(key, value);
  };
  env.registerExtensionPoint(postmortemsDraftProvidersExtensionPoint, {
    addDraftProvider(provider) {
      if (integrations.draftProviders.some(p => p.kind === provider.kind)) {
        throw new Error(
          `Two backend modules add the draft provider "${provider.kind}"`,
        );
      }
      integrations.draftProviders.push(provider);
    },
  });
  env.registerExtensionPoint(postmortemsChatSourcesExtensionPoint, {
    addChatThreadSource(source) {
      if (integrations.chatSources.some(c => c.provider === source.provider)) {
        throw new Error(
          `Two backend modules add the chat source "${source.provider}"`,
        );
      }
      integrations.chatSources.push(source);
    },
  });
  env.registerExtensionPoint(postmortemsExportsExtensionPoint, {
    addPageTargetType(type, factory) {
      once(integrations.pageTargetTypes, type, factory, 'export target type');
    },
    addFileFormat(format) {
      once(integrations.fileFormats, format.type, format, 'export format');
    },
  });
  env.registerExtensionPoint(postmortemsIncidentUpstreamExtensionPoint, {
    setIncidentUpstream(factory) {
      if (integrations.incidentUpstream) {
        throw new Error('Two backend modules set the incident upstream');
      }
      integrations.incidentUpstream = factory;
    },
  });
  env.registerExtensionPoint(postmortemsTrackersExtensionPoint, {
    addTrackerType(type, factory) {
      once(integrations.trackerTypes, type, factory, 'tracker type');
    },
  });
  return integrations;
}
