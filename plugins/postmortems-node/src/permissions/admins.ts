import { Config } from '@backstage/config';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';

/** Where the post-mortem admins are configured. */
export const POSTMORTEMS_ADMINS_CONFIG_KEY = 'postmortems.permissions.admins';

/**
 * Reads `postmortems.permissions.admins`: user and group entity refs
 * (`user:default/frank`, `group:sre`), returned in the lowercase full form
 * that {@link decidePostmortemsPermission} compares against. A ref without a
 * kind, or of another kind than user or group, stops the start-up: an admin
 * list that silently matches nobody would hide a typo.
 *
 * @public
 */
export function readPostmortemsAdmins(config: Config): string[] {
  const refs =
    config.getOptionalStringArray(POSTMORTEMS_ADMINS_CONFIG_KEY) ?? [];
  return refs.map(ref => normalizeAdminRef(ref));
}

/**
 * One admin ref in the form the decision compares: `kind:namespace/name`,
 * lowercase (entity refs are case-insensitive).
 *
 * @public
 */
export function normalizeAdminRef(ref: string): string {
  let parsed;
  try {
    parsed = parseEntityRef(ref.trim(), { defaultNamespace: 'default' });
  } catch (error) {
    throw new Error(
      `${POSTMORTEMS_ADMINS_CONFIG_KEY}: "${ref}" is not an entity ref such as user:default/frank or group:default/sre (${error})`,
    );
  }
  const kind = parsed.kind.toLocaleLowerCase('en-US');
  if (kind !== 'user' && kind !== 'group') {
    throw new Error(
      `${POSTMORTEMS_ADMINS_CONFIG_KEY}: "${ref}" is a ${parsed.kind}; admins are users or groups`,
    );
  }
  return stringifyEntityRef(parsed).toLocaleLowerCase('en-US');
}
