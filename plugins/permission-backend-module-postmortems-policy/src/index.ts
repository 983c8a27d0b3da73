/**
 * A permission policy for portals that run Post-Mortems for Backstage: drafts
 * stay with the people of their incident, everything else is allowed.
 *
 * @packageDocumentation
 */
export { permissionModulePostmortemsPolicy as default } from './module';
export { PostmortemsPermissionPolicy } from './PostmortemsPermissionPolicy';
