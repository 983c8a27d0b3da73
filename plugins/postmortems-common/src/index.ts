/**
 * Types shared by the frontend and backend plugins of Post-Mortems for Backstage.
 *
 * @packageDocumentation
 */

/**
 * The plugin id of the post-mortems backend: its API is mounted at `/api/postmortems`.
 *
 * @public
 */
export const POSTMORTEMS_PLUGIN_ID = 'postmortems';
