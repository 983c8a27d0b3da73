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
import {
  decideForIncident,
  IncidentFacts,
} from '../permissions/decideForIncident';

/**
 * The services (entity refs) owned by any of the given ownership claims, as
 * the catalog knows them now.
 */
export type OwnedServicesLookup = (claims: string[]) => Promise<string[]>;

/** What deciding for one incident may need to look up. */
export interface AccessLookups {
  /** The incident's commander and services, by id. */
  incident(id: string): Promise<IncidentFacts | undefined>;
  /** Whether the user wrote a version of the incident's post-mortem. */
  authored(incidentId: string, userRef: string): Promise<boolean>;
  /** Services owned by any of the claims; none without a catalog. */
  ownedServices?: OwnedServicesLookup;
}

/**
 * Asks the permission framework before anything is read or changed. Post-mortem
 * permissions are resource permissions keyed by incident id, so a policy can
 * decide per incident (commander, authors, owners of affected services).
 */
export class PostmortemAccess {
  private readonly ownedServices: OwnedServicesLookup;

  constructor(
    private readonly permissions: PermissionsService,
    private readonly lookups: AccessLookups,
  ) {
    this.ownedServices = lookups.ownedServices ?? (async () => []);
  }

  /**
   * Throws 403 unless the caller has the permission; a post-mortem
   * permission is decided for the given incident (its id, or the incident
   * itself when the caller has read it already).
   */
  async require(
    permission:
      | BasicPermission
      | ResourcePermission<typeof POSTMORTEM_RESOURCE_TYPE>,
    credentials: BackstageCredentials,
    incident?: string | IncidentFacts,
  ): Promise<void> {
    const allowed =
      permission.type === 'resource'
        ? await this.allowsFor(permission, credentials, incident)
        : (
            await this.permissions.authorize([{ permission }], { credentials })
          )[0].result === AuthorizeResult.ALLOW;
    if (!allowed) {
      throw new NotAllowedError(
        `You are not allowed to ${describe(permission.name)}`,
      );
    }
  }

  /**
   * The policy's decision for the permission, with its conditions decided
   * here against the incident (see decideForIncident) rather than by a call
   * back from the permission backend.
   */
  private async allowsFor(
    permission: ResourcePermission<typeof POSTMORTEM_RESOURCE_TYPE>,
    credentials: BackstageCredentials,
    incident: string | IncidentFacts | undefined,
  ): Promise<boolean> {
    if (incident === undefined) {
      throw new Error(`${permission.name} is decided for an incident`);
    }
    const [decision] = await this.permissions.authorizeConditional(
      [{ permission }],
      { credentials },
    );
    if (decision.result !== AuthorizeResult.CONDITIONAL) {
      return decision.result === AuthorizeResult.ALLOW;
    }
    if (!this.ours(decision)) return false;
    const facts =
      typeof incident === 'string'
        ? await this.lookups.incident(incident)
        : incident;
    if (!facts) return false;
    return decideForIncident(
      transformPostmortemConditions(decision.conditions),
      facts,
      {
        authored: this.lookups.authored,
        ownedServices: this.ownedServices,
      },
    );
  }

  /** Conditions meant for another plugin's resources cannot be ours to apply. */
  private ours(decision: QueryPermissionResponse) {
    return (
      decision.result === AuthorizeResult.CONDITIONAL &&
      decision.pluginId === POSTMORTEMS_PLUGIN_ID &&
      decision.resourceType === POSTMORTEM_RESOURCE_TYPE
    );
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
    if (!this.ours(decision)) return false;
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
