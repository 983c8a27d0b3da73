import { z } from 'zod';
import { text, timestamp } from './shared';

/*
 * Cause categories and recurrence: did the action items of an earlier
 * post-mortem stop it from happening again?
 *
 * - `GET|PUT /v1/incidents/:id/postmortem/causes`: the post-mortem's cause
 *   categories, chosen from its template's, with the ones its text suggests;
 * - `GET /v1/incidents/:id/postmortem/recurrences`: the earlier post-mortems
 *   this incident is a recurrence of, and the later incidents that were
 *   recurrences of this one.
 *
 * An incident is a recurrence of an earlier one when both affected a service,
 * their post-mortems share a cause category, and every action item of the
 * earlier post-mortem was done before the new incident began.
 */

/**
 * The cause categories a template offers when it names none of its own.
 *
 * @public
 */
export const DEFAULT_CAUSE_CATEGORIES = [
  'code-change',
  'configuration',
  'capacity',
  'dependency',
  'expiry',
  'data',
  'infrastructure',
  'process',
] as const;

/** `PUT …/postmortem/causes`: the whole set, replacing the one before. @public */
export const causesBodySchema = z.strictObject({
  categories: z.array(text(100)).max(20),
});
/** @public */
export type CausesBody = z.input<typeof causesBodySchema>;

/** A post-mortem's cause categories. @public */
export const postmortemCausesSchema = z.object({
  categories: z.array(z.string()),
  /** What its template offers to choose from. */
  available: z.array(z.string()),
  /**
   * Categories the root cause and contributing factors suggest (by their
   * words), not yet chosen; a suggestion for the author, never applied alone.
   */
  suggested: z.array(z.string()),
});
/** @public */
export type PostmortemCauses = z.infer<typeof postmortemCausesSchema>;

/** One post-mortem on the other side of a recurrence. @public */
export const recurrenceLinkSchema = z.object({
  postmortem_id: z.string(),
  incident_id: z.string(),
  /** `INC-12`; its page is `/postmortems/incidents/<reference>`. */
  reference: z.string(),
  title: z.string(),
  triggered_at: timestamp,
  /** Cause categories both post-mortems have. */
  categories: z.array(z.string()),
  /** Services both incidents affected. */
  services: z.array(z.string()),
  /** Action items of the earlier post-mortem, all done. */
  items: z.number().int().min(1),
  /** When the last of them was done. */
  items_done_at: timestamp,
  /** From `items_done_at` to the start of the later incident, in milliseconds. */
  after_ms: z.number().min(0),
  detected_at: timestamp,
});
/** @public */
export type RecurrenceLink = z.infer<typeof recurrenceLinkSchema>;

/** @public */
export const recurrencesSchema = z.object({
  /** Earlier post-mortems whose cause came back in this incident. */
  recurrence_of: z.array(recurrenceLinkSchema),
  /** Later incidents in which this post-mortem's cause came back. */
  recurred_in: z.array(recurrenceLinkSchema),
});
/** @public */
export type Recurrences = z.infer<typeof recurrencesSchema>;
