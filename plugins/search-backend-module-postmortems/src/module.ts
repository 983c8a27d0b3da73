import {
  coreServices,
  createBackendModule,
  readSchedulerServiceTaskScheduleDefinitionFromConfig,
} from '@backstage/backend-plugin-api';
import { searchIndexRegistryExtensionPoint } from '@backstage/plugin-search-backend-node/alpha';
import { postmortemReadPermission } from '@postmortems-oss/backstage-plugin-postmortems-common';
import { PostmortemCollatorFactory } from './PostmortemCollatorFactory';

/**
 * Indexes published post-mortems in Backstage Search, on the schedule under
 * `search.collators.postmortems.schedule` (every 10 minutes by default).
 *
 * @public
 */
export const searchModulePostmortemsCollator = createBackendModule({
  pluginId: 'search',
  moduleId: 'postmortems-collator',
  register(env) {
    env.registerInit({
      deps: {
        auth: coreServices.auth,
        discovery: coreServices.discovery,
        config: coreServices.rootConfig,
        scheduler: coreServices.scheduler,
        indexRegistry: searchIndexRegistryExtensionPoint,
      },
      async init({ auth, discovery, config, scheduler, indexRegistry }) {
        const schedule = config.has('search.collators.postmortems.schedule')
          ? readSchedulerServiceTaskScheduleDefinitionFromConfig(
              config.getConfig('search.collators.postmortems.schedule'),
            )
          : {
              frequency: { minutes: 10 },
              timeout: { minutes: 15 },
              initialDelay: { seconds: 10 },
            };
        indexRegistry.addCollator({
          schedule: scheduler.createScheduledTaskRunner(schedule),
          // Results are checked against postmortem.read for the searching
          // user, per document (its incident id), so a policy that narrows
          // who reads a post-mortem narrows who finds it too.
          factory: new PostmortemCollatorFactory({
            auth,
            discovery,
            visibilityPermission: postmortemReadPermission,
          }),
        });
      },
    });
  },
});
