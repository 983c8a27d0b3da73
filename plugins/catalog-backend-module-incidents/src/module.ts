import {
  coreServices,
  createBackendModule,
  readSchedulerServiceTaskScheduleDefinitionFromConfig,
} from '@backstage/backend-plugin-api';
import { catalogProcessingExtensionPoint } from '@backstage/plugin-catalog-node';
import { eventsServiceRef } from '@backstage/plugin-events-node';
import { IncidentEntityProcessor } from './IncidentEntityProcessor';
import { IncidentEntityProvider } from './IncidentEntityProvider';

/**
 * Adds the Incident kind to the catalog: its processor (validation and
 * relations to affected services) and a provider that publishes the
 * post-mortems backend's incidents, fully on a schedule and one by one as the
 * backend announces changes through the events service. Allow the kind in
 * `catalog.rules`.
 *
 * @public
 */
export const catalogModuleIncidents = createBackendModule({
  pluginId: 'catalog',
  moduleId: 'postmortems-incidents',
  register(env) {
    env.registerInit({
      deps: {
        catalog: catalogProcessingExtensionPoint,
        auth: coreServices.auth,
        discovery: coreServices.discovery,
        logger: coreServices.logger,
        config: coreServices.rootConfig,
        scheduler: coreServices.scheduler,
        // The catalog plugin itself depends on the events service, so every
        // backend that runs the catalog has one (`createBackend` installs an
        // in-process default; `@backstage/plugin-events-backend` adds the bus
        // that carries events between replicas).
        events: eventsServiceRef,
      },
      async init({
        catalog,
        auth,
        discovery,
        logger,
        config,
        scheduler,
        events,
      }) {
        const key = 'catalog.providers.postmortemsIncidents.schedule';
        const schedule = config.has(key)
          ? readSchedulerServiceTaskScheduleDefinitionFromConfig(
              config.getConfig(key),
            )
          : {
              frequency: { minutes: 5 },
              timeout: { minutes: 5 },
              initialDelay: { seconds: 15 },
            };
        catalog.addProcessor(new IncidentEntityProcessor());
        catalog.addEntityProvider(
          new IncidentEntityProvider({
            auth,
            discovery,
            logger,
            schedule: scheduler.createScheduledTaskRunner(schedule),
            events,
          }),
        );
      },
    });
  },
});
