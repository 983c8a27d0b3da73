import { z } from 'zod';

/*
 * Building blocks of the native API's schemas: the field rules every
 * resource shares, pagination and the error envelope.
 */

/** Non-blank text up to `max` characters, trimmed. */
export const text = (max: number) => z.string().trim().min(1).max(max);

/** An ISO 8601 date-time with a zone (`Z` or an offset), as requests send them. */
export const isoTime = z.iso.datetime({ offset: true });

/** A timestamp as responses carry it (ISO 8601, UTC). */
export const timestamp = z.string().meta({ format: 'date-time' });

const idPattern = /^[A-Za-z0-9._:-]+$/;

/** An id in a path or body: letters, digits and `._:-`. */
export const id = text(100).regex(idPattern, 'is not an id');

/** A configured export target or tracker id (a key under postmortems.exports/trackers). */
export const destinationId = text(100).regex(
  idPattern,
  'is not a configured id',
);

/** A section key: `root_cause`. */
export const sectionKey = text(100).regex(
  /^[a-z0-9_]+$/,
  'must be lower-case letters, digits and _',
);

/** A full or short entity ref, as filters and incident fields take them. */
export const entityRef = z
  .string()
  .max(255)
  .regex(
    /^[a-z0-9_-]+:([a-z0-9_.-]+\/)?[a-z0-9_.-]+$/i,
    'must be an entity ref like component:default/checkout-api',
  );

/** A list in a query string: `?status=open,done` or `?status=open&status=done`. */
export const csv = <T extends z.ZodType<unknown, string>>(item: T) =>
  z
    .union([z.string(), z.array(z.string())])
    .transform(value =>
      (Array.isArray(value) ? value : value.split(','))
        .map(v => v.trim())
        .filter(Boolean),
    )
    .pipe(z.array(item));

/**
 * A PATCH must name at least one field it changes; an empty one is a mistake.
 * Used as a refinement of the PATCH bodies.
 */
export const changesSomething = <T extends Record<string, unknown>>(
  fields: readonly string[],
) => ({
  check: (body: T) => fields.some(field => body[field] !== undefined),
  message: `send at least one of: ${fields.join(', ')}`,
});

/** Regen's pagination query: `page` from 1, `limit` up to 100. @public */
export const pageQuerySchema = z.object({
  page: z.coerce.number().int().min(1).max(1_000_000).default(1),
  limit: z.coerce.number().int().min(1).max(100).default(20),
});

/** `page` from 1, `limit` up to 100. @public */
export type PageQuery = Partial<z.output<typeof pageQuerySchema>>;

/** A page of a list, as Regen paginates: `page` from 1, `limit` per page. @public */
export interface Page<T> {
  data: T[];
  total: number;
  page: number;
  limit: number;
}

/** The schema of a page of `item`s. @public */
export function pageSchema<T extends z.ZodType>(item: T) {
  return z.object({
    data: z.array(item),
    total: z.number().int().min(0),
    page: z.number().int().min(1),
    limit: z.number().int().min(1),
  });
}

/** The schema of the unpaginated lists: `{data: [...]}`. @public */
export function listSchema<T extends z.ZodType>(item: T) {
  return z.object({ data: z.array(item) });
}

/** An id path parameter: an incident id, number (42) or reference (INC-42). @public */
export const idParamsSchema = z.object({ id });

/**
 * Every error, in Regen's envelope. Codes: `bad_request`, `validation_error`
 * (with `details.fields`), `unauthorized`, `forbidden`, `not_found`,
 * `conflict`, `payload_too_large`, and a few of our own (`generation_failed`).
 *
 * @public
 */
export const errorEnvelopeSchema = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    details: z.record(z.string(), z.unknown()).optional(),
  }),
});
/** @public */
export type ErrorEnvelope = z.infer<typeof errorEnvelopeSchema>;

/** What `GET /health` answers. @public */
export const healthSchema = z.object({ status: z.literal('ok') });
/** What the backend says about its own state. @public */
export type PostmortemsHealth = z.infer<typeof healthSchema>;
