import Router from 'express-promise-router';
import {
  actionItemCreateBodySchema,
  actionItemListQuerySchema,
  actionItemParamsSchema,
  actionItemPatchBodySchema,
  idParamsSchema,
} from '@postmortems-oss/backstage-plugin-postmortems-common';
import { ActionItemService } from '../services/ActionItemService';
import { toPage } from '../services/IncidentService';
import { RouteContext } from './context';
import { offsetOf, parse } from './validation';

/** Action items of one post-mortem, and across all of them. */
export function actionItemRoutes(
  ctx: RouteContext,
  actionItems: ActionItemService,
  today: () => string,
) {
  const router = Router();

  router.get('/action-items', async (req, res) => {
    const credentials = await ctx.credentials(req);
    const query = parse(actionItemListQuerySchema, req.query, 'query');
    const result = await actionItems.list(
      {
        owner: query.owner,
        status: query.status,
        overdueOn: query.overdue === 'true' ? today() : undefined,
        entityRef: query.entity_ref ?? query.entityRef,
        ...offsetOf(query),
      },
      credentials,
    );
    res.json(toPage(result, query.page, query.limit));
  });

  router.post('/incidents/:id/postmortem/action-items', async (req, res) => {
    const credentials = await ctx.credentials(req);
    const { id } = parse(idParamsSchema, req.params, 'params');
    const body = parse(actionItemCreateBodySchema, req.body, 'body');
    res.status(201).json(await actionItems.create(id, body, credentials));
  });

  router.patch(
    '/incidents/:id/postmortem/action-items/:itemId',
    async (req, res) => {
      const credentials = await ctx.credentials(req);
      const { id, itemId } = parse(
        actionItemParamsSchema,
        req.params,
        'params',
      );
      const body = parse(actionItemPatchBodySchema, req.body, 'body');
      res.json(await actionItems.update(id, itemId, body, credentials));
    },
  );

  router.delete(
    '/incidents/:id/postmortem/action-items/:itemId',
    async (req, res) => {
      const credentials = await ctx.credentials(req);
      const { id, itemId } = parse(
        actionItemParamsSchema,
        req.params,
        'params',
      );
      await actionItems.delete(id, itemId, credentials);
      res.status(204).end();
    },
  );

  return router;
}
