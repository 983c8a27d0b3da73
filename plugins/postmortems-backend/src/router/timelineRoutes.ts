import Router from 'express-promise-router';
import {
  idParamsSchema,
  timelineCurationPatchBodySchema,
  timelineEntryParamsSchema,
  timelineQuerySchema,
} from '@postmortems-oss/backstage-plugin-postmortems-common';
import { IncidentService, toPage } from '../services/IncidentService';
import { TimelineCurationService } from '../services/TimelineCurationService';
import { RouteContext } from './context';
import { offsetOf, parse } from './validation';

/**
 * An incident's timeline as recorded, and as its post-mortem's authors
 * curated it (hidden, pinned, key moments) with the durations it gives.
 */
export function timelineRoutes(
  ctx: RouteContext,
  incidents: IncidentService,
  curation: TimelineCurationService,
) {
  const router = Router();

  router.get('/incidents/:id/timeline', async (req, res) => {
    await ctx.credentials(req);
    const { id } = parse(idParamsSchema, req.params, 'params');
    const query = parse(timelineQuerySchema, req.query, 'query');
    if (query.curated === 'true') {
      const result = await curation.curated(id, {
        ...offsetOf(query),
        includeHidden: query.include_hidden === 'true',
      });
      res.json({ ...result, page: query.page, limit: query.limit });
      return;
    }
    const result = await incidents.timeline(id, offsetOf(query));
    res.json(toPage(result, query.page, query.limit));
  });

  router.patch('/incidents/:id/timeline/:entryId', async (req, res) => {
    const credentials = await ctx.credentials(req);
    const { id, entryId } = parse(
      timelineEntryParamsSchema,
      req.params,
      'params',
    );
    const body = parse(timelineCurationPatchBodySchema, req.body, 'body');
    res.json(
      await curation.curate(
        id,
        entryId,
        {
          hidden: body.hidden,
          pinned: body.pinned,
          keyMoment: body.key_moment,
        },
        credentials,
      ),
    );
  });

  router.get('/incidents/:id/durations', async (req, res) => {
    await ctx.credentials(req);
    const { id } = parse(idParamsSchema, req.params, 'params');
    res.json(await curation.durations(id));
  });

  return router;
}
