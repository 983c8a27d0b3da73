import { z } from 'zod';
import {
  INCIDENT_SEVERITIES,
  INCIDENT_STATUSES,
} from '@postmortems-oss/backstage-plugin-postmortems-common';

/*
 * The shapes Regen's `/api/v1` answers with (its incident, timeline entry and
 * alert responses). Fields Regen leaves out when empty (`omitempty`) are
 * optional here; fields we do not use are let through untouched.
 */

const timestamp = z.string().refine(v => !Number.isNaN(Date.parse(v)), {
  message: 'is not a timestamp',
});
const optionalTimestamp = timestamp.nullish();

export const regenAlertSummarySchema = z.looseObject({
  id: z.string().min(1),
  title: z.string(),
  source: z.string().min(1),
  severity: z.string(),
  status: z.string(),
  labels: z.record(z.string(), z.unknown()).nullish(),
  received_at: optionalTimestamp,
  started_at: optionalTimestamp,
});
export type RegenAlertSummary = z.infer<typeof regenAlertSummarySchema>;

export const regenAlertSchema = regenAlertSummarySchema.extend({
  description: z.string().nullish(),
  acknowledged_at: optionalTimestamp,
  ended_at: optionalTimestamp,
  resolved_at: optionalTimestamp,
});
export type RegenAlert = z.infer<typeof regenAlertSchema>;

export const regenIncidentSchema = z.looseObject({
  id: z.string().min(1),
  incident_number: z.number().int().positive(),
  title: z.string().min(1),
  status: z.enum(INCIDENT_STATUSES),
  severity: z.enum(INCIDENT_SEVERITIES),
  summary: z.string().nullish(),
  slack_channel: z
    .looseObject({ id: z.string().min(1), name: z.string().nullish() })
    .nullish(),
  created_at: timestamp,
  triggered_at: timestamp,
  acknowledged_at: optionalTimestamp,
  resolved_at: optionalTimestamp,
  canceled_at: optionalTimestamp,
  /** A Regen user's id; Regen resolves `commander_name` from its users. */
  commander_id: z.string().min(1).nullish(),
  commander_name: z.string().nullish(),
});
export type RegenIncident = z.infer<typeof regenIncidentSchema>;

/** `GET /incidents/:id` adds the linked alerts (and the first timeline entries, unused). */
export const regenIncidentDetailSchema = regenIncidentSchema.extend({
  alerts: z.array(regenAlertSummarySchema).nullish(),
});
export type RegenIncidentDetail = z.infer<typeof regenIncidentDetailSchema>;

export const regenTimelineEntrySchema = z.looseObject({
  id: z.string().min(1),
  timestamp,
  type: z.string().min(1),
  actor_type: z.string().nullish(),
  actor_id: z.string().nullish(),
  actor_name: z.string().nullish(),
  content: z.record(z.string(), z.unknown()).nullish(),
});
export type RegenTimelineEntry = z.infer<typeof regenTimelineEntrySchema>;

/** `GET /users`: the active users Regen offers for commander assignment. */
export const regenUsersSchema = z.looseObject({
  users: z.array(
    z.looseObject({
      id: z.string().min(1),
      name: z.string().nullish(),
      email: z.string().nullish(),
    }),
  ),
});
export type RegenUser = z.infer<typeof regenUsersSchema>['users'][number];
