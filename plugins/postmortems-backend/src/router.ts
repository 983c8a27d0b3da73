import { HttpAuthService, LoggerService } from '@backstage/backend-plugin-api';
import express from 'express';
import Router from 'express-promise-router';
import { ActionItemService } from './services/ActionItemService';
import { IncidentService } from './services/IncidentService';
import { PostmortemAccess } from './services/PostmortemAccess';
import { PostmortemService } from './services/PostmortemService';
import { TemplateService } from './services/TemplateService';
import { GenerationService } from './generation/GenerationService';
import { ProviderRegistry } from './generation/ProviderRegistry';
import { generationRoutes } from './router/generationRoutes';
import { actionItemRoutes } from './router/actionItemRoutes';
import { createRouteContext } from './router/context';
import { errorEnvelope } from './router/errorEnvelope';
import { incidentRoutes } from './router/incidentRoutes';
import { timelineRoutes } from './router/timelineRoutes';
import { TimelineCurationService } from './services/TimelineCurationService';
import { openApiRoutes } from './router/openapiRoutes';
import { postmortemRoutes } from './router/postmortemRoutes';
import { templateRoutes } from './router/templateRoutes';
import { upstreamRoutes } from './router/upstreamRoutes';
import { IncidentUpstream } from '@postmortems-oss/backstage-plugin-postmortems-node';
import { ExportService } from './exports/ExportService';
import { exportRoutes } from './router/exportRoutes';
import { trackerRoutes, trackerWebhookRoutes } from './router/trackerRoutes';
import { TrackerService } from './trackers/TrackerService';
import { LiveUpdates } from './live/LiveUpdates';
import { createRegenRouter, REGEN_DIALECT_PATH } from './regen/regenRouter';
import { ReviewService } from './reviews/ReviewService';
import { reviewRoutes } from './router/reviewRoutes';
import { relatedRoutes } from './router/relatedRoutes';
import { recurrenceRoutes } from './router/recurrenceRoutes';
import { RecurrenceService } from './recurrence/RecurrenceService';
import { RelatedPostmortems } from './related/RelatedPostmortems';

export interface RouterOptions {
  logger: LoggerService;
  httpAuth: HttpAuthService;
  access: PostmortemAccess;
  incidents: IncidentService;
  /** The curated timelines of post-mortems. */
  timeline: TimelineCurationService;
  postmortems: PostmortemService;
  /** Reviews of post-mortems before publishing. */
  reviews: ReviewService;
  /** Published post-mortems related to an incident. */
  related: RelatedPostmortems;
  /** Cause categories and recurrences. */
  recurrence: RecurrenceService;
  actionItems: ActionItemService;
  templates: TemplateService;
  generation: GenerationService;
  providers: ProviderRegistry;
  /** Wakes a job's event stream when the job changes. */
  live: LiveUpdates;
  /** The incident tool incidents come from (Regen), when one is connected. */
  upstream?: IncidentUpstream;
  /** Exports to Confluence, Notion and files. */
  exports: ExportService;
  /** Issues of action items in GitHub and Jira. */
  trackers?: TrackerService;
  /** How long a Regen-style (synchronous) generate request waits for its draft. */
  syncWaitMs?: number;
  /** Today's date (YYYY-MM-DD, UTC), for "overdue"; replaceable in tests. */
  today?: () => string;
  /** Regen's own clients' API (`/regen/api/v1`); see docs/REGEN-DIALECT.md. */
  regenDialect?: { enforcePublishChecks: boolean };
}

/**
 * The HTTP surface of the post-mortems backend: Regen's `/api/v1` resources
 * under `/v1`. Only HTTP concerns live here (validation, status codes);
 * rules live in the services.
 */
export async function createRouter(
  options: RouterOptions,
): Promise<express.Router> {
  const router = Router();
  // Tracker webhooks are verified against the body exactly as sent, so they
  // read it raw, before the JSON parser.
  if (options.trackers) {
    router.use('/v1', trackerWebhookRoutes(options.trackers));
  }
  // Regen's clients' dialect answers every error, a body that is not JSON
  // included, in Regen's envelope, so it parses its own bodies.
  router.use(
    REGEN_DIALECT_PATH,
    createRegenRouter({
      ...options,
      syncWaitMs: options.syncWaitMs ?? 120_000,
      enforcePublishChecks: options.regenDialect?.enforcePublishChecks ?? false,
    }),
  );
  // Imports carry whole timelines; 10 MB holds tens of thousands of entries.
  router.use(express.json({ limit: '10mb' }));

  // Load balancers and the README's smoke test call this without a token.
  router.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });
  // The native API described from the schemas it validates with.
  router.use(openApiRoutes());

  const ctx = createRouteContext(options.httpAuth, options.access);
  const today = options.today ?? (() => new Date().toISOString().slice(0, 10));
  router.use('/v1', incidentRoutes(ctx, options.incidents));
  router.use('/v1', timelineRoutes(ctx, options.incidents, options.timeline));
  router.use('/v1', upstreamRoutes(ctx, options.incidents, options.upstream));
  router.use(
    '/v1',
    postmortemRoutes(ctx, options.postmortems, options.exports),
  );
  router.use('/v1', reviewRoutes(ctx, options.reviews));
  router.use('/v1', relatedRoutes(ctx, options.related));
  router.use('/v1', recurrenceRoutes(ctx, options.recurrence));
  router.use('/v1', actionItemRoutes(ctx, options.actionItems, today));
  router.use('/v1', templateRoutes(ctx, options.templates));
  router.use('/v1', exportRoutes(ctx, options.exports));
  if (options.trackers) router.use('/v1', trackerRoutes(ctx, options.trackers));
  router.use(
    '/v1',
    generationRoutes(
      ctx,
      options.generation,
      options.postmortems,
      options.providers,
      options.syncWaitMs ?? 120_000,
      options.live,
    ),
  );

  router.use('/v1', (req, res) => {
    res.status(404).json({
      error: {
        code: 'not_found',
        message: `No route ${req.method} ${req.baseUrl}${req.path}`,
      },
    });
  });
  router.use(errorEnvelope(options.logger));
  return router;
}
