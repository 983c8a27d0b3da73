import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { warnAboutMissingModules } from './integrationsCheck';
import { Integrations } from './services/createServices';

const none: Integrations = {
  draftProviders: [],
  chatSources: [],
  trackerTypes: new Map(),
  pageTargetTypes: new Map(),
  fileFormats: new Map(),
};

describe('warnAboutMissingModules', () => {
  it('warns about each configured integration whose module is missing', () => {
    const logger = mockServices.logger.mock();
    const config = new ConfigReader({
      postmortems: {
        openai: { apiKey: 'sk-test' },
        slack: { botToken: 'xoxb-test' },
        regen: { baseUrl: 'https://regen.example' },
      },
    });
    const missing = warnAboutMissingModules(config, none, logger);
    expect(missing).toEqual([
      expect.stringContaining('backend-module-openai is not installed'),
      expect.stringContaining('backend-module-slack is not installed'),
      expect.stringContaining('backend-module-regen is not installed'),
    ]);
    expect(logger.warn).toHaveBeenCalledTimes(3);
  });

  it('is quiet when the modules are there or nothing is configured', () => {
    const logger = mockServices.logger.mock();
    const config = new ConfigReader({
      postmortems: { openai: { apiKey: 'sk-test' }, slack: { botToken: 'x' } },
    });
    const installed: Integrations = {
      ...none,
      draftProviders: [{ kind: 'openai' } as any],
      chatSources: [{ provider: 'slack' } as any],
    };
    expect(warnAboutMissingModules(config, installed, logger)).toEqual([]);
    expect(warnAboutMissingModules(new ConfigReader({}), none, logger)).toEqual(
      [],
    );
    expect(logger.warn).not.toHaveBeenCalled();
  });
});
