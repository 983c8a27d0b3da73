export interface Config {
  /** Configuration of the post-mortems plugins. */
  postmortems?: {
    /**
     * Load the demo incidents into an empty database at start-up. Meant for
     * the embedded local setup; leave it off in production.
     * @visibility backend
     */
    demoData?: boolean;
    /** Who may do everything, read by the portal's default permission policy. */
    permissions?: {
      /**
       * User or group entity refs, e.g. `group:default/sre`.
       * @visibility backend
       */
      admins?: string[];
    };
  };
}
