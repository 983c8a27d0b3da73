import Router from 'express-promise-router';
import {
  idParamsSchema,
  incidentWritePermission,
} from '@postmortems-oss/backstage-plugin-postmortems-common';
import { IncidentService } from '../services/IncidentService';
import {
  IncidentUpstream,
  UpstreamError,
} from '@postmortems-oss/backstage-plugin-postmortems-node';
import { RouteContext } from './context';
import { parse } from './validation';

/**
 * The upstream incident tool (Regen): how the copy stands, a sync on demand,
 * and a refresh of one incident.
 */
export function upstreamRoutes(
  ctx: RouteContext,
  incidents: IncidentService,
  upstream: IncidentUpstream | undefined,
) {
  const router = Router();

  router.get('/upstream', async (req, res) => {
    await ctx.credentials(req);
    if (!upstream) {
      res.json({ configured: false });
      return;
    }
    res.json({ configured: true, ...(await upstream.status()) });
  });

  // Waits for the sync: operators and scripts want to know how it went.
  router.post('/upstream/sync', async (req, res) => {
    const credentials = await ctx.credentials(req);
    await ctx.access.require(incidentWritePermission, credentials);
    if (!upstream) {
      res.status(404).json({
        error: {
          code: 'not_found',
          message:
            'No upstream is configured (e.g. the Regen module with postmortems.regen.baseUrl)',
        },
      });
      return;
    }
    const result = await upstream.sync();
    if (!result.ok) {
      throw new UpstreamError(
        `The sync with ${upstream.id} failed; the last good copy is kept: ${result.error}`,
        'upstream_unavailable',
      );
    }
    res.json({ ...result, status: await upstream.status() });
  });

  router.post('/incidents/:id/refresh', async (req, res) => {
    await ctx.credentials(req);
    const { id } = parse(idParamsSchema, req.params, 'params');
    res.json(await incidents.refresh(id));
  });

  return router;
}
