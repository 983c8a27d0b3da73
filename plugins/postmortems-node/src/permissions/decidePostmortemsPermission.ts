import {
  AuthorizeResult,
  isPermission,
  isResourcePermission,
  Permission,
  PolicyDecision,
} from '@backstage/plugin-permission-common';
import {
  PolicyQuery,
  PolicyQueryUser,
} from '@backstage/plugin-permission-node';
import {
  actionItemUpdatePermission,
  incidentWritePermission,
  POSTMORTEM_RESOURCE_TYPE,
  postmortemCreatePermission,
  postmortemPublishPermission,
  postmortemReadDraftPermission,
  postmortemReadPermission,
  postmortemUpdatePermission,
  templateManagePermission,
} from '@postmortems-oss/backstage-plugin-postmortems-common';
import {
  createPostmortemConditionalDecision,
  postmortemConditions,
} from './rules';

/**
 * Options of {@link decidePostmortemsPermission}.
 *
 * @public
 */
export interface PostmortemsPolicyOptions {
  /**
   * User and group refs allowed every post-mortem permission, as
   * {@link readPostmortemsAdmins} returns them from
   * `postmortems.permissions.admins`.
   */
  admins: readonly string[];
}

const ALLOW: PolicyDecision = { result: AuthorizeResult.ALLOW };
const DENY: PolicyDecision = { result: AuthorizeResult.DENY };

/**
 * Whether a permission belongs to Post-Mortems for Backstage: the `postmortem`
 * resource type, or a name in the `postmortem.` namespace (the basic ones,
 * incident writes and template management, have no resource type).
 *
 * @public
 */
export function isPostmortemsPermission(permission: Permission): boolean {
  return (
    permission.name.startsWith('postmortem.') ||
    isResourcePermission(permission, POSTMORTEM_RESOURCE_TYPE)
  );
}

/**
 * The decision of the shipped post-mortems policy for one request, or
 * `undefined` when the permission is not a post-mortem permission (the
 * calling policy decides those itself).
 *
 * - No signed-in user: DENY.
 * - Admins (`postmortems.permissions.admins`, by user ref or by one of the
 *   user's ownership refs, i.e. a group they are in): ALLOW.
 * - `postmortem.read` (published post-mortems and their search results):
 *   ALLOW.
 * - `postmortem.draft.read`, `postmortem.create`, `postmortem.update`,
 *   `postmortem.action-item.update`: the incident's commander, the
 *   post-mortem's authors and the owners of the services the incident
 *   affected (a conditional decision the backend evaluates per incident).
 * - `postmortem.publish`: the commander and the owners of affected services;
 *   having written part of a draft is not enough to make it public.
 * - `postmortem.incident.write`: admins only, because changing an incident's
 *   commander or services changes who may read its draft.
 * - `postmortem.template.manage`: admins only.
 * - Any other post-mortem permission: DENY, so that a permission added in a
 *   later release is closed until this function decides it.
 *
 * @public
 */
export function decidePostmortemsPermission(
  request: PolicyQuery,
  user: PolicyQueryUser | undefined,
  options: PostmortemsPolicyOptions,
): PolicyDecision | undefined {
  const { permission } = request;
  if (!isPostmortemsPermission(permission)) {
    return undefined;
  }
  if (!user) {
    return DENY;
  }
  const userRef = user.info.userEntityRef;
  const claims = user.info.ownershipEntityRefs;
  if (isAdmin([userRef, ...claims], options.admins)) {
    return ALLOW;
  }

  if (isPermission(permission, postmortemReadPermission)) {
    return ALLOW;
  }
  if (
    isPermission(permission, incidentWritePermission) ||
    isPermission(permission, templateManagePermission)
  ) {
    return DENY;
  }
  // The remaining known permissions are decided per incident, which needs a
  // resource permission of our type; anything else named like ours is not.
  if (!isResourcePermission(permission, POSTMORTEM_RESOURCE_TYPE)) {
    return DENY;
  }
  const commander = postmortemConditions.isIncidentCommander({ userRef });
  const author = postmortemConditions.isPostmortemAuthor({ userRef });
  const owner = postmortemConditions.isAffectedServiceOwner({ claims });
  if (
    isPermission(permission, postmortemReadDraftPermission) ||
    isPermission(permission, postmortemCreatePermission) ||
    isPermission(permission, postmortemUpdatePermission) ||
    isPermission(permission, actionItemUpdatePermission)
  ) {
    return createPostmortemConditionalDecision(permission, {
      anyOf: [commander, author, owner],
    });
  }
  if (isPermission(permission, postmortemPublishPermission)) {
    return createPostmortemConditionalDecision(permission, {
      anyOf: [commander, owner],
    });
  }
  return DENY;
}

// Entity refs are case-insensitive; the sign-in resolver decides the case of
// the user's refs and the config author that of the admin list.
function isAdmin(refs: string[], admins: readonly string[]): boolean {
  const wanted = new Set(admins.map(ref => ref.toLocaleLowerCase('en-US')));
  return refs.some(ref => wanted.has(ref.toLocaleLowerCase('en-US')));
}
