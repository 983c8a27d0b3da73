import { z } from 'zod';
import {
  INCIDENT_SEVERITIES,
  INCIDENT_STATUSES,
  TIMELINE_ENTRY_TYPES,
  TIMELINE_KEY_MOMENTS,
} from '../incidents';
import {
  changesSomething,
  csv,
  entityRef,
  id,
  idParamsSchema,
  isoTime,
  pageQuerySchema,
  text,
  timestamp,
} from './shared';

/*
 * Incidents, their timelines and alerts: `/v1/incidents[/:id]`,
 * `/v1/incidents/:id/timeline`, `/v1/incidents/import`, `/v1/alerts[/:id]`.
 * Field names follow Fluidify Regen's `/api/v1` (snake_case) so that its
 * clients keep working.
 */

const severity = z.enum(INCIDENT_SEVERITIES);
const status = z.enum(INCIDENT_STATUSES);

/** Where the incident's chat thread lives, when it has one. @public */
export const chatThreadRefSchema = z.object({
  provider: z.literal('slack'),
  channel_id: text(64),
  /** The thread's parent message; without it the channel's history is the thread. */
  thread_ts: text(64).optional(),
});
/** @public */
export type ChatThreadRef = z.infer<typeof chatThreadRefSchema>;

// Responses

/** @public */
export const incidentSchema = z.object({
  id: z.string(),
  /** Human number; shown as `INC-<number>`. */
  number: z.number().int(),
  reference: z.string(),
  title: z.string(),
  description: z.string().nullable(),
  severity,
  status,
  summary: z.string().nullable(),
  /** Backstage user entity ref of the incident commander. */
  commander: z.string().nullable(),
  /** Entity refs of the services the incident affected. */
  services: z.array(z.string()),
  chat: z
    .object({
      provider: z.literal('slack'),
      channel_id: z.string(),
      thread_ts: z.string().optional(),
    })
    .nullable(),
  source: z.string(),
  external_id: z.string().nullable(),
  triggered_at: timestamp,
  acknowledged_at: timestamp.nullable(),
  resolved_at: timestamp.nullable(),
  canceled_at: timestamp.nullable(),
  created_by: z.string().nullable(),
  created_at: timestamp,
  updated_at: timestamp,
});
/** @public */
export type Incident = z.infer<typeof incidentSchema>;

/**
 * One immutable event of an incident. `content` depends on `type`, e.g.
 * `{from, to}` for status_changed, `{text}` for message, `{text, user, ts}` for
 * slack_message, `{service, version, description}` for deploy.
 *
 * @public
 */
export const timelineEntrySchema = z.object({
  id: z.string(),
  incident_id: z.string(),
  type: z.enum(TIMELINE_ENTRY_TYPES),
  /** Who did it: a user entity ref, a chat user name, or a system name. */
  actor: z.string().nullable(),
  timestamp,
  content: z.record(z.string(), z.unknown()),
  created_at: timestamp,
});
/** @public */
export type TimelineEntry = z.infer<typeof timelineEntrySchema>;

/**
 * How an author curated one timeline entry for the post-mortem. The entry
 * itself stays as it was recorded; this is kept beside it.
 *
 * @public
 */
export const timelineCurationSchema = z.object({
  /** Left out of the curated timeline and the drafted Timeline section. */
  hidden: z.boolean(),
  /** Always kept in the drafted Timeline section, however long the timeline. */
  pinned: z.boolean(),
  key_moment: z.enum(TIMELINE_KEY_MOMENTS).nullable(),
  /**
   * Why the noise rule takes the entry for chatter (`bot`, `join_leave`,
   * `emoji`, `reaction`), or null. Noise is hidden unless an author shows it.
   */
  noise: z.enum(['bot', 'join_leave', 'emoji', 'reaction']).nullable(),
  /** Whether `hidden` is an author's choice rather than the noise rule's. */
  hidden_by_author: z.boolean(),
});
/** @public */
export type TimelineCuration = z.infer<typeof timelineCurationSchema>;

/** A timeline entry with its curation. @public */
export const curatedTimelineEntrySchema = timelineEntrySchema.extend({
  curation: timelineCurationSchema,
});
/** @public */
export type CuratedTimelineEntry = z.infer<typeof curatedTimelineEntrySchema>;

const moment = z
  .object({
    at: timestamp,
    /** A key moment marked on the timeline, or the incident's own timestamp. */
    source: z.enum(['key_moment', 'incident']),
    /** The marked entry, for a key moment. */
    entry_id: z.string().nullable(),
  })
  .nullable();

/**
 * An incident's key moments and the durations they give, measured from the
 * incident's trigger. Without a marked moment, acknowledged and resolved fall
 * back to the incident's own timestamps; detected and mitigated have none.
 *
 * @public
 */
export const incidentDurationsSchema = z.object({
  triggered_at: timestamp,
  moments: z.object({
    detected: moment,
    acknowledged: moment,
    mitigated: moment,
    resolved: moment,
  }),
  /** Time to detect: triggered to detected, in milliseconds. */
  mttd_ms: z.number().nullable(),
  /** Time to acknowledge: triggered to acknowledged. */
  mtta_ms: z.number().nullable(),
  /** Time to mitigate: triggered to mitigated. */
  mttm_ms: z.number().nullable(),
  /** Time to resolve: triggered to resolved. */
  mttr_ms: z.number().nullable(),
});
/** @public */
export type IncidentDurations = z.infer<typeof incidentDurationsSchema>;

/**
 * `GET /v1/incidents/:id/timeline?curated=true`: a page of the curated
 * timeline (without hidden entries unless `include_hidden=true`), how many
 * entries are hidden, and the key moments' durations.
 *
 * @public
 */
export const curatedTimelineSchema = z.object({
  data: z.array(curatedTimelineEntrySchema),
  total: z.number().int().min(0),
  page: z.number().int().min(1),
  limit: z.number().int().min(1),
  /** Entries hidden by an author or by the noise rule. */
  hidden: z.number().int().min(0),
  durations: incidentDurationsSchema,
});
/** @public */
export type CuratedTimeline = z.infer<typeof curatedTimelineSchema>;

/** @public */
export const alertSchema = z.object({
  id: z.string(),
  source: z.string(),
  external_id: z.string().nullable(),
  severity,
  status: z.enum(['firing', 'acknowledged', 'resolved']),
  title: z.string(),
  description: z.string().nullable(),
  labels: z.record(z.string(), z.string()),
  fired_at: timestamp,
  acknowledged_at: timestamp.nullable(),
  resolved_at: timestamp.nullable(),
  created_at: timestamp,
});
/** @public */
export type Alert = z.infer<typeof alertSchema>;

// Requests

/** `GET /v1/incidents`: newest first. @public */
export const incidentListQuerySchema = pageQuerySchema.extend({
  status: csv(status).optional(),
  severity: csv(severity).optional(),
  created_after: isoTime.optional(),
  created_before: isoTime.optional(),
  /** Only incidents that affected this entity. */
  entity_ref: entityRef.optional(),
  /** `false`: only incidents nobody has started a post-mortem for yet. */
  has_postmortem: z.enum(['true', 'false']).optional(),
});

// Bodies are strict: an unknown field is a 400 naming it, rather than a
// typo that silently changes nothing.

/** `POST /v1/incidents`. @public */
export const incidentCreateBodySchema = z.strictObject({
  title: text(500),
  severity,
  description: z.string().max(20_000).optional(),
  commander: entityRef.optional(),
  services: z.array(entityRef).max(100).optional(),
  chat: chatThreadRefSchema.optional(),
});
/** @public */
export type IncidentCreateBody = z.input<typeof incidentCreateBodySchema>;

const incidentPatchFields = [
  'status',
  'severity',
  'summary',
  'commander',
  'title',
  'description',
  'services',
  'chat',
] as const;

/** `PATCH /v1/incidents/:id`: at least one field. @public */
export const incidentPatchBodySchema = z
  .strictObject({
    status: status.optional(),
    severity: severity.optional(),
    summary: z.string().max(20_000).nullable().optional(),
    commander: entityRef.nullable().optional(),
    title: text(500).optional(),
    description: z.string().max(20_000).nullable().optional(),
    services: z.array(entityRef).max(100).optional(),
    chat: chatThreadRefSchema.nullable().optional(),
  })
  .superRefine((body, ctx) => {
    const rule = changesSomething<typeof body>(incidentPatchFields);
    if (!rule.check(body))
      ctx.addIssue({ code: 'custom', message: rule.message, path: [] });
  });
/** @public */
export type IncidentPatchBody = z.input<typeof incidentPatchBodySchema>;

/**
 * `POST /v1/incidents/:id/timeline`: a message, as text or `{text}`; the
 * parsed value is the text.
 *
 * @public
 */
export const timelineMessageBodySchema = z.strictObject({
  type: z.literal('message'),
  content: z.union([
    text(20_000),
    z.object({ text: text(20_000) }).transform(value => value.text),
  ]),
});
/** @public */
export type TimelineMessageBody = z.input<typeof timelineMessageBodySchema>;

const trueOrFalse = z.enum(['true', 'false']);

/**
 * `GET /v1/incidents/:id/timeline`: the timeline as recorded, or with
 * `curated=true` the curated one (see {@link curatedTimelineSchema}).
 *
 * @public
 */
export const timelineQuerySchema = pageQuerySchema.extend({
  curated: trueOrFalse.optional(),
  /** With `curated=true`: hidden entries too (each says it is hidden). */
  include_hidden: trueOrFalse.optional(),
});

/** `/v1/incidents/:id/timeline/:entryId`. @public */
export const timelineEntryParamsSchema = idParamsSchema.extend({
  entryId: id,
});

const curationPatchFields = ['hidden', 'pinned', 'key_moment'] as const;

/**
 * `PATCH /v1/incidents/:id/timeline/:entryId`: curate one entry. A key moment
 * marked here moves from the entry that had it.
 *
 * @public
 */
export const timelineCurationPatchBodySchema = z
  .strictObject({
    hidden: z.boolean().optional(),
    pinned: z.boolean().optional(),
    key_moment: z.enum(TIMELINE_KEY_MOMENTS).nullable().optional(),
  })
  .superRefine((body, ctx) => {
    const rule = changesSomething<typeof body>(curationPatchFields);
    if (!rule.check(body))
      ctx.addIssue({ code: 'custom', message: rule.message, path: [] });
  });
/** @public */
export type TimelineCurationPatchBody = z.input<
  typeof timelineCurationPatchBodySchema
>;

/**
 * One incident with its timeline and alerts as one document: what
 * `POST /v1/incidents/import` takes, so that incidents from other tools can be
 * brought in.
 *
 * @public
 */
export const incidentImportBodySchema = z.strictObject({
  incident: z.object({
    number: z.number().int().min(1).max(999_999_999).optional(),
    title: text(500),
    description: z.string().max(20_000).optional(),
    severity,
    status,
    summary: z.string().max(20_000).optional(),
    commander: entityRef.optional(),
    services: z.array(entityRef).max(100).optional(),
    chat: chatThreadRefSchema.optional(),
    source: text(100).optional(),
    external_id: text(200).optional(),
    triggered_at: isoTime,
    acknowledged_at: isoTime.optional(),
    resolved_at: isoTime.optional(),
    canceled_at: isoTime.optional(),
  }),
  timeline: z
    .array(
      z.object({
        type: z.enum(TIMELINE_ENTRY_TYPES),
        actor: z.string().max(255).optional(),
        timestamp: isoTime,
        content: z.record(z.string(), z.unknown()),
      }),
    )
    .max(200_000),
  alerts: z
    .array(
      z.object({
        source: text(100),
        external_id: text(200).optional(),
        severity,
        title: text(500),
        description: z.string().max(20_000).optional(),
        labels: z.record(z.string(), z.string()).optional(),
        fired_at: isoTime,
        acknowledged_at: isoTime.optional(),
        resolved_at: isoTime.optional(),
      }),
    )
    .max(1_000)
    .optional(),
});
/** @public */
export type IncidentImportDocument = z.input<typeof incidentImportBodySchema>;
