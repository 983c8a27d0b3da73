export interface Config {
  /** Configuration of the post-mortems plugins. */
  postmortems?: {
    /**
     * Load the demo incidents into an empty database at start-up. Meant for
     * the embedded local setup; leave it off in production.
     * @visibility backend
     */
    demoData?: boolean;

    /**
     * Post-mortem permissions. This plugin does not read them: the policy
     * module `@postmortems-oss/backstage-plugin-permission-backend-module-postmortems-policy`
     * does, and so does `readPostmortemsAdmins` (`-node`) in a policy of your own.
     */
    permissions?: {
      /**
       * User or group entity refs (`user:default/frank`, `group:default/sre`)
       * allowed every post-mortem permission: every draft, incident writes,
       * templates. Group membership comes from the user's ownership refs.
       * @visibility backend
       */
      admins?: string[];
    };

    /**
     * An OpenAI or OpenAI-compatible model (Azure OpenAI, Ollama, vLLM, a
     * gateway). Without an API key drafts are made by the deterministic
     * drafter.
     */
    openai?: {
      /**
       * The API key, from the environment: `${OPENAI_API_KEY}`.
       * @visibility secret
       */
      apiKey?: string;
      /**
       * Model name; defaults to gpt-4o-mini.
       * @visibility backend
       */
      model?: string;
      /**
       * Base URL of an OpenAI-compatible API, e.g. http://localhost:11434/v1 for Ollama.
       * @visibility backend
       */
      baseUrl?: string;
      /**
       * Timeout of one request in seconds (default 60).
       * @visibility backend
       */
      timeoutSeconds?: number;
      /**
       * Retries of 429, 5xx and timeouts, with backoff and jitter (default 3).
       * @visibility backend
       */
      maxRetries?: number;
      /**
       * Upper bound on the tokens of one answer (default 4000).
       * @visibility backend
       */
      maxOutputTokens?: number;
      /**
       * `document` (default): one call writes the whole draft, fewest tokens.
       * `sections`: one call per section plus one for the action items, in
       * parallel; sections appear as they are written and the draft is done
       * several times sooner, but the evidence is sent with every call.
       * @visibility backend
       */
      strategy?: 'document' | 'sections';
      /**
       * How many calls of the `sections` strategy run at once (default 8: all sections of the standard template and the action items together).
       * @visibility backend
       */
      parallelism?: number;
    };

    /** Drafting. */
    generation?: {
      /**
       * All attempts of one generation together, in seconds (default 180).
       * @visibility backend
       */
      deadlineSeconds?: number;
      /**
       * How long a claimed generation job belongs to its replica (default
       * 600, must exceed deadlineSeconds); a job whose replica died is taken
       * over after it.
       * @visibility backend
       */
      leaseSeconds?: number;
      /**
       * How long a synchronous (Regen-style) generate request waits for its
       * draft before answering 202 with the job (default 120).
       * @visibility backend
       */
      syncWaitSeconds?: number;
      /**
       * Tokens the incident evidence may take in a prompt (default 12000).
       * @visibility backend
       */
      evidenceBudgetTokens?: number;
      /**
       * Extra patterns scrubbed from evidence before it leaves the backend.
       * @visibility backend
       */
      scrubPatterns?: Array<{
        /** A regular expression. */
        pattern: string;
        /** What replaces a match (default `[redacted]`). */
        replacement?: string;
      }>;
      /** Drafts queued automatically when an incident is resolved. */
      autoDraft?: {
        /**
         * @visibility backend
         */
        enabled?: boolean;
        /**
         * Only incidents that lasted at least this long (default 30).
         * @visibility backend
         */
        minDurationMinutes?: number;
      };
    };

    /** Reading incident threads from Slack. */
    slack?: {
      /**
       * A bot token with channels:history, groups:history and users:read: `${SLACK_BOT_TOKEN}`.
       * @visibility secret
       */
      botToken?: string;
      /**
       * The Web API base URL; only for tests or a proxy.
       * @visibility backend
       */
      apiUrl?: string;
    };

    /** Action item reminders through Backstage notifications. */
    reminders?: {
      /**
       * Set false to send no assignment, due-soon or overdue notices.
       * @visibility backend
       */
      enabled?: boolean;
      /**
       * How often due and overdue items are checked (default 15 minutes),
       * e.g. `{ minutes: 30 }` or `'PT30M'`.
       * @visibility backend
       */
      frequency?:
        | { hours?: number; minutes?: number; seconds?: number }
        | string;
      /**
       * How long after start-up the first check runs (default 1 minute).
       * @visibility backend
       */
      initialDelay?:
        | { hours?: number; minutes?: number; seconds?: number }
        | string;
    };

    /**
     * A Fluidify Regen server whose incidents, timelines and alerts are copied
     * in on a schedule; writes to those incidents go to Regen.
     */
    regen?: {
      /**
       * The server, e.g. `https://regen.example.com` (`/api/v1` is added).
       * @visibility backend
       */
      baseUrl: string;
      /**
       * Sent as `Authorization: Bearer`: `${REGEN_API_TOKEN}`.
       * @visibility secret
       */
      token?: string;
      /**
       * Regen's local sign-in session (the `oi_session` cookie), for servers without tokens.
       * @visibility secret
       */
      sessionCookie?: string;
      /**
       * How often the sync runs (default every 5 minutes).
       * @visibility backend
       */
      schedule?: {
        frequency: { minutes?: number; seconds?: number; hours?: number };
        timeout: { minutes?: number; seconds?: number };
        initialDelay?: { minutes?: number; seconds?: number };
      };
      /**
       * Closed incidents older than this many days (default 30) get only their
       * fields refreshed by the scheduled sync, not their whole timeline.
       * @visibility backend
       */
      recentDays?: number;
      /**
       * The alert label naming the affected service (default `service`).
       * @visibility backend
       */
      serviceLabel?: string;
      /**
       * Per request, in seconds (default 15).
       * @visibility backend
       */
      timeoutSeconds?: number;
    };

    /**
     * Where post-mortems can be exported, by id (e.g. `confluence`,
     * `team-wiki`). Page targets (confluence, notion) keep one page per
     * post-mortem that later exports update; file targets (markdown, pdf)
     * are downloads.
     */
    exports?: {
      [id: string]:
        | {
            type: 'confluence';
            /**
             * Shown in the export menu (default `Confluence (<spaceKey>)`).
             * @visibility backend
             */
            title?: string;
            /**
             * The site, e.g. `https://acme.atlassian.net` (`/wiki/rest/api` is added).
             * @visibility backend
             */
            baseUrl: string;
            /** @visibility backend */
            spaceKey: string;
            /**
             * New pages go under this page (quote it: it is a string).
             * @visibility backend
             */
            parentPageId?: string;
            /**
             * The Atlassian account the API token belongs to.
             * @visibility backend
             */
            email: string;
            /**
             * `${CONFLUENCE_API_TOKEN}`.
             * @visibility secret
             */
            apiToken: string;
            /**
             * Per request, in seconds (default 15).
             * @visibility backend
             */
            timeoutSeconds?: number;
          }
        | {
            type: 'notion';
            /** @visibility backend */
            title?: string;
            /**
             * An internal integration secret: `${NOTION_TOKEN}`. Share the parent page with the integration.
             * @visibility secret
             */
            token: string;
            /** @visibility backend */
            parentPageId: string;
            /**
             * The API base URL; only for tests or a proxy.
             * @visibility backend
             */
            baseUrl?: string;
            /** @visibility backend */
            timeoutSeconds?: number;
          }
        | {
            type: 'markdown' | 'pdf';
            /** @visibility backend */
            title?: string;
          };
    };

    /**
     * Issue trackers for action items, by id (e.g. `github`, `jira`), and
     * how often their issues are read back.
     */
    trackers?: {
      /**
       * How often the issues of action items are read (default 10 minutes),
       * e.g. `{ minutes: 5 }` or `'PT5M'`.
       * @visibility backend
       */
      syncFrequency?:
        | { hours?: number; minutes?: number; seconds?: number }
        | string;
      [id: string]:
        | {
            type: 'github';
            /** @visibility backend */
            owner: string;
            /** @visibility backend */
            repo: string;
            /**
             * A token that may write the repository's issues: `${GITHUB_TOKEN}`.
             * @visibility secret
             */
            token: string;
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
            /** @visibility backend */
            timeoutSeconds?: number;
          }
        | {
            type: 'jira';
            /**
             * The site, e.g. `https://acme.atlassian.net`.
             * @visibility backend
             */
            baseUrl: string;
            /** @visibility backend */
            projectKey: string;
            /** @visibility backend */
            email: string;
            /**
             * `${JIRA_API_TOKEN}`.
             * @visibility secret
             */
            apiToken: string;
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
            /** @visibility backend */
            timeoutSeconds?: number;
          }
        | { hours?: number; minutes?: number; seconds?: number }
        | string
        | undefined;
    };
  };
}
