import { z } from 'zod';
import { EXPORT_TARGET_TYPES } from '../destinations';
import { destinationId, timestamp } from './shared';

/*
 * Exports: downloads (`GET .../postmortem/export?format=`), the configured
 * targets (`GET /v1/export-targets`) and exports to their pages
 * (`GET|POST .../postmortem/exports`).
 */

/** The formats of `GET .../postmortem/export`. @public */
export const exportFormatSchema = z.enum(['json', 'markdown', 'pdf']);
/** @public */
export type ExportFormat = z.infer<typeof exportFormatSchema>;

/** A configured export target, as `GET /v1/export-targets` lists it. @public */
export const exportTargetSchema = z.object({
  /** The key under `postmortems.exports` (e.g. `confluence`, `team-wiki`). */
  id: z.string(),
  type: z.enum(EXPORT_TARGET_TYPES),
  title: z.string(),
  /**
   * `page`: the post-mortem is pushed to a page that later exports update
   * (Confluence, Notion). `file`: it is downloaded (Markdown, PDF).
   */
  kind: z.enum(['page', 'file']),
});
/** @public */
export type ExportTarget = z.infer<typeof exportTargetSchema>;

/** Where one post-mortem went on one target, the last time it was exported. @public */
export const postmortemExportRecordSchema = z.object({
  target: z.string(),
  type: z.enum(EXPORT_TARGET_TYPES),
  /** The page's id in the target (Confluence page id, Notion page id). */
  external_id: z.string().nullable(),
  /** Where to read it; null for files. */
  url: z.string().nullable(),
  /** The post-mortem version that was exported. */
  version: z.number().int(),
  exported_at: timestamp,
  exported_by: z.string(),
});
/** @public */
export type PostmortemExportRecord = z.infer<
  typeof postmortemExportRecordSchema
>;

// Requests

/** `GET .../postmortem/export`: Markdown unless asked otherwise. @public */
export const exportQuerySchema = z.object({
  format: exportFormatSchema.default('markdown'),
});

/** `POST .../postmortem/exports`: 201 for a new page, 200 for an updated one. @public */
export const exportCreateBodySchema = z.strictObject({
  target: destinationId,
});
/** @public */
export type ExportCreateBody = z.input<typeof exportCreateBodySchema>;
