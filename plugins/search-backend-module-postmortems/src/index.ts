/**
 * A Backstage Search module that indexes published post-mortems.
 *
 * @packageDocumentation
 */
export { searchModulePostmortemsCollator as default } from './module';
export {
  PostmortemCollatorFactory,
  toDocument,
} from './PostmortemCollatorFactory';
export type { PostmortemDocument } from './PostmortemCollatorFactory';
