import { createBackendModule } from '@backstage/backend-plugin-api';
import { postmortemsTrackersExtensionPoint } from '@postmortems-oss/backstage-plugin-postmortems-node';
import { JiraTracker } from './JiraTracker';

/**
 * Opens Jira Cloud issues for action items and keeps their status in step:
 * every `postmortems.trackers.<id>` entry with `type: jira` is one project.
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
        trackers.addTrackerType(
          'jira',
          ({ config, timeoutMs }) =>
            new JiraTracker({
              baseUrl: config.getString('baseUrl'),
              projectKey: config.getString('projectKey'),
              email: config.getString('email'),
              apiToken: config.getString('apiToken'),
              issueType: config.getOptionalString('issueType'),
              doneStatuses: config.getOptionalStringArray('doneStatuses'),
              webhookSecret: config.getOptionalString('webhookSecret'),
              timeoutMs,
            }),
        );
      },
    });
  },
});
