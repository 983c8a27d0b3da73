/**
 * A backend module of Post-Mortems for Backstage that exports post-mortems
 * to Notion pages.
 *
 * @packageDocumentation
 */
export { postmortemsModuleNotion as default } from './module';
export { NotionTarget } from './NotionTarget';
export type { NotionTargetOptions } from './NotionTarget';
