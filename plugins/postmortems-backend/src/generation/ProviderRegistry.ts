import { ServiceUnavailableError } from '@backstage/errors';
import { ProviderKind } from '@postmortems-oss/backstage-plugin-postmortems-common';
import { DraftProvider } from '@postmortems-oss/backstage-plugin-postmortems-node';
import { DeterministicProvider } from './providers/DeterministicProvider';

/** 503 `ai_not_configured`: a model was asked for and none is configured. */
export class ModelNotConfiguredError extends ServiceUnavailableError {
  readonly code = 'ai_not_configured';
  constructor(kind: ProviderKind) {
    super(
      `No "${kind}" model provider is configured (add its backend module, e.g. postmortems-backend-module-openai, and set postmortems.openai.apiKey); ask for provider "deterministic" or configure one`,
    );
  }
}

/**
 * The draft providers this installation has: always the deterministic one,
 * and whatever models backend modules added (an OpenAI-compatible one when
 * the OpenAI module is installed and has an API key).
 */
export class ProviderRegistry {
  private readonly deterministic = new DeterministicProvider();
  private readonly models: DraftProvider[];

  constructor(models: DraftProvider[] = []) {
    this.models = models.filter(p => p.kind !== 'deterministic');
  }

  /** The provider to use: the one asked for, else a model when configured. */
  get(kind?: ProviderKind): DraftProvider {
    if (kind === 'deterministic') return this.deterministic;
    if (kind) {
      const model = this.models.find(p => p.kind === kind);
      if (!model) throw new ModelNotConfiguredError(kind);
      return model;
    }
    return this.models[0] ?? this.deterministic;
  }
}
