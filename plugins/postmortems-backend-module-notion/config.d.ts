export interface Config {
  postmortems?: {
    /**
     * Export targets by id. The keys below belong to entries with
     * `type: notion` (the core plugin's schema has `type`, `title` and
     * `timeoutSeconds`); they are optional here only because every entry,
     * whatever its type, is checked against this schema. A `notion` entry
     * without `token` or `parentPageId` fails start-up naming the key.
     */
    exports?: {
      [id: string]: {
        /**
         * An internal integration secret: `${NOTION_TOKEN}`. Share the parent page with the integration.
         * @visibility secret
         */
        token?: string;
        /**
         * The page new post-mortem pages are created under.
         * @visibility backend
         */
        parentPageId?: string;
        /**
         * The API base URL; only for tests or a proxy.
         * @visibility backend
         */
        baseUrl?: string;
      };
    };
  };
}
