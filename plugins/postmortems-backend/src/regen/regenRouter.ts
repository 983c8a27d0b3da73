import {
  BackstageCredentials,
  HttpAuthService,
  LoggerService,
} from '@backstage/backend-plugin-api';
import express from 'express';
import Router from 'express-promise-router';
import {
  incidentWritePermission,
  templateManagePermission,
} from '@postmortems-oss/backstage-plugin-postmortems-common';
import {
  GenerateRequest,
  GenerationService,
} from '../generation/GenerationService';
import { parse } from '../router/validation';
import { ActionItemService } from '../services/ActionItemService';
import { DetailedConflictError, ValidationError } from '../services/errors';
import { IncidentService } from '../services/IncidentService';
import { actorOf, PostmortemAccess } from '../services/PostmortemAccess';
import { PostmortemService } from '../services/PostmortemService';
import { TemplateService } from '../services/TemplateService';
import { fromRegenActionItem, toRegenActionItem } from './actionItemMapper';
import {
  toRegenAlert,
  toRegenIncident,
  toRegenIncidentDetail,
  toRegenTimelineEntry,
} from './incidentMapper';
import { toRegenComment, toRegenPostmortem } from './postmortemMapper';
import { regenRouteContext } from './regenAuth';
import {
  regenErrorHandler,
  regenRequestId,
  sendRegenError,
} from './regenErrors';
import {
  regenActionItemCreate,
  regenActionItemUpdate,
  regenComment,
  regenCommentParams,
  regenEnhance,
  regenGenerate,
  regenIdParams,
  regenIncidentCreate,
  regenIncidentListQuery,
  regenIncidentUpdate,
  regenItemParams,
  regenPageQuery,
  regenPostmortemUpdate,
  regenTemplateCreate,
  regenTemplateUpdate,
  regenTimelineCreate,
} from './regenRequests';
import { sectionsFromHeadings, toRegenTemplate } from './templateMapper';

/** Where the dialect is mounted inside the plugin: Regen's `/api/v1` under `/regen`. */
export const REGEN_DIALECT_PATH = '/regen/api/v1';

export interface RegenRouterOptions {
  logger: LoggerService;
  httpAuth: HttpAuthService;
  access: PostmortemAccess;
  incidents: IncidentService;
  postmortems: PostmortemService;
  actionItems: ActionItemService;
  templates: TemplateService;
  generation: GenerationService;
  /** How long generate and enhance wait for the draft. */
  syncWaitMs: number;
  /**
   * Whether publishing through the dialect is refused while the evidence
   * check has findings. Regen's clients cannot send the native API's
   * override, so by default the dialect publishes as Regen does.
   */
  enforcePublishChecks: boolean;
}

/** Regen shows only the first page of a timeline on an incident. */
const EMBEDDED_TIMELINE_ENTRIES = 50;
/** Regen's nil UUID: its UI sends it to clear the commander. */
const NIL_UUID = '00000000-0000-0000-0000-000000000000';

/** A draft still being written when the wait ended. */
class GenerationPendingError extends Error {
  readonly statusCode = 504;
  readonly code = 'generation_pending';
  constructor(jobId: string) {
    super(
      `The draft is still being written (job ${jobId}); GET the post-mortem again in a minute`,
    );
    this.name = 'GenerationPendingError';
  }
}

class GenerationFailedError extends Error {
  readonly statusCode = 502;
  readonly code = 'generation_failed';
  constructor(message: string) {
    super(message);
    this.name = 'GenerationFailedError';
  }
}

/**
 * The Regen dialect: Fluidify Regen's `/api/v1` incident and post-mortem
 * routes, with its request bodies and response shapes, over the same
 * services as the native API. Every route translates and delegates; the
 * rules stay in the services.
 */
export function createRegenRouter(options: RegenRouterOptions): express.Router {
  const {
    incidents,
    postmortems,
    actionItems,
    templates,
    generation,
    syncWaitMs,
  } = options;
  const ctx = regenRouteContext(options.httpAuth, options.access);
  const router = Router();
  router.use(regenRequestId());
  router.use(express.json({ limit: '10mb' }));

  // Incidents (Regen: handlers/incidents.go)

  router.get('/incidents', async (req, res) => {
    await ctx.credentials(req);
    const query = parse(regenIncidentListQuery, req.query, 'query');
    const offset = (query.page - 1) * query.limit;
    const result = await incidents.list({
      status: query.status ? [query.status] : undefined,
      severity: query.severity ? [query.severity] : undefined,
      createdAfter: query.created_after,
      createdBefore: query.created_before,
      offset,
      limit: query.limit,
    });
    res.json({
      data: result.data.map(toRegenIncident),
      total: result.total,
      limit: query.limit,
      offset,
    });
  });

  router.post('/incidents', async (req, res) => {
    const credentials = await ctx.credentials(req);
    const body = parse(regenIncidentCreate, req.body, 'body');
    await ctx.access.require(incidentWritePermission, credentials);
    const incident = await incidents.create(
      {
        title: body.title,
        // Regen's default when a client sends none.
        severity: body.severity ?? 'medium',
        description: body.description || undefined,
      },
      actorOf(credentials),
    );
    res.status(201).json(toRegenIncident(incident));
  });

  router.get('/incidents/:id', async (req, res) => {
    await ctx.credentials(req);
    const { id } = parse(regenIdParams, req.params, 'params');
    const incident = await incidents.get(id);
    const [alerts, timeline] = await Promise.all([
      incidents.alertsOf(incident.id),
      incidents.timeline(incident.id, {
        offset: 0,
        limit: EMBEDDED_TIMELINE_ENTRIES,
      }),
    ]);
    res.json(toRegenIncidentDetail(incident, alerts, timeline.data));
  });

  router.patch('/incidents/:id', async (req, res) => {
    const credentials = await ctx.credentials(req);
    const { id } = parse(regenIdParams, req.params, 'params');
    const body = parse(regenIncidentUpdate, req.body, 'body');
    await ctx.access.require(incidentWritePermission, credentials);
    const commander = commanderOf(body.commander_id);
    const change = {
      status: body.status,
      severity: body.severity,
      // Regen leaves an empty summary as it is.
      summary: body.summary || undefined,
      commander,
    };
    if (Object.values(change).every(value => value === undefined)) {
      // Nothing Regen would change (e.g. only `ai_enabled`): as it is.
      res.json(toRegenIncident(await incidents.get(id)));
      return;
    }
    try {
      const updated = await incidents.patch(id, change, actorOf(credentials));
      res.json(toRegenIncident(updated));
    } catch (error) {
      throw regenTransitionConflict(error, body.status);
    }
  });

  // Timeline (Regen: handlers/timeline.go)

  router.get('/incidents/:id/timeline', async (req, res) => {
    await ctx.credentials(req);
    const { id } = parse(regenIdParams, req.params, 'params');
    const query = parse(regenPageQuery, req.query, 'query');
    const offset = (query.page - 1) * query.limit;
    const result = await incidents.timeline(id, {
      offset,
      limit: query.limit,
    });
    res.json({
      data: result.data.map(toRegenTimelineEntry),
      total: result.total,
      limit: query.limit,
      offset,
    });
  });

  router.post('/incidents/:id/timeline', async (req, res) => {
    const credentials = await ctx.credentials(req);
    const { id } = parse(regenIdParams, req.params, 'params');
    const body = parse(regenTimelineCreate, req.body, 'body');
    await ctx.access.require(incidentWritePermission, credentials);
    const entry = await incidents.addMessage(
      id,
      messageText(body.content),
      actorOf(credentials),
    );
    res.status(201).json(toRegenTimelineEntry(entry));
  });

  // Alerts (Regen: handlers/alerts.go)

  router.get('/alerts', async (req, res) => {
    await ctx.credentials(req);
    const query = parse(regenPageQuery, req.query, 'query');
    for (const filter of ['source', 'status', 'severity']) {
      if (req.query[filter] !== undefined) {
        throw new ValidationError([
          {
            field: `query.${filter}`,
            message: 'filtering alerts is not supported; page through them',
          },
        ]);
      }
    }
    const offset = (query.page - 1) * query.limit;
    const result = await incidents.listAlerts({ offset, limit: query.limit });
    res.json({
      data: result.data.map(toRegenAlert),
      total: result.total,
      limit: query.limit,
      offset,
    });
  });

  router.get('/alerts/:id', async (req, res) => {
    await ctx.credentials(req);
    const { id } = parse(regenIdParams, req.params, 'params');
    res.json(toRegenAlert(await incidents.getAlert(id)));
  });

  // Post-mortems (Regen: handlers/post_mortems.go)

  router.get('/incidents/:id/postmortem', async (req, res) => {
    const credentials = await ctx.credentials(req);
    const { id } = parse(regenIdParams, req.params, 'params');
    res.json(toRegenPostmortem(await postmortems.get(id, credentials)));
  });

  router.post('/incidents/:id/postmortem', async (req, res) => {
    const credentials = await ctx.credentials(req);
    const { id } = parse(regenIdParams, req.params, 'params');
    const created = await postmortems.createBlank(id, undefined, credentials);
    res.status(201).json(toRegenPostmortem(created));
  });

  router.patch('/incidents/:id/postmortem', async (req, res) => {
    const credentials = await ctx.credentials(req);
    const { id } = parse(regenIdParams, req.params, 'params');
    const body = parse(regenPostmortemUpdate, req.body, 'body');
    const updated = await postmortems.patch(
      id,
      {
        content: body.content,
        status: body.status,
        // Versionless, as Regen's clients save: the edit applies to the
        // latest version and the replaced one stays in the history.
        overrideFindings: !options.enforcePublishChecks,
      },
      credentials,
    );
    res.json(toRegenPostmortem(updated));
  });

  router.get('/incidents/:id/postmortem/export', async (req, res) => {
    const credentials = await ctx.credentials(req);
    const { id } = parse(regenIdParams, req.params, 'params');
    const { filename, markdown } = await postmortems.exportMarkdown(
      id,
      credentials,
    );
    res.setHeader('Content-Type', 'text/markdown; charset=utf-8');
    res.setHeader('Content-Disposition', `attachment; filename="${filename}"`);
    res.send(markdown);
  });

  async function draftAndWait(
    incidentRef: string,
    request: GenerateRequest,
    credentials: BackstageCredentials,
  ) {
    const job = await generation.enqueue(incidentRef, request, credentials);
    const finished = await generation.waitFor(job.id, syncWaitMs);
    if (finished.status === 'failed') {
      throw new GenerationFailedError(finished.error ?? 'Generation failed');
    }
    if (finished.status !== 'succeeded') {
      throw new GenerationPendingError(job.id);
    }
    return toRegenPostmortem(await postmortems.get(incidentRef, credentials));
  }

  router.post('/incidents/:id/postmortem/generate', async (req, res) => {
    const credentials = await ctx.credentials(req);
    const { id } = parse(regenIdParams, req.params, 'params');
    const body = parse(regenGenerate, req.body, 'body');
    res.json(
      await draftAndWait(
        id,
        {
          kind: 'document',
          templateId: body.template_id ?? undefined,
          allowUnresolved: true,
        },
        credentials,
      ),
    );
  });

  // Regen's enhance takes the editor's content: it is saved first (kept in
  // the history like any save), then the saved draft is enhanced.
  router.post('/incidents/:id/postmortem/enhance', async (req, res) => {
    const credentials = await ctx.credentials(req);
    const { id } = parse(regenIdParams, req.params, 'params');
    const body = parse(regenEnhance, req.body, 'body');
    await postmortems.patch(id, { content: body.content }, credentials);
    res.json(await draftAndWait(id, { kind: 'enhance' }, credentials));
  });

  // Action items

  router.post('/incidents/:id/postmortem/action-items', async (req, res) => {
    const credentials = await ctx.credentials(req);
    const { id } = parse(regenIdParams, req.params, 'params');
    const body = parse(regenActionItemCreate, req.body, 'body');
    const input = fromRegenActionItem(body);
    const item = await actionItems.create(
      id,
      { ...input, description: input.description! },
      credentials,
    );
    res.status(201).json(toRegenActionItem(item));
  });

  router.patch(
    '/incidents/:id/postmortem/action-items/:itemId',
    async (req, res) => {
      const credentials = await ctx.credentials(req);
      const { id, itemId } = parse(regenItemParams, req.params, 'params');
      const body = parse(regenActionItemUpdate, req.body, 'body');
      const item = await actionItems.update(
        id,
        itemId,
        fromRegenActionItem(body),
        credentials,
      );
      res.json(toRegenActionItem(item));
    },
  );

  router.delete(
    '/incidents/:id/postmortem/action-items/:itemId',
    async (req, res) => {
      const credentials = await ctx.credentials(req);
      const { id, itemId } = parse(regenItemParams, req.params, 'params');
      await actionItems.delete(id, itemId, credentials);
      res.status(204).end();
    },
  );

  // Comments

  router.get('/incidents/:id/postmortem/comments', async (req, res) => {
    const credentials = await ctx.credentials(req);
    const { id } = parse(regenIdParams, req.params, 'params');
    const comments = await postmortems.comments(id, credentials);
    res.json({ data: comments.map(toRegenComment) });
  });

  router.post('/incidents/:id/postmortem/comments', async (req, res) => {
    const credentials = await ctx.credentials(req);
    const { id } = parse(regenIdParams, req.params, 'params');
    const body = parse(regenComment, req.body, 'body');
    const comment = await postmortems.addComment(id, body.content, credentials);
    res.status(201).json(toRegenComment(comment));
  });

  router.delete(
    '/incidents/:id/postmortem/comments/:commentId',
    async (req, res) => {
      const credentials = await ctx.credentials(req);
      const { id, commentId } = parse(regenCommentParams, req.params, 'params');
      await postmortems.deleteComment(id, commentId, credentials);
      res.status(204).end();
    },
  );

  // Templates (Regen: handlers/post_mortem_templates.go)

  router.get('/post-mortem-templates', async (req, res) => {
    await ctx.credentials(req);
    res.json({ data: (await templates.list()).map(toRegenTemplate) });
  });

  router.post('/post-mortem-templates', async (req, res) => {
    const credentials = await ctx.credentials(req);
    const body = parse(regenTemplateCreate, req.body, 'body');
    await ctx.access.require(templateManagePermission, credentials);
    const created = await templates.create({
      name: body.name,
      description: body.description,
      sections: sectionsFromHeadings(body.sections),
    });
    res.status(201).json(toRegenTemplate(created));
  });

  router.get('/post-mortem-templates/:id', async (req, res) => {
    await ctx.credentials(req);
    const { id } = parse(regenIdParams, req.params, 'params');
    res.json(toRegenTemplate(await templates.get(id)));
  });

  router.patch('/post-mortem-templates/:id', async (req, res) => {
    const credentials = await ctx.credentials(req);
    const { id } = parse(regenIdParams, req.params, 'params');
    const body = parse(regenTemplateUpdate, req.body, 'body');
    await ctx.access.require(templateManagePermission, credentials);
    const current = await templates.get(id);
    const updated = await templates.update(id, {
      name: body.name,
      description: body.description,
      sections: body.sections
        ? sectionsFromHeadings(body.sections, current.sections)
        : undefined,
    });
    res.json(toRegenTemplate(updated));
  });

  router.delete('/post-mortem-templates/:id', async (req, res) => {
    const credentials = await ctx.credentials(req);
    const { id } = parse(regenIdParams, req.params, 'params');
    await ctx.access.require(templateManagePermission, credentials);
    await templates.delete(id);
    res.status(204).end();
  });

  router.use((req, res) => {
    sendRegenError(
      res,
      404,
      'not_found',
      `No route ${req.method} ${req.baseUrl}${req.path}`,
    );
  });
  router.use(regenErrorHandler(options.logger));
  return router;
}

/**
 * Regen's commander: absent or null leaves it, the nil UUID clears it. We
 * keep Backstage user refs; a bare name is a user of the default namespace.
 */
function commanderOf(
  commanderId: string | null | undefined,
): string | null | undefined {
  if (commanderId === undefined || commanderId === null) return undefined;
  const value = commanderId.trim();
  if (value === NIL_UUID || value === '') return null;
  const ref = value.includes(':') ? value : `user:default/${value}`;
  if (!/^[a-z0-9_-]+:([a-z0-9_.-]+\/)?[a-z0-9_.-]+$/i.test(ref)) {
    throw new ValidationError([
      {
        field: 'body.commander_id',
        message:
          'must be a user entity ref like user:default/jane, or a user name',
      },
    ]);
  }
  return ref;
}

/** The text of a Regen message entry: `{message}` (its UI) or `{text}`. */
function messageText(content: Record<string, unknown>): string {
  const text = content.message ?? content.text;
  if (typeof text !== 'string' || !text.trim()) {
    throw new ValidationError([
      {
        field: 'body.content.message',
        message: 'must be a non-empty string',
      },
    ]);
  }
  if (text.length > 20_000) {
    throw new ValidationError([
      {
        field: 'body.content.message',
        message: 'must be at most 20000 characters',
      },
    ]);
  }
  return text;
}

/** Our transition conflict with the detail names Regen's clients read. */
function regenTransitionConflict(
  error: unknown,
  requested: string | undefined,
): unknown {
  if (
    error instanceof DetailedConflictError &&
    Array.isArray(error.details.allowed_transitions)
  ) {
    return new DetailedConflictError(error.message, {
      current_status: error.details.current_status,
      requested_status: requested,
      valid_transitions: error.details.allowed_transitions,
    });
  }
  return error;
}
