import { Request, Response } from 'express';
import Router from 'express-promise-router';
import {
  generateBodySchema,
  idParamsSchema,
  jobParamsSchema,
  regenerateBodySchema,
  sectionParamsSchema,
  templateManagePermission,
} from '@postmortems-oss/backstage-plugin-postmortems-common';
import {
  GenerateRequest,
  GenerationService,
  publicJob,
} from '../generation/GenerationService';
import { ProviderRegistry } from '../generation/ProviderRegistry';
import { LiveUpdates } from '../live/LiveUpdates';
import { PostmortemService } from '../services/PostmortemService';
import { RouteContext } from './context';
import { parse } from './validation';

/**
 * How long a job's event stream waits for news before it sends a keep-alive
 * comment. It reads the job only when woken by a change: announced on this
 * replica or over the events service, or found by LiveUpdates' sweep.
 */
const KEEP_ALIVE_MS = 10_000;

/** A generation that ended in failure: 502 with the reason in words. */
class GenerationFailedError extends Error {
  readonly statusCode = 502;
  readonly code = 'generation_failed';
  constructor(message: string) {
    super(message);
    this.name = 'GenerationFailedError';
  }
}

/**
 * Drafting routes. Regen's contract by default: the request waits for the
 * draft and answers 200 with the post-mortem. With `Prefer: respond-async`
 * it answers 202 with the job at once, to be followed by polling or
 * server-sent events.
 */
export function generationRoutes(
  ctx: RouteContext,
  generation: GenerationService,
  postmortems: PostmortemService,
  providers: ProviderRegistry,
  syncWaitMs: number,
  live: LiveUpdates,
) {
  const router = Router();

  async function respond(
    req: Request,
    res: Response,
    incidentRef: string,
    request: GenerateRequest,
  ) {
    const credentials = await ctx.credentials(req);
    const job = await generation.enqueue(incidentRef, request, credentials);
    const location = `${req.baseUrl}/generation-jobs/${job.id}`;
    if (/respond-async/i.test(req.header('prefer') ?? '')) {
      res.status(202).setHeader('Location', location).json(job);
      return;
    }
    const finished = await generation.waitFor(job.id, syncWaitMs);
    if (finished.status === 'succeeded') {
      res.json(await postmortems.get(incidentRef, credentials));
    } else if (finished.status === 'failed') {
      throw new GenerationFailedError(finished.error ?? 'Generation failed');
    } else {
      // Still running after the wait: hand over the job rather than time out.
      res.status(202).setHeader('Location', location).json(publicJob(finished));
    }
  }

  router.post('/incidents/:id/postmortem/generate', async (req, res) => {
    const { id } = parse(idParamsSchema, req.params, 'params');
    const body = parse(generateBodySchema, req.body, 'body');
    await respond(req, res, id, {
      kind: 'document',
      provider: body.provider,
      templateId: body.template_id,
    });
  });

  router.post('/incidents/:id/postmortem/enhance', async (req, res) => {
    const { id } = parse(idParamsSchema, req.params, 'params');
    const body = parse(regenerateBodySchema, req.body, 'body');
    await respond(req, res, id, { kind: 'enhance', provider: body.provider });
  });

  router.post(
    '/incidents/:id/postmortem/sections/:key/regenerate',
    async (req, res) => {
      const { id, key } = parse(sectionParamsSchema, req.params, 'params');
      const body = parse(regenerateBodySchema, req.body, 'body');
      await respond(req, res, id, {
        kind: 'section',
        sectionKey: key,
        provider: body.provider,
      });
    },
  );

  router.get('/generation-jobs/:jobId', async (req, res) => {
    const credentials = await ctx.credentials(req);
    const { jobId } = parse(jobParamsSchema, req.params, 'params');
    res.json(publicJob(await generation.getJob(jobId, credentials)));
  });

  // Server-sent events: each finished section, status changes, then done or error.
  router.get('/generation-jobs/:jobId/events', async (req, res) => {
    const credentials = await ctx.credentials(req);
    const { jobId } = parse(jobParamsSchema, req.params, 'params');
    // The job is read again when it changed (LiveUpdates), not on a timer.
    // Watching starts before the first read so that no change falls between
    // them; a change that arrives while the last one is being sent is kept.
    let changed = false;
    let wake: (() => void) | undefined;
    const follower = live.watch(jobId, () => {
      changed = true;
      wake?.();
    });
    let job;
    try {
      job = await generation.getJob(jobId, credentials);
    } catch (error) {
      follower.stop();
      throw error;
    }
    follower.seen(job.updated_at);
    res.status(200);
    res.setHeader('Content-Type', 'text/event-stream');
    res.setHeader('Cache-Control', 'no-cache, no-transform');
    res.setHeader('Connection', 'keep-alive');
    res.flushHeaders();
    const nextChange = () =>
      new Promise<void>(resolve => {
        const timer = setTimeout(resolve, KEEP_ALIVE_MS);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    let closed = false;
    req.on('close', () => {
      closed = true;
      wake?.();
    });
    let lastWrite = Date.now();
    const write = (text: string) => {
      res.write(text);
      (res as unknown as { flush?: () => void }).flush?.();
      lastWrite = Date.now();
    };
    const send = (event: string, data: unknown) =>
      write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
    // What each section's text was when last sent: sections being streamed
    // are sent again as they grow.
    const sent = new Map<string, string>();
    let lastStatus = '';
    const deadline = Date.now() + 15 * 60_000;
    while (!closed && Date.now() < deadline) {
      for (const section of job.partial_sections) {
        if (sent.get(section.key) !== section.markdown) {
          sent.set(section.key, section.markdown);
          send('section', {
            ...section,
            done: job.sections_done.includes(section.key),
          });
        }
      }
      if (job.status !== lastStatus) {
        lastStatus = job.status;
        send('status', publicJob(job));
      }
      if (job.status === 'succeeded') {
        send('done', publicJob(job));
        break;
      }
      if (job.status === 'failed') {
        send('error', { message: job.error });
        break;
      }
      if (!changed) {
        await nextChange();
        wake = undefined;
      }
      if (closed) break;
      // A comment now and then keeps proxies and clients from giving up
      // while a slow model writes a section; nothing is read for it.
      if (!changed) {
        if (Date.now() - lastWrite >= KEEP_ALIVE_MS) write(': keep-alive\n\n');
        continue;
      }
      changed = false;
      job = await generation.getJob(jobId, credentials);
      follower.seen(job.updated_at);
    }
    follower.stop();
    res.end();
  });

  router.get('/system/provider', async (req, res) => {
    await ctx.credentials(req);
    res.json(providers.get().status());
  });

  router.post('/system/provider/test', async (req, res) => {
    const credentials = await ctx.credentials(req);
    await ctx.access.require(templateManagePermission, credentials);
    res.json(await providers.get().testConnection());
  });

  return router;
}
