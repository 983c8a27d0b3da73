import {
  createBackendModule,
  coreServices,
} from '@backstage/backend-plugin-api';
import {
  AuthorizeResult,
  isPermission,
  isResourcePermission,
  PolicyDecision,
} from '@backstage/plugin-permission-common';
import {
  PermissionPolicy,
  PolicyQuery,
  PolicyQueryUser,
} from '@backstage/plugin-permission-node';
import { policyExtensionPoint } from '@backstage/plugin-permission-node/alpha';
import {
  POSTMORTEM_RESOURCE_TYPE,
  postmortemReadPermission,
  templateManagePermission,
} from '@postmortems-oss/backstage-plugin-postmortems-common';
import {
  createPostmortemConditionalDecision,
  postmortemConditions,
} from '@postmortems-oss/backstage-plugin-postmortems-backend';

/**
 * The portal's permission policy.
 *
 * - Admins (the refs under `postmortems.permissions.admins`, users or groups)
 *   may do everything.
 * - Draft post-mortems: read, edit, publish and action items are for the
 *   incident's commander, the post-mortem's authors and the owners of the
 *   services the incident affected. Published ones are readable by everyone.
 * - Templates are managed by admins only.
 * - Everything else (catalog, search, creating incidents) is allowed.
 */
export class PostmortemsPermissionPolicy implements PermissionPolicy {
  constructor(private readonly admins: string[]) {}

  async handle(
    request: PolicyQuery,
    user?: PolicyQueryUser,
  ): Promise<PolicyDecision> {
    const claims = user?.info.ownershipEntityRefs ?? [];
    const userRef = user?.info.userEntityRef;
    const isAdmin =
      (userRef !== undefined && this.admins.includes(userRef)) ||
      claims.some(ref => this.admins.includes(ref));
    if (isAdmin) {
      return { result: AuthorizeResult.ALLOW };
    }

    // Published post-mortems (and their search results) are for everyone.
    if (isPermission(request.permission, postmortemReadPermission)) {
      return { result: AuthorizeResult.ALLOW };
    }
    if (isResourcePermission(request.permission, POSTMORTEM_RESOURCE_TYPE)) {
      if (!userRef) {
        return { result: AuthorizeResult.DENY };
      }
      return createPostmortemConditionalDecision(request.permission, {
        anyOf: [
          postmortemConditions.isIncidentCommander({ userRef }),
          postmortemConditions.isPostmortemAuthor({ userRef }),
          postmortemConditions.isAffectedServiceOwner({ claims }),
        ],
      });
    }
    if (isPermission(request.permission, templateManagePermission)) {
      return { result: AuthorizeResult.DENY };
    }
    return { result: AuthorizeResult.ALLOW };
  }
}

export default createBackendModule({
  pluginId: 'permission',
  moduleId: 'postmortems-policy',
  register(reg) {
    reg.registerInit({
      deps: { policy: policyExtensionPoint, config: coreServices.rootConfig },
      async init({ policy, config }) {
        policy.setPolicy(
          new PostmortemsPermissionPolicy(
            config.getOptionalStringArray('postmortems.permissions.admins') ??
              [],
          ),
        );
      },
    });
  },
});
