import {
  actionItemSchema,
  errorEnvelopeSchema,
  exportTargetSchema,
  listSchema,
  postmortemExportRecordSchema,
  postmortemTemplateSchema,
  providerStatusSchema,
  providerTestResultSchema,
  incidentSchema,
  incidentSummarySchema,
  pageSchema,
  postmortemSchema,
  postmortemListItemSchema,
  type ActionItem,
  type Incident,
  type ExportTarget,
  type Page,
  type Postmortem,
  type PostmortemListItem,
  type PostmortemExportRecord,
  type PostmortemTemplate,
  type ProviderStatus,
} from '@postmortems-oss/backstage-plugin-postmortems-common';
import { z } from 'zod';
import { createDemoData, makeExportTargets, makeTemplates } from './demoData';

/*
 * Response bodies for msw handlers. Everything here goes through the common
 * response schemas, so a fixture that stops matching the contract fails the
 * test that reads it instead of quietly testing a shape the backend never
 * sends.
 */

/** The demo incidents and post-mortems, as the backend would answer them. */
export function demoFixtures() {
  const demo = createDemoData();
  const incidents = demo.incidents.map(i => incidentSchema.parse(i));
  const postmortems = (demo.postmortems ?? []).map(p =>
    postmortemSchema.parse(p),
  );
  const incident = (reference: string): Incident => {
    const found = incidents.find(i => i.reference === reference);
    if (!found) throw new Error(`No demo incident ${reference}`);
    return found;
  };
  const postmortem = (reference: string): Postmortem => {
    const { id } = incident(reference);
    const found = postmortems.find(p => p.incident_id === id);
    if (!found) throw new Error(`No demo post-mortem for ${reference}`);
    return found;
  };
  return {
    incidents,
    postmortems,
    incident,
    postmortem,
    /** A post-mortem as `GET /v1/postmortems` lists it: with its incident in brief. */
    listedPostmortem(reference: string): Postmortem {
      return postmortemSchema.parse({
        ...postmortem(reference),
        incident: incidentSummarySchema.parse(incident(reference)),
      });
    },
  };
}

function pageOf<T extends z.ZodType>(
  schema: T,
  data: unknown[],
  options: { page?: number; limit?: number; total?: number } = {},
): Page<z.output<T>> {
  return pageSchema(schema).parse({
    data,
    page: options.page ?? 1,
    limit: options.limit ?? 20,
    total: options.total ?? data.length,
  }) as Page<z.output<T>>;
}

/** A page of `GET /v1/postmortems`. */
export const postmortemPage = (
  data: PostmortemListItem[],
  options?: { page?: number; limit?: number; total?: number },
) => pageOf(postmortemListItemSchema, data, options);

/** A page of `GET /v1/incidents`. */
export const incidentPage = (
  data: Incident[],
  options?: { page?: number; limit?: number; total?: number },
) => pageOf(incidentSchema, data, options);

/** A page of `GET /v1/action-items`. */
export const actionItemPage = (
  data: ActionItem[],
  options?: { page?: number; limit?: number; total?: number },
) => pageOf(actionItemSchema, data, options);

/** `GET /v1/export-targets`: the demo's targets, or the ones given. */
export const exportTargetList = (
  targets: ExportTarget[] = makeExportTargets(),
) => listSchema(exportTargetSchema).parse({ data: targets });

/** One export of a post-mortem, as `POST …/exports` answers it. */
export function exportRecord(
  change: Partial<PostmortemExportRecord> &
    Pick<PostmortemExportRecord, 'target'>,
): PostmortemExportRecord {
  return postmortemExportRecordSchema.parse({
    type: change.target,
    external_id: 'page-1',
    url: `https://${change.target}.example.com/pages/page-1`,
    version: 1,
    exported_at: '2025-03-01T10:00:00Z',
    exported_by: 'user:default/guest',
    ...change,
  });
}

/** `GET …/exports`: the post-mortem's exports. */
export const exportRecordList = (records: PostmortemExportRecord[]) =>
  listSchema(postmortemExportRecordSchema).parse({ data: records });

/** The backend's error envelope, as `errorFromResponse` reads it. */
export const errorBody = (code: string, message: string) =>
  errorEnvelopeSchema.parse({ error: { code, message } });

/** The built-in templates, as `GET /v1/post-mortem-templates` lists them. */
export const builtinTemplates = (): PostmortemTemplate[] =>
  makeTemplates().map(t => postmortemTemplateSchema.parse(t));

/** A custom template made from another one, as a copy or create answers it. */
export function customTemplate(
  from: PostmortemTemplate,
  change: Partial<PostmortemTemplate> & Pick<PostmortemTemplate, 'id' | 'name'>,
): PostmortemTemplate {
  return postmortemTemplateSchema.parse({
    ...from,
    is_builtin: false,
    is_active: false,
    ...change,
  });
}

/** `GET /v1/post-mortem-templates`. */
export const templateList = (templates: PostmortemTemplate[]) =>
  listSchema(postmortemTemplateSchema).parse({ data: templates });

/** `GET /v1/system/provider`: the deterministic provider unless told. */
export const providerStatus = (change: Partial<ProviderStatus> = {}) =>
  providerStatusSchema.parse({
    provider: 'deterministic',
    model: null,
    base_url: null,
    configured: true,
    ...change,
  });

/** `POST /v1/system/provider/test`. */
export const providerTestResult = (ok: boolean, message: string) =>
  providerTestResultSchema.parse({ ok, message });

/**
 * The item with an issue in one of the demo trackers (`github` or `jira`), as
 * the backend answers `POST …/issue`.
 */
export function withIssue(item: ActionItem, tracker: string): ActionItem {
  const issue =
    tracker === 'github'
      ? {
          external_key: 'acme/payments#1',
          external_url: 'https://github.com/acme/payments/issues/1',
        }
      : {
          external_key: 'OPS-2',
          external_url: 'https://jira.example.com/browse/OPS-2',
        };
  return actionItemSchema.parse({ ...item, tracker, ...issue });
}
