import { randomUUID } from 'node:crypto';
import { Knex } from 'knex';
import {
  GenerationJob,
  GenerationJobStatus,
  PostmortemSection,
  ProviderKind,
} from '@postmortems-oss/backstage-plugin-postmortems-common';
import { parseJson, toCount, toIso, toIsoRequired } from './rows';

export interface NewGenerationJob {
  incidentId: string;
  kind: GenerationJob['kind'];
  sectionKey?: string | null;
  provider: ProviderKind;
  templateId?: string | null;
  requestedBy: string | null;
  baseVersion: number | null;
}

/** A job as stored, with what only the worker needs. */
export interface GenerationJobRecord extends GenerationJob {
  partial_sections: PostmortemSection[];
  base_version: number | null;
}

/**
 * Generation jobs. Workers claim a job with a compare-and-set on its status
 * and a lease, so that of several backend replicas exactly one runs it, and a
 * job whose worker died is picked up again when its lease runs out.
 */
export class GenerationJobStore {
  constructor(
    private readonly db: Knex,
    /** Hears of each change of a job's progress once it is committed. */
    private readonly onChange?: (job: GenerationJobRecord) => void,
  ) {}

  async create(input: NewGenerationJob): Promise<GenerationJobRecord> {
    const now = new Date();
    const id = randomUUID();
    await this.db('generation_jobs').insert({
      id,
      incident_id: input.incidentId,
      kind: input.kind,
      section_key: input.sectionKey ?? null,
      status: 'queued',
      provider: input.provider,
      template_id: input.templateId ?? null,
      requested_by: input.requestedBy,
      base_version: input.baseVersion,
      created_at: now,
      updated_at: now,
    });
    return (await this.get(id))!;
  }

  /** When each of these jobs last changed (`updated_at`, as jobs read it). */
  async changeMarks(ids: string[]): Promise<Map<string, string>> {
    const marks = new Map<string, string>();
    // Chunks keep within SQLite's bound-parameter limit.
    for (let i = 0; i < ids.length; i += 500) {
      const rows = await this.db('generation_jobs')
        .whereIn('id', ids.slice(i, i + 500))
        .select('id', 'updated_at');
      for (const row of rows) marks.set(row.id, toIsoRequired(row.updated_at));
    }
    return marks;
  }

  async get(id: string): Promise<GenerationJobRecord | undefined> {
    const row = await this.db('generation_jobs').where({ id }).first();
    return row ? toJob(row) : undefined;
  }

  /** A queued or running job of the incident, if there is one. */
  async findActive(
    incidentId: string,
  ): Promise<GenerationJobRecord | undefined> {
    const row = await this.db('generation_jobs')
      .where({ incident_id: incidentId })
      .whereIn('status', ['queued', 'running'])
      .orderBy('created_at', 'desc')
      .first();
    return row ? toJob(row) : undefined;
  }

  /**
   * Claims the oldest runnable job: queued, or running with an expired lease
   * (its worker died). Returns undefined when there is none or another
   * worker won the race.
   */
  async claimNext(
    workerId: string,
    leaseMs: number,
  ): Promise<GenerationJobRecord | undefined> {
    const now = new Date();
    const candidates = await this.db('generation_jobs')
      .where(q =>
        q
          .where('status', 'queued')
          .orWhere(r =>
            r.where('status', 'running').where('locked_until', '<', now),
          ),
      )
      .orderBy('created_at', 'asc')
      .limit(5)
      .select('id', 'status', 'attempts', 'updated_at');
    for (const candidate of candidates) {
      const claimed = await this.db('generation_jobs')
        .where({
          id: candidate.id,
          status: candidate.status,
          attempts: candidate.attempts,
        })
        .update({
          status: 'running',
          locked_by: workerId,
          locked_until: new Date(now.getTime() + leaseMs),
          attempts: toCount(candidate.attempts) + 1,
          updated_at: now,
        });
      if (claimed === 1) {
        const job = await this.get(candidate.id);
        if (job) this.onChange?.(job);
        return job;
      }
    }
    return undefined;
  }

  /**
   * Keeps a section's text for watchers: finished (`done`), or as far as the
   * model has written it. The caller records one section at a time.
   */
  async recordSection(
    id: string,
    section: PostmortemSection,
    done = true,
  ): Promise<void> {
    const job = await this.get(id);
    if (!job) return;
    const { key, title, markdown } = section;
    await this.db('generation_jobs')
      .where({ id })
      .update({
        partial_sections: JSON.stringify([
          ...job.partial_sections.filter(s => s.key !== key),
          { key, title, markdown },
        ]),
        ...(done
          ? {
              sections_done: JSON.stringify([
                ...job.sections_done.filter(k => k !== key),
                key,
              ]),
            }
          : {}),
        updated_at: new Date(),
      });
    await this.changed(id);
  }

  /** Ends a job; `tx` lets the end be part of the transaction that saves the draft. */
  async finish(
    id: string,
    status: Extract<GenerationJobStatus, 'succeeded' | 'failed'>,
    error: string | null,
    tx?: Knex.Transaction,
  ): Promise<void> {
    const now = new Date();
    await (tx ?? this.db)('generation_jobs').where({ id }).update({
      status,
      error,
      locked_by: null,
      locked_until: null,
      updated_at: now,
      finished_at: now,
    });
    // Inside a transaction the change is announced once it is committed, so
    // that whoever reads the job then sees it.
    if (tx) {
      tx.executionPromise.then(() => this.changed(id)).catch(() => undefined);
    } else {
      await this.changed(id);
    }
  }

  private async changed(id: string): Promise<void> {
    if (!this.onChange) return;
    const job = await this.get(id);
    if (job) this.onChange(job);
  }
}

function toJob(row: any): GenerationJobRecord {
  return {
    id: row.id,
    incident_id: row.incident_id,
    kind: row.kind,
    section_key: row.section_key ?? null,
    status: row.status,
    provider: row.provider,
    template_id: row.template_id ?? null,
    sections_done: parseJson<string[]>(row.sections_done, []),
    partial_sections: parseJson<PostmortemSection[]>(row.partial_sections, []),
    error: row.error ?? null,
    attempts: toCount(row.attempts),
    requested_by: row.requested_by ?? null,
    base_version:
      row.base_version === null || row.base_version === undefined
        ? null
        : toCount(row.base_version),
    created_at: toIsoRequired(row.created_at),
    updated_at: toIsoRequired(row.updated_at),
    finished_at: toIso(row.finished_at),
  };
}
