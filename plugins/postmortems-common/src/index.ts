/**
 * The contract shared by the frontend and backend plugins of Post-Mortems for
 * Backstage: the native API's schemas and the types inferred from them,
 * permissions, the export schema, and a client for other backend plugins.
 *
 * @packageDocumentation
 */

export { POSTMORTEMS_PLUGIN_ID } from './pluginId';
export * from './incidents';
export * from './postmortems';
export * from './generation';
export * from './signals';
export * from './permissions';
export * from './exportSchema';
export * from './destinations';
export * from './api';
export * from './client';
