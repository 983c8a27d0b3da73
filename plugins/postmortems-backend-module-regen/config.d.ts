import { SchedulerServiceTaskScheduleDefinitionConfig } from '@backstage/backend-plugin-api';

export interface Config {
  postmortems?: {
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
      schedule?: SchedulerServiceTaskScheduleDefinitionConfig;
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
  };
}
