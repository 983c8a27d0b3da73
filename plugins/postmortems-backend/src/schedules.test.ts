import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { scheduleFromConfig } from './schedules';

const defaults = {
  frequency: { minutes: 15 },
  timeout: { minutes: 10 },
  initialDelay: { minutes: 1 },
};
const legacy = { frequency: 'frequency', initialDelay: 'initialDelay' };

describe('scheduleFromConfig', () => {
  it("reads Backstage's task schedule shape, keeping defaults it leaves out", () => {
    const config = new ConfigReader({
      postmortems: {
        reminders: {
          schedule: { frequency: { cron: '0 9 * * 1-5' }, timeout: 'PT5M' },
        },
      },
    });
    expect(
      scheduleFromConfig(config, 'postmortems.reminders', defaults, legacy),
    ).toEqual({
      frequency: { cron: '0 9 * * 1-5' },
      timeout: { minutes: 5 },
      initialDelay: { minutes: 1 },
    });
  });

  it('still reads the keys of earlier releases, with a warning', () => {
    const logger = mockServices.logger.mock();
    const config = new ConfigReader({
      postmortems: {
        reminders: { frequency: 'PT30M', initialDelay: { seconds: 5 } },
      },
    });
    expect(
      scheduleFromConfig(
        config,
        'postmortems.reminders',
        defaults,
        legacy,
        logger,
      ),
    ).toEqual({
      frequency: { minutes: 30 },
      timeout: { minutes: 10 },
      initialDelay: { seconds: 5 },
    });
    expect(logger.warn).toHaveBeenCalledWith(
      expect.stringContaining('postmortems.reminders.frequency is deprecated'),
    );
  });

  it('uses the defaults when nothing is configured', () => {
    expect(
      scheduleFromConfig(
        new ConfigReader({}),
        'postmortems.reminders',
        defaults,
        legacy,
      ),
    ).toEqual(defaults);
  });
});
