/**
 * A backend module that drafts post-mortems with an OpenAI or
 * OpenAI-compatible model.
 *
 * @packageDocumentation
 */
export { postmortemsModuleOpenAI as default } from './module';
export { OpenAIProvider } from './OpenAIProvider';
export type { OpenAIProviderOptions, OutputMode } from './OpenAIProvider';
export { openAIProviderFromConfig } from './config';
