import type { GenerationJob } from '@postmortems-oss/backstage-plugin-postmortems-common';
import { PostmortemsClient } from './PostmortemsClient';
import {
  PostmortemConflictError,
  PostmortemFindingsError,
  PostmortemsApiError,
} from './errors';
import { makeIncident, makePostmortem } from '../__testUtils__/demoData';

const BASE = 'http://backstage.test/api/postmortems';

type Handler = (url: URL, init: RequestInit) => Response | Promise<Response>;

function json(
  body: unknown,
  status = 200,
  headers: Record<string, string> = {},
) {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/json', ...headers },
  });
}

function envelope(
  status: number,
  code: string,
  message: string,
  details?: unknown,
) {
  return json(
    { error: { code, message, ...(details ? { details } : {}) } },
    status,
  );
}

/** A client over a fake fetch; `calls` records what it sent. */
function setup(
  handler: Handler,
  options: { pollIntervalMs?: number; streamIdleMs?: number } = {},
) {
  const calls: Array<{
    url: URL;
    method: string;
    body?: unknown;
    headers: Record<string, string>;
  }> = [];
  const fetch = jest.fn(async (input: string, init: RequestInit = {}) => {
    const url = new URL(input);
    const headers = (init.headers ?? {}) as Record<string, string>;
    calls.push({
      url,
      method: init.method ?? 'GET',
      body: typeof init.body === 'string' ? JSON.parse(init.body) : undefined,
      headers,
    });
    return handler(url, init);
  });
  const discoveryApi = { getBaseUrl: jest.fn(async () => BASE) };
  const client = new PostmortemsClient({
    discoveryApi,
    fetchApi: { fetch: fetch as unknown as typeof globalThis.fetch },
    ...options,
  });
  return { client, calls, fetch, discoveryApi };
}

const job = (change: Partial<GenerationJob> = {}): GenerationJob => ({
  id: 'job-1',
  incident_id: 'incident-1',
  kind: 'document',
  section_key: null,
  status: 'running',
  provider: 'deterministic',
  template_id: 'standard',
  sections_done: [],
  error: null,
  attempts: 1,
  requested_by: 'user:default/guest',
  created_at: '2025-01-01T00:00:00Z',
  updated_at: '2025-01-01T00:00:00Z',
  finished_at: null,
  ...change,
});

/** A server-sent event stream delivered in the given chunks. */
function eventStream(chunks: string[], keepOpen = false) {
  const encoder = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      chunks.forEach(chunk => controller.enqueue(encoder.encode(chunk)));
      if (!keepOpen) controller.close();
    },
  });
  return new Response(body, {
    status: 200,
    headers: { 'Content-Type': 'text/event-stream' },
  });
}

describe('PostmortemsClient', () => {
  it('calls the backend at the discovered URL', async () => {
    const { client, calls, discoveryApi } = setup(() => json({ status: 'ok' }));
    await expect(client.getHealth()).resolves.toEqual({ status: 'ok' });
    expect(discoveryApi.getBaseUrl).toHaveBeenCalledWith('postmortems');
    expect(calls[0].url.toString()).toBe(`${BASE}/health`);
  });

  describe('errors', () => {
    it('carries the backend message, code, status and details', async () => {
      const { client } = setup(() =>
        envelope(
          400,
          'validation_error',
          'Invalid request: body.title: Too small',
          {
            fields: [{ field: 'body.title', message: 'Too small' }],
          },
        ),
      );
      const error = await client.getIncident('INC-1').catch(e => e);
      expect(error).toBeInstanceOf(PostmortemsApiError);
      expect(error.message).toBe('Invalid request: body.title: Too small');
      expect(error.code).toBe('validation_error');
      expect(error.status).toBe(400);
      expect(error.details.fields[0].field).toBe('body.title');
    });

    it('names the status when a proxy answers without the envelope', async () => {
      const { client } = setup(
        () =>
          new Response('<html>Bad gateway</html>', {
            status: 502,
            statusText: 'Bad Gateway',
          }),
      );
      await expect(client.listTemplates()).rejects.toMatchObject({
        message: 'Request failed with 502 Bad Gateway',
        status: 502,
        code: 'internal_error',
      });
    });

    it('turns a stale save into a PostmortemConflictError with the current post-mortem', async () => {
      const current = makePostmortem(makeIncident(1), {
        version: 7,
        updated_by: 'user:default/bob',
      });
      const { client, calls } = setup(() =>
        envelope(
          409,
          'conflict',
          'The post-mortem was changed by user:default/bob (now version 7)',
          {
            current_version: 7,
            current,
          },
        ),
      );
      const error = await client
        .updatePostmortem('INC-1', { version: 6, sections: current.sections })
        .catch(e => e);
      expect(error).toBeInstanceOf(PostmortemConflictError);
      expect(error.current).toEqual(current);
      expect(error.currentVersion).toBe(7);
      expect(error.message).toMatch(/changed by user:default\/bob/);
      expect(calls[0].method).toBe('PATCH');
      expect(calls[0].url.pathname).toBe(
        '/api/postmortems/v1/incidents/INC-1/postmortem',
      );
      expect(calls[0].headers['Content-Type']).toBe('application/json');
      expect(calls[0].body).toEqual({ version: 6, sections: current.sections });
    });

    it('turns a refused publication into a PostmortemFindingsError', async () => {
      const findings = [
        {
          id: 'f1',
          kind: 'blame',
          section_key: 'root_cause',
          excerpt: 'Bob broke it',
          message: 'Blames a person',
          hint: null,
        },
      ];
      const { client, calls } = setup(() =>
        envelope(409, 'conflict', 'The evidence check has findings', {
          findings,
        }),
      );
      const error = await client
        .updatePostmortem('INC-1', { status: 'published', version: 2 })
        .catch(e => e);
      expect(error).toBeInstanceOf(PostmortemFindingsError);
      expect(error.findings).toEqual(findings);

      await client
        .updatePostmortem('INC-1', {
          status: 'published',
          version: 2,
          override_findings: true,
        })
        .catch(() => undefined);
      expect(calls[1].body).toEqual({
        status: 'published',
        version: 2,
        override_findings: true,
      });
    });
  });

  it('sends list filters as the backend names them', async () => {
    const page = { data: [], total: 0, page: 1, limit: 20 };
    const { client, calls } = setup(() => json(page));
    await client.listIncidents({
      status: ['resolved', 'canceled'],
      severity: ['critical'],
      createdAfter: '2025-01-01T00:00:00.000Z',
      entityRef: 'component:default/checkout-api',
      page: 2,
      limit: 100,
    });
    await client.listPostmortems({
      entityRef: 'component:default/checkout-api',
      status: ['published'],
      severity: ['high', 'low'],
    });
    await client.listActionItems({
      owner: ['user:default/guest', 'group:default/sre'],
      status: ['open', 'in_progress'],
      overdue: true,
      entityRef: 'component:default/checkout-api',
    });
    await client.listActionItems({ overdue: false });

    expect(Object.fromEntries(calls[0].url.searchParams)).toEqual({
      status: 'resolved,canceled',
      severity: 'critical',
      created_after: '2025-01-01T00:00:00.000Z',
      entity_ref: 'component:default/checkout-api',
      page: '2',
      limit: '100',
    });
    expect(calls[1].url.pathname).toBe('/api/postmortems/v1/postmortems');
    expect(Object.fromEntries(calls[1].url.searchParams)).toEqual({
      entityRef: 'component:default/checkout-api',
      status: 'published',
      severity: 'high,low',
    });
    expect(Object.fromEntries(calls[2].url.searchParams)).toEqual({
      owner: 'user:default/guest,group:default/sre',
      status: 'open,in_progress',
      overdue: 'true',
      entityRef: 'component:default/checkout-api',
    });
    expect(calls[3].url.search).toBe('');
  });

  it('asks what the publish gate finds without publishing', async () => {
    const finding = {
      id: 'f1',
      kind: 'missing_section',
      section_key: 'impact',
    };
    const { client, calls } = setup(() => json({ data: [finding] }));
    await expect(client.checkPostmortem('INC-1')).resolves.toEqual([finding]);
    expect(calls[0].url.toString()).toBe(
      `${BASE}/v1/incidents/INC-1/postmortem/checks`,
    );
    expect(calls[0].method).toBe('GET');
  });

  it('reads incidents, timelines, alerts, revisions and diffs', async () => {
    const { client, calls } = setup(url => {
      if (url.pathname.endsWith('/alerts'))
        return json({ data: [{ id: 'a1' }] });
      if (url.pathname.endsWith('/revisions'))
        return json({ data: [{ version: 2 }] });
      if (url.pathname.endsWith('/diff')) {
        return json({
          from: 1,
          to: 3,
          changes: [{ kind: 'added', text: 'x\n' }],
        });
      }
      return json({ data: [], total: 0, page: 1, limit: 20 });
    });
    await expect(client.getIncidentAlerts('INC-1')).resolves.toEqual([
      { id: 'a1' },
    ]);
    await client.getTimeline('INC-1', { page: 2, limit: 100 });
    await expect(client.listRevisions('INC-1')).resolves.toEqual([
      { version: 2 },
    ]);
    await expect(client.diffRevisions('INC-1', 3, 1)).resolves.toMatchObject({
      from: 1,
      to: 3,
    });

    expect(calls[1].url.toString()).toBe(
      `${BASE}/v1/incidents/INC-1/timeline?page=2&limit=100`,
    );
    expect(calls[3].url.toString()).toBe(
      `${BASE}/v1/incidents/INC-1/postmortem/revisions/3/diff?against=1`,
    );
  });

  it('creates, restores, comments and changes action items with the right bodies', async () => {
    const { client, calls } = setup((_url, init) =>
      init.method === 'DELETE'
        ? new Response(null, { status: 204 })
        : json({}, 201),
    );
    await client.createPostmortem('INC-1', { templateId: 'short' });
    await client.createPostmortem('INC-2');
    await client.restoreRevision('INC-1', 2, 5);
    await client.addComment('INC-1', 'Looks good');
    await client.deleteComment('INC-1', 'c1');
    await client.createActionItem('INC-1', {
      description: 'Fix it',
      owner: 'user:default/guest',
    });
    await client.updateActionItem('INC-1', 'a1', { accepted: true });
    await client.deleteActionItem('INC-1', 'a1');

    expect(
      calls.map(
        c => `${c.method} ${c.url.pathname.replace('/api/postmortems/v1', '')}`,
      ),
    ).toEqual([
      'POST /incidents/INC-1/postmortem',
      'POST /incidents/INC-2/postmortem',
      'POST /incidents/INC-1/postmortem/revisions/2/restore',
      'POST /incidents/INC-1/postmortem/comments',
      'DELETE /incidents/INC-1/postmortem/comments/c1',
      'POST /incidents/INC-1/postmortem/action-items',
      'PATCH /incidents/INC-1/postmortem/action-items/a1',
      'DELETE /incidents/INC-1/postmortem/action-items/a1',
    ]);
    expect(calls.map(c => c.body)).toEqual([
      { template_id: 'short' },
      {},
      { version: 5 },
      { body: 'Looks good' },
      undefined,
      { description: 'Fix it', owner: 'user:default/guest' },
      { accepted: true },
      undefined,
    ]);
  });

  it('manages templates', async () => {
    const { client, calls } = setup((_url, init) =>
      init.method === 'DELETE'
        ? new Response(null, { status: 204 })
        : json({ data: [] }),
    );
    await client.listTemplates();
    await client.createTemplate({
      name: 'Mine',
      sections: [{ title: 'Summary', required: true, guiding_questions: [] }],
    });
    await client.updateTemplate('t1', { name: 'Renamed' });
    await client.copyTemplate('standard', 'Our standard');
    await client.copyTemplate('standard');
    await client.activateTemplate('t1');
    await client.deleteTemplate('t1');
    expect(
      calls.map(
        c => `${c.method} ${c.url.pathname.replace('/api/postmortems/v1', '')}`,
      ),
    ).toEqual([
      'GET /post-mortem-templates',
      'POST /post-mortem-templates',
      'PATCH /post-mortem-templates/t1',
      'POST /post-mortem-templates/standard/copy',
      'POST /post-mortem-templates/standard/copy',
      'POST /post-mortem-templates/t1/activate',
      'DELETE /post-mortem-templates/t1',
    ]);
    expect(calls[3].body).toEqual({ name: 'Our standard' });
    expect(calls[4].body).toEqual({});
  });

  it('downloads an export with the file name the backend gives', async () => {
    const { client, calls } = setup(
      () =>
        new Response('# Post-mortem', {
          status: 200,
          headers: {
            'Content-Type': 'text/markdown; charset=utf-8',
            'Content-Disposition': 'attachment; filename="postmortem-inc-1.md"',
          },
        }),
    );
    const file = await client.exportPostmortem('INC-1', 'markdown');
    expect(file.filename).toBe('postmortem-inc-1.md');
    expect(await file.blob.text()).toBe('# Post-mortem');
    expect(calls[0].url.toString()).toBe(
      `${BASE}/v1/incidents/INC-1/postmortem/export?format=markdown`,
    );
  });

  it('downloads a PDF, naming it when the backend does not', async () => {
    const { client, calls } = setup(
      () =>
        new Response('%PDF-1.7', {
          status: 200,
          headers: { 'Content-Type': 'application/pdf' },
        }),
    );
    const file = await client.exportPostmortem('INC-1', 'pdf');
    expect(file.filename).toBe('postmortem-inc-1.pdf');
    expect(await file.blob.text()).toBe('%PDF-1.7');
    expect(calls[0].url.toString()).toBe(
      `${BASE}/v1/incidents/INC-1/postmortem/export?format=pdf`,
    );
  });

  describe('export targets', () => {
    const record = {
      target: 'confluence',
      type: 'confluence',
      external_id: '98304',
      url: 'https://wiki.example.com/pages/98304',
      version: 4,
      exported_at: '2025-01-02T00:00:00Z',
      exported_by: 'user:default/guest',
    };

    it('lists targets, exports to one and lists the latest exports', async () => {
      const targets = [
        {
          id: 'confluence',
          type: 'confluence',
          title: 'Confluence',
          kind: 'page',
        },
        { id: 'pdf', type: 'pdf', title: 'PDF', kind: 'file' },
      ];
      const { client, calls } = setup((url, init) => {
        if (url.pathname.endsWith('/export-targets')) {
          return json({ data: targets });
        }
        return init.method === 'POST'
          ? json(record, 201)
          : json({ data: [record] });
      });
      await expect(client.listExportTargets()).resolves.toEqual(targets);
      await expect(client.exportToTarget('42', 'confluence')).resolves.toEqual(
        record,
      );
      await expect(client.listExports('42')).resolves.toEqual([record]);

      expect(
        calls.map(
          c => `${c.method} ${c.url.pathname.replace('/api/postmortems', '')}`,
        ),
      ).toEqual([
        'GET /v1/export-targets',
        'POST /v1/incidents/42/postmortem/exports',
        'GET /v1/incidents/42/postmortem/exports',
      ]);
      expect(calls[1].body).toEqual({ target: 'confluence' });
    });

    it("carries the target's refusal in the backend's words", async () => {
      const { client } = setup(() =>
        envelope(
          502,
          'export_unauthorized',
          'Confluence refused the credentials of export target "confluence" (401)',
        ),
      );
      await expect(
        client.exportToTarget('42', 'confluence'),
      ).rejects.toMatchObject({
        status: 502,
        code: 'export_unauthorized',
        message:
          'Confluence refused the credentials of export target "confluence" (401)',
      });
    });
  });

  describe('issue trackers', () => {
    it('lists trackers, creates an issue for an item and syncs', async () => {
      const syncCounts = {
        checked: 2,
        done: 1,
        reopened: 0,
        pushed: 0,
        missing: 0,
        errors: [],
      };
      const trackers = [
        { id: 'github', type: 'github', title: 'acme/payments' },
        { id: 'jira', type: 'jira', title: 'OPS' },
      ];
      const { client, calls } = setup(url => {
        if (url.pathname.endsWith('/v1/trackers')) {
          return json({ data: trackers });
        }
        if (url.pathname.endsWith('/sync')) {
          return json(syncCounts);
        }
        return json(
          {
            id: 'a/1',
            tracker: 'github',
            external_key: 'acme/payments#12',
            external_url: 'https://github.com/acme/payments/issues/12',
          },
          201,
        );
      });
      await expect(client.listTrackers()).resolves.toEqual(trackers);
      await expect(
        client.createIssue('INC-1', 'a/1', 'github'),
      ).resolves.toMatchObject({ external_key: 'acme/payments#12' });
      await expect(client.syncTrackers()).resolves.toEqual(syncCounts);

      expect(
        calls.map(
          c => `${c.method} ${c.url.pathname.replace('/api/postmortems', '')}`,
        ),
      ).toEqual([
        'GET /v1/trackers',
        'POST /v1/incidents/INC-1/postmortem/action-items/a%2F1/issue',
        'POST /v1/trackers/sync',
      ]);
      expect(calls[1].body).toEqual({ tracker: 'github' });
      expect(calls[2].body).toEqual({});
    });

    it('tells an item that already has an issue and a rate limit apart', async () => {
      const answers = [
        envelope(409, 'conflict', 'Action item a1 already has issue OPS-42'),
        envelope(
          502,
          'tracker_rate_limited',
          'GitHub is rate limiting tracker "github"; try again in a minute',
        ),
      ];
      const { client } = setup(() => answers.shift()!);
      await expect(
        client.createIssue('INC-1', 'a1', 'jira'),
      ).rejects.toMatchObject({
        status: 409,
        message: 'Action item a1 already has issue OPS-42',
      });
      await expect(
        client.createIssue('INC-1', 'a1', 'github'),
      ).rejects.toMatchObject({ status: 502, code: 'tracker_rate_limited' });
    });
  });

  describe('generation', () => {
    it('asks for an asynchronous job and checks the provider', async () => {
      const { client, calls } = setup(url =>
        url.pathname.endsWith('/provider/test')
          ? json({ ok: true, message: 'Reached gpt-4o' })
          : json(job(), 202),
      );
      await client.generatePostmortem('INC-1', {
        templateId: 'standard',
        provider: 'deterministic',
      });
      await client.generatePostmortem('INC-1');
      await client.regenerateSection('INC-1', 'root_cause');
      await client.enhancePostmortem('INC-1');
      await expect(client.testProvider()).resolves.toEqual({
        ok: true,
        message: 'Reached gpt-4o',
      });

      expect(calls[0].headers.Prefer).toBe('respond-async');
      expect(calls[0].body).toEqual({
        template_id: 'standard',
        provider: 'deterministic',
      });
      expect(calls[1].body).toEqual({});
      expect(calls[2].url.pathname).toBe(
        '/api/postmortems/v1/incidents/INC-1/postmortem/sections/root_cause/regenerate',
      );
      expect(calls[2].headers.Prefer).toBe('respond-async');
      expect(calls[3].url.pathname).toBe(
        '/api/postmortems/v1/incidents/INC-1/postmortem/enhance',
      );
      expect(calls[4].method).toBe('POST');
    });

    it('follows the event stream through the fetch API, section by section', async () => {
      const done = job({
        status: 'succeeded',
        sections_done: ['summary', 'impact'],
      });
      const { client, calls } = setup(() =>
        eventStream([
          ': keep-alive\n\nevent: status\ndata: ',
          `${JSON.stringify(
            job(),
          )}\n\nevent: section\ndata: {"key":"summary","title":"Summary",`,
          '"markdown":"Line one\\nline two"}\n\n',
          `event: section\r\ndata: {"key":"impact","title":"Impact","markdown":"Many"}\r\n\r\n`,
          `event: done\ndata: ${JSON.stringify(done)}\n\n`,
        ]),
      );
      const sections: string[] = [];
      const statuses: string[] = [];
      const final = await client.watchGenerationJob('job-1', {
        onSection: s => sections.push(`${s.key}: ${s.markdown}`),
        onStatus: j => statuses.push(j.status),
      });
      expect(final).toEqual(done);
      expect(sections).toEqual(['summary: Line one\nline two', 'impact: Many']);
      expect(statuses).toEqual(['running', 'succeeded']);
      expect(calls).toHaveLength(1);
      expect(calls[0].url.pathname).toBe(
        '/api/postmortems/v1/generation-jobs/job-1/events',
      );
      expect(calls[0].headers.Accept).toBe('text/event-stream');
    });

    it('reports a failed job from an error event with the job state', async () => {
      const failed = job({ status: 'failed', error: 'The model timed out' });
      const { client } = setup(url =>
        url.pathname.endsWith('/events')
          ? eventStream([
              'event: error\ndata: {"message":"The model timed out"}\n\n',
            ])
          : json(failed),
      );
      await expect(client.watchGenerationJob('job-1')).resolves.toMatchObject({
        status: 'failed',
        error: 'The model timed out',
      });
    });

    it('polls the job when the event stream is not available', async () => {
      let polls = 0;
      const { client, calls } = setup(
        url => {
          if (url.pathname.endsWith('/events')) {
            return envelope(404, 'not_found', 'No route GET /events');
          }
          polls += 1;
          return json(
            polls < 3
              ? job({ sections_done: ['summary'] })
              : job({ status: 'succeeded' }),
          );
        },
        { pollIntervalMs: 1 },
      );
      const statuses: string[] = [];
      const final = await client.watchGenerationJob('job-1', {
        onStatus: j => statuses.push(j.status),
      });
      expect(final.status).toBe('succeeded');
      expect(statuses).toEqual(['running', 'running', 'succeeded']);
      expect(
        calls.filter(
          c => c.url.pathname === '/api/postmortems/v1/generation-jobs/job-1',
        ),
      ).toHaveLength(3);
    });

    it('switches to polling when the stream goes silent', async () => {
      const { client } = setup(
        url => {
          if (url.pathname.endsWith('/events')) {
            // A fetch that ignores the signal: only the client's own watchdog helps.
            return eventStream(
              [`event: status\ndata: ${JSON.stringify(job())}\n\n`],
              true,
            );
          }
          return json(job({ status: 'succeeded' }));
        },
        { pollIntervalMs: 1, streamIdleMs: 20 },
      );
      await expect(client.watchGenerationJob('job-1')).resolves.toMatchObject({
        status: 'succeeded',
      });
    });

    it('stops when the caller aborts', async () => {
      const controller = new AbortController();
      const { client } = setup(
        url =>
          url.pathname.endsWith('/events')
            ? envelope(404, 'not_found', 'none')
            : json(job()),
        { pollIntervalMs: 5 },
      );
      const watching = client.watchGenerationJob('job-1', {
        signal: controller.signal,
      });
      setTimeout(() => controller.abort(), 20);
      await expect(watching).rejects.toMatchObject({ name: 'AbortError' });
    });
  });
});
