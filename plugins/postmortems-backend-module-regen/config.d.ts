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
      /**
       * How a Regen incident's commander (`commander_id`, a Regen user)
       * becomes the copy's commander, a catalog User: the User whose
       * `annotation` holds the Regen user id, or else the User whose
       * `spec.profile.email` is the user's e-mail in Regen. A commander set
       * by hand in Backstage is kept.
       */
      commanders?: {
        /**
         * The catalog annotation holding a user's Regen user id (default
         * `fluidify.ai/user-id`).
         * @visibility backend
         */
        annotation?: string;
        /**
         * Whether the e-mail Regen has for its user may find the catalog
         * User (default true); false maps by the annotation only.
         * @visibility backend
         */
        byEmail?: boolean;
      };
    };
  };
}
