/**
 * Where post-mortems and action items go beyond Backstage: export targets
 * (Confluence, Notion, Markdown and PDF files) and issue trackers (GitHub
 * Issues, Jira), each configured under `postmortems.exports` and
 * `postmortems.trackers` with an id of its own.
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

/** A configured export target, as `GET /v1/export-targets` lists it. @public */
export interface ExportTarget {
  /** The key under `postmortems.exports` (e.g. `confluence`, `team-wiki`). */
  id: string;
  type: ExportTargetType;
  title: string;
  /**
   * `page`: the post-mortem is pushed to a page that later exports update
   * (Confluence, Notion). `file`: it is downloaded (Markdown, PDF).
   */
  kind: 'page' | 'file';
}

/** Where one post-mortem went on one target, the last time it was exported. @public */
export interface PostmortemExportRecord {
  target: string;
  type: ExportTargetType;
  /** The page's id in the target (Confluence page id, Notion page id). */
  external_id: string | null;
  /** Where to read it; null for files. */
  url: string | null;
  /** The post-mortem version that was exported. */
  version: number;
  exported_at: string;
  exported_by: string;
}

/** @public */
export const TRACKER_TYPES = ['github', 'jira'] as const;
/** @public */
export type TrackerType = (typeof TRACKER_TYPES)[number];

/** A configured issue tracker, as `GET /v1/trackers` lists it. @public */
export interface IssueTracker {
  /** The key under `postmortems.trackers` (e.g. `github`, `jira`). */
  id: string;
  type: TrackerType;
  /** e.g. `acme/payments` or Jira project `OPS`. */
  title: string;
}
