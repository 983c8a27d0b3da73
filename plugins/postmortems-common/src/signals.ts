import type { GenerationJobStatus } from './generation';

/*
 * Live updates through Backstage signals: the channels the backend publishes
 * on and the messages it sends. A message says what changed, never the
 * content; a subscriber reads that through the API.
 */

/**
 * The signal channel of a generation job: a message each time the job is
 * claimed, writes a section or finishes.
 *
 * @public
 */
export const generationSignalChannel = (jobId: string) =>
  `postmortems:generation:${jobId}`;

/** @public */
export type GenerationSignal = {
  job_id: string;
  incident_id: string;
  status: GenerationJobStatus;
  /** The sections finished so far. */
  sections_done: string[];
};

/**
 * The signal channel of an incident's post-mortem: a message each time it is
 * saved, published, unpublished, restored or commented on.
 *
 * @public
 */
export const postmortemSignalChannel = (incidentId: string) =>
  `postmortems:incident:${incidentId}`;

/** @public */
export type PostmortemSignal = {
  incident_id: string;
  change: 'saved' | 'comment';
  /** The post-mortem's version after the change. */
  version: number;
  /** Who changed it (a user entity ref), so a reader can ignore their own changes. */
  by: string | null;
};
