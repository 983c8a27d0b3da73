import { Config } from '@backstage/config';
import { LoggerService } from '@backstage/backend-plugin-api';
import { OpenAIProvider, OpenAIProviderOptions } from './OpenAIProvider';

/**
 * The provider that `postmortems.openai` describes, or undefined without an
 * API key. The generation deadline and evidence budget are the core's
 * `postmortems.generation` settings, which every model provider honours.
 *
 * @public
 */
export function openAIProviderFromConfig(
  config: Config,
  options: { logger?: LoggerService } = {},
): OpenAIProvider | undefined {
  const openai = config.getOptionalConfig('postmortems.openai');
  const apiKey = openai?.getOptionalString('apiKey');
  if (!openai || !apiKey) return undefined;
  const azure = readAzure(openai.getOptionalConfig('azure'));
  return new OpenAIProvider({
    apiKey,
    model:
      openai.getOptionalString('model') ?? azure?.deployment ?? 'gpt-4o-mini',
    baseUrl: openai.getOptionalString('baseUrl'),
    azure,
    outputMode: readOutputMode(openai.getOptionalString('outputMode')),
    logger: options.logger,
    timeoutMs: (openai.getOptionalNumber('timeoutSeconds') ?? 60) * 1000,
    maxRetries: openai.getOptionalNumber('maxRetries') ?? 3,
    maxOutputTokens: openai.getOptionalNumber('maxOutputTokens') ?? 4_000,
    strategy: readStrategy(openai.getOptionalString('strategy')),
    parallelism: openai.getOptionalNumber('parallelism'),
    deadlineMs:
      (config.getOptionalNumber('postmortems.generation.deadlineSeconds') ??
        180) * 1000,
    evidenceBudgetTokens:
      config.getOptionalNumber('postmortems.generation.evidenceBudgetTokens') ??
      12_000,
  });
}

function readStrategy(value: string | undefined): 'document' | 'sections' {
  if (value === undefined || value === 'document' || value === 'sections') {
    return value ?? 'document';
  }
  throw new Error(
    `postmortems.openai.strategy must be "document" or "sections", not "${value}"`,
  );
}

const OUTPUT_MODES = ['auto', 'json_schema', 'json_object', 'markdown'];

function readOutputMode(
  value: string | undefined,
): OpenAIProviderOptions['outputMode'] {
  if (value === undefined) return 'auto';
  if (OUTPUT_MODES.includes(value)) {
    return value as OpenAIProviderOptions['outputMode'];
  }
  throw new Error(
    `postmortems.openai.outputMode must be one of ${OUTPUT_MODES.join(
      ', ',
    )}, not "${value}"`,
  );
}

function readAzure(azure: Config | undefined): OpenAIProviderOptions['azure'] {
  if (!azure) return undefined;
  return {
    endpoint: azure.getString('endpoint'),
    deployment: azure.getString('deployment'),
    apiVersion: azure.getOptionalString('apiVersion') ?? '2024-10-21',
  };
}
