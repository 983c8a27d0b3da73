import {
  coreServices,
  createBackendModule,
  readSchedulerServiceTaskScheduleDefinitionFromConfig,
} from '@backstage/backend-plugin-api';
import { catalogProcessingExtensionPoint } from '@backstage/plugin-catalog-node';
import { IncidentEntityProcessor } from './IncidentEntityProcessor';
import { IncidentEntityProvider } from './IncidentEntityProvider';

/**
 * Adds the Incident kind to the catalog: its processor (validation and
 * relations to affected services) and a provider that publishes the
 * post-mortems backend's incidents. Allow the kind in `catalog.rules`.
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
      },
      async init({ catalog, auth, discovery, logger, config, scheduler }) {
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
          }),
        );
      },
    });
  },
});
