import {
  BackstageCredentials,
  LoggerService,
} from '@backstage/backend-plugin-api';
import {
  ExportTarget,
  PostmortemExportRecord,
} from '@postmortems-oss/backstage-plugin-postmortems-common';
import { ValidationError } from '../services/errors';
import { actorOf } from '../services/PostmortemAccess';
import { PostmortemService } from '../services/PostmortemService';
import {
  exportDocument,
  FileExportFormat,
} from '@postmortems-oss/backstage-plugin-postmortems-node';
import { ExportStore } from './ExportStore';
import { ExportTargets } from './ExportTargets';

/**
 * Exports of post-mortems: pushed to page targets (Confluence, Notion),
 * where each post-mortem keeps one page that later exports update, or
 * downloaded as files. Anyone who can read a post-mortem can export it,
 * drafts included: an export shows what the reader could already see.
 */
export class ExportService {
  constructor(
    private readonly deps: {
      targets: ExportTargets;
      /** File formats added by backend modules (PDF), by type. */
      fileFormats: Map<string, FileExportFormat>;
      store: ExportStore;
      postmortems: PostmortemService;
      logger: LoggerService;
    },
  ) {}

  targets(): ExportTarget[] {
    return this.deps.targets.list();
  }

  /**
   * Writes the post-mortem to the target's page: the page of the previous
   * export when there is one, else a new page. The export is recorded only
   * once the target has it; a failure records nothing.
   */
  async export(
    incidentRef: string,
    targetId: string,
    credentials: BackstageCredentials,
  ): Promise<{ record: PostmortemExportRecord; created: boolean }> {
    const target = this.deps.targets.get(targetId);
    if (!target) {
      throw new ValidationError([
        {
          field: 'body.target',
          message: `no export target "${targetId}" is configured (known: ${
            this.targets()
              .map(t => t.id)
              .join(', ') || 'none'
          })`,
        },
      ]);
    }
    if (!target.page) {
      throw new ValidationError([
        {
          field: 'body.target',
          message: `"${targetId}" is a ${target.type} file; download it with GET /v1/incidents/${incidentRef}/postmortem/export?format=${target.type}`,
        },
      ]);
    }
    const { record: postmortem } = await this.deps.postmortems.readable(
      incidentRef,
      credentials,
    );
    const { markdown } = await this.deps.postmortems.exportMarkdown(
      incidentRef,
      credentials,
    );
    const previous = await this.deps.store.get(postmortem.id, targetId);
    const page = await target.page.publish(
      exportDocument(markdown),
      previous?.external_id ?? null,
    );
    if (previous?.external_id && page.created) {
      this.deps.logger.info(
        `The ${targetId} page ${previous.external_id} of ${incidentRef} was gone; created ${page.externalId}`,
      );
    }
    const record = await this.deps.store.save({
      postmortemId: postmortem.id,
      target: targetId,
      type: target.type,
      externalId: page.externalId,
      url: page.url,
      version: postmortem.version,
      exportedBy: actorOf(credentials),
    });
    return { record, created: page.created };
  }

  /**
   * The post-mortem as a file of a format a backend module added (PDF),
   * laid out from its Markdown export.
   */
  async file(
    incidentRef: string,
    type: string,
    credentials: BackstageCredentials,
  ): Promise<{ filename: string; contentType: string; body: Buffer }> {
    const format = this.deps.fileFormats.get(type);
    if (!format) {
      throw new ValidationError([
        {
          field: 'query.format',
          message: `"${type}" files need their backend module (e.g. @postmortems-oss/backstage-plugin-postmortems-backend-module-pdf), which is not installed`,
        },
      ]);
    }
    const { filename, markdown } = await this.deps.postmortems.exportMarkdown(
      incidentRef,
      credentials,
    );
    return {
      filename: filename.replace(/\.md$/, `.${format.extension}`),
      contentType: format.contentType,
      body: await format.render(exportDocument(markdown)),
    };
  }

  /** The last export of the post-mortem to each target. */
  async list(
    incidentRef: string,
    credentials: BackstageCredentials,
  ): Promise<PostmortemExportRecord[]> {
    const { record } = await this.deps.postmortems.readable(
      incidentRef,
      credentials,
    );
    return this.deps.store.list(record.id);
  }
}
