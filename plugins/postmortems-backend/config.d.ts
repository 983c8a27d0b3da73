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
    };

    /** Drafting. */
    generation?: {
      /**
       * All attempts of one generation together, in seconds (default 180).
       * @visibility backend
       */
      deadlineSeconds?: number;
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
  };
}
