import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { policyExtensionPoint } from '@backstage/plugin-permission-node/alpha';
import { readPostmortemsAdmins } from '@postmortems-oss/backstage-plugin-postmortems-node';
import { PostmortemsPermissionPolicy } from './PostmortemsPermissionPolicy';

/**
 * Sets the permission backend's policy: draft post-mortems for the people of
 * their incident and the admins under `postmortems.permissions.admins`,
 * published ones for every signed-in user, everything else allowed. A portal
 * has one policy; one that already has its own composes
 * `decidePostmortemsPermission` instead of installing this module.
 *
 * @public
 */
export const permissionModulePostmortemsPolicy = createBackendModule({
  pluginId: 'permission',
  moduleId: 'postmortems-policy',
  register(reg) {
    reg.registerInit({
      deps: { policy: policyExtensionPoint, config: coreServices.rootConfig },
      async init({ policy, config }) {
        policy.setPolicy(
          new PostmortemsPermissionPolicy({
            admins: readPostmortemsAdmins(config),
          }),
        );
      },
    });
  },
});
