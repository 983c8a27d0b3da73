import {
  BackstageCredentials,
  BackstageUserPrincipal,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { NotAllowedError } from '@backstage/errors';
import {
  AuthorizeResult,
  BasicPermission,
  ResourcePermission,
} from '@backstage/plugin-permission-common';
import {
  POSTMORTEM_RESOURCE_TYPE,
  postmortemReadDraftPermission,
  postmortemReadPermission,
} from '@postmortems-oss/backstage-plugin-postmortems-common';

/**
 * Asks the permission framework before anything is read or changed. Post-mortem
 * permissions are resource permissions keyed by incident id, so a policy can
 * decide per incident (commander, authors, owners of affected services).
 */
export class PostmortemAccess {
  constructor(private readonly permissions: PermissionsService) {}

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
   * The post-mortems, among those given, the caller may read: published ones
   * need `postmortem.read`, drafts `postmortem.draft.read`. One batched
   * question to the permission framework for the whole page.
   */
  async readable<T extends { incident_id: string; status: string }>(
    records: T[],
    credentials: BackstageCredentials,
  ): Promise<T[]> {
    if (records.length === 0) {
      return [];
    }
    const decisions = await this.permissions.authorize(
      records.map(record => ({
        permission:
          record.status === 'published'
            ? postmortemReadPermission
            : postmortemReadDraftPermission,
        resourceRef: record.incident_id,
      })),
      { credentials },
    );
    return records.filter(
      (_, i) => decisions[i].result === AuthorizeResult.ALLOW,
    );
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
