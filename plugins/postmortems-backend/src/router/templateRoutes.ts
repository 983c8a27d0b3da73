import Router from 'express-promise-router';
import { templateManagePermission } from '@postmortems-oss/backstage-plugin-postmortems-common';
import { TemplateService } from '../services/TemplateService';
import { RouteContext } from './context';
import {
  idParams,
  parse,
  templateCopyBody,
  templateCreateBody,
  templatePatchBody,
} from './validation';

/** Post-mortem templates (Regen's path: `/post-mortem-templates`). */
export function templateRoutes(ctx: RouteContext, templates: TemplateService) {
  const router = Router();

  router.get('/post-mortem-templates', async (req, res) => {
    await ctx.credentials(req);
    res.json({ data: await templates.list() });
  });

  router.post('/post-mortem-templates', async (req, res) => {
    const credentials = await ctx.credentials(req);
    const body = parse(templateCreateBody, req.body, 'body');
    await ctx.access.require(templateManagePermission, credentials);
    res.status(201).json(await templates.create(body));
  });

  router.get('/post-mortem-templates/:id', async (req, res) => {
    await ctx.credentials(req);
    const { id } = parse(idParams, req.params, 'params');
    res.json(await templates.get(id));
  });

  router.patch('/post-mortem-templates/:id', async (req, res) => {
    const credentials = await ctx.credentials(req);
    const { id } = parse(idParams, req.params, 'params');
    const body = parse(templatePatchBody, req.body, 'body');
    await ctx.access.require(templateManagePermission, credentials);
    res.json(await templates.update(id, body));
  });

  router.delete('/post-mortem-templates/:id', async (req, res) => {
    const credentials = await ctx.credentials(req);
    const { id } = parse(idParams, req.params, 'params');
    await ctx.access.require(templateManagePermission, credentials);
    await templates.delete(id);
    res.status(204).end();
  });

  router.post('/post-mortem-templates/:id/copy', async (req, res) => {
    const credentials = await ctx.credentials(req);
    const { id } = parse(idParams, req.params, 'params');
    const body = parse(templateCopyBody, req.body, 'body');
    await ctx.access.require(templateManagePermission, credentials);
    res.status(201).json(await templates.copy(id, body.name));
  });

  router.post('/post-mortem-templates/:id/activate', async (req, res) => {
    const credentials = await ctx.credentials(req);
    const { id } = parse(idParams, req.params, 'params');
    await ctx.access.require(templateManagePermission, credentials);
    res.json(await templates.activate(id));
  });

  return router;
}
