import type { EvidenceFinding } from './generation';
import type { Incident } from './incidents';

/**
 * Post-mortems, their revisions, templates, action items and comments, as the
 * API serves them (Regen's field names, plus our additions).
 */

/** @public */
export const POSTMORTEM_STATUSES = ['draft', 'published'] as const;
/** @public */
export type PostmortemStatus = (typeof POSTMORTEM_STATUSES)[number];

/** Who wrote a version of the content. @public */
export type AuthorKind = 'ai' | 'human' | 'system';

/** One section of a post-mortem document. @public */
export interface PostmortemSection {
  /** Stable key, e.g. `root_cause`; matches the template section it fills. */
  key: string;
  title: string;
  markdown: string;
}

/** @public */
export interface Postmortem {
  id: string;
  incident_id: string;
  status: PostmortemStatus;
  /** The whole document as Markdown (Regen's `content`). */
  content: string;
  sections: PostmortemSection[];
  template_id: string | null;
  template_name: string | null;
  /** `ai`, `deterministic` or `manual`: how the current draft came to be. */
  generated_by: string;
  generated_at: string | null;
  /** Increases with every change; send it back to edit (optimistic concurrency). */
  version: number;
  published_at: string | null;
  published_by: string | null;
  created_by: string | null;
  updated_by: string | null;
  created_at: string;
  updated_at: string;
  action_items: ActionItem[];
  /** What the evidence check found in this version of the draft. */
  findings: EvidenceFinding[];
  /** The evidence the draft was made from, e.g. timeline entry ids per section key. */
  evidence: Record<string, string[]>;
  /** The incident in brief; present in lists (`GET /v1/postmortems`). */
  incident?: IncidentSummary;
}

/** What a list of post-mortems shows about each one's incident. @public */
export interface IncidentSummary {
  id: string;
  number: number;
  reference: string;
  title: string;
  severity: Incident['severity'];
  status: Incident['status'];
  services: string[];
  commander: string | null;
  triggered_at: string;
  resolved_at: string | null;
}

/** A kept version of a post-mortem's content. @public */
export interface PostmortemRevision {
  id: string;
  postmortem_id: string;
  /** The post-mortem version this content had. */
  version: number;
  kind: AuthorKind;
  /** What made this version: create, save, generate, enhance, publish, unpublish, restore. */
  reason: string;
  status: PostmortemStatus;
  content: string;
  sections: PostmortemSection[];
  author: string | null;
  created_at: string;
}

/** @public */
export interface TemplateSection {
  key: string;
  title: string;
  required: boolean;
  /** Questions the author (or the model) should answer in this section. */
  guiding_questions: string[];
}

/** @public */
export interface PostmortemTemplate {
  id: string;
  name: string;
  description: string;
  sections: TemplateSection[];
  /** Categories proposed for action items, e.g. prevention, detection. */
  action_item_categories: string[];
  is_builtin: boolean;
  is_active: boolean;
  created_at: string;
  updated_at: string;
}

/** @public */
export const ACTION_ITEM_STATUSES = ['open', 'in_progress', 'done'] as const;
/** @public */
export type ActionItemStatus = (typeof ACTION_ITEM_STATUSES)[number];

/** @public */
export interface ActionItem {
  id: string;
  postmortem_id: string;
  incident_id: string;
  description: string;
  /** Regen's name for the description. */
  title: string;
  /** A Backstage user or group entity ref, or null when unassigned. */
  owner: string | null;
  /** A calendar date, `YYYY-MM-DD`. */
  due_date: string | null;
  status: ActionItemStatus;
  category: string | null;
  external_url: string | null;
  /** The issue tracker (a configured tracker id, e.g. `github`) the item's issue lives in. */
  tracker: string | null;
  /** The key in its tracker: `owner/repo#12` or `OPS-42`. */
  external_key: string | null;
  /** `manual`, or `ai` for items proposed by a generated draft. */
  source: string;
  /** AI proposals wait for a reviewer to accept them. */
  accepted: boolean;
  created_by: string | null;
  created_at: string;
  updated_at: string;
}

/** @public */
export interface PostmortemComment {
  id: string;
  postmortem_id: string;
  author: string;
  body: string;
  created_at: string;
}
