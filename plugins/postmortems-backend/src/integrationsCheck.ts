import { LoggerService } from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import { modulePackageOf } from './integrationTypes';
import { Integrations } from './services/createServices';

/**
 * Integrations that moved out of the core plugin into backend modules: a
 * portal upgraded without adding the module keeps its config, and would
 * otherwise lose the integration without a word. Export and tracker types
 * fail start-up instead (an export to nowhere is worse than no start).
 */
export function warnAboutMissingModules(
  config: Config,
  integrations: Integrations,
  logger: LoggerService,
): string[] {
  const missing: string[] = [];
  if (
    config.has('postmortems.openai.apiKey') &&
    !integrations.draftProviders.some(p => p.kind === 'openai')
  ) {
    missing.push(
      `postmortems.openai is configured but ${modulePackageOf(
        'openai',
      )} is not installed: drafts are deterministic`,
    );
  }
  if (
    config.has('postmortems.slack.botToken') &&
    !integrations.chatSources.some(c => c.provider === 'slack')
  ) {
    missing.push(
      `postmortems.slack is configured but ${modulePackageOf(
        'slack',
      )} is not installed: Slack threads are not read`,
    );
  }
  if (
    config.has('postmortems.regen.baseUrl') &&
    !integrations.incidentUpstream
  ) {
    missing.push(
      `postmortems.regen is configured but ${modulePackageOf(
        'regen',
      )} is not installed: incidents are not copied from Regen`,
    );
  }
  for (const message of missing) {
    logger.warn(`${message}; add it with backend.add(import('<module>'))`);
  }
  return missing;
}
