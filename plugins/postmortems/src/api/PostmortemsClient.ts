import { DiscoveryApi, FetchApi } from '@backstage/core-plugin-api';
import {
  ActionItem,
  ActionItemInput,
  Alert,
  CuratedTimeline,
  CuratedTimelineEntry,
  EvidenceFinding,
  ExportFormat,
  ExportTarget,
  Figures,
  FiguresBreakdown,
  FiguresBreakdownQuery,
  figuresBreakdownSchema,
  GeneratedSection,
  GenerationJob,
  Incident,
  IssueTracker,
  Page,
  Postmortem,
  PostmortemListItem,
  PostmortemCauses,
  postmortemCausesSchema,
  PostmortemComment,
  PostmortemExportRecord,
  PostmortemRevision,
  PostmortemTemplate,
  PostmortemsHealth,
  POSTMORTEMS_PLUGIN_ID,
  ProviderStatus,
  ProviderTestResult,
  Recurrences,
  recurrencesSchema,
  RelatedPostmortem,
  ReviewDecisionBody,
  ReviewRequestBody,
  RevisionDiff,
  TemplateInput,
  TimelineCurationPatchBody,
  TimelineEntry,
  TrackerSyncResult,
} from '@postmortems-oss/backstage-plugin-postmortems-common';
import {
  ActionItemListQuery,
  GenerateOptions,
  FiguresQuery,
  IncidentListQuery,
  PageQuery,
  PostmortemExportFile,
  PostmortemListQuery,
  PostmortemPatch,
  PostmortemsApi,
  WatchJobOptions,
} from './PostmortemsApi';
import { errorFromResponse, PostmortemsApiError } from './errors';

type Query = Record<string, string | number | boolean | string[] | undefined>;

const FINISHED = ['succeeded', 'failed'];

const EXTENSIONS: Record<ExportFormat, string> = {
  markdown: 'md',
  json: 'json',
  pdf: 'pdf',
};

/**
 * {@link PostmortemsApi} over HTTP. The backend's base URL comes from the
 * discovery API and every call goes through the fetch API, which adds the
 * signed-in user's Backstage token.
 *
 * @public
 */
export class PostmortemsClient implements PostmortemsApi {
  private readonly discoveryApi: DiscoveryApi;
  private readonly fetchApi: FetchApi;
  private readonly pollIntervalMs: number;
  private readonly streamIdleMs: number;

  constructor(options: {
    discoveryApi: DiscoveryApi;
    fetchApi: FetchApi;
    /** How often a job is polled when its event stream is unavailable. */
    pollIntervalMs?: number;
    /** A job's event stream that stays silent this long is replaced by polling. */
    streamIdleMs?: number;
  }) {
    this.discoveryApi = options.discoveryApi;
    this.fetchApi = options.fetchApi;
    this.pollIntervalMs = options.pollIntervalMs ?? 1000;
    this.streamIdleMs = options.streamIdleMs ?? 30_000;
  }

  async getHealth(): Promise<PostmortemsHealth> {
    return this.request<PostmortemsHealth>('GET', '/health');
  }

  // Incidents

  listIncidents(query: IncidentListQuery = {}): Promise<Page<Incident>> {
    return this.request('GET', '/v1/incidents', {
      query: {
        status: query.status,
        severity: query.severity,
        created_after: query.createdAfter,
        created_before: query.createdBefore,
        entity_ref: query.entityRef,
        has_postmortem:
          query.hasPostmortem === undefined
            ? undefined
            : String(query.hasPostmortem),
        page: query.page,
        limit: query.limit,
      },
    });
  }

  getFigures(query: FiguresQuery): Promise<Figures> {
    return this.request('GET', '/v1/figures', {
      query: {
        from: query.from,
        to: query.to,
        bucket_days: query.bucketDays,
      },
    });
  }

  async getFiguresBreakdown(
    query: FiguresBreakdownQuery,
  ): Promise<FiguresBreakdown> {
    const body = await this.request<unknown>('GET', '/v1/figures/breakdown', {
      query: {
        from: query.from,
        to: query.to,
        by: query.by,
        entity_ref: query.entity_ref,
      },
    });
    return figuresBreakdownSchema.parse(body);
  }

  getIncident(incidentId: string): Promise<Incident> {
    return this.request('GET', `/v1/incidents/${enc(incidentId)}`);
  }

  getTimeline(
    incidentId: string,
    query: PageQuery = {},
  ): Promise<Page<TimelineEntry>> {
    return this.request('GET', `/v1/incidents/${enc(incidentId)}/timeline`, {
      query: { page: query.page, limit: query.limit },
    });
  }

  getCuratedTimeline(
    incidentId: string,
    query: PageQuery & { includeHidden?: boolean } = {},
  ): Promise<CuratedTimeline> {
    return this.request('GET', `/v1/incidents/${enc(incidentId)}/timeline`, {
      query: {
        curated: 'true',
        include_hidden: query.includeHidden ? 'true' : undefined,
        page: query.page,
        limit: query.limit,
      },
    });
  }

  curateTimelineEntry(
    incidentId: string,
    entryId: string,
    change: TimelineCurationPatchBody,
  ): Promise<CuratedTimelineEntry> {
    return this.request(
      'PATCH',
      `/v1/incidents/${enc(incidentId)}/timeline/${enc(entryId)}`,
      { body: change },
    );
  }

  async getIncidentAlerts(incidentId: string): Promise<Alert[]> {
    const { data } = await this.request<{ data: Alert[] }>(
      'GET',
      `/v1/incidents/${enc(incidentId)}/alerts`,
    );
    return data;
  }

  // Post-mortems

  listPostmortems(
    query: PostmortemListQuery = {},
  ): Promise<Page<PostmortemListItem>> {
    return this.request('GET', '/v1/postmortems', {
      query: {
        entityRef: query.entityRef,
        status: query.status,
        severity: query.severity,
        page: query.page,
        limit: query.limit,
      },
    });
  }

  getPostmortem(incidentId: string): Promise<Postmortem> {
    return this.request('GET', pm(incidentId));
  }

  createPostmortem(
    incidentId: string,
    options: { templateId?: string } = {},
  ): Promise<Postmortem> {
    return this.request('POST', pm(incidentId), {
      body: options.templateId ? { template_id: options.templateId } : {},
    });
  }

  updatePostmortem(
    incidentId: string,
    patch: PostmortemPatch,
  ): Promise<Postmortem> {
    return this.request('PATCH', pm(incidentId), { body: patch });
  }

  // Generation

  generatePostmortem(
    incidentId: string,
    options: GenerateOptions = {},
  ): Promise<GenerationJob> {
    const body: Record<string, string> = {};
    if (options.templateId) body.template_id = options.templateId;
    if (options.provider) body.provider = options.provider;
    return this.request('POST', `${pm(incidentId)}/generate`, {
      body,
      headers: { Prefer: 'respond-async' },
    });
  }

  regenerateSection(
    incidentId: string,
    sectionKey: string,
  ): Promise<GenerationJob> {
    return this.request(
      'POST',
      `${pm(incidentId)}/sections/${enc(sectionKey)}/regenerate`,
      { body: {}, headers: { Prefer: 'respond-async' } },
    );
  }

  enhancePostmortem(incidentId: string): Promise<GenerationJob> {
    return this.request('POST', `${pm(incidentId)}/enhance`, {
      body: {},
      headers: { Prefer: 'respond-async' },
    });
  }

  getGenerationJob(jobId: string): Promise<GenerationJob> {
    return this.request('GET', `/v1/generation-jobs/${enc(jobId)}`);
  }

  /**
   * Follows the job's server-sent events through the fetch API (EventSource
   * cannot send the Backstage token); when the stream is unavailable, breaks
   * or stays silent, polls the job instead. Either way it ends with the job's
   * final state.
   */
  async watchGenerationJob(
    jobId: string,
    options: WatchJobOptions = {},
  ): Promise<GenerationJob> {
    try {
      const job = await this.streamJob(jobId, options);
      if (job) {
        return job;
      }
    } catch (error) {
      if (options.signal?.aborted) {
        throw error;
      }
      // Any other failure of the stream: polling still tells the outcome.
    }
    return this.pollJob(jobId, options);
  }

  getProviderStatus(): Promise<ProviderStatus> {
    return this.request('GET', '/v1/system/provider');
  }

  testProvider(): Promise<ProviderTestResult> {
    return this.request('POST', '/v1/system/provider/test', { body: {} });
  }

  // Revisions

  requestReview(
    incidentId: string,
    request: ReviewRequestBody,
  ): Promise<Postmortem> {
    return this.request('POST', `${pm(incidentId)}/reviews/request`, {
      body: request,
    });
  }

  reviewPostmortem(
    incidentId: string,
    decision: ReviewDecisionBody,
  ): Promise<Postmortem> {
    return this.request('POST', `${pm(incidentId)}/reviews`, {
      body: decision,
    });
  }

  async getRelatedPostmortems(
    incidentId: string,
    limit?: number,
  ): Promise<RelatedPostmortem[]> {
    const { data } = await this.request<{ data: RelatedPostmortem[] }>(
      'GET',
      `${pm(incidentId)}/related`,
      { query: { limit } },
    );
    return data;
  }

  async getCauses(incidentId: string): Promise<PostmortemCauses> {
    const body = await this.request<unknown>('GET', `${pm(incidentId)}/causes`);
    return postmortemCausesSchema.parse(body);
  }

  async setCauses(
    incidentId: string,
    categories: string[],
  ): Promise<PostmortemCauses> {
    const body = await this.request<unknown>(
      'PUT',
      `${pm(incidentId)}/causes`,
      {
        body: { categories },
      },
    );
    return postmortemCausesSchema.parse(body);
  }

  async getRecurrences(incidentId: string): Promise<Recurrences> {
    const body = await this.request<unknown>(
      'GET',
      `${pm(incidentId)}/recurrences`,
    );
    return recurrencesSchema.parse(body);
  }

  async checkPostmortem(incidentId: string): Promise<EvidenceFinding[]> {
    const { data } = await this.request<{ data: EvidenceFinding[] }>(
      'GET',
      `${pm(incidentId)}/checks`,
    );
    return data;
  }

  async listRevisions(incidentId: string): Promise<PostmortemRevision[]> {
    const { data } = await this.request<{ data: PostmortemRevision[] }>(
      'GET',
      `${pm(incidentId)}/revisions`,
    );
    return data;
  }

  getRevision(
    incidentId: string,
    version: number,
  ): Promise<PostmortemRevision> {
    return this.request('GET', `${pm(incidentId)}/revisions/${version}`);
  }

  diffRevisions(
    incidentId: string,
    version: number,
    against: number,
  ): Promise<RevisionDiff> {
    return this.request('GET', `${pm(incidentId)}/revisions/${version}/diff`, {
      query: { against },
    });
  }

  restoreRevision(
    incidentId: string,
    version: number,
    expectedVersion: number,
  ): Promise<Postmortem> {
    return this.request(
      'POST',
      `${pm(incidentId)}/revisions/${version}/restore`,
      { body: { version: expectedVersion } },
    );
  }

  // Export

  async exportPostmortem(
    incidentId: string,
    format: ExportFormat,
  ): Promise<PostmortemExportFile> {
    const response = await this.send('GET', `${pm(incidentId)}/export`, {
      query: { format },
    });
    const fallback = `postmortem-${incidentId.toLowerCase()}.${
      EXTENSIONS[format]
    }`;
    return {
      filename:
        filenameOf(response.headers.get('Content-Disposition')) ?? fallback,
      blob: await response.blob(),
    };
  }

  async listExportTargets(): Promise<ExportTarget[]> {
    const { data } = await this.request<{ data: ExportTarget[] }>(
      'GET',
      '/v1/export-targets',
    );
    return data;
  }

  exportToTarget(
    incidentId: string,
    target: string,
  ): Promise<PostmortemExportRecord> {
    return this.request('POST', `${pm(incidentId)}/exports`, {
      body: { target },
    });
  }

  async listExports(incidentId: string): Promise<PostmortemExportRecord[]> {
    const { data } = await this.request<{ data: PostmortemExportRecord[] }>(
      'GET',
      `${pm(incidentId)}/exports`,
    );
    return data;
  }

  // Comments

  async listComments(incidentId: string): Promise<PostmortemComment[]> {
    const { data } = await this.request<{ data: PostmortemComment[] }>(
      'GET',
      `${pm(incidentId)}/comments`,
    );
    return data;
  }

  addComment(incidentId: string, body: string): Promise<PostmortemComment> {
    return this.request('POST', `${pm(incidentId)}/comments`, {
      body: { body },
    });
  }

  async deleteComment(incidentId: string, commentId: string): Promise<void> {
    await this.send('DELETE', `${pm(incidentId)}/comments/${enc(commentId)}`);
  }

  // Action items

  listActionItems(query: ActionItemListQuery = {}): Promise<Page<ActionItem>> {
    return this.request('GET', '/v1/action-items', {
      query: {
        owner: query.owner,
        status: query.status,
        overdue: query.overdue ? 'true' : undefined,
        entityRef: query.entityRef,
        page: query.page,
        limit: query.limit,
      },
    });
  }

  createActionItem(
    incidentId: string,
    input: ActionItemInput & { description: string },
  ): Promise<ActionItem> {
    return this.request('POST', `${pm(incidentId)}/action-items`, {
      body: input,
    });
  }

  updateActionItem(
    incidentId: string,
    itemId: string,
    input: ActionItemInput,
  ): Promise<ActionItem> {
    return this.request(
      'PATCH',
      `${pm(incidentId)}/action-items/${enc(itemId)}`,
      { body: input },
    );
  }

  async deleteActionItem(incidentId: string, itemId: string): Promise<void> {
    await this.send('DELETE', `${pm(incidentId)}/action-items/${enc(itemId)}`);
  }

  // Issue trackers

  async listTrackers(): Promise<IssueTracker[]> {
    const { data } = await this.request<{ data: IssueTracker[] }>(
      'GET',
      '/v1/trackers',
    );
    return data;
  }

  createIssue(
    incidentId: string,
    itemId: string,
    tracker: string,
  ): Promise<ActionItem> {
    return this.request(
      'POST',
      `${pm(incidentId)}/action-items/${enc(itemId)}/issue`,
      { body: { tracker } },
    );
  }

  syncTrackers(): Promise<TrackerSyncResult> {
    return this.request('POST', '/v1/trackers/sync', { body: {} });
  }

  // Templates

  async listTemplates(): Promise<PostmortemTemplate[]> {
    const { data } = await this.request<{ data: PostmortemTemplate[] }>(
      'GET',
      '/v1/post-mortem-templates',
    );
    return data;
  }

  getTemplate(templateId: string): Promise<PostmortemTemplate> {
    return this.request('GET', `/v1/post-mortem-templates/${enc(templateId)}`);
  }

  createTemplate(input: TemplateInput): Promise<PostmortemTemplate> {
    return this.request('POST', '/v1/post-mortem-templates', { body: input });
  }

  updateTemplate(
    templateId: string,
    input: Partial<TemplateInput>,
  ): Promise<PostmortemTemplate> {
    return this.request(
      'PATCH',
      `/v1/post-mortem-templates/${enc(templateId)}`,
      { body: input },
    );
  }

  async deleteTemplate(templateId: string): Promise<void> {
    await this.send('DELETE', `/v1/post-mortem-templates/${enc(templateId)}`);
  }

  copyTemplate(templateId: string, name?: string): Promise<PostmortemTemplate> {
    return this.request(
      'POST',
      `/v1/post-mortem-templates/${enc(templateId)}/copy`,
      { body: name ? { name } : {} },
    );
  }

  activateTemplate(templateId: string): Promise<PostmortemTemplate> {
    return this.request(
      'POST',
      `/v1/post-mortem-templates/${enc(templateId)}/activate`,
      { body: {} },
    );
  }

  // Plumbing

  private async request<T>(
    method: string,
    path: string,
    options: { query?: Query; body?: unknown; headers?: HeadersInit } = {},
  ): Promise<T> {
    const response = await this.send(method, path, options);
    return (await response.json()) as T;
  }

  private async send(
    method: string,
    path: string,
    options: {
      query?: Query;
      body?: unknown;
      headers?: HeadersInit;
      signal?: AbortSignal;
    } = {},
  ): Promise<Response> {
    const url = await this.url(path, options.query);
    const init: RequestInit = { method };
    const headers: Record<string, string> = {
      ...(options.headers as Record<string, string> | undefined),
    };
    if (options.body !== undefined) {
      headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(options.body);
    }
    if (Object.keys(headers).length) {
      init.headers = headers;
    }
    if (options.signal) {
      init.signal = options.signal;
    }
    const response = await this.fetchApi.fetch(url, init);
    if (!response.ok) {
      throw await errorFromResponse(response);
    }
    return response;
  }

  private async url(path: string, query?: Query): Promise<string> {
    const baseUrl = await this.discoveryApi.getBaseUrl(POSTMORTEMS_PLUGIN_ID);
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(query ?? {})) {
      if (value === undefined || value === '') continue;
      if (Array.isArray(value)) {
        if (value.length) params.set(key, value.join(','));
      } else {
        params.set(key, String(value));
      }
    }
    const search = params.toString();
    return `${baseUrl}${path}${search ? `?${search}` : ''}`;
  }

  /** Resolves with the final job, or undefined when polling must take over. */
  private async streamJob(
    jobId: string,
    options: WatchJobOptions,
  ): Promise<GenerationJob | undefined> {
    const idle = new AbortController();
    const abortIdle = () => idle.abort();
    options.signal?.addEventListener('abort', abortIdle);
    let timer: ReturnType<typeof setTimeout> | undefined;
    const touch = () => {
      if (timer) clearTimeout(timer);
      timer = setTimeout(abortIdle, this.streamIdleMs);
    };
    try {
      touch();
      const response = await this.send(
        'GET',
        `/v1/generation-jobs/${enc(jobId)}/events`,
        { headers: { Accept: 'text/event-stream' }, signal: idle.signal },
      );
      const type = response.headers.get('Content-Type') ?? '';
      if (!type.includes('text/event-stream')) {
        return undefined;
      }
      for await (const event of readEvents(response, touch, idle.signal)) {
        const data = parseData(event.data);
        if (event.name === 'section' && data) {
          options.onSection?.(data as GeneratedSection);
        } else if (event.name === 'status' && data) {
          options.onStatus?.(data as GenerationJob);
        } else if (event.name === 'done' && data) {
          const job = data as GenerationJob;
          options.onStatus?.(job);
          return job;
        } else if (event.name === 'error') {
          // The job failed; its persisted state says how, in words.
          const job = await this.getGenerationJob(jobId).catch(() => undefined);
          const message =
            (data as { message?: string } | undefined)?.message ??
            'Generation failed';
          if (job && FINISHED.includes(job.status)) {
            const final = { ...job, error: job.error ?? message };
            options.onStatus?.(final);
            return final;
          }
          throw new PostmortemsApiError(message, {
            status: 500,
            code: 'generation_failed',
          });
        }
      }
      return undefined;
    } finally {
      if (timer) clearTimeout(timer);
      options.signal?.removeEventListener('abort', abortIdle);
    }
  }

  private async pollJob(
    jobId: string,
    options: WatchJobOptions,
  ): Promise<GenerationJob> {
    for (;;) {
      throwIfAborted(options.signal);
      const job = await this.getGenerationJob(jobId);
      options.onStatus?.(job);
      if (FINISHED.includes(job.status)) {
        return job;
      }
      await sleep(this.pollIntervalMs, options.signal);
    }
  }
}

function enc(value: string): string {
  return encodeURIComponent(value);
}

function pm(incidentId: string): string {
  return `/v1/incidents/${enc(incidentId)}/postmortem`;
}

function filenameOf(disposition: string | null): string | undefined {
  if (!disposition) return undefined;
  const match = /filename\*?=(?:UTF-8'')?"?([^";]+)"?/i.exec(disposition);
  return match ? decodeURIComponent(match[1]) : undefined;
}

function parseData(data: string): unknown {
  if (!data) return undefined;
  try {
    return JSON.parse(data);
  } catch {
    return undefined;
  }
}

/** Server-sent events of a response, as they arrive. */
async function* readEvents(
  response: Response,
  onBytes: () => void,
  signal: AbortSignal,
): AsyncGenerator<{ name: string; data: string }> {
  const reader = response.body?.getReader?.();
  if (!reader) {
    // No streaming body (older environments): read it whole.
    yield* parseEvents(await response.text()).events;
    return;
  }
  // Not every fetch implementation ends the body when its signal aborts.
  const cancel = () => {
    reader.cancel().catch(() => undefined);
  };
  signal.addEventListener('abort', cancel);
  try {
    const decoder = new TextDecoder();
    let buffer = '';
    for (;;) {
      const { value, done } = await reader.read();
      throwIfAborted(signal);
      if (done) break;
      onBytes();
      buffer += decoder.decode(value, { stream: true });
      const { events, rest } = parseEvents(buffer);
      buffer = rest;
      yield* events;
    }
    yield* parseEvents(`${buffer}\n\n`).events;
  } finally {
    signal.removeEventListener('abort', cancel);
  }
}

function parseEvents(text: string): {
  events: Array<{ name: string; data: string }>;
  rest: string;
} {
  const blocks = text.replace(/\r\n?/g, '\n').split('\n\n');
  const rest = blocks.pop() ?? '';
  const events = blocks.flatMap(block => {
    let name = 'message';
    const data: string[] = [];
    for (const line of block.split('\n')) {
      if (line.startsWith(':')) continue;
      const colon = line.indexOf(':');
      const field = colon === -1 ? line : line.slice(0, colon);
      const value = colon === -1 ? '' : line.slice(colon + 1).replace(/^ /, '');
      if (field === 'event') name = value;
      if (field === 'data') data.push(value);
    }
    return data.length || name !== 'message'
      ? [{ name, data: data.join('\n') }]
      : [];
  });
  return { events, rest };
}

function throwIfAborted(signal?: AbortSignal) {
  if (signal?.aborted) {
    throw new DOMException('The operation was aborted', 'AbortError');
  }
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    function onAbort() {
      clearTimeout(timer);
      reject(new DOMException('The operation was aborted', 'AbortError'));
    }
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
