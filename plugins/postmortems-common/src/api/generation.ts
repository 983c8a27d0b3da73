import { z } from 'zod';
import { GENERATION_JOB_STATUSES } from '../generation';
import { id, idParamsSchema, text, timestamp } from './shared';

/*
 * Drafting: `POST .../postmortem/generate|enhance`,
 * `POST .../postmortem/sections/:key/regenerate`, `/v1/generation-jobs/:jobId[/events]`
 * and `/v1/system/provider[/test]`; and the evidence check's findings.
 */

/** Which engine writes a draft. @public */
export const providerKindSchema = z.enum(['openai', 'deterministic']);
/** @public */
export type ProviderKind = z.infer<typeof providerKindSchema>;

/**
 * A persisted generation job. `POST .../postmortem/generate` with
 * `Prefer: respond-async` answers 202 with one; follow it with
 * `GET /v1/generation-jobs/:id` or the server-sent events at
 * `GET /v1/generation-jobs/:id/events`.
 *
 * @public
 */
export const generationJobSchema = z.object({
  id: z.string(),
  incident_id: z.string(),
  /** `document` (whole draft), `section` (one section) or `enhance`. */
  kind: z.enum(['document', 'section', 'enhance']),
  section_key: z.string().nullable(),
  status: z.enum(GENERATION_JOB_STATUSES),
  provider: providerKindSchema,
  template_id: z.string().nullable(),
  /** Keys of the sections written so far, in completion order. */
  sections_done: z.array(z.string()),
  /** A message a user can act on when the job failed. */
  error: z.string().nullable(),
  attempts: z.number().int(),
  requested_by: z.string().nullable(),
  created_at: timestamp,
  updated_at: timestamp,
  finished_at: timestamp.nullable(),
});
/** @public */
export type GenerationJob = z.infer<typeof generationJobSchema>;

/**
 * The data of a `section` server-sent event: a section as written so far.
 * Sections drafted in parallel are sent again as they grow.
 *
 * @public
 */
export const generatedSectionSchema = z.object({
  key: z.string(),
  title: z.string(),
  markdown: z.string(),
  /** False while the model is still writing it (its text so far). */
  done: z.boolean().optional(),
});
/** @public */
export type GeneratedSection = z.infer<typeof generatedSectionSchema>;

/** @public */
export const findingKindSchema = z.enum([
  'unsupported_timestamp',
  'unknown_person',
  'blame',
  'missing_section',
]);
/** @public */
export type FindingKind = z.infer<typeof findingKindSchema>;

/**
 * Something the evidence check found in a draft: a time or a person that the
 * evidence does not contain, blaming language, a required section left empty.
 *
 * @public
 */
export const evidenceFindingSchema = z.object({
  id: z.string(),
  kind: findingKindSchema,
  section_key: z.string().nullable(),
  /** The text the finding is about, as it appears in the draft. */
  excerpt: z.string(),
  message: z.string(),
  /** A suggested rewording or action, e.g. a blameless phrasing. */
  hint: z.string().nullable(),
});
/** @public */
export type EvidenceFinding = z.infer<typeof evidenceFindingSchema>;

/** Which model provider is active; never the key. @public */
export const providerStatusSchema = z.object({
  provider: providerKindSchema,
  /** The model name, for OpenAI-compatible providers. */
  model: z.string().nullable(),
  /** The endpoint's host, for OpenAI-compatible providers. */
  base_url: z.string().nullable(),
  configured: z.boolean(),
});
/** @public */
export type ProviderStatus = z.infer<typeof providerStatusSchema>;

/** What `POST /v1/system/provider/test` answers. @public */
export const providerTestResultSchema = z.object({
  ok: z.boolean(),
  message: z.string(),
});
/** @public */
export type ProviderTestResult = z.infer<typeof providerTestResultSchema>;

// Requests

/** `POST .../postmortem/generate`. @public */
export const generateBodySchema = z.strictObject({
  template_id: id.optional(),
  provider: providerKindSchema.optional(),
});
/** @public */
export type GenerateBody = z.input<typeof generateBodySchema>;

/** `POST .../postmortem/enhance` and `.../sections/:key/regenerate`. @public */
export const regenerateBodySchema = generateBodySchema.omit({
  template_id: true,
});

/** `.../postmortem/sections/:key`. @public */
export const sectionParamsSchema = idParamsSchema.extend({
  key: text(100).regex(/^[a-z0-9_]+$/, 'is not a section key'),
});

/** `/v1/generation-jobs/:jobId`. @public */
export const jobParamsSchema = z.object({ jobId: id });
