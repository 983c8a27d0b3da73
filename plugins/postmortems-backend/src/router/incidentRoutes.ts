import Router from 'express-promise-router';
import {
  figuresBreakdownQuerySchema,
  figuresQuerySchema,
  idParamsSchema,
  incidentCreateBodySchema,
  incidentImportBodySchema,
  incidentListQuerySchema,
  incidentPatchBodySchema,
  incidentWritePermission,
  pageQuerySchema,
  timelineMessageBodySchema,
} from '@postmortems-oss/backstage-plugin-postmortems-common';
import { IncidentService, toPage } from '../services/IncidentService';
import { actorOf } from '../services/PostmortemAccess';
import { RouteContext } from './context';
import { offsetOf, parse } from './validation';

/**
 * Regen's incident, timeline message and alert routes, and the figures over
 * them. Reading the timeline is in timelineRoutes.
 */
export function incidentRoutes(ctx: RouteContext, incidents: IncidentService) {
  const router = Router();

  router.get('/incidents', async (req, res) => {
    await ctx.credentials(req);
    const query = parse(incidentListQuerySchema, req.query, 'query');
    const result = await incidents.list({
      status: query.status,
      severity: query.severity,
      createdAfter: query.created_after,
      createdBefore: query.created_before,
      entityRef: query.entity_ref,
      hasPostmortem:
        query.has_postmortem === undefined
          ? undefined
          : query.has_postmortem === 'true',
      ...offsetOf(query),
    });
    res.json(toPage(result, query.page, query.limit));
  });

  // Counted by the database over any period: the figures page reads these
  // instead of whole lists.
  router.get('/figures', async (req, res) => {
    await ctx.credentials(req);
    const query = parse(figuresQuerySchema, req.query, 'query');
    res.json(
      await incidents.figures({
        from: query.from,
        to: query.to,
        bucketDays: query.bucket_days,
      }),
    );
  });

  // The same figures by service, team, month or cause, grouped by the
  // database; with entity_ref, one service's own story.
  router.get('/figures/breakdown', async (req, res) => {
    await ctx.credentials(req);
    const query = parse(figuresBreakdownQuerySchema, req.query, 'query');
    res.json(
      await incidents.figuresBreakdown({
        from: query.from,
        to: query.to,
        by: query.by,
        entityRef: query.entity_ref,
      }),
    );
  });

  router.post('/incidents', async (req, res) => {
    const credentials = await ctx.credentials(req);
    const body = parse(incidentCreateBodySchema, req.body, 'body');
    await ctx.access.require(incidentWritePermission, credentials);
    res.status(201).json(await incidents.create(body, actorOf(credentials)));
  });

  // The import document: an incident from another tool with its timeline and alerts.
  router.post('/incidents/import', async (req, res) => {
    const credentials = await ctx.credentials(req);
    const body = parse(incidentImportBodySchema, req.body, 'body');
    await ctx.access.require(incidentWritePermission, credentials);
    res.status(201).json(await incidents.import(body, actorOf(credentials)));
  });

  router.get('/incidents/:id', async (req, res) => {
    await ctx.credentials(req);
    const { id } = parse(idParamsSchema, req.params, 'params');
    res.json(await incidents.get(id));
  });

  router.patch('/incidents/:id', async (req, res) => {
    const credentials = await ctx.credentials(req);
    const { id } = parse(idParamsSchema, req.params, 'params');
    const body = parse(incidentPatchBodySchema, req.body, 'body');
    await ctx.access.require(incidentWritePermission, credentials);
    res.json(await incidents.patch(id, body, actorOf(credentials)));
  });

  router.post('/incidents/:id/timeline', async (req, res) => {
    const credentials = await ctx.credentials(req);
    const { id } = parse(idParamsSchema, req.params, 'params');
    const body = parse(timelineMessageBodySchema, req.body, 'body');
    await ctx.access.require(incidentWritePermission, credentials);
    res
      .status(201)
      .json(await incidents.addMessage(id, body.content, actorOf(credentials)));
  });

  router.get('/incidents/:id/alerts', async (req, res) => {
    await ctx.credentials(req);
    const { id } = parse(idParamsSchema, req.params, 'params');
    const incident = await incidents.get(id);
    res.json({ data: await incidents.alertsOf(incident.id) });
  });

  router.get('/alerts', async (req, res) => {
    await ctx.credentials(req);
    const query = parse(pageQuerySchema, req.query, 'query');
    const result = await incidents.listAlerts(offsetOf(query));
    res.json(toPage(result, query.page, query.limit));
  });

  router.get('/alerts/:id', async (req, res) => {
    await ctx.credentials(req);
    const { id } = parse(idParamsSchema, req.params, 'params');
    res.json(await incidents.getAlert(id));
  });

  return router;
}
