export interface Config {
  postmortems?: {
    /**
     * Export targets by id. The keys below belong to entries with
     * `type: confluence` (the core plugin's schema has `type`, `title` and
     * `timeoutSeconds`); they are optional here only because every entry,
     * whatever its type, is checked against this schema. A `confluence`
     * entry without `baseUrl`, `spaceKey`, `email` or `apiToken` fails
     * start-up naming the key.
     */
    exports?: {
      [id: string]: {
        /**
         * The site, e.g. `https://acme.atlassian.net` (`/wiki/rest/api` is added).
         * @visibility backend
         */
        baseUrl?: string;
        /**
         * The key of the space new pages are created in.
         * @visibility backend
         */
        spaceKey?: string;
        /**
         * New pages go under this page (quote it: it is a string).
         * @visibility backend
         */
        parentPageId?: string;
        /**
         * The Atlassian account the API token belongs to.
         * @visibility backend
         */
        email?: string;
        /**
         * `${CONFLUENCE_API_TOKEN}`.
         * @visibility secret
         */
        apiToken?: string;
      };
    };
  };
}
