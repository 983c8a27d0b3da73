import express from 'express';
import Router from 'express-promise-router';
import {
  actionItemParamsSchema,
  issueCreateBodySchema,
  trackerParamsSchema,
} from '@postmortems-oss/backstage-plugin-postmortems-common';
import { TrackerService } from '../trackers/TrackerService';
import { RouteContext } from './context';
import { parse } from './validation';

/** Issue trackers, issues of action items, and the on-demand sync. */
export function trackerRoutes(ctx: RouteContext, trackers: TrackerService) {
  const router = Router();

  router.get('/trackers', async (req, res) => {
    await ctx.credentials(req);
    res.json({ data: trackers.trackers() });
  });

  router.post('/trackers/sync', async (req, res) => {
    const credentials = await ctx.credentials(req);
    res.json(await trackers.syncFor(credentials));
  });

  router.post(
    '/incidents/:id/postmortem/action-items/:itemId/issue',
    async (req, res) => {
      const credentials = await ctx.credentials(req);
      const { id, itemId } = parse(
        actionItemParamsSchema,
        req.params,
        'params',
      );
      const { tracker } = parse(issueCreateBodySchema, req.body, 'body');
      res
        .status(201)
        .json(await trackers.createIssue(id, itemId, tracker, credentials));
    },
  );

  return router;
}

/**
 * Webhooks from the trackers. They carry no Backstage credentials (the
 * plugin allows these paths unauthenticated); each delivery is verified
 * against the tracker's webhookSecret instead, which needs the body exactly
 * as sent: this router reads it raw, so it is mounted before the JSON parser.
 */
export function trackerWebhookRoutes(trackers: TrackerService) {
  const router = Router();
  router.post(
    '/trackers/:trackerId/webhook',
    express.raw({ type: () => true, limit: '5mb' }),
    async (req, res) => {
      const { trackerId } = parse(trackerParamsSchema, req.params, 'params');
      const result = await trackers.webhook(trackerId, {
        headers: req.headers,
        query: req.query as Record<string, unknown>,
        rawBody: Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0),
      });
      res.json(result);
    },
  );
  return router;
}
