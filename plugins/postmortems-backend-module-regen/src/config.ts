import { Config } from '@backstage/config';
import { IncidentMirror } from '@postmortems-oss/backstage-plugin-postmortems-node';
import { RegenClient } from './RegenClient';
import { RegenUpstream } from './RegenUpstream';
import { scheduleFromConfig } from './schedule';

/**
 * Regen as the home of incidents, as `postmortems.regen` describes it.
 *
 * @public
 */
export function regenUpstreamFromConfig(
  config: Config,
  mirror: IncidentMirror,
): RegenUpstream {
  const regen = config.getConfig('postmortems.regen');
  const baseUrl = regen.getString('baseUrl');
  return new RegenUpstream({
    mirror,
    logger: mirror.logger.child({ upstream: 'regen' }),
    baseUrl,
    serviceLabel: regen.getOptionalString('serviceLabel'),
    recentDays: regen.getOptionalNumber('recentDays'),
    schedule: scheduleFromConfig(regen),
    client: new RegenClient({
      baseUrl,
      token: regen.getOptionalString('token'),
      sessionCookie: regen.getOptionalString('sessionCookie'),
      timeoutMs: (regen.getOptionalNumber('timeoutSeconds') ?? 15) * 1000,
    }),
  });
}
