import { createBackendModule } from '@backstage/backend-plugin-api';
import { postmortemsExportsExtensionPoint } from '@postmortems-oss/backstage-plugin-postmortems-node';
import { ConfluenceTarget } from './ConfluenceTarget';

/**
 * Exports post-mortems to Confluence Cloud pages: every
 * `postmortems.exports.<id>` entry with `type: confluence` becomes an export
 * target that keeps one page per post-mortem.
 *
 * @public
 */
export const postmortemsModuleConfluence = createBackendModule({
  pluginId: 'postmortems',
  moduleId: 'confluence',
  register(env) {
    env.registerInit({
      deps: { exports: postmortemsExportsExtensionPoint },
      async init({ exports }) {
        // Each entry's keys are read when the plugin starts, so a missing
        // credential fails start-up naming its key.
        exports.addPageTargetType('confluence', ({ config, timeoutMs }) => {
          const spaceKey = config.getString('spaceKey');
          return {
            page: new ConfluenceTarget({
              baseUrl: config.getString('baseUrl'),
              spaceKey,
              parentPageId: config.getOptionalString('parentPageId'),
              email: config.getString('email'),
              apiToken: config.getString('apiToken'),
              timeoutMs,
            }),
            defaultTitle: `Confluence (${spaceKey})`,
          };
        });
      },
    });
  },
});
