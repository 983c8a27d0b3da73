import {
  AuthorizeResult,
  PolicyDecision,
} from '@backstage/plugin-permission-common';
import {
  PermissionPolicy,
  PolicyQuery,
  PolicyQueryUser,
} from '@backstage/plugin-permission-node';
import {
  decidePostmortemsPermission,
  PostmortemsPolicyOptions,
} from '@postmortems-oss/backstage-plugin-postmortems-node';

/**
 * The policy this module installs: post-mortem permissions as
 * `decidePostmortemsPermission` decides them, every other permission allowed,
 * as Backstage's allow-all policy does, so that it replaces that policy
 * without closing anything else.
 *
 * @public
 */
export class PostmortemsPermissionPolicy implements PermissionPolicy {
  constructor(private readonly options: PostmortemsPolicyOptions) {}

  async handle(
    request: PolicyQuery,
    user?: PolicyQueryUser,
  ): Promise<PolicyDecision> {
    return (
      decidePostmortemsPermission(request, user, this.options) ?? {
        result: AuthorizeResult.ALLOW,
      }
    );
  }
}
