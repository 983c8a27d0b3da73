import {
  LoggerService,
  SchedulerService,
  SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';
import { Config, readDurationFromConfig } from '@backstage/config';
import { readScheduleWithDefaults } from '@postmortems-oss/backstage-plugin-postmortems-node';
import { PostmortemsServices } from './services/createServices';

/**
 * A task's schedule: `<key>.schedule` in Backstage's task schedule shape
 * (`frequency`, `timeout`, `initialDelay`, `scope`), else the shorter keys
 * of earlier releases (`frequency`/`syncFrequency`, `initialDelay`), else
 * the default.
 */
export function scheduleFromConfig(
  config: Config,
  key: string,
  defaults: SchedulerServiceTaskScheduleDefinition,
  legacy: { frequency?: string; initialDelay?: string } = {},
  logger?: LoggerService,
): SchedulerServiceTaskScheduleDefinition {
  if (config.has(`${key}.schedule`)) {
    return readScheduleWithDefaults(
      config.getConfig(`${key}.schedule`),
      defaults,
    );
  }
  const schedule = { ...defaults };
  const warned = new Set<string>();
  for (const [field, name] of Object.entries(legacy) as Array<
    ['frequency' | 'initialDelay', string]
  >) {
    const legacyKey = `${key}.${name}`;
    if (!config.has(legacyKey)) continue;
    schedule[field] = readDurationFromConfig(config, { key: legacyKey });
    if (warned.has(legacyKey)) continue;
    warned.add(legacyKey);
    logger?.warn(
      `${legacyKey} is deprecated; use ${key}.schedule.${field} (Backstage's task schedule shape)`,
    );
  }
  return schedule;
}

/**
 * The plugin's scheduled tasks. Which replica runs each is part of its
 * correctness, so the scope of each is fixed here rather than configurable.
 */
export async function scheduleTasks(options: {
  config: Config;
  scheduler: SchedulerService;
  logger: LoggerService;
  services: PostmortemsServices;
}) {
  const { config, scheduler, logger, services } = options;

  const { upstream } = services;
  if (upstream) {
    // `global`: one replica copies from the upstream per interval.
    await scheduler.scheduleTask({
      id: `postmortems-${upstream.id}-sync`,
      ...upstream.schedule,
      scope: 'global',
      fn: async () => {
        await upstream.sync();
      },
    });
  }

  // `global`: one replica reads the trackers per interval. The first run
  // waits one interval too; webhooks carry changes in between.
  if (services.trackers.enabled) {
    const schedule = scheduleFromConfig(
      config,
      'postmortems.trackers',
      { frequency: { minutes: 10 }, timeout: { minutes: 10 } },
      { frequency: 'syncFrequency', initialDelay: 'syncFrequency' },
      logger,
    );
    await scheduler.scheduleTask({
      id: 'postmortems-tracker-sync',
      initialDelay: { minutes: 10 },
      ...schedule,
      scope: 'global',
      fn: async () => {
        const counts = await services.trackers.sync();
        logger.info(
          `Tracker sync: ${counts.checked} issues read, ${counts.done} items done, ${counts.reopened} reopened, ${counts.pushed} pushed, ${counts.missing} missing`,
        );
      },
    });
  }

  // Every replica drains the job queue; claims in the database make sure
  // each job runs once. This also resumes jobs after a restart.
  await scheduler.scheduleTask({
    id: 'postmortems-generation-worker',
    frequency: { seconds: 15 },
    timeout: { minutes: 15 },
    scope: 'local',
    fn: () => services.generation.drain(),
  });

  // `global`: one replica runs each interval. Every reminder is also claimed
  // in the database before it is sent, so an overlapping run or an
  // assignment notifying at the same moment never sends it twice.
  const { reminders } = services;
  if (reminders) {
    await scheduler.scheduleTask({
      id: 'postmortems-action-item-reminders',
      ...scheduleFromConfig(
        config,
        'postmortems.reminders',
        {
          frequency: { minutes: 15 },
          timeout: { minutes: 10 },
          initialDelay: { minutes: 1 },
        },
        { frequency: 'frequency', initialDelay: 'initialDelay' },
        logger,
      ),
      scope: 'global',
      fn: async () => {
        await reminders.sendDue();
      },
    });
  }
}
