/**
 * Types, permissions and the export schema shared by the frontend and backend
 * plugins of Post-Mortems for Backstage.
 *
 * @packageDocumentation
 */

/**
 * The plugin id of the post-mortems backend: its API is mounted at `/api/postmortems`.
 *
 * @public
 */
export const POSTMORTEMS_PLUGIN_ID = 'postmortems';

export * from './incidents';
export * from './postmortems';
export * from './generation';
export * from './permissions';
export * from './exportSchema';
export * from './destinations';
