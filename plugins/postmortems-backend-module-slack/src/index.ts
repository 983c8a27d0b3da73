/**
 * A backend module that reads incidents' Slack threads as post-mortem
 * evidence.
 *
 * @packageDocumentation
 */
export { postmortemsModuleSlack as default } from './module';
export { SlackThreadSource } from './SlackThreadSource';
export type { SlackThreadSourceOptions } from './SlackThreadSource';
