import { Config } from '@backstage/config';
import { ServiceUnavailableError } from '@backstage/errors';
import { ProviderKind } from '@postmortems-oss/backstage-plugin-postmortems-common';
import { DeterministicProvider } from './providers/DeterministicProvider';
import { OpenAIProvider } from './providers/OpenAIProvider';
import { DraftProvider } from '@postmortems-oss/backstage-plugin-postmortems-node';

/** 503 `ai_not_configured`: a model was asked for and none is configured. */
export class ModelNotConfiguredError extends ServiceUnavailableError {
  readonly code = 'ai_not_configured';
  constructor() {
    super(
      'No model provider is configured (postmortems.openai.apiKey); ask for provider "deterministic" or configure one',
    );
  }
}

/**
 * The draft providers this installation has: always the deterministic one,
 * and an OpenAI-compatible one when `postmortems.openai.apiKey` is set.
 */
export class ProviderRegistry {
  private readonly deterministic = new DeterministicProvider();

  constructor(private readonly openai?: DraftProvider) {}

  static fromConfig(config: Config): ProviderRegistry {
    const openai = config.getOptionalConfig('postmortems.openai');
    const apiKey = openai?.getOptionalString('apiKey');
    if (!openai || !apiKey) {
      return new ProviderRegistry();
    }
    return new ProviderRegistry(
      new OpenAIProvider({
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
          config.getOptionalNumber(
            'postmortems.generation.evidenceBudgetTokens',
          ) ?? 12_000,
      }),
    );
  }

  /** The provider to use: the one asked for, else a model when configured. */
  get(kind?: ProviderKind): DraftProvider {
    if (kind === 'deterministic') return this.deterministic;
    if (kind === 'openai') {
      if (!this.openai) throw new ModelNotConfiguredError();
      return this.openai;
    }
    return this.openai ?? this.deterministic;
  }
}

function readStrategy(value: string | undefined): 'document' | 'sections' {
  if (value === undefined || value === 'document' || value === 'sections') {
    return value ?? 'document';
  }
  throw new Error(
    `postmortems.openai.strategy must be "document" or "sections", not "${value}"`,
  );
}
