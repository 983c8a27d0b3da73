/**
 * The post-mortems backend plugin for Backstage.
 *
 * @packageDocumentation
 */
export { postmortemsPlugin as default } from './plugin';
export {
  postmortemConditions,
  createPostmortemConditionalDecision,
  postmortemResourceRef,
} from './permissions/rules';
export type { PostmortemResource } from './permissions/rules';
