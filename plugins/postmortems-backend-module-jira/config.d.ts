export interface Config {
  postmortems?: {
    /**
     * Issue trackers by id. The keys below belong to entries with
     * `type: jira` (the core plugin's schema has `type`, `timeoutSeconds`
     * and the sync `schedule`); they are optional here only because every entry,
     * whatever its type, is checked against this schema. A `jira` entry
     * without `baseUrl`, `projectKey`, `email` or `apiToken` fails start-up
     * naming the key.
     */
    trackers?: {
      // `| string`: the deprecated `syncFrequency` sits among the entries and
      // may be a string (`PT5M`); the core plugin's schema describes it.
      [id: string]:
        | {
            /**
             * The site, e.g. `https://acme.atlassian.net`.
             * @visibility backend
             */
            baseUrl?: string;
            /**
             * The project issues are created in.
             * @visibility backend
             */
            projectKey?: string;
            /**
             * The Atlassian account the API token belongs to.
             * @visibility backend
             */
            email?: string;
            /**
             * `${JIRA_API_TOKEN}`.
             * @visibility secret
             */
            apiToken?: string;
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
