import { z } from 'zod';
import { INCIDENT_SEVERITIES, INCIDENT_STATUSES } from '../incidents';
import { POSTMORTEM_STATUSES } from '../postmortems';
import { actionItemSchema } from './actionItems';
import { evidenceFindingSchema } from './generation';
import { postmortemReviewSchema } from './reviews';
import {
  changesSomething,
  csv,
  entityRef,
  id,
  idParamsSchema,
  pageQuerySchema,
  sectionKey,
  text,
  timestamp,
} from './shared';

/*
 * Post-mortems, their revisions and comments:
 * `/v1/incidents/:id/postmortem[/revisions|/comments]` and `/v1/postmortems`.
 */

const postmortemStatus = z.enum(POSTMORTEM_STATUSES);

/**
 * Who wrote a version of the content: a model (`ai`), the drafter that works
 * without one (`deterministic`), a person, or the system.
 *
 * @public
 */
export const authorKindSchema = z.enum([
  'ai',
  'deterministic',
  'human',
  'system',
]);
/** @public */
export type AuthorKind = z.infer<typeof authorKindSchema>;

/** One section of a post-mortem document. @public */
export const postmortemSectionSchema = z.object({
  /** Stable key, e.g. `root_cause`; matches the template section it fills. */
  key: z.string(),
  title: z.string(),
  markdown: z.string(),
});
/** @public */
export type PostmortemSection = z.infer<typeof postmortemSectionSchema>;

/** What a list of post-mortems shows about each one's incident. @public */
export const incidentSummarySchema = z.object({
  id: z.string(),
  number: z.number().int(),
  reference: z.string(),
  title: z.string(),
  severity: z.enum(INCIDENT_SEVERITIES),
  status: z.enum(INCIDENT_STATUSES),
  services: z.array(z.string()),
  commander: z.string().nullable(),
  triggered_at: timestamp,
  resolved_at: timestamp.nullable(),
});
/** @public */
export type IncidentSummary = z.infer<typeof incidentSummarySchema>;

/** @public */
export const postmortemSchema = z.object({
  id: z.string(),
  incident_id: z.string(),
  status: postmortemStatus,
  /** The whole document as Markdown (Regen's `content`). */
  content: z.string(),
  sections: z.array(postmortemSectionSchema),
  template_id: z.string().nullable(),
  template_name: z.string().nullable(),
  /** `ai`, `deterministic` or `manual`: how the current draft came to be. */
  generated_by: z.string(),
  generated_at: timestamp.nullable(),
  /** Increases with every change; send it back to edit (optimistic concurrency). */
  version: z.number().int().min(1),
  published_at: timestamp.nullable(),
  published_by: z.string().nullable(),
  /**
   * The version that was published; a published post-mortem whose
   * `version` is higher has been amended since.
   */
  published_version: z.number().int().nullable().optional(),
  created_by: z.string().nullable(),
  updated_by: z.string().nullable(),
  created_at: timestamp,
  updated_at: timestamp,
  action_items: z.array(actionItemSchema),
  /** What the evidence check found in this version of the draft. */
  findings: z.array(evidenceFindingSchema),
  /** The evidence the draft was made from, e.g. timeline entry ids per section key. */
  evidence: z.record(z.string(), z.array(z.string())),
  /** Its review before publishing; present on reads of one post-mortem. */
  review: postmortemReviewSchema.optional(),
  /** The incident in brief; present in lists (`GET /v1/postmortems`). */
  incident: incidentSummarySchema.optional(),
});
/** @public */
export type Postmortem = z.infer<typeof postmortemSchema>;

/**
 * A post-mortem in a list (`GET /v1/postmortems`): its document (`content`,
 * `sections`, `findings`, `evidence`) is left out unless the list is asked
 * for it with `?include=content`, and its action items unless asked with
 * `?include=action_items` (their counts come instead), because a page of
 * whole documents weighs hundreds of kilobytes that list views never show.
 *
 * @public
 */
export const postmortemListItemSchema = postmortemSchema
  .partial({
    content: true,
    sections: true,
    findings: true,
    evidence: true,
    action_items: true,
  })
  .extend({
    /** How many action items it has, and how many are not done yet. */
    action_item_counts: z
      .object({ total: z.number().int(), open: z.number().int() })
      .optional(),
  });
/** @public */
export type PostmortemListItem = z.infer<typeof postmortemListItemSchema>;

/** A kept version of a post-mortem's content. @public */
export const postmortemRevisionSchema = z.object({
  id: z.string(),
  postmortem_id: z.string(),
  /** The post-mortem version this content had. */
  version: z.number().int().min(1),
  kind: authorKindSchema,
  /** What made this version: create, save, generate, enhance, publish, unpublish, restore. */
  reason: z.string(),
  status: postmortemStatus,
  content: z.string(),
  sections: z.array(postmortemSectionSchema),
  author: z.string().nullable(),
  created_at: timestamp,
});
/** @public */
export type PostmortemRevision = z.infer<typeof postmortemRevisionSchema>;

/** The lines that differ between two revisions, for a side-by-side view. @public */
export const revisionDiffSchema = z.object({
  from: z.number().int(),
  to: z.number().int(),
  changes: z.array(
    z.object({
      kind: z.enum(['added', 'removed', 'unchanged']),
      text: z.string(),
    }),
  ),
});
/** @public */
export type RevisionDiff = z.infer<typeof revisionDiffSchema>;

/** @public */
export const postmortemCommentSchema = z.object({
  id: z.string(),
  postmortem_id: z.string(),
  author: z.string(),
  body: z.string(),
  created_at: timestamp,
});
/** @public */
export type PostmortemComment = z.infer<typeof postmortemCommentSchema>;

// Requests

/** `GET /v1/postmortems`: newest incident first. @public */
export const postmortemListQuerySchema = pageQuerySchema.extend({
  entity_ref: entityRef.optional(),
  /** The same as `entity_ref`, as the frontend sends it. */
  entityRef: entityRef.optional(),
  status: csv(postmortemStatus).optional(),
  severity: csv(z.enum(INCIDENT_SEVERITIES)).optional(),
  /**
   * `content`: each item carries its whole document; `action_items`: its
   * action items (otherwise only their counts).
   */
  include: csv(z.enum(['content', 'action_items'])).optional(),
  /** Post-mortems filed under any of these cause categories. */
  cause: csv(text(100)).optional(),
  /** `true`: only recurrences of an earlier post-mortem; `false`: none. */
  recurrence: z.enum(['true', 'false']).optional(),
});

/** `POST /v1/incidents/:id/postmortem`: a blank draft from a template. @public */
export const postmortemCreateBodySchema = z.strictObject({
  template_id: id.optional(),
});
/** @public */
export type PostmortemCreateBody = z.input<typeof postmortemCreateBodySchema>;

const sectionBody = z.strictObject({
  key: sectionKey,
  title: text(200),
  markdown: z.string().max(200_000),
});

/**
 * `PATCH /v1/incidents/:id/postmortem`: content or sections, and/or status.
 * `version` (or `If-Match`) names the version the edit is based on.
 *
 * @public
 */
export const postmortemPatchBodySchema = z
  .strictObject({
    content: z.string().max(1_000_000).optional(),
    sections: z.array(sectionBody).max(100).optional(),
    status: postmortemStatus.optional(),
    version: z.number().int().min(1).optional(),
    /** Publish although the evidence check still has findings. */
    override_findings: z.boolean().optional(),
  })
  .refine(
    body => !(body.content !== undefined && body.sections !== undefined),
    {
      message: 'send either content or sections, not both',
      path: ['sections'],
    },
  )
  .refine(changesSomething(['content', 'sections', 'status']).check, {
    message: 'send at least one of: content, sections, status',
  });
/** @public */
export type PostmortemPatchBody = z.input<typeof postmortemPatchBodySchema>;

/** `.../postmortem/revisions/:version`. @public */
export const revisionParamsSchema = idParamsSchema.extend({
  version: z.coerce.number().int().min(1).max(1_000_000),
});

/** `.../revisions/:version/diff?against=N`. @public */
export const revisionDiffQuerySchema = z.object({
  against: z.coerce.number().int().min(1).max(1_000_000),
});

/** `POST .../revisions/:version/restore`: `version` is the one the restore is based on. @public */
export const revisionRestoreBodySchema = z.strictObject({
  version: z.number().int().min(1).optional(),
});
/** @public */
export type RevisionRestoreBody = z.input<typeof revisionRestoreBodySchema>;

/** `.../postmortem/comments/:commentId`. @public */
export const commentParamsSchema = idParamsSchema.extend({ commentId: id });

/** `POST .../postmortem/comments`. @public */
export const commentBodySchema = z.strictObject({ body: text(20_000) });
/** @public */
export type CommentBody = z.input<typeof commentBodySchema>;
