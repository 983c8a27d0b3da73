import {
  readSchedulerServiceTaskScheduleDefinitionFromConfig,
  SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';

/**
 * A task schedule in Backstage's shape (`frequency`, `timeout`,
 * `initialDelay`, `scope`) read from `config`, over `defaults`: fields the
 * config leaves out keep their default.
 *
 * @public
 */
export function readScheduleWithDefaults(
  config: Config,
  defaults: SchedulerServiceTaskScheduleDefinition,
): SchedulerServiceTaskScheduleDefinition {
  const configured =
    readSchedulerServiceTaskScheduleDefinitionFromConfig(config);
  // The reader answers undefined for fields that are not set.
  const set = Object.fromEntries(
    Object.entries(configured).filter(([, value]) => value !== undefined),
  );
  return { ...defaults, ...set };
}
