import { SchedulerServiceTaskScheduleDefinition } from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import { readScheduleWithDefaults } from '@postmortems-oss/backstage-plugin-postmortems-node';

const DEFAULT_SCHEDULE: SchedulerServiceTaskScheduleDefinition = {
  frequency: { minutes: 5 },
  timeout: { minutes: 30 },
  initialDelay: { seconds: 10 },
};

/** `postmortems.regen.schedule` in Backstage's task schedule shape, over the defaults. */
export function scheduleFromConfig(
  regen: Config,
): SchedulerServiceTaskScheduleDefinition {
  return regen.has('schedule')
    ? readScheduleWithDefaults(regen.getConfig('schedule'), DEFAULT_SCHEDULE)
    : DEFAULT_SCHEDULE;
}
