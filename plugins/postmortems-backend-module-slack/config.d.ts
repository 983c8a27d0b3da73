export interface Config {
  postmortems?: {
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
