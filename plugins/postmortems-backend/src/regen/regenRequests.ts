import { z } from 'zod';
import {
  INCIDENT_SEVERITIES,
  INCIDENT_STATUSES,
  POSTMORTEM_STATUSES,
} from '@postmortems-oss/backstage-plugin-postmortems-common';

/*
 * What Regen's clients send, with the limits Regen's own request binding
 * puts on each field (`backend/internal/api/handlers/dto/*_request.go`).
 * Bodies are not strict: Regen ignores fields it does not know, and so does
 * the dialect, so that a newer Regen client keeps working.
 */

const severity = z.enum(INCIDENT_SEVERITIES);
const status = z.enum(INCIDENT_STATUSES);
const rfc3339 = z.iso.datetime({ offset: true });
const anId = z
  .string()
  .trim()
  .min(1)
  .max(100)
  .regex(/^[A-Za-z0-9._:-]+$/, 'is not an id');

/** `page` (from 1) and `limit` (1-250, default 50), as Regen binds them. */
export const regenPageQuery = z.object({
  page: z.coerce.number().int().min(1).max(1_000_000).default(1),
  limit: z.coerce.number().int().min(1).max(250).default(50),
  // Regen accepts `offset` but pages by `page`; it is checked, not used.
  offset: z.coerce.number().int().min(0).optional(),
});

export const regenIncidentListQuery = regenPageQuery.extend({
  status: status.optional(),
  severity: severity.optional(),
  created_after: rfc3339.optional(),
  created_before: rfc3339.optional(),
});

export const regenAlertListQuery = regenPageQuery.extend({
  source: z.string().max(100).optional(),
  status: z.enum(['firing', 'resolved']).optional(),
  severity: z.enum(['critical', 'warning', 'info']).optional(),
});

export const regenIncidentCreate = z.object({
  title: z.string().min(1).max(500),
  severity: severity.optional(),
  description: z.string().max(10_000).optional(),
  ai_enabled: z.boolean().nullable().optional(),
});

export const regenIncidentUpdate = z.object({
  status: status.optional(),
  severity: severity.optional(),
  summary: z.string().max(5_000).optional(),
  ai_enabled: z.boolean().nullable().optional(),
  /**
   * A Backstage user entity ref or user name (Regen sends its user's UUID);
   * the nil UUID clears the commander, null leaves it as it is.
   */
  commander_id: z.string().max(255).nullable().optional(),
});

export const regenTimelineCreate = z.object({
  type: z.literal('message', {
    error: "manual entries must have type='message'",
  }),
  content: z.record(z.string(), z.unknown()),
});

export const regenPostmortemUpdate = z.object({
  content: z.string().max(1_000_000).optional(),
  status: z.enum(POSTMORTEM_STATUSES).optional(),
});

export const regenGenerate = z.object({
  template_id: anId.nullable().optional(),
});

export const regenEnhance = z.object({
  content: z.string().min(10).max(1_000_000),
});

export const regenComment = z.object({
  author_name: z.string().min(1).max(255),
  content: z.string().min(1).max(5_000),
});

export const regenActionItemCreate = z.object({
  title: z.string().min(1).max(500),
  owner: z.string().max(255).nullable().optional(),
  due_date: rfc3339.nullable().optional(),
});

export const regenActionItemUpdate = z.object({
  title: z.string().min(1).max(500).optional(),
  owner: z.string().max(255).nullable().optional(),
  due_date: rfc3339.nullable().optional(),
  status: z.enum(['open', 'in_progress', 'closed']).optional(),
});

const sectionTitle = z.string().trim().min(1).max(100);

export const regenTemplateCreate = z.object({
  name: z.string().trim().min(1).max(100),
  description: z.string().max(1_000).optional(),
  sections: z.array(sectionTitle).min(1).max(50),
});

export const regenTemplateUpdate = z.object({
  name: z.string().trim().min(1).max(100).optional(),
  description: z.string().max(1_000).optional(),
  sections: z.array(sectionTitle).min(1).max(50).optional(),
});

export const regenIdParams = z.object({ id: anId });
export const regenItemParams = regenIdParams.extend({ itemId: anId });
export const regenCommentParams = regenIdParams.extend({ commentId: anId });
