export interface Config {
  postmortems?: {
    /**
     * Issue trackers by id. The keys below belong to entries with
     * `type: jira` (the core plugin's schema has `type`, `timeoutSeconds`
     * and the sync `schedule`); they are optional here only because every entry,
     * whatever its type, is checked against this schema. A `jira` entry
     * without `baseUrl` or `projectKey`, or without the credentials of its
     * flavour (`email` and `apiToken` for Cloud, `personalAccessToken` for
     * Data Center), fails start-up naming the key.
     */
    trackers?: {
      // `| string`: the deprecated `syncFrequency` sits among the entries and
      // may be a string (`PT5M`); the core plugin's schema describes it.
      [id: string]:
        | {
            /**
             * `cloud` (the default: Atlassian's hosted Jira, REST v3 with an
             * account's API token) or `datacenter` (Jira Data Center or
             * Server, REST v2 with a personal access token).
             * @visibility backend
             */
            flavour?: 'cloud' | 'datacenter';
            /**
             * Cloud: the site, e.g. `https://acme.atlassian.net`. Data Center:
             * the server with its context path, e.g. `https://jira.acme.com/jira`
             * (`/rest/api/2` is added).
             * @visibility backend
             */
            baseUrl?: string;
            /**
             * The project issues are created in.
             * @visibility backend
             */
            projectKey?: string;
            /**
             * Cloud: the Atlassian account the API token belongs to.
             * @visibility backend
             */
            email?: string;
            /**
             * Cloud: an API token of `email`, `${JIRA_API_TOKEN}`.
             * @visibility secret
             */
            apiToken?: string;
            /**
             * Data Center: a personal access token of the user that creates
             * and transitions the issues, `${JIRA_PERSONAL_ACCESS_TOKEN}`.
             * @visibility secret
             */
            personalAccessToken?: string;
            /**
             * The issue type created (default `Task`).
             * @visibility backend
             */
            issueType?: string;
            /**
             * Statuses that mean done (default `[Done]`).
             * @visibility backend
             */
            doneStatuses?: string[];
            /**
             * Secret of the Jira webhook at `/api/postmortems/v1/trackers/<id>/webhook`.
             * @visibility secret
             */
            webhookSecret?: string;
          }
        | string;
    };
  };
}
