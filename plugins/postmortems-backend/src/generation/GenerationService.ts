import { randomUUID } from 'node:crypto';
import {
  AuthService,
  BackstageCredentials,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { ConflictError, NotFoundError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { Knex } from 'knex';
import {
  GenerationJob,
  Incident,
  PostmortemSection,
  PostmortemTemplate,
  ProviderKind,
  postmortemCreatePermission,
  postmortemReadDraftPermission,
  postmortemUpdatePermission,
} from '@postmortems-oss/backstage-plugin-postmortems-common';
import {
  GenerationJobRecord,
  GenerationJobStore,
} from '../database/GenerationJobStore';
import { ActionItemService } from '../services/ActionItemService';
import { IncidentService } from '../services/IncidentService';
import { actorOf, PostmortemAccess } from '../services/PostmortemAccess';
import { PostmortemService } from '../services/PostmortemService';
import { TemplateService } from '../services/TemplateService';
import { EvidenceCheck } from './EvidenceCheck';
import { EvidenceService } from './EvidenceService';
import { ProviderRegistry } from './ProviderRegistry';
import {
  Draft,
  GenerationError,
  ProposedActionItem,
} from '@postmortems-oss/backstage-plugin-postmortems-node';

export interface GenerateRequest {
  kind: GenerationJob['kind'];
  sectionKey?: string;
  provider?: ProviderKind;
  templateId?: string;
  /**
   * Draft a document before the incident is resolved. Regen's clients may
   * (its UI offers Generate on open incidents); the native API may not.
   */
  allowUnresolved?: boolean;
}

/** A job runs at most this often before it is given up (crashes included). */
const MAX_ATTEMPTS = 3;
/** Must outlast a job's deadline: a live worker's job is never taken over. */
const DEFAULT_LEASE_MS = 10 * 60_000;

/**
 * Drafting as persisted jobs: requests are queued in the database, and any
 * replica's worker claims and runs them, so a restart or a second replica
 * loses nothing and duplicates nothing. A finished draft, its findings, its
 * proposed action items and the job's end are written in one transaction,
 * through PostmortemService.saveDraft and ActionItemService.propose.
 */
export class GenerationService {
  private readonly workerId = `worker-${randomUUID().slice(0, 8)}`;
  private draining: Promise<void> | undefined;
  private stopped = false;

  constructor(
    private readonly deps: {
      db: Knex;
      jobs: GenerationJobStore;
      incidents: IncidentService;
      postmortems: PostmortemService;
      actionItems: ActionItemService;
      templates: TemplateService;
      access: PostmortemAccess;
      providers: ProviderRegistry;
      evidence: EvidenceService;
      catalog?: CatalogService;
      auth?: AuthService;
      logger: LoggerService;
      /** Told when an automatic draft is ready (notifications). */
      onDraftReady?: (incident: Incident, job: GenerationJob) => Promise<void>;
      /** How long a claimed job is its worker's; after that (a crash) another takes it over. */
      leaseMs?: number;
    },
  ) {}

  /**
   * Queues a job (or returns the incident's job already under way) and starts
   * the worker. Checks permissions and preconditions up front so the caller
   * gets a 4xx now rather than a failed job later.
   */
  async enqueue(
    incidentRef: string,
    request: GenerateRequest,
    credentials: BackstageCredentials | undefined,
  ): Promise<GenerationJob> {
    const incident = await this.deps.incidents.get(incidentRef);
    const existing = await this.deps.postmortems.findForIncident(incident.id);
    if (credentials) {
      await this.deps.access.require(
        existing ? postmortemUpdatePermission : postmortemCreatePermission,
        credentials,
        incident,
      );
    }
    if (
      request.kind === 'document' &&
      !request.allowUnresolved &&
      !['resolved', 'canceled'].includes(incident.status)
    ) {
      throw new ConflictError(
        `${incident.reference} is ${incident.status}; a post-mortem is drafted once the incident is resolved`,
      );
    }
    if (request.kind !== 'document' && !existing) {
      throw new NotFoundError(
        `Incident ${incident.reference} has no post-mortem to ${
          request.kind === 'enhance' ? 'enhance' : 'regenerate'
        }`,
      );
    }
    // Everyone can read a published post-mortem: unreviewed model text must
    // not replace it in place.
    if (existing?.status === 'published') {
      throw new ConflictError(
        'Unpublish the post-mortem before regenerating or enhancing it',
      );
    }
    if (
      request.sectionKey &&
      !existing?.sections.some(s => s.key === request.sectionKey)
    ) {
      throw new NotFoundError(
        `The post-mortem has no section "${request.sectionKey}"`,
      );
    }
    // Fail fast when a model is demanded but none is configured (503).
    this.deps.providers.get(request.provider);
    if (request.templateId) await this.deps.templates.get(request.templateId);

    const active = await this.deps.jobs.findActive(incident.id);
    if (active) {
      return publicJob(active);
    }
    const job = await this.deps.jobs.create({
      incidentId: incident.id,
      kind: request.kind,
      sectionKey: request.sectionKey,
      provider: this.deps.providers.get(request.provider).kind,
      templateId: request.templateId ?? existing?.template_id ?? null,
      requestedBy: credentials ? actorOf(credentials) : null,
      baseVersion: existing?.version ?? null,
    });
    this.kick();
    return publicJob(job);
  }

  async getJob(
    id: string,
    credentials: BackstageCredentials,
  ): Promise<GenerationJobRecord> {
    const job = await this.deps.jobs.get(id);
    if (!job) throw new NotFoundError(`No generation job ${id}`);
    await this.deps.access.require(
      postmortemReadDraftPermission,
      credentials,
      job.incident_id,
    );
    return job;
  }

  /** Waits for a job to end, up to `deadlineMs`; returns it as it is then. */
  async waitFor(id: string, deadlineMs: number): Promise<GenerationJobRecord> {
    const until = Date.now() + deadlineMs;
    for (;;) {
      const job = (await this.deps.jobs.get(id))!;
      if (
        job.status === 'succeeded' ||
        job.status === 'failed' ||
        Date.now() >= until
      ) {
        return job;
      }
      // Polled, not awaited as an event: any replica's worker may run the
      // job, and the database is the only place all replicas share.
      await new Promise(resolve => setTimeout(resolve, 200));
    }
  }

  /** Stops taking new jobs and waits for the one in progress (shutdown). */
  async stop(): Promise<void> {
    this.stopped = true;
    await this.draining;
  }

  /** Starts draining the queue in this process unless it already is. */
  kick(): void {
    if (!this.draining && !this.stopped) {
      this.draining = this.drain().finally(() => {
        this.draining = undefined;
      });
    }
  }

  /** Runs queued jobs until none is left. Called on enqueue and by the scheduler. */
  async drain(): Promise<void> {
    while (!this.stopped) {
      const job = await this.deps.jobs.claimNext(
        this.workerId,
        this.deps.leaseMs ?? DEFAULT_LEASE_MS,
      );
      if (!job) return;
      await this.run(job);
    }
  }

  private async run(job: GenerationJobRecord): Promise<void> {
    const { logger } = this.deps;
    if (job.attempts > MAX_ATTEMPTS) {
      await this.deps.jobs.finish(
        job.id,
        'failed',
        `Gave up after ${MAX_ATTEMPTS} attempts; the backend stopped while drafting each time.`,
      );
      return;
    }
    try {
      const incident = await this.freshIncident(job.incident_id);
      const existing = await this.deps.postmortems.findForIncident(incident.id);
      const template = await this.templateFor(
        job,
        existing?.template_id ?? null,
      );
      const evidence = await this.deps.evidence.bundle(incident, template, {
        fetchChat: true,
        related: { sections: existing?.sections },
      });
      const provider = this.deps.providers.get(job.provider);
      // Sections written in parallel finish together; recording them one at
      // a time keeps each read-modify-write of the job's progress whole.
      let recorded = Promise.resolve();
      const finished = new Set<string>();
      const lastPartial = new Map<string, number>();
      const record = (section: PostmortemSection) => {
        finished.add(section.key);
        return (recorded = recorded.then(() =>
          this.deps.jobs.recordSection(job.id, section),
        ));
      };
      // Text so far of sections being streamed, at most every 300 ms each:
      // enough to watch them grow without a write per token.
      const recordText = (section: PostmortemSection) => {
        const now = Date.now();
        if (finished.has(section.key)) return;
        if (now - (lastPartial.get(section.key) ?? 0) < 300) return;
        lastPartial.set(section.key, now);
        recorded = recorded
          .then(() =>
            finished.has(section.key)
              ? undefined
              : this.deps.jobs.recordSection(job.id, section, false),
          )
          .catch(() => undefined);
      };
      const draft = await provider.draft({
        evidence,
        mode: job.kind === 'enhance' ? 'enhance' : 'draft',
        sectionKeys:
          job.kind === 'section' && job.section_key
            ? [job.section_key]
            : undefined,
        current: existing?.sections,
        onSection: record,
        onSectionText: recordText,
      });
      if (job.kind === 'enhance' && unchanged(draft, existing?.sections)) {
        // Without a model nothing is rewritten: a revision identical to the
        // current one would only look like an improvement.
        await this.deps.jobs.finish(job.id, 'succeeded', null);
        logger.info(
          `Nothing to enhance in ${incident.reference} with ${provider.kind}: the content is unchanged and no revision was written (job ${job.id})`,
        );
        return;
      }
      await this.save(
        job,
        incident,
        template,
        draft,
        new EvidenceCheck(evidence),
      );
      logger.info(
        `Drafted ${job.kind} of ${incident.reference} with ${provider.kind} (job ${job.id})`,
      );
      if (this.deps.onDraftReady && !job.requested_by) {
        await this.deps
          .onDraftReady(
            incident,
            publicJob((await this.deps.jobs.get(job.id))!),
          )
          .catch(error =>
            logger.warn(
              `Could not notify about the draft of ${incident.reference}: ${error}`,
            ),
          );
      }
    } catch (error) {
      const message =
        error instanceof GenerationError ||
        error instanceof ConflictError ||
        error instanceof NotFoundError
          ? error.message
          : 'Generation failed unexpectedly; the error is in the backend log.';
      if (!(error instanceof GenerationError)) {
        logger.error(`Generation job ${job.id} failed`, error as Error);
      }
      await this.deps.jobs.finish(job.id, 'failed', message);
    }
  }

  /**
   * The incident as its upstream (Regen) has it now, so the draft sees the
   * latest timeline; when the upstream is down, the last copy still drafts.
   */
  private async freshIncident(incidentId: string) {
    try {
      return await this.deps.incidents.refresh(incidentId);
    } catch (error) {
      this.deps.logger.warn(
        `Drafting from the last copy of incident ${incidentId}: ${
          (error as Error).message
        }`,
      );
      return this.deps.incidents.get(incidentId);
    }
  }

  private async templateFor(
    job: GenerationJobRecord,
    current: string | null,
  ): Promise<PostmortemTemplate> {
    const id = job.template_id ?? current;
    if (id) {
      const template = await this.deps.templates.get(id).catch(() => undefined);
      if (template) return template;
    }
    return this.deps.templates.resolve();
  }

  /** Writes the draft, its findings and proposals, and ends the job, atomically. */
  private async save(
    job: GenerationJobRecord,
    incident: Incident,
    template: PostmortemTemplate,
    draft: Draft,
    check: EvidenceCheck,
  ) {
    const owners = await this.ownerDirectory(draft.actionItems);
    const current = await this.deps.postmortems.findForIncident(incident.id);
    const actionItems = current
      ? (await this.deps.postmortems.withActionItems(current)).action_items
      : [];
    const meta = {
      kind:
        draft.generatedBy === 'deterministic'
          ? ('deterministic' as const)
          : ('ai' as const),
      reason: reasonOf(job),
      author: job.requested_by ?? 'system:postmortems',
    };
    await this.deps.db.transaction(async tx => {
      const postmortem = await this.deps.postmortems.saveDraft(
        {
          incident,
          template,
          scope: job.kind,
          sections: draft.sections.map(({ key, title, markdown }) => ({
            key,
            title,
            markdown,
          })),
          evidence: Object.fromEntries(
            draft.sections.map(s => [s.key, s.evidence]),
          ),
          generatedBy: draft.generatedBy,
          baseVersion: job.base_version,
          check: sections => check.check(sections, { actionItems }),
          meta,
        },
        tx,
      );
      if (job.kind === 'document') {
        await this.deps.actionItems.propose(
          {
            postmortemId: postmortem.id,
            incidentId: incident.id,
            template,
            owners,
            author: meta.author,
          },
          draft.actionItems,
          tx,
        );
      }
      await this.deps.jobs.finish(job.id, 'succeeded', null, tx);
    });
  }

  /** Maps owner hints (a name, a display name, a team) to catalog user and group refs. */
  private async ownerDirectory(
    proposals: ProposedActionItem[],
  ): Promise<Map<string, string>> {
    const directory = new Map<string, string>();
    if (
      !proposals.some(p => p.ownerHint) ||
      !this.deps.catalog ||
      !this.deps.auth
    ) {
      return directory;
    }
    try {
      const { items } = await this.deps.catalog.getEntities(
        {
          filter: [{ kind: 'User' }, { kind: 'Group' }],
          fields: [
            'kind',
            'metadata.name',
            'metadata.namespace',
            'metadata.title',
            'spec.profile.displayName',
          ],
        },
        { credentials: await this.deps.auth.getOwnServiceCredentials() },
      );
      for (const entity of items) {
        const ref = `${entity.kind.toLowerCase()}:${
          entity.metadata.namespace ?? 'default'
        }/${entity.metadata.name}`;
        const profile = (
          entity.spec as { profile?: { displayName?: string } } | undefined
        )?.profile;
        for (const name of [
          entity.metadata.name,
          entity.metadata.title,
          profile?.displayName,
          ref,
        ]) {
          if (name) directory.set(name.toLowerCase(), ref);
        }
      }
    } catch (error) {
      this.deps.logger.warn(
        `Could not read the catalog to assign action items: ${error}`,
      );
    }
    return directory;
  }
}

/** Whether a draft says exactly what the sections already say. */
function unchanged(
  draft: Draft,
  current: PostmortemSection[] | undefined,
): boolean {
  if (!current) return false;
  return draft.sections.every(
    s => current.find(c => c.key === s.key)?.markdown === s.markdown,
  );
}

function reasonOf(job: GenerationJobRecord): string {
  if (job.kind === 'section') return `regenerate section ${job.section_key}`;
  if (job.kind === 'enhance') return 'enhance';
  return 'generate';
}

/** A job as the API shows it. */
export function publicJob(job: GenerationJobRecord): GenerationJob {
  const { partial_sections: _partial, base_version: _base, ...rest } = job;
  return rest;
}
