import { createBackendModule } from '@backstage/backend-plugin-api';
import { postmortemsExportsExtensionPoint } from '@postmortems-oss/backstage-plugin-postmortems-node';
import { ConfluenceTarget } from './ConfluenceTarget';

/** `cloud` (the default) or `datacenter`; anything else fails start-up naming the key. */
function readFlavour(config: {
  getOptionalString(key: string): string | undefined;
}): 'cloud' | 'datacenter' {
  const flavour = config.getOptionalString('flavour') ?? 'cloud';
  if (flavour !== 'cloud' && flavour !== 'datacenter') {
    throw new Error(
      `Invalid config at flavour: '${flavour}' is not cloud or datacenter`,
    );
  }
  return flavour;
}

/**
 * Exports post-mortems to Confluence pages (Cloud or Data Center): every
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
          const place = {
            baseUrl: config.getString('baseUrl'),
            spaceKey,
            parentPageId: config.getOptionalString('parentPageId'),
            timeoutMs,
          };
          const flavour = readFlavour(config);
          return {
            page: new ConfluenceTarget(
              flavour === 'datacenter'
                ? {
                    ...place,
                    flavour,
                    personalAccessToken: config.getString(
                      'personalAccessToken',
                    ),
                  }
                : {
                    ...place,
                    email: config.getString('email'),
                    apiToken: config.getString('apiToken'),
                  },
            ),
            defaultTitle: `Confluence (${spaceKey})`,
          };
        });
      },
    });
  },
});
