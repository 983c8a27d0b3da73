// The rules, the resource ref and the condition exports live in the -node
// package, so that a permission policy needs neither this plugin nor its
// dependencies. They are re-exported here for plugin.ts and for policies
// written against earlier releases of this package.
export {
  postmortemResourceRef,
  postmortemRules,
  postmortemConditions,
  createPostmortemConditionalDecision,
} from '@postmortems-oss/backstage-plugin-postmortems-node';
export type {
  PostmortemResource,
  PostmortemQuery,
} from '@postmortems-oss/backstage-plugin-postmortems-node';
