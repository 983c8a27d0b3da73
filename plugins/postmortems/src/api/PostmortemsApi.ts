import { createApiRef } from '@backstage/core-plugin-api';
import type {
  ActionItem,
  ActionItemInput,
  ActionItemStatus,
  Alert,
  CuratedTimeline,
  CuratedTimelineEntry,
  EvidenceFinding,
  ExportFormat,
  ExportTarget,
  Figures,
  FiguresBreakdown,
  FiguresBreakdownQuery,
  GeneratedSection,
  GenerationJob,
  Incident,
  IncidentSeverity,
  IncidentStatus,
  IssueTracker,
  Page,
  PageQuery,
  Postmortem,
  PostmortemListItem,
  PostmortemCauses,
  PostmortemComment,
  PostmortemExportRecord,
  PostmortemPatchBody,
  PostmortemRevision,
  PostmortemsHealth,
  PostmortemStatus,
  PostmortemTemplate,
  ProviderKind,
  ProviderStatus,
  ProviderTestResult,
  Recurrences,
  RelatedPostmortem,
  ReviewDecisionBody,
  ReviewRequestBody,
  RevisionDiff,
  TemplateInput,
  TimelineCurationPatchBody,
  TimelineEntry,
  TrackerSyncResult,
} from '@postmortems-oss/backstage-plugin-postmortems-common';

// The wire types are defined once, in postmortems-common, inferred from the
// schemas the backend validates with; they are re-exported here so that
// code importing them from this package keeps working.
export type {
  ActionItemInput,
  ExportFormat,
  GeneratedSection,
  PageQuery,
  PostmortemsHealth,
  ProviderTestResult,
  RevisionDiff,
  TemplateInput,
  TemplateSectionInput,
  TrackerSyncResult,
} from '@postmortems-oss/backstage-plugin-postmortems-common';

/** @public */
export interface IncidentListQuery extends PageQuery {
  status?: IncidentStatus[];
  severity?: IncidentSeverity[];
  /** ISO date-time. */
  createdAfter?: string;
  createdBefore?: string;
  /** Only incidents that affected this entity. */
  entityRef?: string;
  /** False: only incidents nobody has started a post-mortem for yet. */
  hasPostmortem?: boolean;
}

/**
 * A period of figures: `from` and `to` as ISO date-times, incidents counted
 * in slices of `bucketDays` back from `to`.
 *
 * @public
 */
export interface FiguresQuery {
  from: string;
  to: string;
  bucketDays?: number;
}

/** @public */
export interface PostmortemListQuery extends PageQuery {
  entityRef?: string;
  status?: PostmortemStatus[];
  severity?: IncidentSeverity[];
}

/** @public */
export interface ActionItemListQuery extends PageQuery {
  /** User or group entity refs. */
  owner?: string[];
  status?: ActionItemStatus[];
  /** Only items past their due date and not done. */
  overdue?: boolean;
  entityRef?: string;
}

/**
 * A change to a post-mortem. `version` is the version the change is based on:
 * a stale one is answered with a {@link PostmortemConflictError}.
 *
 * @public
 */
export type PostmortemPatch = PostmortemPatchBody & { version: number };

/** A downloaded export. @public */
export interface PostmortemExportFile {
  filename: string;
  blob: Blob;
}

/** @public */
export interface GenerateOptions {
  templateId?: string;
  provider?: ProviderKind;
}

/** @public */
export interface WatchJobOptions {
  /** A section was written (only when the backend streams events). */
  onSection?: (section: GeneratedSection) => void;
  /** The job changed. */
  onStatus?: (job: GenerationJob) => void;
  signal?: AbortSignal;
}

/**
 * Client-side access to the post-mortems backend. Components go through this
 * API, never through fetch, so that tests and the dev harness can swap it.
 * Errors are {@link PostmortemsApiError}s carrying the backend's message.
 *
 * @public
 */
export interface PostmortemsApi {
  /** Checks that the post-mortems backend is reachable. */
  getHealth(): Promise<PostmortemsHealth>;

  listIncidents(query?: IncidentListQuery): Promise<Page<Incident>>;
  /** By id, number (`42`) or reference (`INC-42`). */
  getIncident(incidentId: string): Promise<Incident>;
  getTimeline(
    incidentId: string,
    query?: PageQuery,
  ): Promise<Page<TimelineEntry>>;
  /**
   * A page of the post-mortem's curated timeline: without hidden entries
   * (noise included) unless `includeHidden`, with how many are hidden and
   * the key moments' durations (MTTD, MTTA, MTTR).
   */
  getCuratedTimeline(
    incidentId: string,
    query?: PageQuery & { includeHidden?: boolean },
  ): Promise<CuratedTimeline>;
  /**
   * Hides or shows, pins or unpins a timeline entry, or marks a key moment
   * on it (moved from the entry that had it; null clears it).
   */
  curateTimelineEntry(
    incidentId: string,
    entryId: string,
    change: TimelineCurationPatchBody,
  ): Promise<CuratedTimelineEntry>;
  getIncidentAlerts(incidentId: string): Promise<Alert[]>;
  /** Incidents, MTTR, post-mortems published and action items of a period. */
  getFigures(query: FiguresQuery): Promise<Figures>;
  /**
   * The same figures of a period by affected service, by the team owning
   * those services in the catalog, or by calendar month (UTC); each incident
   * counts once per group.
   */
  getFiguresBreakdown(query: FiguresBreakdownQuery): Promise<FiguresBreakdown>;

  /** Newest incident first. */
  /** Post-mortems without their documents (`content`, `sections`, `findings`, `evidence`). */
  listPostmortems(
    query?: PostmortemListQuery,
  ): Promise<Page<PostmortemListItem>>;
  getPostmortem(incidentId: string): Promise<Postmortem>;
  /**
   * What the publish gate finds in the current draft now, without
   * publishing: the findings a publish would be refused on.
   */
  checkPostmortem(incidentId: string): Promise<EvidenceFinding[]>;
  /**
   * Published post-mortems related to the incident (same services, services
   * related in the catalog, similar causes), most related first, each with
   * why it matched; 3 unless `limit` (1 to 20) says otherwise.
   */
  getRelatedPostmortems(
    incidentId: string,
    limit?: number,
  ): Promise<RelatedPostmortem[]>;
  /**
   * The cause categories the post-mortem is filed under, those its template
   * offers, and those its root cause suggests (not yet chosen).
   */
  getCauses(incidentId: string): Promise<PostmortemCauses>;
  /**
   * Files the post-mortem under these categories, replacing the ones before,
   * and looks for recurrences. A category its template does not offer is
   * refused with a 400 {@link PostmortemsApiError} naming it.
   */
  setCauses(
    incidentId: string,
    categories: string[],
  ): Promise<PostmortemCauses>;
  /**
   * Earlier post-mortems whose cause came back in this incident after their
   * action items were done, and later incidents in which this one's came back.
   */
  getRecurrences(incidentId: string): Promise<Recurrences>;
  /** Asks reviewers (those named, or the template's) to review the current version. */
  requestReview(
    incidentId: string,
    request: ReviewRequestBody,
  ): Promise<Postmortem>;
  /** A reviewer's decision on the version they read. */
  reviewPostmortem(
    incidentId: string,
    decision: ReviewDecisionBody,
  ): Promise<Postmortem>;
  /** A blank draft from a template (the active one by default). */
  createPostmortem(
    incidentId: string,
    options?: { templateId?: string },
  ): Promise<Postmortem>;
  updatePostmortem(
    incidentId: string,
    patch: PostmortemPatch,
  ): Promise<Postmortem>;

  /** Starts writing a draft; follow the job with {@link PostmortemsApi.watchGenerationJob}. */
  generatePostmortem(
    incidentId: string,
    options?: GenerateOptions,
  ): Promise<GenerationJob>;
  regenerateSection(
    incidentId: string,
    sectionKey: string,
  ): Promise<GenerationJob>;
  enhancePostmortem(incidentId: string): Promise<GenerationJob>;
  getGenerationJob(jobId: string): Promise<GenerationJob>;
  /** Follows a job until it succeeds or fails, and resolves with its last state. */
  watchGenerationJob(
    jobId: string,
    options?: WatchJobOptions,
  ): Promise<GenerationJob>;
  getProviderStatus(): Promise<ProviderStatus>;
  testProvider(): Promise<ProviderTestResult>;

  /** Newest first. */
  listRevisions(incidentId: string): Promise<PostmortemRevision[]>;
  getRevision(incidentId: string, version: number): Promise<PostmortemRevision>;
  /** What changed from revision `against` to revision `version`. */
  diffRevisions(
    incidentId: string,
    version: number,
    against: number,
  ): Promise<RevisionDiff>;
  restoreRevision(
    incidentId: string,
    version: number,
    expectedVersion: number,
  ): Promise<Postmortem>;

  /** Downloads the post-mortem as a file. */
  exportPostmortem(
    incidentId: string,
    format: ExportFormat,
  ): Promise<PostmortemExportFile>;
  /** The configured export targets (pages and files); empty when none is. */
  listExportTargets(): Promise<ExportTarget[]>;
  /**
   * Pushes the post-mortem to a `page` target (Confluence, Notion). The first
   * export creates the page, later ones update the same page.
   */
  exportToTarget(
    incidentId: string,
    target: string,
  ): Promise<PostmortemExportRecord>;
  /** The latest export to each target. */
  listExports(incidentId: string): Promise<PostmortemExportRecord[]>;

  listComments(incidentId: string): Promise<PostmortemComment[]>;
  addComment(incidentId: string, body: string): Promise<PostmortemComment>;
  deleteComment(incidentId: string, commentId: string): Promise<void>;

  listActionItems(query?: ActionItemListQuery): Promise<Page<ActionItem>>;
  createActionItem(
    incidentId: string,
    input: ActionItemInput & { description: string },
  ): Promise<ActionItem>;
  updateActionItem(
    incidentId: string,
    itemId: string,
    input: ActionItemInput,
  ): Promise<ActionItem>;
  deleteActionItem(incidentId: string, itemId: string): Promise<void>;

  /** The configured issue trackers; empty when none is. */
  listTrackers(): Promise<IssueTracker[]>;
  /**
   * Opens an issue for an action item in a tracker, and answers the item with
   * its `tracker`, `external_key` and `external_url`.
   */
  createIssue(
    incidentId: string,
    itemId: string,
    tracker: string,
  ): Promise<ActionItem>;
  /** Pulls issue states from the trackers: items whose issue closed are done. */
  syncTrackers(): Promise<TrackerSyncResult>;

  listTemplates(): Promise<PostmortemTemplate[]>;
  getTemplate(templateId: string): Promise<PostmortemTemplate>;
  createTemplate(input: TemplateInput): Promise<PostmortemTemplate>;
  updateTemplate(
    templateId: string,
    input: Partial<TemplateInput>,
  ): Promise<PostmortemTemplate>;
  deleteTemplate(templateId: string): Promise<void>;
  copyTemplate(templateId: string, name?: string): Promise<PostmortemTemplate>;
  activateTemplate(templateId: string): Promise<PostmortemTemplate>;
}

/** @public */
export const postmortemsApiRef = createApiRef<PostmortemsApi>({
  id: 'plugin.postmortems.api',
});
