import Router from 'express-promise-router';
import {
  causesBodySchema,
  idParamsSchema,
} from '@postmortems-oss/backstage-plugin-postmortems-common';
import { RecurrenceService } from '../recurrence/RecurrenceService';
import { RouteContext } from './context';
import { parse } from './validation';

/**
 * A post-mortem's cause categories, and the recurrences they reveal: earlier
 * post-mortems whose cause came back after their action items were done.
 */
export function recurrenceRoutes(
  ctx: RouteContext,
  recurrence: RecurrenceService,
) {
  const router = Router();

  router.get('/incidents/:id/postmortem/causes', async (req, res) => {
    const credentials = await ctx.credentials(req);
    const { id } = parse(idParamsSchema, req.params, 'params');
    res.json(await recurrence.causes(id, credentials));
  });

  router.put('/incidents/:id/postmortem/causes', async (req, res) => {
    const credentials = await ctx.credentials(req);
    const { id } = parse(idParamsSchema, req.params, 'params');
    const body = parse(causesBodySchema, req.body, 'body');
    res.json(await recurrence.setCauses(id, body.categories, credentials));
  });

  router.get('/incidents/:id/postmortem/recurrences', async (req, res) => {
    const credentials = await ctx.credentials(req);
    const { id } = parse(idParamsSchema, req.params, 'params');
    res.json(await recurrence.recurrences(id, credentials));
  });

  return router;
}
