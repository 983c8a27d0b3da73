/**
 * Where post-mortems and action items go beyond Backstage: export targets
 * (Confluence, Notion, Markdown and PDF files) and issue trackers (GitHub
 * Issues, Jira), each configured under `postmortems.exports` and
 * `postmortems.trackers` with an id of its own. The targets, records and
 * trackers the API serves are inferred from the schemas in `api/exports.ts`
 * and `api/trackers.ts`.
 */

/** @public */
export const EXPORT_TARGET_TYPES = [
  'confluence',
  'notion',
  'markdown',
  'pdf',
] as const;
/** @public */
export type ExportTargetType = (typeof EXPORT_TARGET_TYPES)[number];

/** @public */
export const TRACKER_TYPES = ['github', 'jira'] as const;
/** @public */
export type TrackerType = (typeof TRACKER_TYPES)[number];
