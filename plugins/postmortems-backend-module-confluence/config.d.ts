export interface Config {
  postmortems?: {
    /**
     * Export targets by id. The keys below belong to entries with
     * `type: confluence` (the core plugin's schema has `type`, `title` and
     * `timeoutSeconds`); they are optional here only because every entry,
     * whatever its type, is checked against this schema. A `confluence`
     * entry without `baseUrl` or `spaceKey`, or without the credentials of
     * its flavour (`email` and `apiToken` for Cloud, `personalAccessToken`
     * for Data Center), fails start-up naming the key.
     */
    exports?: {
      [id: string]: {
        /**
         * `cloud` (the default: Atlassian's hosted Confluence) or
         * `datacenter` (Confluence Data Center or Server, REST v1 with a
         * personal access token).
         * @visibility backend
         */
        flavour?: 'cloud' | 'datacenter';
        /**
         * Cloud: the site, e.g. `https://acme.atlassian.net` (`/wiki/rest/api`
         * is added). Data Center: the server with its context path, e.g.
         * `https://wiki.acme.com/confluence` (`/rest/api` is added).
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
         * Cloud: the Atlassian account the API token belongs to.
         * @visibility backend
         */
        email?: string;
        /**
         * `${CONFLUENCE_API_TOKEN}`.
         * @visibility secret
         */
        apiToken?: string;
        /**
         * Data Center: a personal access token of the account that writes
         * the pages, `${CONFLUENCE_PERSONAL_ACCESS_TOKEN}`.
         * @visibility secret
         */
        personalAccessToken?: string;
      };
    };
  };
}
