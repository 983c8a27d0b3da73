import Router from 'express-promise-router';
import {
  idParamsSchema,
  relatedQuerySchema,
} from '@postmortems-oss/backstage-plugin-postmortems-common';
import { RelatedPostmortems } from '../related/RelatedPostmortems';
import { RouteContext } from './context';
import { parse } from './validation';

/**
 * Published post-mortems related to an incident, for the one writing it up.
 * An incident without a post-mortem yet is answered too (from its services,
 * title and summary), so related ones can be read before drafting.
 */
export function relatedRoutes(ctx: RouteContext, related: RelatedPostmortems) {
  const router = Router();

  router.get('/incidents/:id/postmortem/related', async (req, res) => {
    const credentials = await ctx.credentials(req);
    const { id } = parse(idParamsSchema, req.params, 'params');
    const { limit } = parse(relatedQuerySchema, req.query, 'query');
    res.json({ data: await related.forIncident(id, limit, credentials) });
  });

  return router;
}
