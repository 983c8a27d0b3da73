import { createBackendModule } from '@backstage/backend-plugin-api';
import { postmortemsTrackersExtensionPoint } from '@postmortems-oss/backstage-plugin-postmortems-node';
import { JiraTracker } from './JiraTracker';

/** `cloud` (the default) or `datacenter`; anything else fails start-up naming the key. */
function readFlavour(
  id: string,
  config: { getOptionalString(key: string): string | undefined },
): 'cloud' | 'datacenter' {
  const flavour = config.getOptionalString('flavour') ?? 'cloud';
  if (flavour !== 'cloud' && flavour !== 'datacenter') {
    throw new Error(
      `Invalid config at postmortems.trackers.${id}.flavour: '${flavour}' is not cloud or datacenter`,
    );
  }
  return flavour;
}

/**
 * Opens Jira issues (Cloud or Data Center/Server) for action items and keeps
 * their status in step: every `postmortems.trackers.<id>` entry with
 * `type: jira` is one project.
 *
 * @public
 */
export const postmortemsModuleJira = createBackendModule({
  pluginId: 'postmortems',
  moduleId: 'jira',
  register(env) {
    env.registerInit({
      deps: { trackers: postmortemsTrackersExtensionPoint },
      async init({ trackers }) {
        // Each entry's keys are read when the plugin starts, so a missing
        // credential fails start-up naming its key.
        trackers.addTrackerType('jira', ({ id, config, timeoutMs }) => {
          const project = {
            baseUrl: config.getString('baseUrl'),
            projectKey: config.getString('projectKey'),
            issueType: config.getOptionalString('issueType'),
            doneStatuses: config.getOptionalStringArray('doneStatuses'),
            webhookSecret: config.getOptionalString('webhookSecret'),
            timeoutMs,
          };
          return new JiraTracker(
            readFlavour(id, config) === 'datacenter'
              ? {
                  ...project,
                  flavour: 'datacenter',
                  personalAccessToken: config.getString('personalAccessToken'),
                }
              : {
                  ...project,
                  email: config.getString('email'),
                  apiToken: config.getString('apiToken'),
                },
          );
        });
      },
    });
  },
});
