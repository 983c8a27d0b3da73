import { BackendFeature } from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import { startTestPostmortemsBackend } from '@internal/postmortems-test-utils';
import openAIModule from '@postmortems-oss/backstage-plugin-postmortems-backend-module-openai';
import { Knex } from 'knex';
import { postmortemsPlugin } from '../plugin';

export { ALICE, MALLORY, as } from '@internal/postmortems-test-utils';

/**
 * Starts the real plugin on a test backend. The OpenAI module is installed,
 * as in a portal that drafts with a model; it adds a provider only when the
 * test's config has `postmortems.openai.apiKey`, so tests without it see the
 * core alone.
 */
export function startPostmortemsBackend(
  knex: Knex,
  options: {
    config?: object;
    entities?: Entity[];
    services?: BackendFeature[];
  } = {},
) {
  return startTestPostmortemsBackend(
    [postmortemsPlugin, openAIModule],
    knex,
    options,
  );
}
