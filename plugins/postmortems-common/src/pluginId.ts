/**
 * The plugin id of the post-mortems backend: its API is mounted at `/api/postmortems`.
 *
 * @public
 */
export const POSTMORTEMS_PLUGIN_ID = 'postmortems';
