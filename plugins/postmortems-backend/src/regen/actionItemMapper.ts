import {
  ActionItem,
  ActionItemInput,
} from '@postmortems-oss/backstage-plugin-postmortems-common';
import { optional } from './incidentMapper';

/*
 * Action items as Regen answers them (`ActionItemResponse`): `title` for the
 * description, `post_mortem_id`, status `closed` for our `done`, the owner as
 * free text and the due date as an RFC 3339 time.
 */

export interface RegenActionItem {
  id: string;
  post_mortem_id: string;
  title: string;
  owner?: string;
  due_date?: string;
  status: 'open' | 'in_progress' | 'closed';
  created_at: string;
  updated_at: string;
}

/** Owners Regen's clients send as names are kept as users of the default namespace. */
const DEFAULT_USER_PREFIX = 'user:default/';

export function toRegenActionItem(item: ActionItem): RegenActionItem {
  return {
    id: item.id,
    post_mortem_id: item.postmortem_id,
    title: item.description,
    ...optional('owner', ownerAsSent(item.owner)),
    ...optional(
      'due_date',
      item.due_date ? `${item.due_date}T00:00:00Z` : undefined,
    ),
    status: item.status === 'done' ? 'closed' : item.status,
    created_at: item.created_at,
    updated_at: item.updated_at,
  };
}

/** A Regen create or update body in our words. */
export function fromRegenActionItem(body: {
  title?: string;
  owner?: string | null;
  due_date?: string | null;
  status?: 'open' | 'in_progress' | 'closed';
}): ActionItemInput {
  return {
    description: body.title?.trim(),
    // Regen treats an empty owner as none.
    owner: body.owner === '' ? null : body.owner,
    due_date:
      body.due_date === undefined || body.due_date === null
        ? body.due_date
        : body.due_date.slice(0, 10),
    status: body.status === 'closed' ? 'done' : body.status,
  };
}

/**
 * A bare name (`jane`) is stored as `user:default/jane`; Regen's clients get
 * back the name they sent. Other refs (groups, other namespaces) stay whole.
 */
function ownerAsSent(owner: string | null): string | undefined {
  if (!owner) return undefined;
  return owner.startsWith(DEFAULT_USER_PREFIX)
    ? owner.slice(DEFAULT_USER_PREFIX.length)
    : owner;
}
