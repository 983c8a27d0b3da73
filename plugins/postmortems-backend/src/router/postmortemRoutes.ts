import Router from 'express-promise-router';
import { postmortemExportJsonSchema } from '@postmortems-oss/backstage-plugin-postmortems-common';
import { postmortemPdf } from '../exports/ExportService';
import { toPage } from '../services/IncidentService';
import { PostmortemService } from '../services/PostmortemService';
import { RouteContext } from './context';
import {
  commentBody,
  commentParams,
  diffQuery,
  expectedVersion,
  exportQuery,
  idParams,
  offsetOf,
  parse,
  postmortemCreateBody,
  postmortemListQuery,
  postmortemPatchBody,
  restoreBody,
  revisionParams,
} from './validation';

/** Post-mortem, revision, export and comment routes. */
export function postmortemRoutes(
  ctx: RouteContext,
  postmortems: PostmortemService,
) {
  const router = Router();

  router.get('/postmortems', async (req, res) => {
    const credentials = await ctx.credentials(req);
    const query = parse(postmortemListQuery, req.query, 'query');
    const result = await postmortems.list(
      {
        entityRef: query.entity_ref ?? query.entityRef,
        status: query.status,
        severity: query.severity,
        ...offsetOf(query),
      },
      credentials,
    );
    res.json(toPage(result, query.page, query.limit));
  });

  router.get('/postmortem-export-schema', async (_req, res) => {
    res.json(postmortemExportJsonSchema);
  });

  router.get('/incidents/:id/postmortem', async (req, res) => {
    const credentials = await ctx.credentials(req);
    const { id } = parse(idParams, req.params, 'params');
    const postmortem = await postmortems.get(id, credentials);
    res.setHeader('ETag', `"${postmortem.version}"`);
    res.json(postmortem);
  });

  router.post('/incidents/:id/postmortem', async (req, res) => {
    const credentials = await ctx.credentials(req);
    const { id } = parse(idParams, req.params, 'params');
    const body = parse(postmortemCreateBody, req.body, 'body');
    const postmortem = await postmortems.createBlank(
      id,
      body.template_id,
      credentials,
    );
    res.setHeader('ETag', `"${postmortem.version}"`);
    res.status(201).json(postmortem);
  });

  router.patch('/incidents/:id/postmortem', async (req, res) => {
    const credentials = await ctx.credentials(req);
    const { id } = parse(idParams, req.params, 'params');
    const body = parse(postmortemPatchBody, req.body, 'body');
    const postmortem = await postmortems.patch(
      id,
      {
        content: body.content,
        sections: body.sections,
        status: body.status,
        version: expectedVersion(req, body.version),
        overrideFindings: body.override_findings,
      },
      credentials,
    );
    res.setHeader('ETag', `"${postmortem.version}"`);
    res.json(postmortem);
  });

  router.get('/incidents/:id/postmortem/export', async (req, res) => {
    const credentials = await ctx.credentials(req);
    const { id } = parse(idParams, req.params, 'params');
    const { format } = parse(exportQuery, req.query, 'query');
    if (format === 'json') {
      const { filename, postmortem } = await postmortems.exportJson(
        id,
        credentials,
      );
      res.setHeader(
        'Content-Disposition',
        `attachment; filename="${filename}"`,
      );
      res.json(postmortem);
      return;
    }
    if (format === 'pdf') {
      const { filename, pdf } = await postmortemPdf(
        postmortems,
        id,
        credentials,
      );
      res.setHeader('Content-Type', 'application/pdf');
      res.setHeader(
        'Content-Disposition',
        `attachment; filename="${filename}"`,
      );
      res.send(pdf);
      return;
    }
    const { filename, markdown } = await postmortems.exportMarkdown(
      id,
      credentials,
    );
    res.setHeader('Content-Type', 'text/markdown; charset=utf-8');
    res.setHeader('Content-Disposition', `attachment; filename="${filename}"`);
    res.send(markdown);
  });

  router.get('/incidents/:id/postmortem/revisions', async (req, res) => {
    const credentials = await ctx.credentials(req);
    const { id } = parse(idParams, req.params, 'params');
    res.json({ data: await postmortems.revisions(id, credentials) });
  });

  router.get(
    '/incidents/:id/postmortem/revisions/:version',
    async (req, res) => {
      const credentials = await ctx.credentials(req);
      const { id, version } = parse(revisionParams, req.params, 'params');
      res.json(await postmortems.revision(id, version, credentials));
    },
  );

  router.get(
    '/incidents/:id/postmortem/revisions/:version/diff',
    async (req, res) => {
      const credentials = await ctx.credentials(req);
      const { id, version } = parse(revisionParams, req.params, 'params');
      const { against } = parse(diffQuery, req.query, 'query');
      res.json(await postmortems.diff(id, against, version, credentials));
    },
  );

  router.post(
    '/incidents/:id/postmortem/revisions/:version/restore',
    async (req, res) => {
      const credentials = await ctx.credentials(req);
      const { id, version } = parse(revisionParams, req.params, 'params');
      const body = parse(restoreBody, req.body, 'body');
      const postmortem = await postmortems.restore(
        id,
        version,
        expectedVersion(req, body.version),
        credentials,
      );
      res.setHeader('ETag', `"${postmortem.version}"`);
      res.json(postmortem);
    },
  );

  router.get('/incidents/:id/postmortem/comments', async (req, res) => {
    const credentials = await ctx.credentials(req);
    const { id } = parse(idParams, req.params, 'params');
    res.json({ data: await postmortems.comments(id, credentials) });
  });

  router.post('/incidents/:id/postmortem/comments', async (req, res) => {
    const credentials = await ctx.credentials(req);
    const { id } = parse(idParams, req.params, 'params');
    const { body } = parse(commentBody, req.body, 'body');
    res.status(201).json(await postmortems.addComment(id, body, credentials));
  });

  router.delete(
    '/incidents/:id/postmortem/comments/:commentId',
    async (req, res) => {
      const credentials = await ctx.credentials(req);
      const { id, commentId } = parse(commentParams, req.params, 'params');
      await postmortems.deleteComment(id, commentId, credentials);
      res.status(204).end();
    },
  );

  return router;
}
