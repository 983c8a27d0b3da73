import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { postmortemsDraftProvidersExtensionPoint } from '@postmortems-oss/backstage-plugin-postmortems-node';
import { openAIProviderFromConfig } from './config';

/**
 * Drafts post-mortems with an OpenAI or OpenAI-compatible model (Azure
 * OpenAI, Ollama, vLLM, llama.cpp, a gateway), configured under
 * `postmortems.openai`. Without an API key it adds nothing and drafts stay
 * deterministic.
 *
 * @public
 */
export const postmortemsModuleOpenAI = createBackendModule({
  pluginId: 'postmortems',
  moduleId: 'openai',
  register(env) {
    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        providers: postmortemsDraftProvidersExtensionPoint,
      },
      async init({ config, logger, providers }) {
        const provider = openAIProviderFromConfig(config, { logger });
        if (!provider) {
          logger.info(
            'postmortems.openai.apiKey is not set: drafts are made by the deterministic drafter',
          );
          return;
        }
        providers.addDraftProvider(provider);
      },
    });
  },
});
