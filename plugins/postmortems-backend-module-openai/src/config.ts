import { Config } from '@backstage/config';
import { OpenAIProvider } from './OpenAIProvider';

/**
 * The provider that `postmortems.openai` describes, or undefined without an
 * API key. The generation deadline and evidence budget are the core's
 * `postmortems.generation` settings, which every model provider honours.
 *
 * @public
 */
export function openAIProviderFromConfig(
  config: Config,
): OpenAIProvider | undefined {
  const openai = config.getOptionalConfig('postmortems.openai');
  const apiKey = openai?.getOptionalString('apiKey');
  if (!openai || !apiKey) return undefined;
  return new OpenAIProvider({
    apiKey,
    model: openai.getOptionalString('model') ?? 'gpt-4o-mini',
    baseUrl: openai.getOptionalString('baseUrl'),
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
