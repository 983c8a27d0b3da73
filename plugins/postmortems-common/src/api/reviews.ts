import { z } from 'zod';
import { entityRef, timestamp } from './shared';

/*
 * Review before publishing: the author asks reviewers (users, groups, or the
 * owners of the affected services, as the template says or the request
 * names), each approves or requests changes, and a post-mortem that needs
 * review publishes once every reviewer asked has approved its current
 * content. `/v1/incidents/:id/postmortem/reviews[/request]`.
 */

/** What a reviewer decided. @public */
export const reviewDecisionSchema = z.enum(['approved', 'changes_requested']);
/** @public */
export type ReviewDecision = z.infer<typeof reviewDecisionSchema>;

/**
 * Where a post-mortem's review stands: nobody asked yet, waiting for
 * reviewers, a reviewer asked for changes, or every reviewer asked approved
 * the current content.
 *
 * @public
 */
export const reviewStateSchema = z.enum([
  'not_requested',
  'in_review',
  'changes_requested',
  'approved',
]);
/** @public */
export type ReviewState = z.infer<typeof reviewStateSchema>;

/** One reviewer asked, and what they (or a member of the group) decided. @public */
export const reviewerStatusSchema = z.object({
  /** The user or group asked. */
  reviewer: z.string(),
  decision: reviewDecisionSchema.nullable(),
  /** The user who decided for this reviewer. */
  decided_by: z.string().nullable(),
  decided_at: timestamp.nullable(),
  comment: z.string().nullable(),
  /** False when the content changed after the decision: it needs a new look. */
  current: z.boolean(),
});
/** @public */
export type ReviewerStatus = z.infer<typeof reviewerStatusSchema>;

/** A post-mortem's review as its reads carry it. @public */
export const postmortemReviewSchema = z.object({
  state: reviewStateSchema,
  /** Whether publishing waits for approval (the template asks, or a review was requested). */
  required: z.boolean(),
  /** Reviewers the template names (`owners` stands for the affected services' owners). */
  template_reviewers: z.array(z.string()),
  requested_by: z.string().nullable(),
  requested_at: timestamp.nullable(),
  reviewers: z.array(reviewerStatusSchema),
});
/** @public */
export type PostmortemReview = z.infer<typeof postmortemReviewSchema>;

/** One step of a review, as the history lists it. @public */
export const reviewEventSchema = z.object({
  id: z.string(),
  postmortem_id: z.string(),
  kind: z.enum(['requested', 'approved', 'changes_requested']),
  author: z.string(),
  /** Who was asked (requests) or for whom the author decided (decisions). */
  reviewers: z.array(z.string()),
  comment: z.string().nullable(),
  /** The post-mortem version the step was taken on. */
  version: z.number().int(),
  created_at: timestamp,
});
/** @public */
export type ReviewEvent = z.infer<typeof reviewEventSchema>;

/**
 * A template's reviewers, or a request's: user and group refs, and `owners`
 * for the owners of the services the incident affected.
 */
const reviewerRef = z.union([
  z.literal('owners'),
  entityRef.refine(ref => /^(user|group):/i.test(ref), {
    message: 'must be a user or group ref, or owners',
  }),
]);

/** `POST /v1/incidents/:id/postmortem/reviews/request`. @public */
export const reviewRequestBodySchema = z.strictObject({
  /** Who to ask; the template's reviewers when left out. */
  reviewers: z.array(reviewerRef).min(1).max(20).optional(),
  comment: z.string().trim().max(2_000).optional(),
});
/** @public */
export type ReviewRequestBody = z.input<typeof reviewRequestBodySchema>;

/** `POST /v1/incidents/:id/postmortem/reviews`. @public */
export const reviewDecisionBodySchema = z
  .strictObject({
    decision: reviewDecisionSchema,
    comment: z.string().trim().max(5_000).optional(),
    /** The version the reviewer read; a newer one on the server is a 409. */
    version: z.number().int().min(1).optional(),
  })
  .refine(body => body.decision !== 'changes_requested' || !!body.comment, {
    message: 'say what should change',
    path: ['comment'],
  });
/** @public */
export type ReviewDecisionBody = z.input<typeof reviewDecisionBodySchema>;

/** The reviewer refs a template may name. @public */
export const templateReviewersSchema = z.array(reviewerRef).max(20);
