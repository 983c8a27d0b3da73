import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { z } from 'zod';
import { ACTION_ITEM_STATUSES } from '../postmortems';
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
 * Action items: `/v1/incidents/:id/postmortem/action-items[/:itemId]` and,
 * across post-mortems, `/v1/action-items`.
 */

/** @public */
export const actionItemSchema = z.object({
  id: z.string(),
  postmortem_id: z.string(),
  incident_id: z.string(),
  description: z.string(),
  /** Regen's name for the description. */
  title: z.string(),
  /** A Backstage user or group entity ref, or null when unassigned. */
  owner: z.string().nullable(),
  /** A calendar date, `YYYY-MM-DD`. */
  due_date: z.string().meta({ format: 'date' }).nullable(),
  status: z.enum(ACTION_ITEM_STATUSES),
  category: z.string().nullable(),
  external_url: z.string().nullable(),
  /** The issue tracker (a configured tracker id, e.g. `github`) the item's issue lives in. */
  tracker: z.string().nullable(),
  /** The key in its tracker: `owner/repo#12` or `OPS-42`. */
  external_key: z.string().nullable(),
  /** `manual`, or `ai` for items proposed by a generated draft. */
  source: z.string(),
  /** AI proposals wait for a reviewer to accept them. */
  accepted: z.boolean(),
  created_by: z.string().nullable(),
  created_at: timestamp,
  updated_at: timestamp,
});
/** @public */
export type ActionItem = z.infer<typeof actionItemSchema>;

// Requests

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
  /** Regen's name for `description`. */
  title: text(2_000).optional(),
  /** A user or group entity ref (`alice` means `user:default/alice`); null unassigns. */
  owner: z
    .string()
    .max(255)
    // The owner is stored as a full ref in a 255-character column: a bare
    // 255-character name became `user:default/…` (268) and PostgreSQL
    // refused it with a 500.
    .refine(fitsAsOwnerRef, 'is longer than 255 characters as an entity ref')
    .nullable()
    .optional(),
  /** `YYYY-MM-DD`; a date-time is cut to its date. */
  due_date: dueDate.nullable().optional(),
  /** `closed` (Regen's word) means `done`. */
  status: actionItemStatus.optional(),
  category: z.string().trim().max(100).nullable().optional(),
  external_url: z
    .url({ protocol: /^https?$/ })
    .max(2_000)
    .nullable()
    .optional(),
  accepted: z.boolean().optional(),
};

/** `POST .../postmortem/action-items`: `description` (or `title`) is required. @public */
export const actionItemCreateBodySchema = z
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
/** @public */
export type ActionItemCreateBody = z.input<typeof actionItemCreateBodySchema>;

/** `PATCH .../postmortem/action-items/:itemId`: at least one field. @public */
export const actionItemPatchBodySchema = z
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
/** @public */
export type ActionItemPatchBody = z.input<typeof actionItemPatchBodySchema>;

/**
 * The fields of an action item in our own words, as the server reads any
 * create or patch body (Regen's `title` and `closed` already mapped). A
 * create needs `description`.
 *
 * @public
 */
export type ActionItemInput = Partial<
  z.output<typeof actionItemPatchBodySchema>
>;

/** `.../action-items/:itemId`. @public */
export const actionItemParamsSchema = idParamsSchema.extend({ itemId: id });

/** `GET /v1/action-items`: the items of every post-mortem the caller may read. @public */
export const actionItemListQuerySchema = pageQuerySchema.extend({
  /** User or group entity refs. */
  owner: csv(z.string().max(255)).optional(),
  status: csv(actionItemStatus).optional(),
  /** `true`: only items past their due date and not done. */
  overdue: z.enum(['true', 'false']).optional(),
  entity_ref: entityRef.optional(),
  /** The same as `entity_ref`, as the frontend sends it. */
  entityRef: entityRef.optional(),
});
