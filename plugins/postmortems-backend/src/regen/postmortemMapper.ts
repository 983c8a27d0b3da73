import {
  Postmortem,
  PostmortemComment,
} from '@postmortems-oss/backstage-plugin-postmortems-common';
import { RegenActionItem, toRegenActionItem } from './actionItemMapper';
import { nameOf, optional } from './incidentMapper';

/*
 * Post-mortems and their comments as Regen answers them
 * (`PostMortemResponse`, `PostMortemCommentResponse`). Our revisions,
 * sections, findings and evidence have no place in Regen's shape and are
 * left out; the native API has them.
 */

export interface RegenPostmortem {
  id: string;
  incident_id: string;
  template_id?: string;
  template_name: string;
  status: Postmortem['status'];
  content: string;
  generated_by: string;
  generated_at?: string;
  published_at?: string;
  created_by_id: string;
  created_at: string;
  updated_at: string;
  action_items: RegenActionItem[];
  cost_usd: number;
}

export interface RegenComment {
  id: string;
  post_mortem_id: string;
  author_id: string;
  author_name: string;
  content: string;
  created_at: string;
}

export function toRegenPostmortem(postmortem: Postmortem): RegenPostmortem {
  return {
    id: postmortem.id,
    incident_id: postmortem.incident_id,
    ...optional('template_id', postmortem.template_id),
    template_name: postmortem.template_name ?? '',
    status: postmortem.status,
    content: postmortem.content,
    generated_by: postmortem.generated_by,
    ...optional('generated_at', postmortem.generated_at),
    ...optional('published_at', postmortem.published_at),
    created_by_id: postmortem.created_by ?? '',
    created_at: postmortem.created_at,
    updated_at: postmortem.updated_at,
    action_items: postmortem.action_items.map(toRegenActionItem),
    // Regen reports what the model call cost; usage is not metered here.
    cost_usd: 0,
  };
}

/**
 * A comment is attributed to the signed-in caller: `author_name` is the name
 * of their identity, not the free text Regen's client sends with it.
 */
export function toRegenComment(comment: PostmortemComment): RegenComment {
  return {
    id: comment.id,
    post_mortem_id: comment.postmortem_id,
    author_id: comment.author,
    author_name: nameOf(comment.author) ?? comment.author,
    content: comment.body,
    created_at: comment.created_at,
  };
}
