/**
 * Generation of post-mortem drafts: jobs, their progress, and the evidence
 * check findings stored with every draft.
 */

/** Which engine writes a draft. @public */
export type ProviderKind = 'openai' | 'deterministic';

/** @public */
export const GENERATION_JOB_STATUSES = [
  'queued',
  'running',
  'succeeded',
  'failed',
] as const;
/** @public */
export type GenerationJobStatus = (typeof GENERATION_JOB_STATUSES)[number];

/**
 * A persisted generation job. `POST .../postmortem/generate` with
 * `Prefer: respond-async` answers 202 with one; follow it with
 * `GET /v1/generation-jobs/:id` or the server-sent events at
 * `GET /v1/generation-jobs/:id/events`.
 *
 * @public
 */
export interface GenerationJob {
  id: string;
  incident_id: string;
  /** `document` (whole draft), `section` (one section) or `enhance`. */
  kind: 'document' | 'section' | 'enhance';
  section_key: string | null;
  status: GenerationJobStatus;
  provider: ProviderKind;
  template_id: string | null;
  /** Keys of the sections written so far, in completion order. */
  sections_done: string[];
  /** A message a user can act on when the job failed. */
  error: string | null;
  attempts: number;
  requested_by: string | null;
  created_at: string;
  updated_at: string;
  finished_at: string | null;
}

/**
 * Server-sent events of a job: `section` (one finished section:
 * `{key, title, markdown}`), `status` (the job), and finally `done` (the job)
 * or `error` (`{message}`).
 *
 * @public
 */
export type GenerationEventName = 'section' | 'status' | 'done' | 'error';

/** @public */
export type FindingKind =
  | 'unsupported_timestamp'
  | 'unknown_person'
  | 'blame'
  | 'missing_section';

/**
 * Something the evidence check found in a draft: a time or a person that the
 * evidence does not contain, blaming language, a required section left empty.
 *
 * @public
 */
export interface EvidenceFinding {
  id: string;
  kind: FindingKind;
  section_key: string | null;
  /** The text the finding is about, as it appears in the draft. */
  excerpt: string;
  message: string;
  /** A suggested rewording or action, e.g. a blameless phrasing. */
  hint: string | null;
}

/** Which model provider is active; never the key. @public */
export interface ProviderStatus {
  provider: ProviderKind;
  /** The model name, for OpenAI-compatible providers. */
  model: string | null;
  /** The endpoint's host, for OpenAI-compatible providers. */
  base_url: string | null;
  configured: boolean;
}
