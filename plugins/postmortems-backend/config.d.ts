import { SchedulerServiceTaskScheduleDefinitionConfig } from '@backstage/backend-plugin-api';

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

    /** Action item reminders through Backstage notifications. */
    reminders?: {
      /**
       * Set false to send no assignment, due-soon or overdue notices.
       * @visibility backend
       */
      enabled?: boolean;
      /**
       * When due and overdue items are checked, in Backstage's task schedule
       * shape (default every 15 minutes, first run 1 minute after start-up).
       * @visibility backend
       */
      schedule?: SchedulerServiceTaskScheduleDefinitionConfig;
      /**
       * @deprecated Use `schedule.frequency`.
       * @visibility backend
       */
      frequency?:
        | { hours?: number; minutes?: number; seconds?: number }
        | string;
      /**
       * @deprecated Use `schedule.initialDelay`.
       * @visibility backend
       */
      initialDelay?:
        | { hours?: number; minutes?: number; seconds?: number }
        | string;
    };

    /**
     * Where post-mortems can be exported, by id (e.g. `confluence`,
     * `team-wiki`). Page targets (confluence, notion) keep one page per
     * post-mortem that later exports update; file targets (markdown, pdf)
     * are downloads. Markdown is built in; every other type comes from its
     * backend module (`@postmortems-oss/backstage-plugin-postmortems-backend-module-<type>`),
     * which also documents its keys. A type whose module is not installed
     * fails start-up naming the module.
     */
    exports?: {
      [id: string]: {
        /** @visibility backend */
        type: 'confluence' | 'notion' | 'markdown' | 'pdf';
        /**
         * Shown in the export menu (default per type, e.g. `Confluence (<spaceKey>)`, `Notion`, `PDF file`).
         * @visibility backend
         */
        title?: string;
        /**
         * Per request to a page target, in seconds (default 15).
         * @visibility backend
         */
        timeoutSeconds?: number;
      };
    };

    /**
     * Issue trackers for action items, by id (e.g. `github`, `jira`), and
     * how often their issues are read back. Each type comes from its backend
     * module (`@postmortems-oss/backstage-plugin-postmortems-backend-module-<type>`),
     * which also documents its keys. A type whose module is not installed
     * fails start-up naming the module.
     */
    trackers?: {
      /**
       * When the issues of action items are read back, in Backstage's task
       * schedule shape (default every 10 minutes, first run after 10 minutes).
       * @visibility backend
       */
      schedule?: SchedulerServiceTaskScheduleDefinitionConfig;
      /**
       * @deprecated Use `schedule.frequency`.
       * @visibility backend
       */
      syncFrequency?:
        | { hours?: number; minutes?: number; seconds?: number }
        | string;
      [id: string]:
        | {
            /** @visibility backend */
            type: 'github' | 'jira';
            /**
             * Per request, in seconds (default 15).
             * @visibility backend
             */
            timeoutSeconds?: number;
          }
        | SchedulerServiceTaskScheduleDefinitionConfig
        | { hours?: number; minutes?: number; seconds?: number }
        | string
        | undefined;
    };

    /** Fluidify Regen. */
    regen?: {
      /**
       * The Regen dialect of the API (`/api/postmortems/regen/api/v1`), which
       * Regen's own clients use; see docs/REGEN-DIALECT.md.
       */
      dialect?: {
        /**
         * Refuse to publish through the dialect while the evidence check has
         * findings (409), as the native API does unless the caller overrides
         * it. Default false: Regen's clients have no way to send the
         * override, so by default they publish as they do against Regen.
         * @visibility backend
         */
        enforcePublishChecks?: boolean;
      };
    };
  };
}
