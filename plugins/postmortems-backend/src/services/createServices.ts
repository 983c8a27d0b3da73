import {
  AuthService,
  LoggerService,
  PermissionsService,
  UserInfoService,
} from '@backstage/backend-plugin-api';
import { Config, ConfigReader } from '@backstage/config';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { EventsService } from '@backstage/plugin-events-node';
import { NotificationService } from '@backstage/plugin-notifications-node';
import { SignalsService } from '@backstage/plugin-signals-node';
import { Knex } from 'knex';
import { Incident } from '@postmortems-oss/backstage-plugin-postmortems-common';
import {
  ChatThreadSource,
  DraftProvider,
  IncidentUpstreamFactory,
} from '@postmortems-oss/backstage-plugin-postmortems-node';
import { ActionItemStore } from '../database/ActionItemStore';
import { FiguresStore } from '../database/FiguresStore';
import { GenerationJobStore } from '../database/GenerationJobStore';
import { IncidentStore } from '../database/IncidentStore';
import { PostmortemStore } from '../database/PostmortemStore';
import { TemplateStore } from '../database/TemplateStore';
import { EvidenceService } from '../generation/EvidenceService';
import { GenerationService } from '../generation/GenerationService';
import { ProviderRegistry } from '../generation/ProviderRegistry';
import { LiveUpdates } from '../live/LiveUpdates';
import { PostmortemReadStore } from '../database/PostmortemReadStore';
import { EvidenceStore } from '../database/EvidenceStore';
import { ReminderService } from '../reminders/ReminderService';
import { ReminderStore } from '../reminders/ReminderStore';
import { ReviewGate } from '../reviews/ReviewGate';
import { ReviewService } from '../reviews/ReviewService';
import { ReviewStore } from '../reviews/ReviewStore';
import { RelatedPostmortems } from '../related/RelatedPostmortems';
import { catalogServiceRelations } from '../related/catalogRelations';
import { relatedEvidenceOf } from '../related/relatedContext';
import { CauseStore } from '../recurrence/CauseStore';
import { RecurrenceService } from '../recurrence/RecurrenceService';
import { RecurrenceStore } from '../recurrence/RecurrenceStore';
import { ActionItemService } from './ActionItemService';
import { IncidentService } from './IncidentService';
import { catalogServiceOwners } from './serviceOwners';
import { PostmortemAccess } from './PostmortemAccess';
import {
  cachedOwnedServices,
  catalogOwnedServices,
} from '../permissions/ownedServices';
import { PostmortemService } from './PostmortemService';
import { TemplateService } from './TemplateService';
import { TimelineCurationService } from './TimelineCurationService';
import { TimelineCurationStore } from '../database/TimelineCurationStore';
import { UpstreamSyncStateStore } from '../database/UpstreamSyncStateStore';
import { ExportService } from '../exports/ExportService';
import { ExportStore } from '../exports/ExportStore';
import { ExportIntegrations, ExportTargets } from '../exports/ExportTargets';
import { IssueTrackers, TrackerFactories } from '../trackers/IssueTrackers';
import { TrackedItemStore } from '../trackers/TrackedItemStore';
import { TrackerService } from '../trackers/TrackerService';
import { authoredBy } from '../database/readableScope';

/** How many related post-mortems a draft names. */
const RELATED_IN_DRAFTS = 3;

export interface ServiceOptions {
  db: Knex;
  permissions: PermissionsService;
  logger: LoggerService;
  config?: Config;
  catalog?: CatalogService;
  auth?: AuthService;
  /** The groups a reviewer belongs to; without it a user reviews only as themselves. */
  userInfo?: UserInfoService;
  /** Sends "your draft is ready" to the incident commander. */
  notifyDraftReady?: (incident: Incident) => Promise<void>;
  /** Action item reminders go out only with it (and unless disabled). */
  notifications?: NotificationService;
  /** What backend modules added through the extension points. */
  integrations?: Partial<Integrations>;
  /** Carries job progress between replicas (see LiveUpdates). */
  events?: EventsService;
  /** Tells browsers what changed (Backstage signals). */
  signals?: SignalsService;
}

/** Integrations added by backend modules through the extension points. */
export interface Integrations extends ExportIntegrations {
  draftProviders: DraftProvider[];
  chatSources: ChatThreadSource[];
  trackerTypes: TrackerFactories;
  /** The incident tool that owns incidents, when one is connected (Regen). */
  incidentUpstream?: IncidentUpstreamFactory;
}

/** The plugin's services over one database, wired together. */
export function createServices(options: ServiceOptions) {
  const { db, permissions, logger } = options;
  const config = options.config ?? new ConfigReader({});
  const integrations: Integrations = {
    draftProviders: [],
    chatSources: [],
    trackerTypes: new Map(),
    pageTargetTypes: new Map(),
    fileFormats: new Map(),
    ...options.integrations,
  };
  const jobMarks = new GenerationJobStore(db);
  const live = new LiveUpdates({
    logger,
    events: options.events,
    signals: options.signals,
    jobChangeMarks: ids => jobMarks.changeMarks(ids),
  });
  const incidentStore = new IncidentStore(db);
  const actionItemStore = new ActionItemStore(db);
  const access = new PostmortemAccess(permissions, {
    incident: id => incidentStore.get(id),
    authored: (incidentId, userRef) => authoredBy(db, incidentId, userRef),
    ownedServices:
      options.catalog && options.auth
        ? cachedOwnedServices(
            catalogOwnedServices(options.catalog, options.auth),
          )
        : undefined,
  });
  const incidents = new IncidentService(
    db,
    incidentStore,
    new FiguresStore(db),
    options.catalog && options.auth
      ? catalogServiceOwners(options.catalog, options.auth)
      : undefined,
  );
  const upstream = integrations.incidentUpstream?.({
    store: incidentStore,
    transaction: fn =>
      db.transaction(tx => fn(incidentStore.withTransaction(tx))),
    announce: (incident, change, previousStatus) =>
      incidents.announce(incident, change, previousStatus),
    syncState: new UpstreamSyncStateStore(db),
    logger,
  });
  if (upstream) incidents.useUpstream(upstream);
  const templates = new TemplateService(new TemplateStore(db), {
    onChange: () => live.templatesChanged(),
  });
  live.onTemplatesChanged(() => templates.forget());
  const curationStore = new TimelineCurationStore(db);
  const timeline = new TimelineCurationService({
    incidents,
    incidentStore,
    store: curationStore,
    access,
  });

  const related = new RelatedPostmortems({
    db,
    incidents,
    incidentStore,
    access,
    relations:
      options.catalog && options.auth
        ? catalogServiceRelations(options.catalog, options.auth)
        : undefined,
    logger,
  });
  const evidence = new EvidenceService({
    incidentStore,
    stored: new EvidenceStore(db),
    logger,
    scrubPatterns:
      config
        .getOptionalConfigArray('postmortems.generation.scrubPatterns')
        ?.map(c => ({
          pattern: c.getString('pattern'),
          replacement: c.getOptionalString('replacement'),
        })) ?? [],
    chatSources: integrations.chatSources,
    catalog: options.catalog,
    auth: options.auth,
    related: async (incident, sections) =>
      (await related.forDraft(incident, sections, RELATED_IN_DRAFTS)).map(
        relatedEvidenceOf,
      ),
  });

  const postmortemStore = new PostmortemStore(db, change =>
    live.postmortemChanged({
      incident_id: change.incidentId,
      change: change.change,
      version: change.version,
      by: change.by,
    }),
  );
  const reviewStore = new ReviewStore(db);
  const reviewGate = new ReviewGate({ store: reviewStore, templates });
  // Filled below: reviews read post-mortems through the service they gate.
  const reviewing: { service?: ReviewService } = {};
  const postmortems = new PostmortemService({
    incidents,
    incidentStore,
    store: postmortemStore,
    reads: new PostmortemReadStore(db),
    actionItems: actionItemStore,
    templates,
    access,
    evidence,
    reviews: reviewGate,
    onAmended: (incident, record, actor, steps) =>
      reviewing.service?.amended(incident, record, actor, steps) ??
      Promise.resolve(),
  });
  const reviews = new ReviewService({
    postmortems,
    gate: reviewGate,
    store: reviewStore,
    access,
    logger,
    userInfo: options.userInfo,
    catalog: options.catalog,
    auth: options.auth,
    notifications: options.notifications,
  });
  reviewing.service = reviews;
  // Action item reminders; `postmortems.reminders.enabled: false` turns
  // them off, the assignment notifications included.
  const reminders =
    options.notifications &&
    config.getOptionalBoolean('postmortems.reminders.enabled') !== false
      ? new ReminderService({
          store: new ReminderStore(db),
          notifications: options.notifications,
          logger,
        })
      : undefined;
  const exports = new ExportService({
    targets: ExportTargets.fromConfig(config, integrations),
    fileFormats: integrations.fileFormats,
    store: new ExportStore(db),
    postmortems,
    logger: logger.child({ area: 'exports' }),
  });
  const trackers = new TrackerService({
    trackers: IssueTrackers.fromConfig(config, integrations.trackerTypes),
    store: new TrackedItemStore(db),
    actionItems: actionItemStore,
    postmortems,
    access,
    logger: logger.child({ area: 'trackers' }),
    appBaseUrl: config.getOptionalString('app.baseUrl') ?? '',
    catalog: options.catalog,
    auth: options.auth,
  });
  const actionItems = new ActionItemService({
    db,
    store: actionItemStore,
    postmortems,
    access,
    onAssigned: reminders ? item => reminders.notifyAssigned(item) : undefined,
    onStatusChanged: (before, after) => trackers.pushStatus(before, after),
    logger,
  });
  const recurrence = new RecurrenceService({
    postmortems,
    postmortemStore,
    incidentStore,
    actionItems: actionItemStore,
    templates,
    access,
    causes: new CauseStore(db),
    store: new RecurrenceStore(db),
    logger,
    notifications: options.notifications,
  });
  const providers = new ProviderRegistry(integrations.draftProviders);
  const generation = new GenerationService({
    db,
    jobs: new GenerationJobStore(db, job =>
      live.jobChanged({
        job_id: job.id,
        incident_id: job.incident_id,
        status: job.status,
        sections_done: job.sections_done,
      }),
    ),
    incidents,
    postmortems,
    actionItems,
    templates,
    access,
    providers,
    evidence,
    catalog: options.catalog,
    auth: options.auth,
    logger,
    leaseMs: leaseMsFromConfig(config),
    onDraftReady: options.notifyDraftReady
      ? incident => options.notifyDraftReady!(incident)
      : undefined,
  });

  // Auto-draft: a resolved incident that lasted long enough gets a draft
  // queued for it, unless it has a post-mortem already.
  const autoDraft = config.getOptionalConfig(
    'postmortems.generation.autoDraft',
  );
  if (autoDraft?.getOptionalBoolean('enabled')) {
    const minMinutes = autoDraft.getOptionalNumber('minDurationMinutes') ?? 30;
    incidents.onResolved(async incident => {
      const minutes =
        (Date.parse(incident.resolved_at!) -
          Date.parse(incident.triggered_at)) /
        60_000;
      if (minutes < minMinutes) return;
      if (await postmortems.findForIncident(incident.id)) return;
      await generation.enqueue(incident.id, { kind: 'document' }, undefined);
      logger.info(`Queued an automatic draft for ${incident.reference}`);
    });
  }

  return {
    access,
    live,
    incidents,
    timeline,
    templates,
    postmortems,
    reviews,
    related,
    recurrence,
    actionItems,
    generation,
    providers,
    upstream,
    reminders,
    exports,
    trackers,
  };
}

export type PostmortemsServices = ReturnType<typeof createServices>;

/**
 * The generation job lease: at least the generation deadline plus a margin,
 * so that only a dead worker's job is ever taken over.
 */
function leaseMsFromConfig(config: Config): number | undefined {
  const seconds = config.getOptionalNumber(
    'postmortems.generation.leaseSeconds',
  );
  if (seconds === undefined) return undefined;
  const deadline =
    config.getOptionalNumber('postmortems.generation.deadlineSeconds') ?? 180;
  if (seconds <= deadline) {
    throw new Error(
      `postmortems.generation.leaseSeconds (${seconds}) must be longer than deadlineSeconds (${deadline})`,
    );
  }
  return seconds * 1000;
}
