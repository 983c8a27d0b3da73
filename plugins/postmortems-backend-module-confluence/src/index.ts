/**
 * A backend module of Post-Mortems for Backstage that exports post-mortems
 * to Confluence Cloud pages.
 *
 * @packageDocumentation
 */
export { postmortemsModuleConfluence as default } from './module';
export { ConfluenceTarget } from './ConfluenceTarget';
export type { ConfluenceTargetOptions } from './ConfluenceTarget';
