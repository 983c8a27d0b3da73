import { Request } from 'express';
import { z } from 'zod';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import {
  ACTION_ITEM_STATUSES,
  INCIDENT_SEVERITIES,
  INCIDENT_STATUSES,
  POSTMORTEM_STATUSES,
  TIMELINE_ENTRY_TYPES,
} from '@postmortems-oss/backstage-plugin-postmortems-common';
import { FieldIssue, ValidationError } from '../services/errors';

/** Parses a value with a schema, or throws 400 naming every wrong field. */
export function parse<T extends z.ZodType>(
  schema: T,
  value: unknown,
  where: 'body' | 'query' | 'params',
): z.output<T> {
  const hostile = findHostile(value, where);
  if (hostile) {
    throw new ValidationError([hostile]);
  }
  const result = schema.safeParse(value ?? {});
  if (result.success) {
    return result.data;
  }
  const issues: FieldIssue[] = result.error.issues.map(issue => ({
    field: [where, ...issue.path.map(String)].join('.'),
    message: issue.message,
  }));
  throw new ValidationError(issues);
}

const NUL_MESSAGE = 'must not contain NUL characters';
const LONE_SURROGATE =
  /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/**
 * How deep a request value may nest. No documented request comes near it
 * (an import's timeline content is the deepest free-form part); it bounds the
 * work a body can cause.
 */
const MAX_NESTING = 64;

/**
 * The first string (or key) holding a NUL character, or the first value
 * nested deeper than {@link MAX_NESTING}, if any.
 *
 * Iterative on purpose: this runs before the schema on bodies of up to 10 MB,
 * and a recursive walk overflowed the stack on `[[[[…]]]]` 10,000 levels
 * deep, which answered 500 (found by router.fuzz.test.ts).
 */
function findHostile(value: unknown, root: string): FieldIssue | undefined {
  const pending: Array<{ value: unknown; path: string[] }> = [
    { value, path: [root] },
  ];
  while (pending.length) {
    const { value: current, path } = pending.pop()!;
    if (typeof current === 'string') {
      if (current.includes('\u0000')) {
        // PostgreSQL cannot store NUL in text; refuse it the same way everywhere.
        return { field: path.join('.'), message: NUL_MESSAGE };
      }
      if (LONE_SURROGATE.test(current)) {
        // Not encodable as UTF-8: SQLite stored three U+FFFD for one, and
        // PostgreSQL one, so an accepted save was not what was stored.
        return {
          field: path.join('.'),
          message: 'must be well-formed Unicode (no lone surrogates)',
        };
      }
    } else if (current && typeof current === 'object') {
      if (path.length > MAX_NESTING) {
        return {
          field: path.join('.'),
          message: `must not be nested more than ${MAX_NESTING} levels deep`,
        };
      }
      const entries = Object.entries(current);
      // Depth first, in document order: the first offending field is named.
      for (let i = entries.length - 1; i >= 0; i--) {
        const [key, child] = entries[i];
        if (key.includes('\u0000')) {
          return { field: path.join('.'), message: NUL_MESSAGE };
        }
        pending.push({ value: child, path: [...path, key] });
      }
    }
  }
  return undefined;
}

const text = (max: number) => z.string().trim().min(1).max(max);
const isoTime = z.iso.datetime({ offset: true });
const entityRef = z
  .string()
  .max(255)
  .regex(
    /^[a-z0-9_-]+:([a-z0-9_.-]+\/)?[a-z0-9_.-]+$/i,
    'must be an entity ref like component:default/checkout-api',
  );
const chat = z.object({
  provider: z.literal('slack'),
  channel_id: text(64),
  thread_ts: text(64).optional(),
});
const severity = z.enum(INCIDENT_SEVERITIES);
/** A list in a query string: `?status=open,done` or `?status=open&status=done`. */
const csv = <T extends z.ZodType<unknown, string>>(item: T) =>
  z
    .union([z.string(), z.array(z.string())])
    .transform(value =>
      (Array.isArray(value) ? value : value.split(','))
        .map(v => v.trim())
        .filter(Boolean),
    )
    .pipe(z.array(item));

/** Regen's pagination query: `page` from 1, `limit` up to 100. */
export const pagination = z.object({
  page: z.coerce.number().int().min(1).max(1_000_000).default(1),
  limit: z.coerce.number().int().min(1).max(100).default(20),
});

export function offsetOf(page: { page: number; limit: number }) {
  return { offset: (page.page - 1) * page.limit, limit: page.limit };
}

const idPattern = /^[A-Za-z0-9._:-]+$/;

/** An id path parameter: an incident id, number (42) or reference (INC-42). */
export const idParams = z.object({
  id: text(100).regex(idPattern, 'is not an id'),
});

export const incidentListQuery = pagination.extend({
  status: csv(z.enum(INCIDENT_STATUSES)).optional(),
  severity: csv(severity).optional(),
  created_after: isoTime.optional(),
  created_before: isoTime.optional(),
  entity_ref: entityRef.optional(),
});

export const incidentCreateBody = z.strictObject({
  title: text(500),
  severity,
  description: z.string().max(20_000).optional(),
  commander: entityRef.optional(),
  services: z.array(entityRef).max(100).optional(),
  chat: chat.optional(),
});

// Bodies are strict: an unknown field is a 400 naming it, rather than a
// typo that silently changes nothing.

/** A PATCH must name at least one field it changes; an empty one is a mistake. */
const changesSomething = <T extends Record<string, unknown>>(
  fields: readonly string[],
) => ({
  check: (body: T) => fields.some(field => body[field] !== undefined),
  message: `send at least one of: ${fields.join(', ')}`,
});

export const incidentPatchBody = z
  .strictObject({
    status: z.enum(INCIDENT_STATUSES).optional(),
    severity: severity.optional(),
    summary: z.string().max(20_000).nullable().optional(),
    commander: entityRef.nullable().optional(),
    title: text(500).optional(),
    description: z.string().max(20_000).nullable().optional(),
    services: z.array(entityRef).max(100).optional(),
    chat: chat.nullable().optional(),
  })
  .superRefine((body, ctx) => {
    const rule = changesSomething<typeof body>([
      'status',
      'severity',
      'summary',
      'commander',
      'title',
      'description',
      'services',
      'chat',
    ]);
    if (!rule.check(body))
      ctx.addIssue({ code: 'custom', message: rule.message, path: [] });
  });

export const timelineCreateBody = z.strictObject({
  type: z.literal('message'),
  content: z.union([
    text(20_000),
    z.object({ text: text(20_000) }).transform(value => value.text),
  ]),
});

export const incidentImportBody = z.strictObject({
  incident: z.object({
    number: z.number().int().min(1).max(999_999_999).optional(),
    title: text(500),
    description: z.string().max(20_000).optional(),
    severity,
    status: z.enum(INCIDENT_STATUSES),
    summary: z.string().max(20_000).optional(),
    commander: entityRef.optional(),
    services: z.array(entityRef).max(100).optional(),
    chat: chat.optional(),
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

export const generateBody = z.strictObject({
  template_id: text(100).regex(idPattern, 'is not an id').optional(),
  provider: z.enum(['openai', 'deterministic']).optional(),
});

export const sectionParams = idParams.extend({
  key: text(100).regex(/^[a-z0-9_]+$/, 'is not a section key'),
});

export const jobParams = z.object({
  jobId: text(100).regex(idPattern, 'is not an id'),
});

export const postmortemCreateBody = z.strictObject({
  template_id: text(100).regex(idPattern, 'is not an id').optional(),
});

const section = z.strictObject({
  key: text(100).regex(
    /^[a-z0-9_]+$/,
    'must be lower-case letters, digits and _',
  ),
  title: text(200),
  markdown: z.string().max(200_000),
});

export const postmortemPatchBody = z
  .strictObject({
    content: z.string().max(1_000_000).optional(),
    sections: z.array(section).max(100).optional(),
    status: z.enum(POSTMORTEM_STATUSES).optional(),
    version: z.number().int().min(1).optional(),
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

export const postmortemListQuery = pagination.extend({
  entity_ref: entityRef.optional(),
  entityRef: entityRef.optional(),
  status: csv(z.enum(POSTMORTEM_STATUSES)).optional(),
  severity: csv(severity).optional(),
});

export const exportQuery = z.object({
  format: z.enum(['json', 'markdown', 'pdf']).default('markdown'),
});

/** A configured export target or tracker id (a key under postmortems.exports/trackers). */
const destinationId = text(100).regex(idPattern, 'is not a configured id');
export const exportCreateBody = z.strictObject({ target: destinationId });
export const issueCreateBody = z.strictObject({ tracker: destinationId });
export const trackerParams = z.object({ trackerId: destinationId });

export const revisionParams = idParams.extend({
  version: z.coerce.number().int().min(1).max(1_000_000),
});

export const diffQuery = z.object({
  against: z.coerce.number().int().min(1).max(1_000_000),
});

export const restoreBody = z.strictObject({
  version: z.number().int().min(1).optional(),
});

/** Whether an owner, completed to a full ref as the service does, fits its column. */
function fitsAsOwnerRef(owner: string): boolean {
  try {
    const ref = parseEntityRef(owner.trim(), {
      defaultKind: 'user',
      defaultNamespace: 'default',
    });
    return stringifyEntityRef(ref).length <= 255;
  } catch {
    return true; // not a ref at all: the service names the problem
  }
}

// Regen's clients send `title` for the description and `closed` for done.
const actionItemStatus = z
  .enum([...ACTION_ITEM_STATUSES, 'closed'])
  .transform(status => (status === 'closed' ? 'done' : status));
const dueDate = z.union([
  z.iso.date(),
  isoTime.transform(value => value.slice(0, 10)),
]);
const actionItemFields = {
  description: text(2_000).optional(),
  title: text(2_000).optional(),
  owner: z
    .string()
    .max(255)
    // The owner is stored as a full ref in a 255-character column: a bare
    // 255-character name became `user:default/…` (268) and PostgreSQL
    // refused it with a 500.
    .refine(fitsAsOwnerRef, 'is longer than 255 characters as an entity ref')
    .nullable()
    .optional(),
  due_date: dueDate.nullable().optional(),
  status: actionItemStatus.optional(),
  category: z.string().trim().max(100).nullable().optional(),
  external_url: z
    .url({ protocol: /^https?$/ })
    .max(2_000)
    .nullable()
    .optional(),
  accepted: z.boolean().optional(),
};

export const actionItemCreateBody = z
  .strictObject(actionItemFields)
  .transform(({ title, ...rest }) => ({
    ...rest,
    description: rest.description ?? title,
  }))
  .refine(body => body.description !== undefined, {
    message: 'description (or title) is required',
    path: ['description'],
  })
  .transform(body => ({ ...body, description: body.description! }));

export const actionItemPatchBody = z
  .strictObject(actionItemFields)
  .refine(changesSomething(Object.keys(actionItemFields)).check, {
    message: `send at least one of: ${Object.keys(actionItemFields).join(
      ', ',
    )}`,
  })
  .transform(({ title, ...rest }) => ({
    ...rest,
    description: rest.description ?? title,
  }));

export const itemParams = idParams.extend({
  itemId: text(100).regex(idPattern, 'is not an id'),
});
export const commentParams = idParams.extend({
  commentId: text(100).regex(idPattern, 'is not an id'),
});
export const commentBody = z.strictObject({ body: text(20_000) });

export const actionItemListQuery = pagination.extend({
  owner: csv(z.string().max(255)).optional(),
  status: csv(actionItemStatus).optional(),
  overdue: z.enum(['true', 'false']).optional(),
  entity_ref: entityRef.optional(),
  entityRef: entityRef.optional(),
});

const templateSection = z.strictObject({
  key: text(100)
    .regex(/^[a-z0-9_]+$/, 'must be lower-case letters, digits and _')
    .optional(),
  title: text(200),
  required: z.boolean().default(false),
  guiding_questions: z.array(text(1_000)).max(50).default([]),
});

export const templateCreateBody = z.strictObject({
  name: text(200),
  description: z.string().max(2_000).optional(),
  sections: z.array(templateSection).min(1).max(50),
  action_item_categories: z.array(text(100)).max(50).optional(),
});

export const templatePatchBody = templateCreateBody
  .partial()
  .refine(
    changesSomething([
      'name',
      'description',
      'sections',
      'action_item_categories',
    ]).check,
    {
      message:
        'send at least one of: name, description, sections, action_item_categories',
    },
  );

export const templateCopyBody = z.strictObject({ name: text(200).optional() });

/**
 * The version an edit is based on: the body's `version`, or `If-Match`
 * (`"3"`, `W/"3"` or `3`). Both present and different is a 400.
 */
export function expectedVersion(
  req: Request,
  bodyVersion: number | undefined,
): number | undefined {
  const header = req.header('if-match');
  if (header === undefined) {
    return bodyVersion;
  }
  const match = /^(?:W\/)?"?(\d{1,9})"?$/.exec(header.trim());
  if (!match) {
    throw new ValidationError([
      { field: 'headers.if-match', message: 'must be a version number' },
    ]);
  }
  const version = Number(match[1]);
  if (bodyVersion !== undefined && bodyVersion !== version) {
    throw new ValidationError([
      {
        field: 'headers.if-match',
        message: 'does not match body.version',
      },
    ]);
  }
  return version;
}
