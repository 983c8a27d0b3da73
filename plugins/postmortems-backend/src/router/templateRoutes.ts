import Router from 'express-promise-router';
import {
  idParamsSchema,
  templateCopyBodySchema,
  templateCreateBodySchema,
  templateManagePermission,
  templatePatchBodySchema,
} from '@postmortems-oss/backstage-plugin-postmortems-common';
import { TemplateService } from '../services/TemplateService';
import { RouteContext } from './context';
import { parse } from './validation';

/** Post-mortem templates (Regen's path: `/post-mortem-templates`). */
export function templateRoutes(ctx: RouteContext, templates: TemplateService) {
  const router = Router();

  router.get('/post-mortem-templates', async (req, res) => {
    await ctx.credentials(req);
    res.json({ data: await templates.list() });
  });

  router.post('/post-mortem-templates', async (req, res) => {
    const credentials = await ctx.credentials(req);
    const body = parse(templateCreateBodySchema, req.body, 'body');
    await ctx.access.require(templateManagePermission, credentials);
    res.status(201).json(await templates.create(body));
  });

  router.get('/post-mortem-templates/:id', async (req, res) => {
    await ctx.credentials(req);
    const { id } = parse(idParamsSchema, req.params, 'params');
    res.json(await templates.get(id));
  });

  router.patch('/post-mortem-templates/:id', async (req, res) => {
    const credentials = await ctx.credentials(req);
    const { id } = parse(idParamsSchema, req.params, 'params');
    const body = parse(templatePatchBodySchema, req.body, 'body');
    await ctx.access.require(templateManagePermission, credentials);
    res.json(await templates.update(id, body));
  });

  router.delete('/post-mortem-templates/:id', async (req, res) => {
    const credentials = await ctx.credentials(req);
    const { id } = parse(idParamsSchema, req.params, 'params');
    await ctx.access.require(templateManagePermission, credentials);
    await templates.delete(id);
    res.status(204).end();
  });

  router.post('/post-mortem-templates/:id/copy', async (req, res) => {
    const credentials = await ctx.credentials(req);
    const { id } = parse(idParamsSchema, req.params, 'params');
    const body = parse(templateCopyBodySchema, req.body, 'body');
    await ctx.access.require(templateManagePermission, credentials);
    res.status(201).json(await templates.copy(id, body.name));
  });

  router.post('/post-mortem-templates/:id/activate', async (req, res) => {
    const credentials = await ctx.credentials(req);
    const { id } = parse(idParamsSchema, req.params, 'params');
    await ctx.access.require(templateManagePermission, credentials);
    res.json(await templates.activate(id));
  });

  return router;
}
