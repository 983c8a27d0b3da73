import { z } from 'zod';
import { templateReviewersSchema } from './reviews';
import { changesSomething, sectionKey, text, timestamp } from './shared';

/* Post-mortem templates: `/v1/post-mortem-templates[/:id[/copy|/activate]]` (Regen's path). */

/** @public */
export const templateSectionSchema = z.object({
  key: z.string(),
  title: z.string(),
  required: z.boolean(),
  /** Questions the author (or the model) should answer in this section. */
  guiding_questions: z.array(z.string()),
});
/** @public */
export type TemplateSection = z.infer<typeof templateSectionSchema>;

/** @public */
export const postmortemTemplateSchema = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string(),
  sections: z.array(templateSectionSchema),
  /** Categories proposed for action items, e.g. prevention, detection. */
  action_item_categories: z.array(z.string()),
  /**
   * Categories a post-mortem's cause is filed under (configuration,
   * capacity, …): what recurrence is recognised by.
   */
  cause_categories: z.array(z.string()).default([]),
  /**
   * Who must approve a post-mortem of this template before it is published:
   * user and group refs, `owners` for the affected services' owners; empty
   * when publishing needs no review.
   */
  reviewers: z.array(z.string()).default([]),
  is_builtin: z.boolean(),
  is_active: z.boolean(),
  created_at: timestamp,
  updated_at: timestamp,
});
/** @public */
export type PostmortemTemplate = z.infer<typeof postmortemTemplateSchema>;

// Requests

const templateSectionBody = z.strictObject({
  /** Made from the title when left out. */
  key: sectionKey.optional(),
  title: text(200),
  required: z.boolean().default(false),
  guiding_questions: z.array(text(1_000)).max(50).default([]),
});

/** `POST /v1/post-mortem-templates`. @public */
export const templateCreateBodySchema = z.strictObject({
  name: text(200),
  description: z.string().max(2_000).optional(),
  sections: z.array(templateSectionBody).min(1).max(50),
  action_item_categories: z.array(text(100)).max(50).optional(),
  /** The default categories when left out. */
  cause_categories: z.array(text(100)).max(50).optional(),
  reviewers: templateReviewersSchema.optional(),
});

/** A template as sent to create or change one. @public */
export type TemplateInput = z.input<typeof templateCreateBodySchema>;
/** One section of a {@link TemplateInput}. @public */
export type TemplateSectionInput = TemplateInput['sections'][number];

/** `PATCH /v1/post-mortem-templates/:id`: at least one field. @public */
export const templatePatchBodySchema = templateCreateBodySchema
  .partial()
  .refine(
    changesSomething([
      'name',
      'description',
      'sections',
      'action_item_categories',
      'cause_categories',
      'reviewers',
    ]).check,
    {
      message:
        'send at least one of: name, description, sections, action_item_categories, cause_categories, reviewers',
    },
  );

/** `POST /v1/post-mortem-templates/:id/copy`. @public */
export const templateCopyBodySchema = z.strictObject({
  name: text(200).optional(),
});
