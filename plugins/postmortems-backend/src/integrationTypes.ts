import { Config } from '@backstage/config';

/** The package of the backend module that provides an integration, e.g. `confluence`. */
export function modulePackageOf(integration: string): string {
  return `@postmortems-oss/backstage-plugin-postmortems-backend-module-${integration}`;
}

/**
 * The `type` of the config entry at `key` (e.g. `postmortems.exports.team`),
 * which must be one of `types`; anything else fails start-up naming the key.
 */
export function readIntegrationType<T extends string>(
  config: Config,
  key: string,
  types: readonly T[],
): T {
  const type = config.getString('type');
  if (!(types as readonly string[]).includes(type)) {
    throw new Error(
      `${key}.type must be one of ${types.join(', ')}, not "${type}"`,
    );
  }
  return type as T;
}

/** Start-up fails when an entry's type needs a module the portal did not add. */
export function missingModuleError(key: string, type: string): Error {
  const module = modulePackageOf(type);
  return new Error(
    `${key}.type is "${type}", which needs the backend module ${module}: add it with backend.add(import('${module}'))`,
  );
}
