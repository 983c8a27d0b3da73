import { createBackendModule } from '@backstage/backend-plugin-api';
import { postmortemsExportsExtensionPoint } from '@postmortems-oss/backstage-plugin-postmortems-node';
import { NotionTarget } from './NotionTarget';

/**
 * Exports post-mortems to Notion pages: every `postmortems.exports.<id>`
 * entry with `type: notion` becomes an export target that keeps one page per
 * post-mortem under its parent page.
 *
 * @public
 */
export const postmortemsModuleNotion = createBackendModule({
  pluginId: 'postmortems',
  moduleId: 'notion',
  register(env) {
    env.registerInit({
      deps: { exports: postmortemsExportsExtensionPoint },
      async init({ exports }) {
        // Each entry's keys are read when the plugin starts, so a missing
        // token fails start-up naming its key.
        exports.addPageTargetType('notion', ({ config, timeoutMs }) => ({
          page: new NotionTarget({
            token: config.getString('token'),
            parentPageId: config.getString('parentPageId'),
            baseUrl: config.getOptionalString('baseUrl'),
            timeoutMs,
          }),
          defaultTitle: 'Notion',
        }));
      },
    });
  },
});
