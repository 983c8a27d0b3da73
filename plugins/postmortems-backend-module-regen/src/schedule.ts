import {
  readSchedulerServiceTaskScheduleDefinitionFromConfig,
  SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';

const DEFAULT_SCHEDULE: SchedulerServiceTaskScheduleDefinition = {
  frequency: { minutes: 5 },
  timeout: { minutes: 30 },
  initialDelay: { seconds: 10 },
};

/** `postmortems.regen.schedule` in Backstage's task schedule shape, over the defaults. */
export function scheduleFromConfig(
  regen: Config,
): SchedulerServiceTaskScheduleDefinition {
  if (!regen.has('schedule')) return DEFAULT_SCHEDULE;
  const configured = readSchedulerServiceTaskScheduleDefinitionFromConfig(
    regen.getConfig('schedule'),
  );
  // Fields the config leaves out come back as undefined; keep the defaults.
  return {
    ...DEFAULT_SCHEDULE,
    ...Object.fromEntries(
      Object.entries(configured).filter(([, value]) => value !== undefined),
    ),
  };
}
