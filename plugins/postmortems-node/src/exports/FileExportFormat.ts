import { ExportTargetType } from '@postmortems-oss/backstage-plugin-postmortems-common';
import { ExportDocument } from './PageTarget';

/**
 * A file a post-mortem can be downloaded as, beyond the built-in Markdown and
 * JSON (e.g. PDF): `GET /v1/incidents/:id/postmortem/export?format=<type>`.
 *
 * @public
 */
export interface FileExportFormat {
  readonly type: ExportTargetType;
  /** The response's Content-Type, e.g. `application/pdf`. */
  readonly contentType: string;
  /** The file name's extension, without the dot. */
  readonly extension: string;
  render(document: ExportDocument): Promise<Buffer>;
}
