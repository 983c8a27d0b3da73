import { randomUUID } from 'node:crypto';
import { Knex } from 'knex';
import {
  AuthorKind,
  EvidenceFinding,
  Postmortem,
  PostmortemListItem,
  IncidentSeverity,
  IncidentSummary,
  PostmortemComment,
  PostmortemRevision,
  PostmortemSection,
  PostmortemStatus,
} from '@postmortems-oss/backstage-plugin-postmortems-common';
import { servicesJsonColumn } from './IncidentStore';
import { rowsPrepared } from './prepared';
import { parseJson, toCount, toIso, toIsoRequired } from './rows';
import {
  countReadable,
  ReadableScope,
  resolveScope,
  whereReadable,
} from './readableScope';

/** A post-mortem as stored: the API's shape without its action items and incident. */
export type PostmortemRecord = Omit<Postmortem, 'action_items' | 'incident'>;

/** A post-mortem as a list reads it: its document only when asked for. */
export type PostmortemListRecord = Omit<
  PostmortemListItem,
  'action_items' | 'incident' | 'action_item_counts'
>;

/** A list's row: the post-mortem, its incident in brief and its item counts. */
export type PostmortemListRow = PostmortemListRecord &
  Required<Pick<PostmortemListItem, 'incident' | 'action_item_counts'>>;

/** The incident's columns a list shows, read in the page's own statement. */
const LIST_INCIDENT_COLUMNS = [
  'number',
  'title',
  'severity',
  'status',
  'commander',
  'triggered_at',
  'resolved_at',
];

/** The columns of a post-mortem without its document (content, sections, findings, evidence). */
const SUMMARY_COLUMNS = [
  'id',
  'incident_id',
  'status',
  'template_id',
  'template_name',
  'generated_by',
  'generated_at',
  'version',
  'published_at',
  'published_by',
  'published_version',
  'created_by',
  'updated_by',
  'created_at',
  'updated_at',
].map(column => `postmortems.${column}`);

/** Why a version was written and by whom; kept in its revision. */
export interface RevisionMeta {
  kind: AuthorKind;
  reason: string;
  author: string | null;
}

export interface NewPostmortem {
  incidentId: string;
  content: string;
  sections: PostmortemSection[];
  templateId: string | null;
  templateName: string | null;
  generatedBy: string;
  generatedAt: string | null;
  createdBy: string | null;
  findings?: EvidenceFinding[];
  evidence?: Record<string, string[]>;
}

export interface PostmortemChanges {
  status?: PostmortemStatus;
  content?: string;
  sections?: PostmortemSection[];
  templateId?: string | null;
  templateName?: string | null;
  generatedBy?: string;
  generatedAt?: string | null;
  publishedAt?: string | null;
  publishedBy?: string | null;
  findings?: EvidenceFinding[];
  evidence?: Record<string, string[]>;
}

/** A new version or comment of a post-mortem, for live updates. */
export interface PostmortemChange {
  incidentId: string;
  change: 'saved' | 'comment';
  version: number;
  by: string | null;
}

export interface PostmortemFilter {
  status?: PostmortemStatus[];
  severity?: IncidentSeverity[];
  entityRef?: string;
  /** Filed under any of these cause categories. */
  causes?: string[];
  /** Only recurrences of an earlier post-mortem (true), or none (false). */
  recurrence?: boolean;
  /** Read each post-mortem's document too (lists leave it out by default). */
  withContent?: boolean;
  /** Each post-mortem's action items too (lists give their counts by default). */
  withActionItems?: boolean;
  offset: number;
  limit: number;
}

/**
 * Post-mortems, every version they ever had (revisions), and their comments.
 * Writes are compare-and-set on `version`, so concurrent edits cannot
 * overwrite each other unseen.
 */
export class PostmortemStore {
  constructor(
    private readonly db: Knex,
    /** Hears of each new version and comment once it is committed. */
    private readonly onChange?: (change: PostmortemChange) => void,
  ) {}

  /** The same store, working inside the given transaction. */
  withTransaction(tx: Knex.Transaction): PostmortemStore {
    return new PostmortemStore(tx, this.onChange);
  }

  /**
   * Tells `onChange` once what was written is visible to others: at once,
   * or when the transaction this store works in commits.
   */
  private announce(change: PostmortemChange) {
    const { onChange } = this;
    if (!onChange) return;
    if (this.db.isTransaction) {
      (this.db as Knex.Transaction).executionPromise
        .then(() => onChange(change))
        .catch(() => undefined);
    } else {
      onChange(change);
    }
  }

  async create(
    input: NewPostmortem,
    meta: RevisionMeta,
  ): Promise<PostmortemRecord> {
    const id = randomUUID();
    const now = new Date();
    await this.db.transaction(async tx => {
      await tx('postmortems').insert({
        id,
        incident_id: input.incidentId,
        // The list's sort key, copied from the incident (it never changes).
        incident_triggered_at: tx('incidents')
          .select('triggered_at')
          .where({ id: input.incidentId }),
        status: 'draft',
        content: input.content,
        sections: JSON.stringify(input.sections),
        template_id: input.templateId,
        template_name: input.templateName,
        generated_by: input.generatedBy,
        generated_at: input.generatedAt ? new Date(input.generatedAt) : null,
        version: 1,
        findings: JSON.stringify(input.findings ?? []),
        evidence: JSON.stringify(input.evidence ?? {}),
        created_by: input.createdBy,
        updated_by: input.createdBy,
        created_at: now,
        updated_at: now,
      });
      await insertRevision(tx, {
        postmortemId: id,
        version: 1,
        status: 'draft',
        content: input.content,
        sections: input.sections,
        meta,
        at: now,
      });
    });
    const created = (await this.getById(id))!;
    this.announce({
      incidentId: created.incident_id,
      change: 'saved',
      version: created.version,
      by: meta.author,
    });
    return created;
  }

  async getById(id: string): Promise<PostmortemRecord | undefined> {
    const row = await this.db('postmortems').where({ id }).first();
    return row ? toPostmortem(row) : undefined;
  }

  async getByIncident(
    incidentId: string,
  ): Promise<PostmortemRecord | undefined> {
    const row = await this.db('postmortems')
      .where({ incident_id: incidentId })
      .first();
    return row ? toPostmortem(row) : undefined;
  }

  /**
   * Writes a new version if the stored one is still `expectedVersion`, and
   * keeps it as a revision. Returns undefined when someone else wrote first.
   */
  async update(
    id: string,
    expectedVersion: number,
    changes: PostmortemChanges,
    meta: RevisionMeta,
  ): Promise<PostmortemRecord | undefined> {
    const now = new Date();
    const row = changedColumns(expectedVersion, changes, meta, now);
    const updated =
      this.db.client.dialect === 'postgresql'
        ? await this.updateInOneStatement(id, expectedVersion, row, meta, now)
        : await this.db.transaction(async tx => {
            // The written row comes back from the update itself (RETURNING):
            // no read after the write.
            const [written] = await tx('postmortems')
              .where({ id, version: expectedVersion })
              .update(row)
              .returning('*');
            if (!written) {
              return undefined;
            }
            const current = toPostmortem(written);
            await insertRevision(tx, {
              postmortemId: id,
              version: current.version,
              status: current.status,
              content: current.content,
              sections: current.sections,
              meta,
              at: now,
            });
            return current;
          });
    if (updated) {
      this.announce({
        incidentId: updated.incident_id,
        change: 'saved',
        version: updated.version,
        by: meta.author,
      });
    }
    return updated;
  }

  /**
   * The update and its revision as one PostgreSQL statement (a data-modifying
   * `with`): atomic like a transaction, in one round trip instead of four
   * (begin, update, insert, commit). Saves are frequent; SQLite, which has
   * no such statement, uses a transaction.
   */
  private async updateInOneStatement(
    id: string,
    expectedVersion: number,
    row: Record<string, unknown>,
    meta: RevisionMeta,
    now: Date,
  ): Promise<PostmortemRecord | undefined> {
    const update = this.db('postmortems')
      .where({ id, version: expectedVersion })
      .update(row)
      .returning('*')
      .toSQL();
    const rows = await rowsPrepared(
      this.db,
      this.db.raw(
        `with written as (${update.sql}),
       kept as (
         insert into postmortem_revisions
           (id, postmortem_id, version, kind, reason, status, content, sections, author, created_at)
         select ?, id, version, ?, ?, status, content, sections, ?, ? from written
       )
       select * from written`,
        [
          ...update.bindings,
          randomUUID(),
          meta.kind,
          meta.reason,
          meta.author,
          now,
        ],
      ),
    );
    const [written] = rows;
    return written ? toPostmortem(written) : undefined;
  }

  /**
   * A page of post-mortems matching the filter, of those the scope lets the
   * caller read (all when no scope is given); the total counts the same set.
   */
  async list(
    filter: PostmortemFilter,
    restriction?: ReadableScope,
  ): Promise<{ data: PostmortemListRow[]; total: number }> {
    // The incidents a restricted caller may read, found once for both the
    // total and the page.
    const scope = restriction && (await resolveScope(this.db, restriction));
    const query = this.db('postmortems');
    if (filter.status?.length) {
      query.whereIn('postmortems.status', filter.status);
    }
    if (filter.severity?.length) {
      query.whereIn(
        'postmortems.incident_id',
        this.db('incidents').select('id').whereIn('severity', filter.severity),
      );
    }
    if (filter.entityRef) {
      query.whereIn(
        'postmortems.incident_id',
        this.db('incident_services')
          .select('incident_id')
          .where('entity_ref', filter.entityRef),
      );
    }
    if (filter.causes?.length) {
      query.whereIn(
        'postmortems.id',
        this.db('postmortem_causes')
          .select('postmortem_id')
          .whereIn('category', filter.causes),
      );
    }
    if (filter.recurrence !== undefined) {
      const recurrences = this.db('postmortem_recurrences').select(
        'postmortem_id',
      );
      if (filter.recurrence) query.whereIn('postmortems.id', recurrences);
      else query.whereNotIn('postmortems.id', recurrences);
    }
    // The filters above, then what the caller may read: counted per status
    // branch where that lets the database use its indexes.
    const total = await countReadable(this.db, query, scope, filter.status);
    if (scope) whereReadable(this.db, query, scope, filter.status);
    // Ordered by a copy of the incident's trigger time kept on the
    // post-mortem, so that a page walks an index instead of joining and
    // sorting every match. The page is chosen first (a derived table) and
    // only its rows get their incidents in brief, services and item counts,
    // in the same statement: one round trip, and a deep page costs no more
    // than its offset's index walk.
    const page = query
      .select(
        ...(filter.withContent
          ? ['postmortems.*']
          : [...SUMMARY_COLUMNS, 'postmortems.incident_triggered_at']),
      )
      .orderBy('postmortems.incident_triggered_at', 'desc')
      .orderBy('postmortems.id')
      .offset(filter.offset)
      .limit(filter.limit)
      .as('postmortems');
    const items = (open: boolean) =>
      this.db.raw(
        `(select count(*) from action_items where action_items.postmortem_id = postmortems.id${
          open ? ` and action_items.status <> 'done'` : ''
        }) as ??`,
        [open ? 'items_open' : 'items_total'],
      );
    const rows = await this.db
      .from(page)
      .join('incidents', 'incidents.id', 'postmortems.incident_id')
      .select(
        'postmortems.*',
        ...LIST_INCIDENT_COLUMNS.map(
          column => `incidents.${column} as incident__${column}`,
        ),
        servicesJsonColumn(this.db),
        items(false),
        items(true),
      )
      .orderBy('postmortems.incident_triggered_at', 'desc')
      .orderBy('postmortems.id');
    return {
      data: rows.map(row => ({
        ...(filter.withContent ? toPostmortem(row) : toSummary(row)),
        incident: toIncidentSummary(row),
        action_item_counts: {
          total: toCount(row.items_total),
          open: toCount(row.items_open),
        },
      })),
      total,
    };
  }

  async listRevisions(postmortemId: string): Promise<PostmortemRevision[]> {
    const rows = await this.db('postmortem_revisions')
      .where({ postmortem_id: postmortemId })
      .orderBy('version', 'desc');
    return rows.map(toRevision);
  }

  async getRevision(
    postmortemId: string,
    version: number,
  ): Promise<PostmortemRevision | undefined> {
    const row = await this.db('postmortem_revisions')
      .where({ postmortem_id: postmortemId, version })
      .first();
    return row ? toRevision(row) : undefined;
  }

  async addComment(
    postmortemId: string,
    author: string,
    body: string,
  ): Promise<PostmortemComment> {
    const row = {
      id: randomUUID(),
      postmortem_id: postmortemId,
      author,
      body,
      created_at: new Date(),
    };
    await this.db('postmortem_comments').insert(row);
    if (this.onChange) {
      const postmortem = await this.getById(postmortemId);
      if (postmortem) {
        this.announce({
          incidentId: postmortem.incident_id,
          change: 'comment',
          version: postmortem.version,
          by: author,
        });
      }
    }
    return toComment(row);
  }

  async listComments(postmortemId: string): Promise<PostmortemComment[]> {
    const rows = await this.db('postmortem_comments')
      .where({ postmortem_id: postmortemId })
      .orderBy('created_at', 'asc')
      .orderBy('id');
    return rows.map(toComment);
  }

  async getComment(
    postmortemId: string,
    commentId: string,
  ): Promise<PostmortemComment | undefined> {
    const row = await this.db('postmortem_comments')
      .where({ postmortem_id: postmortemId, id: commentId })
      .first();
    return row ? toComment(row) : undefined;
  }

  async deleteComment(postmortemId: string, commentId: string): Promise<void> {
    await this.db('postmortem_comments')
      .where({ postmortem_id: postmortemId, id: commentId })
      .delete();
  }
}

/** The columns an update writes: the changes, the next version, who and when. */
function changedColumns(
  expectedVersion: number,
  changes: PostmortemChanges,
  meta: RevisionMeta,
  now: Date,
): Record<string, unknown> {
  const row: Record<string, unknown> = {
    version: expectedVersion + 1,
    updated_at: now,
    updated_by: meta.author,
  };
  if (changes.status !== undefined) row.status = changes.status;
  if (changes.content !== undefined) row.content = changes.content;
  if (changes.sections !== undefined)
    row.sections = JSON.stringify(changes.sections);
  if (changes.templateId !== undefined) row.template_id = changes.templateId;
  if (changes.templateName !== undefined)
    row.template_name = changes.templateName;
  if (changes.generatedBy !== undefined) row.generated_by = changes.generatedBy;
  if (changes.generatedAt !== undefined)
    row.generated_at = changes.generatedAt
      ? new Date(changes.generatedAt)
      : null;
  if (changes.publishedAt !== undefined)
    row.published_at = changes.publishedAt
      ? new Date(changes.publishedAt)
      : null;
  if (changes.publishedBy !== undefined) row.published_by = changes.publishedBy;
  // The version this update writes is the one published.
  if (changes.publishedAt !== undefined)
    row.published_version = changes.publishedAt ? expectedVersion + 1 : null;
  if (changes.findings !== undefined)
    row.findings = JSON.stringify(changes.findings);
  if (changes.evidence !== undefined)
    row.evidence = JSON.stringify(changes.evidence);
  return row;
}

async function insertRevision(
  tx: Knex.Transaction,
  revision: {
    postmortemId: string;
    version: number;
    status: PostmortemStatus;
    content: string;
    sections: PostmortemSection[];
    meta: RevisionMeta;
    at: Date;
  },
) {
  await tx('postmortem_revisions').insert({
    id: randomUUID(),
    postmortem_id: revision.postmortemId,
    version: revision.version,
    kind: revision.meta.kind,
    reason: revision.meta.reason,
    status: revision.status,
    content: revision.content,
    sections: JSON.stringify(revision.sections),
    author: revision.meta.author,
    created_at: revision.at,
  });
}

/** The incident in brief from a list row's `incident__` columns. */
function toIncidentSummary(row: any): IncidentSummary {
  return {
    id: row.incident_id,
    number: toCount(row.incident__number),
    reference: `INC-${row.incident__number}`,
    title: row.incident__title,
    severity: row.incident__severity,
    status: row.incident__status,
    services: parseJson<string[]>(row.services_json, []),
    commander: row.incident__commander ?? null,
    triggered_at: toIsoRequired(row.incident__triggered_at),
    resolved_at: toIso(row.incident__resolved_at),
  };
}

export function toPostmortem(row: any): PostmortemRecord {
  return {
    ...toSummary(row),
    content: row.content,
    sections: parseJson<PostmortemSection[]>(row.sections, []),
    findings: parseJson<EvidenceFinding[]>(row.findings, []),
    evidence: parseJson<Record<string, string[]>>(row.evidence, {}),
  };
}

function toSummary(row: any): PostmortemListRecord {
  return {
    id: row.id,
    incident_id: row.incident_id,
    status: row.status,
    template_id: row.template_id ?? null,
    template_name: row.template_name ?? null,
    generated_by: row.generated_by,
    generated_at: toIso(row.generated_at),
    version: toCount(row.version),
    published_at: toIso(row.published_at),
    published_by: row.published_by ?? null,
    published_version:
      row.published_version === null || row.published_version === undefined
        ? null
        : toCount(row.published_version),
    created_by: row.created_by ?? null,
    updated_by: row.updated_by ?? null,
    created_at: toIsoRequired(row.created_at),
    updated_at: toIsoRequired(row.updated_at),
  };
}

function toRevision(row: any): PostmortemRevision {
  return {
    id: row.id,
    postmortem_id: row.postmortem_id,
    version: toCount(row.version),
    kind: row.kind,
    reason: row.reason,
    status: row.status,
    content: row.content,
    sections: parseJson<PostmortemSection[]>(row.sections, []),
    author: row.author ?? null,
    created_at: toIsoRequired(row.created_at),
  };
}

function toComment(row: any): PostmortemComment {
  return {
    id: row.id,
    postmortem_id: row.postmortem_id,
    author: row.author,
    body: row.body,
    created_at: toIsoRequired(row.created_at),
  };
}
