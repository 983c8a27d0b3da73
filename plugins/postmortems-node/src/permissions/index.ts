export {
  postmortemResourceRef,
  postmortemRules,
  postmortemConditions,
  createPostmortemConditionalDecision,
  transformPostmortemConditions,
} from './rules';
export type { PostmortemResource, PostmortemQuery } from './rules';
export {
  decidePostmortemsPermission,
  isPostmortemsPermission,
} from './decidePostmortemsPermission';
export type { PostmortemsPolicyOptions } from './decidePostmortemsPermission';
export { readPostmortemsAdmins, normalizeAdminRef } from './admins';
export {
  POSTMORTEM_RESOURCE_TYPE,
  postmortemPermissions,
} from '@postmortems-oss/backstage-plugin-postmortems-common';
