import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { postmortemsChatSourcesExtensionPoint } from '@postmortems-oss/backstage-plugin-postmortems-node';
import { SlackThreadSource } from './SlackThreadSource';

/**
 * Reads an incident's Slack thread (`chat: { provider: slack, channel_id,
 * thread_ts }`) when its draft is generated, so the conversation becomes
 * evidence. Without `postmortems.slack.botToken` it adds nothing.
 *
 * @public
 */
export const postmortemsModuleSlack = createBackendModule({
  pluginId: 'postmortems',
  moduleId: 'slack',
  register(env) {
    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        chatSources: postmortemsChatSourcesExtensionPoint,
      },
      async init({ config, logger, chatSources }) {
        const botToken = config.getOptionalString('postmortems.slack.botToken');
        if (!botToken) {
          logger.info(
            'postmortems.slack.botToken is not set: Slack threads are not read',
          );
          return;
        }
        chatSources.addChatThreadSource(
          new SlackThreadSource(
            {
              botToken,
              apiUrl: config.getOptionalString('postmortems.slack.apiUrl'),
            },
            logger,
          ),
        );
      },
    });
  },
});
