import {
  actionItemPatchBodySchema,
  type ActionItem,
} from '@postmortems-oss/backstage-plugin-postmortems-common';
import { todayIso } from './time';

/** Past its due date and not done. */
export function isOverdue(
  item: ActionItem,
  today: string = todayIso(),
): boolean {
  return Boolean(
    item.due_date && item.due_date < today && item.status !== 'done',
  );
}

/** An item a generated draft proposed that no reviewer has accepted yet. */
export function isProposal(item: ActionItem): boolean {
  return item.source === 'ai' && !item.accepted;
}

/** Open or in progress. */
export function isOpen(item: ActionItem): boolean {
  return item.status !== 'done';
}

export const ACTION_ITEM_STATUS_LABELS: Record<ActionItem['status'], string> = {
  open: 'Open',
  in_progress: 'In progress',
  done: 'Done',
};

const fields = actionItemPatchBodySchema.in.shape;

/**
 * How long each text field of an action item may be, as the backend's
 * request schema allows (characters as JavaScript counts them).
 */
export const ACTION_ITEM_LIMITS = {
  description: fields.description.unwrap().maxLength ?? Infinity,
  category: fields.category.unwrap().unwrap().maxLength ?? Infinity,
  external_url: fields.external_url.unwrap().unwrap().maxLength ?? Infinity,
};

/** The fields of the action item form a backend error can point at. */
export type ActionItemField =
  | 'description'
  | 'owner'
  | 'due_date'
  | 'status'
  | 'category'
  | 'external_url';

const FORM_FIELDS: Record<string, ActionItemField> = {
  description: 'description',
  // Regen's name for the description.
  title: 'description',
  owner: 'owner',
  due_date: 'due_date',
  status: 'status',
  category: 'category',
  external_url: 'external_url',
};

const FIELD_NAMES: Record<ActionItemField, string> = {
  description: 'The description',
  owner: 'The owner',
  due_date: 'The due date',
  status: 'The status',
  category: 'The category',
  external_url: 'The link',
};

/** A number as people read it: 2,000. */
const count = (n: number) => n.toLocaleString('en-US');

/** Says that a field is over its limit, and by how much. */
export function tooLongMessage(
  field: ActionItemField,
  length: number,
  limit: number,
): string {
  const over = length - limit;
  return `${FIELD_NAMES[field]} is ${count(length)} characters long; ${
    field === 'description' ? 'up to' : 'at most'
  } ${count(limit)} fit. Shorten it by ${count(over)}.`;
}

/** A backend validation message about one field, in plain words. */
function plainMessage(field: ActionItemField, message: string): string {
  const limit = /<=\s*(\d+)/.exec(message)?.[1];
  if (/too big|too long/i.test(message) && limit) {
    return `${FIELD_NAMES[field]} is too long: at most ${count(
      Number(limit),
    )} characters fit.`;
  }
  if (/too small|required/i.test(message)) {
    return `${FIELD_NAMES[field]} is required.`;
  }
  if (/url/i.test(message)) return 'Enter an http(s) link.';
  if (/date/i.test(message)) return 'Enter a date such as 2030-01-31.';
  const text = message.trim().replace(/\.$/, '');
  return `${FIELD_NAMES[field]} ${
    /^(is|must|should|has)\b/i.test(text) ? text : `is not accepted: ${text}`
  }.`;
}

/**
 * The fields of the action item form that a backend 400 names (its details
 * carry `fields: [{field: 'body.description', message}]`), each with what
 * to tell the author there. Empty when the error names none of them.
 */
export function fieldErrorsOf(
  error: unknown,
): Partial<Record<ActionItemField, string>> {
  const details = (error as { details?: unknown } | undefined)?.details as
    | { fields?: unknown }
    | undefined;
  const issues = Array.isArray(details?.fields) ? details!.fields : [];
  const result: Partial<Record<ActionItemField, string>> = {};
  for (const issue of issues as Array<{ field?: unknown; message?: unknown }>) {
    if (typeof issue?.field !== 'string') continue;
    const field = FORM_FIELDS[issue.field.replace(/^body\./, '')];
    if (!field || result[field]) continue;
    result[field] = plainMessage(
      field,
      typeof issue.message === 'string' ? issue.message : '',
    );
  }
  return result;
}
