import {
  LoggerService,
  RootConfigService,
  RootInstanceMetadataService,
} from '@backstage/backend-plugin-api';

/** The module id of `@backstage/plugin-permission-backend-module-allow-all-policy`. */
const ALLOW_ALL_POLICY_MODULE = 'allowAllPolicy';
/** The module id of this product's policy module. */
const POSTMORTEMS_POLICY_MODULE = 'postmortems-policy';

/**
 * What the start-up check concluded about who may read drafts:
 * - `disabled`: `permission.enabled` is not `true`, so every permission is
 *   allowed to every caller;
 * - `allow-all`: the permission backend in this instance runs Backstage's
 *   allow-all policy;
 * - `postmortems-policy`: it runs the shipped post-mortems policy module;
 * - `custom`: it runs another policy, which may or may not narrow drafts;
 * - `elsewhere`: no permission backend in this instance, so its policy cannot
 *   be seen from here.
 */
export type OpenPermissionsFinding =
  | 'disabled'
  | 'allow-all'
  | 'postmortems-policy'
  | 'custom'
  | 'elsewhere';

/**
 * Logs a warning at start-up when the portal lets every user read and edit
 * every draft post-mortem: drafts name people and systems before anyone has
 * reviewed them, and nothing else tells an adopter that Backstage's defaults
 * leave them open. It looks at config and at the features installed in this
 * backend instance; it cannot see a policy's decisions, so a custom policy
 * gets an info line saying what it must decide.
 */
export async function warnAboutOpenPermissions(options: {
  config: RootConfigService;
  logger: LoggerService;
  instanceMetadata: RootInstanceMetadataService;
}): Promise<OpenPermissionsFinding> {
  const { config, logger, instanceMetadata } = options;
  const fix =
    'Set permission.enabled: true and install @postmortems-oss/backstage-plugin-permission-backend-module-postmortems-policy, or call decidePostmortemsPermission from @postmortems-oss/backstage-plugin-postmortems-node in your own policy.';

  if (config.getOptionalBoolean('permission.enabled') !== true) {
    logger.warn(
      `Post-mortem drafts are open to everyone: permission.enabled is not true, so Backstage allows every permission and every signed-in user can read, edit and publish every draft post-mortem and manage templates. ${fix}`,
    );
    return 'disabled';
  }

  const plugins = await instanceMetadata.getInstalledPlugins();
  const permission = plugins.find(plugin => plugin.pluginId === 'permission');
  if (!permission) {
    logger.info(
      'Post-mortem permissions are decided by a permission backend outside this backend instance; make sure its policy narrows postmortem.draft.read, postmortem.update and postmortem.publish (see decidePostmortemsPermission).',
    );
    return 'elsewhere';
  }
  const modules = permission.modules.map(m => m.moduleId);
  if (modules.includes(ALLOW_ALL_POLICY_MODULE)) {
    logger.warn(
      `Post-mortem drafts are open to everyone: the permission backend runs the allow-all policy, so every signed-in user can read, edit and publish every draft post-mortem and manage templates. ${fix}`,
    );
    return 'allow-all';
  }
  if (modules.includes(POSTMORTEMS_POLICY_MODULE)) {
    return 'postmortems-policy';
  }
  logger.info(
    'Post-mortem permissions are decided by a custom permission policy; unless it narrows postmortem.draft.read, postmortem.update and postmortem.publish (decidePostmortemsPermission does), every user can read and edit drafts.',
  );
  return 'custom';
}
