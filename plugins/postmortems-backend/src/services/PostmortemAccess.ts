import {
  BackstageCredentials,
  BackstageUserPrincipal,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { NotAllowedError } from '@backstage/errors';
import {
  AuthorizeResult,
  BasicPermission,
  PermissionCriteria,
  QueryPermissionResponse,
  ResourcePermission,
} from '@backstage/plugin-permission-common';
import {
  POSTMORTEM_RESOURCE_TYPE,
  POSTMORTEMS_PLUGIN_ID,
  postmortemReadDraftPermission,
  postmortemReadPermission,
} from '@postmortems-oss/backstage-plugin-postmortems-common';
import {
  PostmortemQuery,
  transformPostmortemConditions,
} from '@postmortems-oss/backstage-plugin-postmortems-node';
import {
  PostmortemRowCondition,
  PostmortemRowCriteria,
  ReadableScope,
} from '../database/readableScope';

/**
 * The services (entity refs) owned by any of the given ownership claims, as
 * the catalog knows them now.
 */
export type OwnedServicesLookup = (claims: string[]) => Promise<string[]>;

/**
 * Asks the permission framework before anything is read or changed. Post-mortem
 * permissions are resource permissions keyed by incident id, so a policy can
 * decide per incident (commander, authors, owners of affected services).
 */
export class PostmortemAccess {
  constructor(
    private readonly permissions: PermissionsService,
    private readonly ownedServices: OwnedServicesLookup = async () => [],
  ) {}

  /** Throws 403 unless the caller has the permission (for the incident, if given). */
  async require(
    permission:
      | BasicPermission
      | ResourcePermission<typeof POSTMORTEM_RESOURCE_TYPE>,
    credentials: BackstageCredentials,
    incidentId?: string,
  ): Promise<void> {
    const [decision] =
      permission.type === 'resource'
        ? await this.permissions.authorize(
            [{ permission, resourceRef: incidentId! }],
            { credentials },
          )
        : await this.permissions.authorize([{ permission }], { credentials });
    if (decision.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError(
        `You are not allowed to ${describe(permission.name)}`,
      );
    }
  }

  /**
   * Which post-mortems the caller may read, as criteria a list query applies
   * in SQL: the policy's decisions for published ones and for drafts, with
   * conditional decisions turned into the rules' query forms. Lists built on
   * it have full pages and exact totals however little the caller may see.
   */
  async readableScope(
    credentials: BackstageCredentials,
  ): Promise<ReadableScope> {
    const [published, drafts] = await this.permissions.authorizeConditional(
      [
        { permission: postmortemReadPermission },
        { permission: postmortemReadDraftPermission },
      ],
      { credentials },
    );
    return {
      published: await this.criteriaOf(published),
      drafts: await this.criteriaOf(drafts),
    };
  }

  private async criteriaOf(
    decision: QueryPermissionResponse,
  ): Promise<PostmortemRowCriteria> {
    if (decision.result === AuthorizeResult.ALLOW) return true;
    if (decision.result !== AuthorizeResult.CONDITIONAL) return false;
    if (
      decision.pluginId !== POSTMORTEMS_PLUGIN_ID ||
      decision.resourceType !== POSTMORTEM_RESOURCE_TYPE
    ) {
      // Conditions meant for another plugin's resources cannot be ours to apply.
      return false;
    }
    return this.resolve(transformPostmortemConditions(decision.conditions));
  }

  /** Replaces "owned by one of these claims" with the services they own. */
  private async resolve(
    criteria: PermissionCriteria<PostmortemQuery>,
  ): Promise<PermissionCriteria<PostmortemRowCondition>> {
    // Mapping a non-empty list gives a non-empty list; the casts say so.
    if ('anyOf' in criteria) {
      const anyOf = await Promise.all(criteria.anyOf.map(c => this.resolve(c)));
      return { anyOf } as PermissionCriteria<PostmortemRowCondition>;
    }
    if ('allOf' in criteria) {
      const allOf = await Promise.all(criteria.allOf.map(c => this.resolve(c)));
      return { allOf } as PermissionCriteria<PostmortemRowCondition>;
    }
    if ('not' in criteria) {
      return { not: await this.resolve(criteria.not) };
    }
    if ('serviceOwnedByAnyOf' in criteria) {
      const claims = criteria.serviceOwnedByAnyOf;
      return {
        serviceIn: claims.length ? await this.ownedServices(claims) : [],
      };
    }
    return criteria;
  }
}

/** The user entity ref of a caller, or the service's subject for service calls. */
export function actorOf(credentials: BackstageCredentials): string {
  const principal = credentials.principal as
    | BackstageUserPrincipal
    | { type: string; subject?: string };
  if (principal.type === 'user') {
    return (principal as BackstageUserPrincipal).userEntityRef;
  }
  return `service:${(principal as { subject?: string }).subject ?? 'unknown'}`;
}

function describe(permissionName: string): string {
  const words: Record<string, string> = {
    'postmortem.read': 'read this post-mortem',
    'postmortem.draft.read': 'read this draft post-mortem',
    'postmortem.create': 'create a post-mortem for this incident',
    'postmortem.update': 'edit this post-mortem',
    'postmortem.publish': 'publish or unpublish this post-mortem',
    'postmortem.action-item.update': 'change action items of this post-mortem',
    'postmortem.incident.write': 'create or change incidents',
    'postmortem.template.manage': 'manage post-mortem templates',
  };
  return words[permissionName] ?? `use ${permissionName}`;
}
