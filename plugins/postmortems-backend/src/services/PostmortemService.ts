import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { ConflictError, InputError, NotFoundError } from '@backstage/errors';
import { diffLines } from 'diff';
import { Knex } from 'knex';
import {
  EvidenceFinding,
  Incident,
  Postmortem,
  PostmortemListItem,
  PostmortemComment,
  PostmortemRevision,
  PostmortemSection,
  PostmortemStatus,
  PostmortemTemplate,
  RevisionDiff,
  postmortemCreatePermission,
  postmortemPublishPermission,
  postmortemReadDraftPermission,
  postmortemReadPermission,
  postmortemUpdatePermission,
} from '@postmortems-oss/backstage-plugin-postmortems-common';
import { ActionItemStore } from '../database/ActionItemStore';
import {
  PostmortemRead,
  PostmortemReadStore,
} from '../database/PostmortemReadStore';
import { IncidentStore } from '../database/IncidentStore';
import {
  PostmortemChanges,
  PostmortemFilter,
  PostmortemListRow,
  PostmortemRecord,
  PostmortemStore,
  RevisionMeta,
} from '../database/PostmortemStore';
import {
  blankSections,
  documentTitle,
  parseDocument,
  parseTitle,
  renderDocument,
} from './document';
import { DetailedConflictError } from './errors';
import { IncidentService } from './IncidentService';
import { actorOf, PostmortemAccess } from './PostmortemAccess';
import { TemplateService } from './TemplateService';
import {
  EvidenceService,
  SectionsBefore,
  SectionsCheck,
} from '../generation/EvidenceService';
import { ReviewGate } from '../reviews/ReviewGate';
import { ReviewRecord } from '../reviews/ReviewStore';

/** A post-mortem its caller may read, with what was read alongside it. */
export type ReadablePostmortem = PostmortemRead & { record: PostmortemRecord };

export interface PostmortemPatchInput {
  content?: string;
  sections?: PostmortemSection[];
  status?: PostmortemStatus;
  /** The version the edit was based on; a stale one is a 409, never an overwrite. */
  version?: number;
  /** Publish even though the evidence check has findings. */
  overrideFindings?: boolean;
}

/** A generated draft as PostmortemService.saveDraft writes it. */
export interface GeneratedDraft {
  incident: Incident;
  template: PostmortemTemplate;
  /** What was drafted: a whole document, an enhancement of it, or one section. */
  scope: 'document' | 'enhance' | 'section';
  sections: PostmortemSection[];
  /** Evidence entry ids of each drafted section, by section key. */
  evidence: Record<string, string[]>;
  generatedBy: string;
  /** The version the draft was started from; null for a new post-mortem. */
  baseVersion: number | null;
  /** The evidence check of the evidence the draft was written from. */
  check: (sections: PostmortemSection[]) => EvidenceFinding[];
  meta: RevisionMeta;
}

/**
 * Post-mortem rules: one per incident, drafts visible only to those who may
 * read them, every version kept, optimistic concurrency on every write.
 */
export class PostmortemService {
  constructor(
    private readonly deps: {
      incidents: IncidentService;
      incidentStore: IncidentStore;
      store: PostmortemStore;
      /** Reads a post-mortem with everything a reader sees in one statement. */
      reads: PostmortemReadStore;
      actionItems: ActionItemStore;
      templates: TemplateService;
      access: PostmortemAccess;
      /** Checks drafts against their evidence; without it no findings are kept. */
      evidence?: EvidenceService;
      /** Reviews before publishing; without it publishing needs none. */
      reviews?: ReviewGate;
      /** Called after a published post-mortem's content changed. */
      onAmended?: (
        incident: Incident,
        record: PostmortemRecord,
        actor: string,
        /** Its review steps as read before the change. */
        steps: ReviewRecord[],
      ) => Promise<void>;
    },
  ) {}

  /** The post-mortem of an incident, with its action items. */
  async get(
    incidentRef: string,
    credentials: BackstageCredentials,
  ): Promise<Postmortem> {
    const read = await this.readable(incidentRef, credentials);
    return this.withActionItems(read.record, read);
  }

  /**
   * What the publish gate would find now, without publishing: the current
   * content checked with the current action items.
   */
  async checks(
    incidentRef: string,
    credentials: BackstageCredentials,
  ): Promise<EvidenceFinding[]> {
    const read = await this.readable(incidentRef, credentials);
    const { findings } = await this.checkSections(
      read.incident,
      read.record.template_id,
      read.record.sections,
      { read },
    );
    return findings;
  }

  /** Creates a blank draft from a template (the active one by default). */
  async createBlank(
    incidentRef: string,
    templateId: string | undefined,
    credentials: BackstageCredentials,
  ): Promise<Postmortem> {
    const incident = await this.deps.incidents.get(incidentRef);
    await this.deps.access.require(
      postmortemCreatePermission,
      credentials,
      incident,
    );
    await this.assertNone(incident);
    const template = await this.deps.templates.resolve(templateId);
    const sections = blankSections(template.sections);
    const actor = actorOf(credentials);
    const record = await this.insert(incident, {
      sections,
      templateId: template.id,
      templateName: template.name,
      generatedBy: 'manual',
      actor,
      kind: 'human',
      ...(await this.checkSections(incident, template.id, sections)),
    });
    return this.withActionItems(record);
  }

  /**
   * Saves content and/or changes status. With `version`, a stale edit is a 409
   * that carries the current post-mortem; without it (Regen's clients), the
   * edit applies to the latest version and the replaced content stays in the
   * revision history.
   */
  async patch(
    incidentRef: string,
    input: PostmortemPatchInput,
    credentials: BackstageCredentials,
  ): Promise<Postmortem> {
    const read = await this.readable(incidentRef, credentials);
    const { incident, record } = read;
    const contentChange =
      input.content !== undefined || input.sections !== undefined;
    const statusChange =
      input.status !== undefined && input.status !== record.status;
    if (contentChange) {
      await this.deps.access.require(
        postmortemUpdatePermission,
        credentials,
        incident,
      );
    }
    if (statusChange) {
      await this.deps.access.require(
        postmortemPublishPermission,
        credentials,
        incident,
      );
    }
    if (!contentChange && !statusChange) {
      if (input.version !== undefined && input.version !== record.version) {
        throw this.staleVersion(await this.withActionItems(record, read));
      }
      return this.withActionItems(record, read);
    }

    const actor = actorOf(credentials);
    const template = record.template_id
      ? await this.deps.templates.get(record.template_id).catch(() => undefined)
      : undefined;

    // Without a version, retry on a concurrent write: each attempt applies the
    // caller's change to the latest version, and each version is kept.
    for (let attempt = 0; attempt < 5; attempt++) {
      // A retry reads the post-mortem again, with its items and evidence.
      const currentRead =
        attempt === 0 ? read : await this.readAgain(incidentRef, read);
      const current = currentRead.record;
      if (input.version !== undefined && input.version !== current.version) {
        throw this.staleVersion(
          await this.withActionItems(current, currentRead),
        );
      }
      const changes: PostmortemChanges = {};
      if (input.sections !== undefined) {
        changes.sections = input.sections;
        changes.content = renderDocument(
          parseTitle(current.content) ?? documentTitle(incident),
          input.sections,
        );
      } else if (input.content !== undefined) {
        changes.content = input.content;
        changes.sections = parseDocument(input.content, template?.sections);
      }
      if (changes.sections) {
        const checked = await this.checkSections(
          incident,
          current.template_id,
          changes.sections,
          { read: currentRead, previous: current },
        );
        changes.findings = checked.findings;
        changes.evidence = checked.evidence;
      }
      // Edits after publishing are amendments: readers see them as such.
      let reason = current.status === 'published' ? 'amend' : 'save';
      if (statusChange) {
        changes.status = input.status;
        // Checked afresh: action items added since the last save count.
        const findings =
          input.status === 'published'
            ? changes.findings ??
              (
                await this.checkSections(
                  incident,
                  current.template_id,
                  current.sections,
                  { read: currentRead },
                )
              ).findings
            : changes.findings ?? current.findings;
        if (input.status === 'published') changes.findings = findings;
        if (
          input.status === 'published' &&
          findings.length > 0 &&
          !input.overrideFindings
        ) {
          throw new DetailedConflictError(
            `The evidence check has ${findings.length} unresolved finding${
              findings.length === 1 ? '' : 's'
            }; resolve them or publish with override_findings: true`,
            { findings },
          );
        }
        if (input.status === 'published') {
          await this.deps.reviews?.assertMayPublish(
            current,
            changes.content ?? current.content,
          );
        }
        if (input.status === 'published') {
          changes.publishedAt = new Date().toISOString();
          changes.publishedBy = actor;
          reason = contentChange ? 'save-and-publish' : 'publish';
        } else {
          changes.publishedAt = null;
          changes.publishedBy = null;
          reason = contentChange ? 'save-and-unpublish' : 'unpublish';
        }
      }
      const updated = await this.deps.store.update(
        current.id,
        current.version,
        changes,
        { kind: 'human', reason, author: actor },
      );
      if (updated) {
        // Readers hear of an amendment once: on the first save after it was
        // published, not on every save while it is being corrected.
        if (
          !statusChange &&
          updated.status === 'published' &&
          current.version === current.published_version
        ) {
          await this.deps.onAmended?.(
            incident,
            updated,
            actor,
            currentRead.reviews,
          );
        }
        if (statusChange && input.status === 'published') {
          await this.deps.incidentStore.addTimelineEntries(incident.id, [
            {
              type: 'postmortem_published',
              actor,
              timestamp: new Date().toISOString(),
              content: { postmortem_id: updated.id, version: updated.version },
            },
          ]);
        }
        // A save changes neither the items nor the review steps just read.
        return this.withActionItems(updated, currentRead);
      }
      if (input.version !== undefined) {
        const latest = (await this.deps.store.getById(record.id))!;
        throw this.staleVersion(await this.withActionItems(latest));
      }
    }
    throw new ConflictError(
      'The post-mortem is being changed by others right now; try again',
    );
  }

  /**
   * Replaces a draft's content with generated content. The replaced content
   * stays in the revision history; a stale `expectedVersion` is a 409.
   */
  async replaceContent(
    record: PostmortemRecord,
    changes: PostmortemChanges,
    meta: RevisionMeta,
  ): Promise<PostmortemRecord> {
    const updated = await this.deps.store.update(
      record.id,
      record.version,
      changes,
      meta,
    );
    if (!updated) {
      const latest = (await this.deps.store.getById(record.id))!;
      throw this.staleVersion(await this.withActionItems(latest));
    }
    return updated;
  }

  /** The post-mortem of an incident, if it has one (no permission check: for the backend's own jobs). */
  findForIncident(incidentId: string): Promise<PostmortemRecord | undefined> {
    return this.deps.store.getByIncident(incidentId);
  }

  /**
   * Saves a generated draft inside the caller's transaction: creates the
   * post-mortem, or replaces its sections (one section, or all of them for a
   * whole new document). Refuses, writing nothing, when the post-mortem was
   * deleted or edited since the draft was started from `baseVersion`.
   * Findings come from the evidence the draft was written from.
   */
  async saveDraft(
    draft: GeneratedDraft,
    tx: Knex.Transaction,
  ): Promise<PostmortemRecord> {
    const { incident, template, sections: generated, meta } = draft;
    const store = this.deps.store.withTransaction(tx);
    const existing = await store.getByIncident(incident.id);
    if (!existing) {
      if (draft.baseVersion !== null) {
        throw new ConflictError(
          'The post-mortem was deleted while the draft was being written; nothing was saved.',
        );
      }
      const created = await store.create(
        {
          incidentId: incident.id,
          content: renderDocument(documentTitle(incident), generated),
          sections: generated,
          templateId: template.id,
          templateName: template.name,
          generatedBy: draft.generatedBy,
          generatedAt: new Date().toISOString(),
          createdBy: meta.author,
          findings: draft.check(generated),
          evidence: draft.evidence,
        },
        { ...meta, reason: 'generate' },
      );
      await this.recordCreated(
        this.deps.incidentStore.withTransaction(tx),
        incident,
        meta.author,
        { postmortem_id: created.id, generated_by: draft.generatedBy },
      );
      return created;
    }
    if (draft.baseVersion !== null && existing.version !== draft.baseVersion) {
      throw new ConflictError(
        `The post-mortem was edited (now version ${existing.version}) while the draft was being written; nothing was overwritten. Generate again to draft from the latest version.`,
      );
    }
    const whole = draft.scope === 'document';
    const sections =
      draft.scope === 'section'
        ? existing.sections.map(s => generated.find(g => g.key === s.key) ?? s)
        : generated;
    const updated = await store.update(
      existing.id,
      existing.version,
      {
        sections,
        content: renderDocument(documentTitle(incident), sections),
        templateId: whole ? template.id : undefined,
        templateName: whole ? template.name : undefined,
        generatedBy: draft.generatedBy,
        generatedAt: new Date().toISOString(),
        findings: draft.check(sections),
        evidence: {
          ...(whole ? {} : existing.evidence),
          ...draft.evidence,
        },
      },
      meta,
    );
    if (!updated) {
      throw new ConflictError(
        'The post-mortem changed while the draft was being saved; nothing was overwritten. Generate again.',
      );
    }
    return updated;
  }

  async list(
    filter: PostmortemFilter,
    credentials: BackstageCredentials,
  ): Promise<{ data: PostmortemListItem[]; total: number }> {
    // The policy's decision becomes part of the query, so a caller who may
    // read few post-mortems still gets full pages and an exact total.
    const scope = await this.deps.access.readableScope(credentials);
    const page = await this.deps.store.list(filter, scope);
    return {
      data: await this.listItems(page.data, filter.withActionItems ?? false),
      total: page.total,
    };
  }

  /**
   * A list's post-mortems as the API returns them: each with its incident in
   * brief and its items' counts, and with its items when asked for.
   */
  private async listItems(
    rows: PostmortemListRow[],
    withActionItems: boolean,
  ): Promise<PostmortemListItem[]> {
    if (!withActionItems) return rows;
    // One query for the whole page's items, not one per post-mortem.
    const items = await this.deps.actionItems.listForPostmortems(
      rows.map(r => r.id),
    );
    return rows.map(row => ({
      ...row,
      action_items: items.get(row.id) ?? [],
    }));
  }

  async revisions(
    incidentRef: string,
    credentials: BackstageCredentials,
  ): Promise<PostmortemRevision[]> {
    const { record } = await this.readable(incidentRef, credentials);
    return this.deps.store.listRevisions(record.id);
  }

  async revision(
    incidentRef: string,
    version: number,
    credentials: BackstageCredentials,
  ): Promise<PostmortemRevision> {
    const { record } = await this.readable(incidentRef, credentials);
    const revision = await this.deps.store.getRevision(record.id, version);
    if (!revision) {
      throw new NotFoundError(`No revision ${version} of this post-mortem`);
    }
    return revision;
  }

  async diff(
    incidentRef: string,
    from: number,
    to: number,
    credentials: BackstageCredentials,
  ): Promise<RevisionDiff> {
    const older = await this.revision(incidentRef, from, credentials);
    const newer = await this.revision(incidentRef, to, credentials);
    return {
      from,
      to,
      changes: diffLines(older.content, newer.content).map(part => ({
        kind: changeKind(part),
        text: part.value,
      })),
    };
  }

  /** Makes an old revision's content the newest version (nothing is lost). */
  async restore(
    incidentRef: string,
    version: number,
    expectedVersion: number | undefined,
    credentials: BackstageCredentials,
  ): Promise<Postmortem> {
    const read = await this.readable(incidentRef, credentials);
    const { incident, record } = read;
    await this.deps.access.require(
      postmortemUpdatePermission,
      credentials,
      incident,
    );
    const revision = await this.deps.store.getRevision(record.id, version);
    if (!revision) {
      throw new NotFoundError(`No revision ${version} of this post-mortem`);
    }
    if (expectedVersion !== undefined && expectedVersion !== record.version) {
      throw this.staleVersion(await this.withActionItems(record, read));
    }
    const updated = await this.replaceContent(
      record,
      {
        content: revision.content,
        sections: revision.sections,
        ...(await this.checkSections(
          incident,
          record.template_id,
          revision.sections,
          { read, previous: record },
        )),
      },
      {
        kind: 'human',
        reason: `restore of version ${version}`,
        author: actorOf(credentials),
      },
    );
    return this.withActionItems(updated, read);
  }

  /** The post-mortem as the documented JSON (see postmortemExportJsonSchema). */
  async exportJson(
    incidentRef: string,
    credentials: BackstageCredentials,
  ): Promise<{ filename: string; postmortem: Postmortem }> {
    const read = await this.readable(incidentRef, credentials);
    return {
      filename: `postmortem-${read.incident.reference.toLowerCase()}.json`,
      postmortem: await this.withActionItems(read.record, read),
    };
  }

  /** The post-mortem as one Markdown file. */
  async exportMarkdown(
    incidentRef: string,
    credentials: BackstageCredentials,
  ): Promise<{ filename: string; markdown: string }> {
    const { incident, record } = await this.readable(incidentRef, credentials);
    const items = await this.deps.actionItems.listForPostmortem(record.id);
    const lines = [record.content.trimEnd()];
    const hasActionItemSection = record.sections.some(
      s => s.key === 'action_items',
    );
    if (items.length) {
      lines.push(
        '',
        hasActionItemSection
          ? '### Tracked action items'
          : '## Tracked action items',
        '',
        '| Status | Action item | Owner | Due | Category |',
        '| --- | --- | --- | --- | --- |',
        ...items.map(
          item =>
            `| ${item.status} | ${escapeCell(item.description)} | ${
              item.owner ?? 'unassigned'
            } | ${item.due_date ?? ''} | ${item.category ?? ''} |`,
        ),
      );
    }
    lines.push(
      '',
      '---',
      `_${incident.reference} · ${incident.severity} · status ${
        record.status
      } · version ${record.version}${
        record.published_at ? ` · published ${record.published_at}` : ''
      }_`,
      '',
    );
    return {
      filename: `postmortem-${incident.reference.toLowerCase()}.md`,
      markdown: lines.join('\n'),
    };
  }

  async comments(
    incidentRef: string,
    credentials: BackstageCredentials,
  ): Promise<PostmortemComment[]> {
    const { record } = await this.readable(incidentRef, credentials);
    return this.deps.store.listComments(record.id);
  }

  /** Anyone who can read a post-mortem can comment on it. */
  async addComment(
    incidentRef: string,
    body: string,
    credentials: BackstageCredentials,
  ): Promise<PostmortemComment> {
    const { record } = await this.readable(incidentRef, credentials);
    return this.deps.store.addComment(record.id, actorOf(credentials), body);
  }

  /** Authors delete their own comments; editors of the post-mortem any. */
  async deleteComment(
    incidentRef: string,
    commentId: string,
    credentials: BackstageCredentials,
  ): Promise<void> {
    const { incident, record } = await this.readable(incidentRef, credentials);
    const comment = await this.deps.store.getComment(record.id, commentId);
    if (!comment) {
      throw new NotFoundError(`No comment ${commentId} on this post-mortem`);
    }
    if (comment.author !== actorOf(credentials)) {
      await this.deps.access.require(
        postmortemUpdatePermission,
        credentials,
        incident,
      );
    }
    await this.deps.store.deleteComment(record.id, commentId);
  }

  /**
   * The incident and its post-mortem, if the caller may read it: published
   * ones need `postmortem.read` (policies usually give it to everyone),
   * drafts `postmortem.draft.read`.
   */
  async readable(
    incidentRef: string,
    credentials: BackstageCredentials,
  ): Promise<ReadablePostmortem> {
    const read = await this.readOf(incidentRef);
    await this.deps.access.require(
      read.record.status === 'published'
        ? postmortemReadPermission
        : postmortemReadDraftPermission,
      credentials,
      read.incident,
    );
    return read;
  }

  /** The incident, its post-mortem, items and review steps in one read. */
  private async readOf(incidentRef: string): Promise<ReadablePostmortem> {
    const read = await this.deps.reads.read(incidentRef);
    if (!read) {
      throw new NotFoundError(`No incident ${incidentRef}`);
    }
    const { record } = read;
    if (!record) {
      throw new NotFoundError(
        `Incident ${read.incident.reference} has no post-mortem`,
      );
    }
    return { ...read, record };
  }

  /** The same post-mortem read again after a concurrent write. */
  private async readAgain(
    incidentRef: string,
    before: ReadablePostmortem,
  ): Promise<ReadablePostmortem> {
    const read = await this.readOf(incidentRef);
    if (read.record.id !== before.record.id) {
      throw new ConflictError(
        'The post-mortem was replaced while it was being saved; try again',
      );
    }
    return read;
  }

  async insert(
    incident: Incident,
    options: {
      sections: PostmortemSection[];
      templateId: string | null;
      templateName: string | null;
      generatedBy: string;
      actor: string;
      kind: RevisionMeta['kind'];
      findings?: EvidenceFinding[];
      evidence?: Record<string, string[]>;
    },
  ): Promise<PostmortemRecord> {
    try {
      const record = await this.deps.store.create(
        {
          incidentId: incident.id,
          content: renderDocument(documentTitle(incident), options.sections),
          sections: options.sections,
          templateId: options.templateId,
          templateName: options.templateName,
          generatedBy: options.generatedBy,
          generatedAt:
            options.generatedBy === 'manual' ? null : new Date().toISOString(),
          createdBy: options.actor,
          findings: options.findings,
          evidence: options.evidence,
        },
        { kind: options.kind, reason: 'create', author: options.actor },
      );
      await this.recordCreated(
        this.deps.incidentStore,
        incident,
        options.actor,
        { postmortem_id: record.id },
      );
      return record;
    } catch (error) {
      // Two requests raced past assertNone: the unique index decides.
      await this.assertNone(incident);
      throw error;
    }
  }

  /** Notes on the incident's timeline that it has a post-mortem now. */
  private async recordCreated(
    incidentStore: IncidentStore,
    incident: Incident,
    actor: string | null,
    content: Record<string, unknown>,
  ) {
    await incidentStore.addTimelineEntries(incident.id, [
      {
        type: 'postmortem_created',
        actor,
        timestamp: new Date().toISOString(),
        content,
      },
    ]);
  }

  /**
   * The post-mortem as the API returns it: with its action items and its
   * review, from `read` when they were read with it.
   */
  async withActionItems(
    record: PostmortemRecord,
    read?: Pick<PostmortemRead, 'actionItems' | 'reviews'>,
  ): Promise<Postmortem> {
    const [action_items, review] = await Promise.all([
      read?.actionItems ??
        this.deps.actionItems.listForPostmortem(record.id),
      this.deps.reviews?.reviewOf(record, record.content, read?.reviews),
    ]);
    return review
      ? { ...record, action_items, review }
      : { ...record, action_items };
  }

  /**
   * What the evidence check finds in these sections (none without a
   * checker), and the evidence each cites: sections rewritten since
   * `previous` are cited afresh from their words.
   */
  private async checkSections(
    incident: Incident,
    templateId: string | null,
    sections: PostmortemSection[],
    options: {
      /** The post-mortem as read: its items count, its evidence may be kept. */
      read?: PostmortemRead;
      previous?: SectionsBefore;
    } = {},
  ): Promise<SectionsCheck> {
    if (!this.deps.evidence) {
      return { findings: [], evidence: options.previous?.evidence ?? {} };
    }
    const template = await this.deps.templates
      .resolve(templateId)
      .catch(() => this.deps.templates.resolve());
    return this.deps.evidence.checkSections(incident, template, sections, {
      actionItems: options.read?.actionItems ?? [],
      previous: options.previous,
      evidenceVersion: options.read?.evidenceVersion,
    });
  }

  private async assertNone(incident: Incident) {
    if (await this.deps.store.getByIncident(incident.id)) {
      throw new ConflictError(
        `Incident ${incident.reference} already has a post-mortem`,
      );
    }
  }

  private staleVersion(current: Postmortem): DetailedConflictError {
    return new DetailedConflictError(
      `The post-mortem was changed by ${
        current.updated_by ?? 'someone else'
      } (now version ${
        current.version
      }); merge your edit into the current version and save again`,
      { current_version: current.version, current },
    );
  }
}

function changeKind(part: {
  added?: boolean;
  removed?: boolean;
}): RevisionDiff['changes'][number]['kind'] {
  if (part.added) return 'added';
  if (part.removed) return 'removed';
  return 'unchanged';
}

function escapeCell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

export function assertVersion(value: unknown): number | undefined {
  if (value === undefined) return undefined;
  const version = Number(value);
  if (!Number.isInteger(version) || version < 1) {
    throw new InputError('version must be a positive integer');
  }
  return version;
}
