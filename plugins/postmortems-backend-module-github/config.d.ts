export interface Config {
  postmortems?: {
    /**
     * Issue trackers by id. The keys below belong to entries with
     * `type: github` (the core plugin's schema has `type`, `timeoutSeconds`
     * and the sync `schedule`); they are optional here only because every entry,
     * whatever its type, is checked against this schema. A `github` entry
     * without `owner`, `repo` or `token` fails start-up naming the key.
     */
    trackers?: {
      // `| string`: the deprecated `syncFrequency` sits among the entries and
      // may be a string (`PT5M`); the core plugin's schema describes it.
      [id: string]:
        | {
            /**
             * The repository's owner (user or organization).
             * @visibility backend
             */
            owner?: string;
            /**
             * The repository issues are opened in.
             * @visibility backend
             */
            repo?: string;
            /**
             * A token that may write the repository's issues: `${GITHUB_TOKEN}`.
             * @visibility secret
             */
            token?: string;
            /**
             * The API: `https://<host>/api/v3` for GitHub Enterprise Server.
             * @visibility backend
             */
            baseUrl?: string;
            /**
             * Secret of the repository webhook (`issues` events) at
             * `/api/postmortems/v1/trackers/<id>/webhook`.
             * @visibility secret
             */
            webhookSecret?: string;
          }
        | string;
    };
  };
}
