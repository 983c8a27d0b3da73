import Router from 'express-promise-router';
import {
  commentBodySchema,
  commentParamsSchema,
  exportQuerySchema,
  idParamsSchema,
  postmortemCreateBodySchema,
  postmortemExportJsonSchema,
  postmortemListQuerySchema,
  postmortemPatchBodySchema,
  revisionDiffQuerySchema,
  revisionParamsSchema,
  revisionRestoreBodySchema,
} from '@postmortems-oss/backstage-plugin-postmortems-common';
import { ExportService } from '../exports/ExportService';
import { toPage } from '../services/IncidentService';
import { PostmortemService } from '../services/PostmortemService';
import { RouteContext } from './context';
import { expectedVersion, offsetOf, parse } from './validation';

/** Post-mortem, revision, export and comment routes. */
export function postmortemRoutes(
  ctx: RouteContext,
  postmortems: PostmortemService,
  exports: ExportService,
) {
  const router = Router();

  router.get('/postmortems', async (req, res) => {
    const credentials = await ctx.credentials(req);
    const query = parse(postmortemListQuerySchema, req.query, 'query');
    const result = await postmortems.list(
      {
        entityRef: query.entity_ref ?? query.entityRef,
        status: query.status,
        severity: query.severity,
        causes: query.cause,
        recurrence:
          query.recurrence === undefined
            ? undefined
            : query.recurrence === 'true',
        withContent: query.include?.includes('content'),
        withActionItems: query.include?.includes('action_items'),
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
    const { id } = parse(idParamsSchema, req.params, 'params');
    const postmortem = await postmortems.get(id, credentials);
    res.setHeader('ETag', `"${postmortem.version}"`);
    res.json(postmortem);
  });

  router.post('/incidents/:id/postmortem', async (req, res) => {
    const credentials = await ctx.credentials(req);
    const { id } = parse(idParamsSchema, req.params, 'params');
    const body = parse(postmortemCreateBodySchema, req.body, 'body');
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
    const { id } = parse(idParamsSchema, req.params, 'params');
    const body = parse(postmortemPatchBodySchema, req.body, 'body');
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
    const { id } = parse(idParamsSchema, req.params, 'params');
    const { format } = parse(exportQuerySchema, req.query, 'query');
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
    if (format !== 'markdown') {
      // Formats beyond Markdown and JSON come from backend modules (PDF).
      const file = await exports.file(id, format, credentials);
      res.setHeader('Content-Type', file.contentType);
      res.setHeader(
        'Content-Disposition',
        `attachment; filename="${file.filename}"`,
      );
      res.send(file.body);
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

  // The publish gate's findings now, for the publish dialog to show first.
  router.get('/incidents/:id/postmortem/checks', async (req, res) => {
    const credentials = await ctx.credentials(req);
    const { id } = parse(idParamsSchema, req.params, 'params');
    res.json({ data: await postmortems.checks(id, credentials) });
  });

  router.get('/incidents/:id/postmortem/revisions', async (req, res) => {
    const credentials = await ctx.credentials(req);
    const { id } = parse(idParamsSchema, req.params, 'params');
    res.json({ data: await postmortems.revisions(id, credentials) });
  });

  router.get(
    '/incidents/:id/postmortem/revisions/:version',
    async (req, res) => {
      const credentials = await ctx.credentials(req);
      const { id, version } = parse(revisionParamsSchema, req.params, 'params');
      res.json(await postmortems.revision(id, version, credentials));
    },
  );

  router.get(
    '/incidents/:id/postmortem/revisions/:version/diff',
    async (req, res) => {
      const credentials = await ctx.credentials(req);
      const { id, version } = parse(revisionParamsSchema, req.params, 'params');
      const { against } = parse(revisionDiffQuerySchema, req.query, 'query');
      res.json(await postmortems.diff(id, against, version, credentials));
    },
  );

  router.post(
    '/incidents/:id/postmortem/revisions/:version/restore',
    async (req, res) => {
      const credentials = await ctx.credentials(req);
      const { id, version } = parse(revisionParamsSchema, req.params, 'params');
      const body = parse(revisionRestoreBodySchema, req.body, 'body');
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
    const { id } = parse(idParamsSchema, req.params, 'params');
    res.json({ data: await postmortems.comments(id, credentials) });
  });

  router.post('/incidents/:id/postmortem/comments', async (req, res) => {
    const credentials = await ctx.credentials(req);
    const { id } = parse(idParamsSchema, req.params, 'params');
    const { body } = parse(commentBodySchema, req.body, 'body');
    res.status(201).json(await postmortems.addComment(id, body, credentials));
  });

  router.delete(
    '/incidents/:id/postmortem/comments/:commentId',
    async (req, res) => {
      const credentials = await ctx.credentials(req);
      const { id, commentId } = parse(
        commentParamsSchema,
        req.params,
        'params',
      );
      await postmortems.deleteComment(id, commentId, credentials);
      res.status(204).end();
    },
  );

  return router;
}
