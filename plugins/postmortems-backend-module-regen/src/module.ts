import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { postmortemsIncidentUpstreamExtensionPoint } from '@postmortems-oss/backstage-plugin-postmortems-node';
import { regenUpstreamFromConfig } from './config';

/**
 * Fluidify Regen as the home of incidents, when `postmortems.regen.baseUrl`
 * is set: its incidents, timelines and alerts are copied in on a schedule,
 * on demand and before a draft, and writes to them go to Regen first. Their
 * commanders become the catalog users Regen's users are.
 *
 * @public
 */
export const postmortemsModuleRegen = createBackendModule({
  pluginId: 'postmortems',
  moduleId: 'regen',
  register(env) {
    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        auth: coreServices.auth,
        catalog: catalogServiceRef,
        upstream: postmortemsIncidentUpstreamExtensionPoint,
      },
      async init({ config, logger, auth, catalog, upstream }) {
        if (!config.has('postmortems.regen.baseUrl')) {
          logger.info(
            'postmortems.regen.baseUrl is not set: incidents live in the post-mortems plugin',
          );
          return;
        }
        upstream.setIncidentUpstream(mirror =>
          regenUpstreamFromConfig(config, mirror, { catalog, auth }),
        );
      },
    });
  },
});
