import Router from 'express-promise-router';
import {
  idParamsSchema,
  incidentWritePermission,
} from '@postmortems-oss/backstage-plugin-postmortems-common';
import { IncidentService } from '../services/IncidentService';
import { RegenUpstream, UpstreamError } from '../upstream/RegenUpstream';
import { RouteContext } from './context';
import { parse } from './validation';

/**
 * The upstream incident tool (Regen): how the copy stands, a sync on demand,
 * and a refresh of one incident.
 */
export function upstreamRoutes(
  ctx: RouteContext,
  incidents: IncidentService,
  regen: RegenUpstream | undefined,
) {
  const router = Router();

  router.get('/upstream', async (req, res) => {
    await ctx.credentials(req);
    if (!regen) {
      res.json({ configured: false });
      return;
    }
    res.json({ configured: true, ...(await regen.status()) });
  });

  // Waits for the sync: operators and scripts want to know how it went.
  router.post('/upstream/sync', async (req, res) => {
    const credentials = await ctx.credentials(req);
    await ctx.access.require(incidentWritePermission, credentials);
    if (!regen) {
      res.status(404).json({
        error: {
          code: 'not_found',
          message: 'No upstream is configured (postmortems.regen.baseUrl)',
        },
      });
      return;
    }
    const result = await regen.sync();
    if (!result.ok) {
      throw new UpstreamError(
        `The sync with Regen failed; the last good copy is kept: ${result.error}`,
        'upstream_unavailable',
      );
    }
    res.json({ ...result, status: await regen.status() });
  });

  router.post('/incidents/:id/refresh', async (req, res) => {
    await ctx.credentials(req);
    const { id } = parse(idParamsSchema, req.params, 'params');
    res.json(await incidents.refresh(id));
  });

  return router;
}
