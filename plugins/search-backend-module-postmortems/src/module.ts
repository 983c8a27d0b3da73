import {
  coreServices,
  createBackendModule,
  readSchedulerServiceTaskScheduleDefinitionFromConfig,
} from '@backstage/backend-plugin-api';
import { searchIndexRegistryExtensionPoint } from '@backstage/plugin-search-backend-node/alpha';
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
          // No visibility permission: only published post-mortems are
          // indexed, and those are readable by every signed-in user. The
          // only post-mortem read permission, postmortem.draft.read, is for
          // drafts, and using it here would hide published post-mortems from
          // everyone the policy does not allow drafts. The documents already
          // carry their incident id as the resource to authorize.
          factory: new PostmortemCollatorFactory({ auth, discovery }),
        });
      },
    });
  },
});
