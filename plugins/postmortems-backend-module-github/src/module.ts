import { createBackendModule } from '@backstage/backend-plugin-api';
import { postmortemsTrackersExtensionPoint } from '@postmortems-oss/backstage-plugin-postmortems-node';
import { GitHubTracker } from './GitHubTracker';

/**
 * Opens GitHub issues for action items and keeps their state in step: every
 * `postmortems.trackers.<id>` entry with `type: github` is one repository.
 *
 * @public
 */
export const postmortemsModuleGitHub = createBackendModule({
  pluginId: 'postmortems',
  moduleId: 'github',
  register(env) {
    env.registerInit({
      deps: { trackers: postmortemsTrackersExtensionPoint },
      async init({ trackers }) {
        // Each entry's keys are read when the plugin starts, so a missing
        // token fails start-up naming its key.
        trackers.addTrackerType(
          'github',
          ({ config, timeoutMs }) =>
            new GitHubTracker({
              owner: config.getString('owner'),
              repo: config.getString('repo'),
              token: config.getString('token'),
              baseUrl: config.getOptionalString('baseUrl'),
              webhookSecret: config.getOptionalString('webhookSecret'),
              timeoutMs,
            }),
        );
      },
    });
  },
});
