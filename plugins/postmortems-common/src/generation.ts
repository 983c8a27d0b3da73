/**
 * Generation of post-mortem drafts: the job statuses and the names of the
 * server-sent events. Jobs, findings and the provider's status are inferred
 * from the schemas in `api/generation.ts`.
 */

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
 * Server-sent events of a job: `section` (a section as written so far:
 * `{key, title, markdown, done}`), `status` (the job), and finally `done` (the
 * job) or `error` (`{message}`).
 *
 * @public
 */
export type GenerationEventName = 'section' | 'status' | 'done' | 'error';
