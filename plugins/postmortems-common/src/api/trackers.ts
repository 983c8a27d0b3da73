import { z } from 'zod';
import { TRACKER_TYPES } from '../destinations';
import { destinationId } from './shared';

/*
 * Issue trackers: `GET /v1/trackers`, `POST /v1/trackers/sync`,
 * `POST .../action-items/:itemId/issue` and the trackers' webhooks.
 */

/** A configured issue tracker, as `GET /v1/trackers` lists it. @public */
export const issueTrackerSchema = z.object({
  /** The key under `postmortems.trackers` (e.g. `github`, `jira`). */
  id: z.string(),
  type: z.enum(TRACKER_TYPES),
  /** e.g. `acme/payments` or Jira project `OPS`. */
  title: z.string(),
});
/** @public */
export type IssueTracker = z.infer<typeof issueTrackerSchema>;

/** What a pull of issue states from the trackers did (`POST /v1/trackers/sync`). @public */
export const trackerSyncResultSchema = z.object({
  /** Items whose issue was read. */
  checked: z.number().int(),
  /** Items marked done because their issue was closed. */
  done: z.number().int(),
  /** Done items reopened because their issue was reopened. */
  reopened: z.number().int(),
  /** Changes made in Backstage that reached the tracker only now. */
  pushed: z.number().int(),
  /** Items whose issue no longer exists or is not visible. */
  missing: z.number().int(),
  /** Trackers that could not be read (the others were still synced). */
  errors: z.array(z.object({ tracker: z.string(), message: z.string() })),
});
/** @public */
export type TrackerSyncResult = z.infer<typeof trackerSyncResultSchema>;

// Requests

/** `POST .../action-items/:itemId/issue`. @public */
export const issueCreateBodySchema = z.strictObject({ tracker: destinationId });
/** @public */
export type IssueCreateBody = z.input<typeof issueCreateBodySchema>;

/** `/v1/trackers/:trackerId/webhook`. @public */
export const trackerParamsSchema = z.object({ trackerId: destinationId });
