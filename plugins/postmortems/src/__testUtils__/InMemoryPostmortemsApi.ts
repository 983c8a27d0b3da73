import type {
  ActionItem,
  Alert,
  EvidenceFinding,
  ExportTarget,
  GenerationJob,
  Incident,
  IssueTracker,
  Page,
  Postmortem,
  PostmortemComment,
  PostmortemExportRecord,
  PostmortemRevision,
  PostmortemSection,
  PostmortemTemplate,
  ProviderStatus,
  TimelineEntry,
} from '@postmortems-oss/backstage-plugin-postmortems-common';
import {
  ActionItemInput,
  ActionItemListQuery,
  ExportFormat,
  GenerateOptions,
  IncidentListQuery,
  PageQuery,
  PostmortemExportFile,
  PostmortemListQuery,
  PostmortemPatch,
  PostmortemsApi,
  PostmortemsHealth,
  ProviderTestResult,
  RevisionDiff,
  TemplateInput,
  TrackerSyncResult,
  WatchJobOptions,
} from '../api/PostmortemsApi';
import {
  PostmortemConflictError,
  PostmortemFindingsError,
  PostmortemsApiError,
} from '../api/errors';

/** What the fake starts with. */
export interface InMemoryData {
  incidents: Incident[];
  timelines?: Record<string, TimelineEntry[]>;
  postmortems?: Postmortem[];
  templates?: PostmortemTemplate[];
  comments?: Record<string, PostmortemComment[]>;
  provider?: ProviderStatus;
  /** The signed-in user, as authors and actors. */
  user?: string;
  /** Milliseconds between generated sections; 0 in tests. */
  generationDelayMs?: number;
  /** Findings a generated draft gets. */
  generatedFindings?: EvidenceFinding[];
  /** Configured export targets (none by default, like a fresh install). */
  exportTargets?: ExportTarget[];
  /** Configured issue trackers (none by default). */
  trackers?: IssueTracker[];
}

/** An issue the fake trackers hold. */
export interface InMemoryIssue {
  tracker: string;
  key: string;
  url: string;
  state: 'open' | 'closed';
  incidentId: string;
  itemId: string;
}

const notFound = (message: string) =>
  new PostmortemsApiError(message, { status: 404, code: 'not_found' });

function page<T>(items: T[], query: PageQuery = {}): Page<T> {
  const limit = query.limit ?? 20;
  const current = query.page ?? 1;
  return {
    data: items.slice((current - 1) * limit, current * limit),
    total: items.length,
    page: current,
    limit,
  };
}

function render(title: string, sections: PostmortemSection[]): string {
  return [
    `# ${title}`,
    ...sections.map(s => `\n## ${s.title}\n\n${s.markdown}`),
  ].join('\n');
}

/** A line diff good enough for a fake: longest common subsequence of lines. */
function diffLines(a: string, b: string): RevisionDiff['changes'] {
  const x = a.split('\n');
  const y = b.split('\n');
  const lcs: number[][] = Array.from({ length: x.length + 1 }, () =>
    new Array(y.length + 1).fill(0),
  );
  for (let i = x.length - 1; i >= 0; i--) {
    for (let j = y.length - 1; j >= 0; j--) {
      lcs[i][j] =
        x[i] === y[j]
          ? lcs[i + 1][j + 1] + 1
          : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
    }
  }
  const changes: RevisionDiff['changes'] = [];
  const push = (
    kind: RevisionDiff['changes'][number]['kind'],
    line: string,
  ) => {
    const last = changes[changes.length - 1];
    if (last?.kind === kind) last.text += `${line}\n`;
    else changes.push({ kind, text: `${line}\n` });
  };
  let i = 0;
  let j = 0;
  while (i < x.length && j < y.length) {
    if (x[i] === y[j]) {
      push('unchanged', x[i]);
      i++;
      j++;
    } else if (lcs[i + 1][j] >= lcs[i][j + 1]) {
      push('removed', x[i++]);
    } else {
      push('added', y[j++]);
    }
  }
  while (i < x.length) push('removed', x[i++]);
  while (j < y.length) push('added', y[j++]);
  return changes;
}

const wait = (ms: number) =>
  ms > 0 ? new Promise(resolve => setTimeout(resolve, ms)) : Promise.resolve();

/**
 * {@link PostmortemsApi} in memory, with the backend's rules that the UI
 * relies on: versions and 409s, revisions, draft findings blocking publication,
 * generation jobs that write sections one by one.
 */
export class InMemoryPostmortemsApi implements PostmortemsApi {
  incidents: Incident[];
  timelines: Record<string, TimelineEntry[]>;
  postmortems: Postmortem[];
  templates: PostmortemTemplate[];
  comments: Record<string, PostmortemComment[]>;
  revisions: Record<string, PostmortemRevision[]> = {};
  jobs: Record<string, GenerationJob> = {};
  provider: ProviderStatus;
  user: string;
  exportTargets: ExportTarget[];
  trackers: IssueTracker[];
  /** The latest export per post-mortem id and target id. */
  exports: Record<string, Record<string, PostmortemExportRecord>> = {};
  /** Issues by key, as the fake trackers hold them. */
  issues: Record<string, InMemoryIssue> = {};
  private readonly delay: number;
  private readonly generatedFindings: EvidenceFinding[];
  private sequence = 100;

  constructor(data: InMemoryData) {
    this.incidents = data.incidents;
    this.timelines = data.timelines ?? {};
    this.postmortems = data.postmortems ?? [];
    this.templates = data.templates ?? [];
    this.comments = data.comments ?? {};
    this.provider = data.provider ?? {
      provider: 'deterministic',
      model: null,
      base_url: null,
      configured: true,
    };
    this.user = data.user ?? 'user:default/guest';
    this.delay = data.generationDelayMs ?? 0;
    this.generatedFindings = data.generatedFindings ?? [];
    this.exportTargets = data.exportTargets ?? [];
    this.trackers = data.trackers ?? [];
    for (const postmortem of this.postmortems) {
      this.revisions[postmortem.id] = [this.revisionOf(postmortem, 'create')];
    }
  }

  private nextId(prefix: string) {
    this.sequence += 1;
    return `${prefix}-${this.sequence}`;
  }

  private now() {
    return new Date().toISOString();
  }

  private incidentOf(ref: string): Incident {
    const incident = this.incidents.find(
      i =>
        i.id === ref ||
        i.reference.toLowerCase() === ref.toLowerCase() ||
        String(i.number) === ref,
    );
    if (!incident) throw notFound(`No incident ${ref}`);
    return incident;
  }

  private postmortemOf(ref: string): Postmortem {
    const incident = this.incidentOf(ref);
    const postmortem = this.postmortems.find(
      p => p.incident_id === incident.id,
    );
    if (!postmortem) {
      throw notFound(`Incident ${incident.reference} has no post-mortem`);
    }
    return postmortem;
  }

  private revisionOf(
    postmortem: Postmortem,
    reason: string,
  ): PostmortemRevision {
    return {
      id: this.nextId('rev'),
      postmortem_id: postmortem.id,
      version: postmortem.version,
      kind: reason === 'generate' ? 'ai' : 'human',
      reason,
      status: postmortem.status,
      content: postmortem.content,
      sections: postmortem.sections,
      author: reason === 'generate' ? 'postmortems-generator' : this.user,
      created_at: this.now(),
    };
  }

  private store(postmortem: Postmortem, reason: string): Postmortem {
    this.postmortems = [
      ...this.postmortems.filter(p => p.id !== postmortem.id),
      postmortem,
    ];
    this.revisions[postmortem.id] = [
      ...(this.revisions[postmortem.id] ?? []),
      this.revisionOf(postmortem, reason),
    ];
    return this.withItems(postmortem);
  }

  private withItems(postmortem: Postmortem): Postmortem {
    return structuredCloneSafe(postmortem);
  }

  private template(templateId?: string | null): PostmortemTemplate {
    const template = templateId
      ? this.templates.find(t => t.id === templateId)
      : this.templates.find(t => t.is_active) ?? this.templates[0];
    if (!template) throw notFound(`No template ${templateId ?? ''}`.trim());
    return template;
  }

  private insert(
    incident: Incident,
    template: PostmortemTemplate,
    sections: PostmortemSection[],
    generatedBy: string,
    findings: EvidenceFinding[] = [],
  ): Postmortem {
    const now = this.now();
    return this.store(
      {
        id: this.nextId('pm'),
        incident_id: incident.id,
        status: 'draft',
        content: render(`${incident.reference}: ${incident.title}`, sections),
        sections,
        template_id: template.id,
        template_name: template.name,
        generated_by: generatedBy,
        generated_at: generatedBy === 'manual' ? null : now,
        version: 1,
        published_at: null,
        published_by: null,
        created_by: this.user,
        updated_by: this.user,
        created_at: now,
        updated_at: now,
        action_items: [],
        findings,
        evidence: {},
      },
      generatedBy === 'manual' ? 'create' : 'generate',
    );
  }

  // Health and incidents

  async getHealth(): Promise<PostmortemsHealth> {
    return { status: 'ok' };
  }

  async listIncidents(query: IncidentListQuery = {}): Promise<Page<Incident>> {
    const items = this.incidents
      .filter(i => !query.status?.length || query.status.includes(i.status))
      .filter(
        i => !query.severity?.length || query.severity.includes(i.severity),
      )
      .filter(i => !query.createdAfter || i.created_at >= query.createdAfter)
      .filter(i => !query.createdBefore || i.created_at < query.createdBefore)
      .filter(i => !query.entityRef || i.services.includes(query.entityRef))
      .sort((a, b) => b.triggered_at.localeCompare(a.triggered_at));
    return page(items, query);
  }

  async getIncident(incidentId: string): Promise<Incident> {
    return this.incidentOf(incidentId);
  }

  async getTimeline(
    incidentId: string,
    query: PageQuery = {},
  ): Promise<Page<TimelineEntry>> {
    const incident = this.incidentOf(incidentId);
    return page(this.timelines[incident.id] ?? [], query);
  }

  async getIncidentAlerts(_incidentId: string): Promise<Alert[]> {
    return [];
  }

  // Post-mortems

  async listPostmortems(
    query: PostmortemListQuery = {},
  ): Promise<Page<Postmortem>> {
    const incidentOf = (p: Postmortem) =>
      this.incidents.find(i => i.id === p.incident_id)!;
    const items = this.postmortems
      .filter(p => !query.status?.length || query.status.includes(p.status))
      .filter(
        p =>
          !query.severity?.length ||
          query.severity.includes(incidentOf(p).severity),
      )
      .filter(
        p =>
          !query.entityRef || incidentOf(p).services.includes(query.entityRef),
      )
      .sort((a, b) =>
        incidentOf(b).triggered_at.localeCompare(incidentOf(a).triggered_at),
      )
      .map(p => {
        const incident = incidentOf(p);
        // Like the backend: list items carry their incident in brief.
        return {
          ...this.withItems(p),
          incident: {
            id: incident.id,
            number: incident.number,
            reference: incident.reference,
            title: incident.title,
            severity: incident.severity,
            status: incident.status,
            services: incident.services,
            commander: incident.commander,
            triggered_at: incident.triggered_at,
            resolved_at: incident.resolved_at,
          },
        };
      });
    return page(items, query);
  }

  async getPostmortem(incidentId: string): Promise<Postmortem> {
    return this.withItems(this.postmortemOf(incidentId));
  }

  async createPostmortem(
    incidentId: string,
    options: { templateId?: string } = {},
  ): Promise<Postmortem> {
    const incident = this.incidentOf(incidentId);
    if (this.postmortems.some(p => p.incident_id === incident.id)) {
      throw new PostmortemsApiError(
        `Incident ${incident.reference} already has a post-mortem`,
        { status: 409, code: 'conflict' },
      );
    }
    const template = this.template(options.templateId);
    return this.insert(
      incident,
      template,
      template.sections.map(s => ({
        key: s.key,
        title: s.title,
        markdown: '',
      })),
      'manual',
    );
  }

  async updatePostmortem(
    incidentId: string,
    patch: PostmortemPatch,
  ): Promise<Postmortem> {
    const current = this.postmortemOf(incidentId);
    if (patch.version !== current.version) {
      throw new PostmortemConflictError(
        `The post-mortem was changed by ${current.updated_by} (now version ${current.version}); merge your edit into the current version and save again`,
        {
          details: { current_version: current.version, current },
          current: this.withItems(current),
        },
      );
    }
    const publishing =
      patch.status === 'published' && current.status !== 'published';
    if (publishing && current.findings.length && !patch.override_findings) {
      throw new PostmortemFindingsError(
        'The evidence check has unresolved findings; fix them or publish with override_findings',
        {
          details: { findings: current.findings },
          findings: current.findings,
        },
      );
    }
    const incident = this.incidentOf(incidentId);
    const sections = patch.sections ?? current.sections;
    const now = this.now();
    let publishedAt = publishing ? now : current.published_at;
    if (patch.status === 'draft') publishedAt = null;
    let reason = 'save';
    if (patch.status && patch.status !== current.status) {
      reason = patch.status === 'published' ? 'publish' : 'unpublish';
    }
    return this.store(
      {
        ...current,
        sections,
        content: render(`${incident.reference}: ${incident.title}`, sections),
        status: patch.status ?? current.status,
        published_at: publishedAt,
        published_by: publishing ? this.user : current.published_by,
        version: current.version + 1,
        updated_by: this.user,
        updated_at: now,
      },
      reason,
    );
  }

  // Generation

  private startJob(
    incident: Incident,
    kind: GenerationJob['kind'],
    options: { sectionKey?: string; templateId?: string } = {},
  ): GenerationJob {
    const now = this.now();
    const job: GenerationJob = {
      id: this.nextId('job'),
      incident_id: incident.id,
      kind,
      section_key: options.sectionKey ?? null,
      status: 'queued',
      provider: this.provider.provider,
      template_id: options.templateId ?? null,
      sections_done: [],
      error: null,
      attempts: 0,
      requested_by: this.user,
      created_at: now,
      updated_at: now,
      finished_at: null,
    };
    this.jobs[job.id] = job;
    return { ...job };
  }

  async generatePostmortem(
    incidentId: string,
    options: GenerateOptions = {},
  ): Promise<GenerationJob> {
    const incident = this.incidentOf(incidentId);
    return this.startJob(incident, 'document', {
      templateId: this.template(options.templateId).id,
    });
  }

  async regenerateSection(
    incidentId: string,
    sectionKey: string,
  ): Promise<GenerationJob> {
    this.postmortemOf(incidentId);
    return this.startJob(this.incidentOf(incidentId), 'section', {
      sectionKey,
    });
  }

  async enhancePostmortem(incidentId: string): Promise<GenerationJob> {
    this.postmortemOf(incidentId);
    return this.startJob(this.incidentOf(incidentId), 'enhance');
  }

  async getGenerationJob(jobId: string): Promise<GenerationJob> {
    const job = this.jobs[jobId];
    if (!job) throw notFound(`No generation job ${jobId}`);
    return { ...job };
  }

  /** Runs the job here: writes its sections one by one, then the draft. */
  async watchGenerationJob(
    jobId: string,
    options: WatchJobOptions = {},
  ): Promise<GenerationJob> {
    const job = this.jobs[jobId];
    if (!job) throw notFound(`No generation job ${jobId}`);
    const incident = this.incidentOf(job.incident_id);
    const update = (change: Partial<GenerationJob>) => {
      Object.assign(job, change, { updated_at: this.now() });
      options.onStatus?.({ ...job });
    };
    update({ status: 'running', attempts: 1 });
    const written = (title: string) =>
      `What the evidence says about **${title.toLowerCase()}** for ${
        incident.reference
      }.`;

    if (job.kind === 'document') {
      const template = this.template(job.template_id);
      const sections: PostmortemSection[] = [];
      for (const s of template.sections) {
        await wait(this.delay);
        if (options.signal?.aborted) throw new Error('aborted');
        const section = {
          key: s.key,
          title: s.title,
          markdown: written(s.title),
        };
        sections.push(section);
        options.onSection?.(section);
        update({ sections_done: [...job.sections_done, s.key] });
      }
      this.insert(
        incident,
        template,
        sections,
        'deterministic',
        this.generatedFindings,
      );
    } else {
      await wait(this.delay);
      const current = this.postmortemOf(incident.id);
      const sections = current.sections.map(s =>
        job.kind === 'enhance' || s.key === job.section_key
          ? { ...s, markdown: `${written(s.title)} (rewritten)` }
          : s,
      );
      this.store(
        {
          ...current,
          sections,
          content: render(`${incident.reference}: ${incident.title}`, sections),
          version: current.version + 1,
          updated_by: 'postmortems-generator',
          updated_at: this.now(),
        },
        'generate',
      );
      update({ sections_done: sections.map(s => s.key) });
    }
    update({ status: 'succeeded', finished_at: this.now() });
    return { ...job };
  }

  async getProviderStatus(): Promise<ProviderStatus> {
    return { ...this.provider };
  }

  async testProvider(): Promise<ProviderTestResult> {
    return this.provider.provider === 'deterministic'
      ? { ok: true, message: 'The deterministic writer needs no connection.' }
      : { ok: true, message: `Reached ${this.provider.model}.` };
  }

  // Revisions

  async listRevisions(incidentId: string): Promise<PostmortemRevision[]> {
    const postmortem = this.postmortemOf(incidentId);
    return [...(this.revisions[postmortem.id] ?? [])].reverse();
  }

  async getRevision(
    incidentId: string,
    version: number,
  ): Promise<PostmortemRevision> {
    const postmortem = this.postmortemOf(incidentId);
    const revision = this.revisions[postmortem.id]?.find(
      r => r.version === version,
    );
    if (!revision) throw notFound(`No revision ${version} of this post-mortem`);
    return revision;
  }

  async diffRevisions(
    incidentId: string,
    version: number,
    against: number,
  ): Promise<RevisionDiff> {
    const older = await this.getRevision(incidentId, against);
    const newer = await this.getRevision(incidentId, version);
    return {
      from: against,
      to: version,
      changes: diffLines(older.content, newer.content),
    };
  }

  async restoreRevision(
    incidentId: string,
    version: number,
    expectedVersion: number,
  ): Promise<Postmortem> {
    const revision = await this.getRevision(incidentId, version);
    const current = this.postmortemOf(incidentId);
    if (expectedVersion !== current.version) {
      throw new PostmortemConflictError('Stale version', {
        details: { current_version: current.version, current },
        current,
      });
    }
    return this.store(
      {
        ...current,
        sections: revision.sections,
        content: revision.content,
        version: current.version + 1,
        updated_by: this.user,
        updated_at: this.now(),
      },
      `restore of version ${version}`,
    );
  }

  async exportPostmortem(
    incidentId: string,
    format: ExportFormat,
  ): Promise<PostmortemExportFile> {
    const postmortem = this.postmortemOf(incidentId);
    const incident = this.incidentOf(incidentId);
    const name = `postmortem-${incident.reference.toLowerCase()}`;
    if (format === 'json') {
      return {
        filename: `${name}.json`,
        blob: new Blob([JSON.stringify(postmortem, null, 2)], {
          type: 'application/json',
        }),
      };
    }
    if (format === 'pdf') {
      // Not a real PDF: a fake only needs the file to arrive with its type.
      return {
        filename: `${name}.pdf`,
        blob: new Blob([`%PDF-1.7\n${postmortem.content}`], {
          type: 'application/pdf',
        }),
      };
    }
    return {
      filename: `${name}.md`,
      blob: new Blob([postmortem.content], { type: 'text/markdown' }),
    };
  }

  async listExportTargets(): Promise<ExportTarget[]> {
    return this.exportTargets.map(t => ({ ...t }));
  }

  /** Like the backend: a page per post-mortem and target, updated in place. */
  async exportToTarget(
    incidentId: string,
    target: string,
  ): Promise<PostmortemExportRecord> {
    const postmortem = this.postmortemOf(incidentId);
    const configured = this.exportTargets.find(t => t.id === target);
    if (!configured || configured.kind !== 'page') {
      throw new PostmortemsApiError(
        configured
          ? `Export target "${target}" is a file; download it instead`
          : `No export target "${target}" is configured`,
        { status: 400, code: 'validation_error' },
      );
    }
    const byTarget = (this.exports[postmortem.id] ??= {});
    const externalId = byTarget[target]?.external_id ?? this.nextId('page');
    const record: PostmortemExportRecord = {
      target,
      type: configured.type,
      external_id: externalId,
      url: `https://${configured.type}.example.com/pages/${externalId}`,
      version: postmortem.version,
      exported_at: this.now(),
      exported_by: this.user,
    };
    byTarget[target] = record;
    return { ...record };
  }

  async listExports(incidentId: string): Promise<PostmortemExportRecord[]> {
    const postmortem = this.postmortemOf(incidentId);
    return Object.values(this.exports[postmortem.id] ?? {}).map(r => ({
      ...r,
    }));
  }

  // Comments

  async listComments(incidentId: string): Promise<PostmortemComment[]> {
    const postmortem = this.postmortemOf(incidentId);
    return [...(this.comments[postmortem.id] ?? [])];
  }

  async addComment(
    incidentId: string,
    body: string,
  ): Promise<PostmortemComment> {
    const postmortem = this.postmortemOf(incidentId);
    const comment: PostmortemComment = {
      id: this.nextId('comment'),
      postmortem_id: postmortem.id,
      author: this.user,
      body,
      created_at: this.now(),
    };
    this.comments[postmortem.id] = [
      ...(this.comments[postmortem.id] ?? []),
      comment,
    ];
    return comment;
  }

  async deleteComment(incidentId: string, commentId: string): Promise<void> {
    const postmortem = this.postmortemOf(incidentId);
    this.comments[postmortem.id] = (this.comments[postmortem.id] ?? []).filter(
      c => c.id !== commentId,
    );
  }

  // Action items

  async listActionItems(
    query: ActionItemListQuery = {},
  ): Promise<Page<ActionItem>> {
    const today = new Date().toISOString().slice(0, 10);
    const items = this.postmortems
      .flatMap(p => p.action_items)
      .filter(i => !query.owner?.length || query.owner.includes(i.owner ?? ''))
      .filter(i => !query.status?.length || query.status.includes(i.status))
      .filter(
        i =>
          !query.overdue ||
          (i.due_date !== null && i.due_date < today && i.status !== 'done'),
      )
      .filter(
        i =>
          !query.entityRef ||
          this.incidents
            .find(incident => incident.id === i.incident_id)
            ?.services.includes(query.entityRef),
      );
    return page(items, query);
  }

  private changeItems(
    incidentId: string,
    change: (items: ActionItem[]) => ActionItem[],
  ) {
    const postmortem = this.postmortemOf(incidentId);
    const updated = {
      ...postmortem,
      action_items: change(postmortem.action_items),
    };
    this.postmortems = this.postmortems.map(p =>
      p.id === postmortem.id ? updated : p,
    );
    return updated;
  }

  async createActionItem(
    incidentId: string,
    input: ActionItemInput & { description: string },
  ): Promise<ActionItem> {
    const postmortem = this.postmortemOf(incidentId);
    const now = this.now();
    const item: ActionItem = {
      id: this.nextId('item'),
      postmortem_id: postmortem.id,
      incident_id: postmortem.incident_id,
      description: input.description,
      title: input.description,
      owner: input.owner ?? null,
      due_date: input.due_date ?? null,
      status: input.status ?? 'open',
      category: input.category ?? null,
      external_url: input.external_url ?? null,
      tracker: null,
      external_key: null,
      source: 'manual',
      accepted: true,
      created_by: this.user,
      created_at: now,
      updated_at: now,
    };
    this.changeItems(incidentId, items => [...items, item]);
    return item;
  }

  async updateActionItem(
    incidentId: string,
    itemId: string,
    input: ActionItemInput,
  ): Promise<ActionItem> {
    let result: ActionItem | undefined;
    this.changeItems(incidentId, items =>
      items.map(item => {
        if (item.id !== itemId) return item;
        result = {
          ...item,
          ...Object.fromEntries(
            Object.entries(input).filter(([, v]) => v !== undefined),
          ),
          updated_at: this.now(),
        } as ActionItem;
        result.title = result.description;
        return result;
      }),
    );
    if (!result) throw notFound(`No action item ${itemId}`);
    return result;
  }

  async deleteActionItem(incidentId: string, itemId: string): Promise<void> {
    this.changeItems(incidentId, items => items.filter(i => i.id !== itemId));
  }

  // Issue trackers

  async listTrackers(): Promise<IssueTracker[]> {
    return this.trackers.map(t => ({ ...t }));
  }

  async createIssue(
    incidentId: string,
    itemId: string,
    tracker: string,
  ): Promise<ActionItem> {
    const configured = this.trackers.find(t => t.id === tracker);
    if (!configured) {
      throw new PostmortemsApiError(`No tracker "${tracker}" is configured`, {
        status: 400,
        code: 'validation_error',
      });
    }
    const item = this.postmortemOf(incidentId).action_items.find(
      i => i.id === itemId,
    );
    if (!item) throw notFound(`No action item ${itemId}`);
    if (item.external_key) {
      throw new PostmortemsApiError(
        `This action item already has issue ${item.external_key}`,
        { status: 409, code: 'conflict' },
      );
    }
    const number = Object.keys(this.issues).length + 1;
    const issue: InMemoryIssue =
      configured.type === 'github'
        ? {
            tracker,
            key: `${configured.title}#${number}`,
            url: `https://github.com/${configured.title}/issues/${number}`,
            state: 'open',
            incidentId: item.incident_id,
            itemId,
          }
        : {
            tracker,
            key: `${configured.title}-${number}`,
            url: `https://jira.example.com/browse/${configured.title}-${number}`,
            state: 'open',
            incidentId: item.incident_id,
            itemId,
          };
    this.issues[issue.key] = issue;
    return this.setItemFields(incidentId, itemId, {
      tracker,
      external_key: issue.key,
      external_url: issue.url,
    });
  }

  /** Closes an issue in the fake tracker, as someone working on it would. */
  closeIssue(key: string) {
    const issue = this.issues[key];
    if (!issue) throw new Error(`No issue ${key}`);
    issue.state = 'closed';
  }

  async syncTrackers(): Promise<TrackerSyncResult> {
    let done = 0;
    const issues = Object.values(this.issues);
    for (const issue of issues) {
      const item = this.postmortemOf(issue.incidentId).action_items.find(
        i => i.id === issue.itemId,
      );
      if (item && issue.state === 'closed' && item.status !== 'done') {
        this.setItemFields(issue.incidentId, issue.itemId, { status: 'done' });
        done += 1;
      }
    }
    return {
      checked: issues.length,
      done,
      reopened: 0,
      pushed: 0,
      missing: 0,
      errors: [],
    };
  }

  private setItemFields(
    incidentId: string,
    itemId: string,
    change: Partial<ActionItem>,
  ): ActionItem {
    let result: ActionItem | undefined;
    this.changeItems(incidentId, items =>
      items.map(item => {
        if (item.id !== itemId) return item;
        result = { ...item, ...change, updated_at: this.now() };
        return result;
      }),
    );
    if (!result) throw notFound(`No action item ${itemId}`);
    return result;
  }

  // Templates

  async listTemplates(): Promise<PostmortemTemplate[]> {
    return this.templates.map(t => ({ ...t }));
  }

  async getTemplate(templateId: string): Promise<PostmortemTemplate> {
    return { ...this.template(templateId) };
  }

  private keyed(input: TemplateInput['sections']) {
    return input.map(s => ({
      key:
        s.key ??
        s.title
          .toLowerCase()
          .replace(/[^a-z0-9]+/g, '_')
          .replace(/^_|_$/g, ''),
      title: s.title,
      // The server's defaults for what a template section leaves out.
      required: s.required ?? false,
      guiding_questions: s.guiding_questions ?? [],
    }));
  }

  async createTemplate(input: TemplateInput): Promise<PostmortemTemplate> {
    const now = this.now();
    const template: PostmortemTemplate = {
      id: this.nextId('template'),
      name: input.name,
      description: input.description ?? '',
      sections: this.keyed(input.sections),
      action_item_categories: input.action_item_categories ?? [],
      is_builtin: false,
      is_active: false,
      created_at: now,
      updated_at: now,
    };
    this.templates = [...this.templates, template];
    return { ...template };
  }

  async updateTemplate(
    templateId: string,
    input: Partial<TemplateInput>,
  ): Promise<PostmortemTemplate> {
    const template = this.template(templateId);
    if (template.is_builtin) {
      throw new PostmortemsApiError(
        'Built-in templates cannot be changed; copy one',
        {
          status: 409,
          code: 'conflict',
        },
      );
    }
    const updated: PostmortemTemplate = {
      ...template,
      ...(input.name !== undefined ? { name: input.name } : {}),
      ...(input.description !== undefined
        ? { description: input.description }
        : {}),
      ...(input.sections ? { sections: this.keyed(input.sections) } : {}),
      ...(input.action_item_categories
        ? { action_item_categories: input.action_item_categories }
        : {}),
      updated_at: this.now(),
    };
    this.templates = this.templates.map(t =>
      t.id === templateId ? updated : t,
    );
    return { ...updated };
  }

  async deleteTemplate(templateId: string): Promise<void> {
    const template = this.template(templateId);
    if (template.is_builtin || template.is_active) {
      throw new PostmortemsApiError(
        template.is_builtin
          ? 'Built-in templates cannot be deleted'
          : 'The active template cannot be deleted; activate another first',
        { status: 409, code: 'conflict' },
      );
    }
    this.templates = this.templates.filter(t => t.id !== templateId);
  }

  async copyTemplate(
    templateId: string,
    name?: string,
  ): Promise<PostmortemTemplate> {
    const source = this.template(templateId);
    return this.createTemplate({
      name: name ?? `${source.name} (copy)`,
      description: source.description,
      sections: source.sections,
      action_item_categories: source.action_item_categories,
    });
  }

  async activateTemplate(templateId: string): Promise<PostmortemTemplate> {
    this.template(templateId);
    this.templates = this.templates.map(t => ({
      ...t,
      is_active: t.id === templateId,
    }));
    return { ...this.template(templateId) };
  }
}

function structuredCloneSafe<T>(value: T): T {
  return JSON.parse(JSON.stringify(value));
}
