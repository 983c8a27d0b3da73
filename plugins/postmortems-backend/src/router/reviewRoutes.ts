import Router from 'express-promise-router';
import {
  idParamsSchema,
  reviewDecisionBodySchema,
  reviewRequestBodySchema,
} from '@postmortems-oss/backstage-plugin-postmortems-common';
import { ReviewService } from '../reviews/ReviewService';
import { RouteContext } from './context';
import { parse } from './validation';

/** Review before publishing: requests, decisions and their history. */
export function reviewRoutes(ctx: RouteContext, reviews: ReviewService) {
  const router = Router();

  router.get('/incidents/:id/postmortem/reviews', async (req, res) => {
    const credentials = await ctx.credentials(req);
    const { id } = parse(idParamsSchema, req.params, 'params');
    res.json({ data: await reviews.history(id, credentials) });
  });

  router.post('/incidents/:id/postmortem/reviews/request', async (req, res) => {
    const credentials = await ctx.credentials(req);
    const { id } = parse(idParamsSchema, req.params, 'params');
    const body = parse(reviewRequestBodySchema, req.body, 'body');
    res.status(201).json(await reviews.request(id, body, credentials));
  });

  router.post('/incidents/:id/postmortem/reviews', async (req, res) => {
    const credentials = await ctx.credentials(req);
    const { id } = parse(idParamsSchema, req.params, 'params');
    const body = parse(reviewDecisionBodySchema, req.body, 'body');
    res.status(201).json(await reviews.decide(id, body, credentials));
  });

  return router;
}
