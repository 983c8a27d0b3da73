import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import {
  coreServices,
  createBackendModule,
  createBackendPlugin,
  RootInstanceMetadataService,
} from '@backstage/backend-plugin-api';
import {
  OpenPermissionsFinding,
  warnAboutOpenPermissions,
} from './warnAboutOpenPermissions';

function installed(
  plugins: Array<{ pluginId: string; modules: string[] }>,
): RootInstanceMetadataService {
  return {
    getInstalledPlugins: async () =>
      plugins.map(p => ({
        pluginId: p.pluginId,
        modules: p.modules.map(moduleId => ({ moduleId })),
      })),
  };
}

async function check(
  config: object,
  plugins: Array<{ pluginId: string; modules: string[] }>,
) {
  const logger = mockServices.logger.mock();
  const finding = await warnAboutOpenPermissions({
    config: mockServices.rootConfig({ data: config }),
    logger,
    instanceMetadata: installed(plugins),
  });
  return {
    finding,
    warnings: logger.warn.mock.calls.map(c => c[0]),
    infos: logger.info.mock.calls.map(c => c[0]),
  };
}

describe('warnAboutOpenPermissions', () => {
  const shipped = [{ pluginId: 'permission', modules: ['postmortems-policy'] }];

  it.each([
    ['is missing', {}],
    ['is false', { permission: { enabled: false } }],
  ])(
    'warns that everyone reads and edits drafts when permission.enabled %s, whatever the policy',
    async (_, config) => {
      const { finding, warnings } = await check(config, shipped);
      expect(finding).toBe('disabled');
      expect(warnings).toEqual([
        expect.stringContaining(
          'permission.enabled is not true, so Backstage allows every permission and every signed-in user can read, edit and publish every draft post-mortem',
        ),
      ]);
      expect(warnings[0]).toContain(
        '@postmortems-oss/backstage-plugin-permission-backend-module-postmortems-policy',
      );
    },
  );

  it('warns when the permission backend runs the allow-all policy', async () => {
    const { finding, warnings } = await check(
      { permission: { enabled: true } },
      [{ pluginId: 'permission', modules: ['allowAllPolicy'] }],
    );
    expect(finding).toBe('allow-all');
    expect(warnings).toEqual([
      expect.stringContaining(
        'the permission backend runs the allow-all policy',
      ),
    ]);
  });

  it('stays quiet with the shipped policy module', async () => {
    const { finding, warnings, infos } = await check(
      { permission: { enabled: true } },
      shipped,
    );
    expect({ finding, warnings, infos }).toEqual({
      finding: 'postmortems-policy',
      warnings: [],
      infos: [],
    });
  });

  it('says what a custom policy must decide, without a warning', async () => {
    const { finding, warnings, infos } = await check(
      { permission: { enabled: true } },
      [{ pluginId: 'permission', modules: ['rbac'] }],
    );
    expect({ finding, warnings }).toEqual({ finding: 'custom', warnings: [] });
    expect(infos).toEqual([
      expect.stringContaining('narrows postmortem.draft.read'),
    ]);
  });

  it('says the policy cannot be seen when the permission backend runs elsewhere', async () => {
    const { finding, warnings } = await check(
      { permission: { enabled: true } },
      [{ pluginId: 'catalog', modules: [] }],
    );
    expect({ finding, warnings }).toEqual({
      finding: 'elsewhere',
      warnings: [],
    });
  });

  it('reads the modules a real backend installed', async () => {
    // A permission plugin with a module of the allow-all module's id, as a
    // portal made by create-app has it; what is checked is that the real
    // backend's instance metadata reports modules as the check reads them.
    const permission = createBackendPlugin({
      pluginId: 'permission',
      register(env) {
        env.registerInit({ deps: {}, async init() {} });
      },
    });
    const allowAll = createBackendModule({
      pluginId: 'permission',
      moduleId: 'allowAllPolicy',
      register(reg) {
        reg.registerInit({ deps: {}, async init() {} });
      },
    });
    const logger = mockServices.logger.mock();
    let finding: OpenPermissionsFinding | undefined;
    const postmortems = createBackendPlugin({
      pluginId: 'postmortems',
      register(env) {
        env.registerInit({
          deps: {
            config: coreServices.rootConfig,
            instanceMetadata: coreServices.rootInstanceMetadata,
          },
          async init({ config, instanceMetadata }) {
            finding = await warnAboutOpenPermissions({
              config,
              logger,
              instanceMetadata,
            });
          },
        });
      },
    });
    const backend = await startTestBackend({
      features: [
        permission,
        allowAll,
        postmortems,
        mockServices.rootConfig.factory({
          data: { permission: { enabled: true } },
        }),
      ],
    });
    try {
      expect(finding).toBe('allow-all');
      expect(logger.warn).toHaveBeenCalledTimes(1);
    } finally {
      await backend.stop();
    }
  });
});
