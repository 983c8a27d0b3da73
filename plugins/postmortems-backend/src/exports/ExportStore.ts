import { randomUUID } from 'node:crypto';
import { Knex } from 'knex';
import {
  ExportTargetType,
  PostmortemExportRecord,
} from '@postmortems-oss/backstage-plugin-postmortems-common';
import { toIsoRequired } from '../database/rows';

export interface ExportRecordInput {
  postmortemId: string;
  target: string;
  type: ExportTargetType;
  externalId: string | null;
  url: string | null;
  version: number;
  exportedBy: string;
}

/** The last export of each post-mortem to each target: one row per pair. */
export class ExportStore {
  constructor(private readonly db: Knex) {}

  async get(
    postmortemId: string,
    target: string,
  ): Promise<PostmortemExportRecord | undefined> {
    const row = await this.db('postmortem_exports')
      .where({ postmortem_id: postmortemId, target })
      .first();
    return row ? toRecord(row) : undefined;
  }

  async list(postmortemId: string): Promise<PostmortemExportRecord[]> {
    const rows = await this.db('postmortem_exports')
      .where({ postmortem_id: postmortemId })
      .orderBy('target');
    return rows.map(toRecord);
  }

  /** Records an export, replacing the previous one to the same target. */
  async save(input: ExportRecordInput): Promise<PostmortemExportRecord> {
    const row = {
      id: randomUUID(),
      postmortem_id: input.postmortemId,
      target: input.target,
      type: input.type,
      external_id: input.externalId,
      url: input.url,
      version: input.version,
      exported_at: new Date(),
      exported_by: input.exportedBy,
    };
    await this.db('postmortem_exports')
      .insert(row)
      .onConflict(['postmortem_id', 'target'])
      .merge([
        'type',
        'external_id',
        'url',
        'version',
        'exported_at',
        'exported_by',
      ]);
    return toRecord(row);
  }
}

function toRecord(row: any): PostmortemExportRecord {
  return {
    target: row.target,
    type: row.type,
    external_id: row.external_id ?? null,
    url: row.url ?? null,
    version: Number(row.version),
    exported_at: toIsoRequired(row.exported_at),
    exported_by: row.exported_by,
  };
}
