import { AuthService } from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { IncidentMirror } from '@postmortems-oss/backstage-plugin-postmortems-node';
import { RegenClient } from './RegenClient';
import { RegenUpstream } from './RegenUpstream';
import { CommanderMapping } from './commanderMapping';
import { scheduleFromConfig } from './schedule';

/**
 * Regen as the home of incidents, as `postmortems.regen` describes it. With
 * the catalog, Regen's incident commanders become catalog users
 * (`postmortems.regen.commanders`).
 *
 * @public
 */
export function regenUpstreamFromConfig(
  config: Config,
  mirror: IncidentMirror,
  catalog?: { catalog: CatalogService; auth: AuthService },
): RegenUpstream {
  const regen = config.getConfig('postmortems.regen');
  const baseUrl = regen.getString('baseUrl');
  const logger = mirror.logger.child({ upstream: 'regen' });
  const client = new RegenClient({
    baseUrl,
    token: regen.getOptionalString('token'),
    sessionCookie: regen.getOptionalString('sessionCookie'),
    timeoutMs: (regen.getOptionalNumber('timeoutSeconds') ?? 15) * 1000,
  });
  const commanders = regen.getOptionalConfig('commanders');
  return new RegenUpstream({
    mirror,
    logger,
    baseUrl,
    serviceLabel: regen.getOptionalString('serviceLabel'),
    recentDays: regen.getOptionalNumber('recentDays'),
    schedule: scheduleFromConfig(regen),
    client,
    commanders:
      catalog &&
      new CommanderMapping({
        ...catalog,
        logger,
        regenUsers: () => client.listUsers(),
        annotation: commanders?.getOptionalString('annotation'),
        byEmail: commanders?.getOptionalBoolean('byEmail'),
      }),
  });
}
