import Router from 'express-promise-router';
import {
  exportCreateBodySchema,
  idParamsSchema,
} from '@postmortems-oss/backstage-plugin-postmortems-common';
import { ExportService } from '../exports/ExportService';
import { RouteContext } from './context';
import { parse } from './validation';

/** Export targets, and exports of a post-mortem to its pages. */
export function exportRoutes(ctx: RouteContext, exports: ExportService) {
  const router = Router();

  router.get('/export-targets', async (req, res) => {
    await ctx.credentials(req);
    res.json({ data: exports.targets() });
  });

  router.get('/incidents/:id/postmortem/exports', async (req, res) => {
    const credentials = await ctx.credentials(req);
    const { id } = parse(idParamsSchema, req.params, 'params');
    res.json({ data: await exports.list(id, credentials) });
  });

  // 201 when a page was created, 200 when the earlier export's page was updated.
  router.post('/incidents/:id/postmortem/exports', async (req, res) => {
    const credentials = await ctx.credentials(req);
    const { id } = parse(idParamsSchema, req.params, 'params');
    const { target } = parse(exportCreateBodySchema, req.body, 'body');
    const { record, created } = await exports.export(id, target, credentials);
    res.status(created ? 201 : 200).json(record);
  });

  return router;
}
