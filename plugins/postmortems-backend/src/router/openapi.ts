import { z } from 'zod';
import {
  actionItemCreateBodySchema,
  actionItemListQuerySchema,
  actionItemPatchBodySchema,
  actionItemSchema,
  alertSchema,
  commentBodySchema,
  curatedTimelineEntrySchema,
  curatedTimelineSchema,
  errorEnvelopeSchema,
  evidenceFindingSchema,
  exportCreateBodySchema,
  exportQuerySchema,
  exportTargetSchema,
  figuresBreakdownQuerySchema,
  figuresBreakdownSchema,
  figuresQuerySchema,
  figuresSchema,
  generateBodySchema,
  generatedSectionSchema,
  generationJobSchema,
  healthSchema,
  incidentCreateBodySchema,
  incidentDurationsSchema,
  incidentImportBodySchema,
  incidentListQuerySchema,
  incidentPatchBodySchema,
  incidentSchema,
  incidentSummarySchema,
  issueCreateBodySchema,
  issueTrackerSchema,
  pageQuerySchema,
  postmortemCommentSchema,
  postmortemCreateBodySchema,
  postmortemExportRecordSchema,
  postmortemListQuerySchema,
  postmortemPatchBodySchema,
  postmortemRevisionSchema,
  reviewDecisionBodySchema,
  reviewEventSchema,
  reviewRequestBodySchema,
  postmortemListItemSchema,
  postmortemSchema,
  postmortemSectionSchema,
  postmortemTemplateSchema,
  providerStatusSchema,
  providerTestResultSchema,
  regenerateBodySchema,
  relatedPostmortemSchema,
  relatedQuerySchema,
  causesBodySchema,
  postmortemCausesSchema,
  recurrencesSchema,
  revisionDiffQuerySchema,
  revisionDiffSchema,
  revisionRestoreBodySchema,
  templateCopyBodySchema,
  templateCreateBodySchema,
  templatePatchBodySchema,
  templateSectionSchema,
  timelineCurationPatchBodySchema,
  timelineEntrySchema,
  timelineMessageBodySchema,
  timelineQuerySchema,
  trackerSyncResultSchema,
} from '@postmortems-oss/backstage-plugin-postmortems-common';

/*
 * The OpenAPI 3.1 description of the native API, made from the same schemas
 * the routes validate with (postmortems-common), so it cannot drift from
 * them. The route table below is the one thing written by hand; the test
 * checks that each of its paths is routed.
 */

type JsonSchema = Record<string, unknown>;

/** The responses other tools refer to by name. */
const components = {
  Incident: incidentSchema,
  TimelineEntry: timelineEntrySchema,
  CuratedTimelineEntry: curatedTimelineEntrySchema,
  CuratedTimeline: curatedTimelineSchema,
  IncidentDurations: incidentDurationsSchema,
  Alert: alertSchema,
  Postmortem: postmortemSchema,
  PostmortemListItem: postmortemListItemSchema,
  PostmortemSection: postmortemSectionSchema,
  IncidentSummary: incidentSummarySchema,
  PostmortemRevision: postmortemRevisionSchema,
  ReviewEvent: reviewEventSchema,
  RelatedPostmortem: relatedPostmortemSchema,
  PostmortemCauses: postmortemCausesSchema,
  Recurrences: recurrencesSchema,
  RevisionDiff: revisionDiffSchema,
  PostmortemComment: postmortemCommentSchema,
  ActionItem: actionItemSchema,
  PostmortemTemplate: postmortemTemplateSchema,
  TemplateSection: templateSectionSchema,
  GenerationJob: generationJobSchema,
  GeneratedSection: generatedSectionSchema,
  EvidenceFinding: evidenceFindingSchema,
  ProviderStatus: providerStatusSchema,
  ProviderTestResult: providerTestResultSchema,
  ExportTarget: exportTargetSchema,
  PostmortemExportRecord: postmortemExportRecordSchema,
  IssueTracker: issueTrackerSchema,
  TrackerSyncResult: trackerSyncResultSchema,
  ErrorEnvelope: errorEnvelopeSchema,
  Health: healthSchema,
  Figures: figuresSchema,
  FiguresBreakdown: figuresBreakdownSchema,
} as const;
type ComponentName = keyof typeof components;

/** A response body: a named component, a page or list of one, or another schema. */
type Body =
  | { ref: ComponentName }
  | { page: ComponentName }
  | { list: ComponentName }
  | { type: string | string[]; schema?: JsonSchema };

interface Operation {
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  /** Under the plugin's base URL, with `{param}`s. */
  path: string;
  summary: string;
  query?: z.ZodObject;
  body?: z.ZodType;
  /** Status → body; 204 has none. */
  responses: Record<number, Body | null>;
  /** Needs no credentials. */
  public?: boolean;
}

const pm = '/v1/incidents/{id}/postmortem';

/** Every route of the native API. */
export const operations: Operation[] = [
  {
    method: 'get',
    path: '/health',
    summary: 'Whether the backend is up',
    responses: { 200: { ref: 'Health' } },
    public: true,
  },
  {
    method: 'get',
    path: '/openapi.json',
    summary: 'This document',
    responses: { 200: { type: 'application/json' } },
  },
  // Incidents
  {
    method: 'get',
    path: '/v1/incidents',
    summary: 'List incidents, newest first',
    query: incidentListQuerySchema,
    responses: { 200: { page: 'Incident' } },
  },
  {
    method: 'get',
    path: '/v1/figures',
    summary:
      'Incidents, mean time to resolve, post-mortems published and action items of a period',
    query: figuresQuerySchema,
    responses: { 200: { ref: 'Figures' } },
  },
  {
    method: 'get',
    path: '/v1/figures/breakdown',
    summary:
      'Incidents, mean times to detect, acknowledge and resolve, post-mortems published and action items of a period by service, team (owner in the catalog) or month',
    query: figuresBreakdownQuerySchema,
    responses: { 200: { ref: 'FiguresBreakdown' } },
  },
  {
    method: 'post',
    path: '/v1/incidents',
    summary: 'Create an incident',
    body: incidentCreateBodySchema,
    responses: { 201: { ref: 'Incident' } },
  },
  {
    method: 'post',
    path: '/v1/incidents/import',
    summary: 'Import an incident with its timeline and alerts',
    body: incidentImportBodySchema,
    responses: { 201: { ref: 'Incident' } },
  },
  {
    method: 'get',
    path: '/v1/incidents/{id}',
    summary: 'An incident by id, number (42) or reference (INC-42)',
    responses: { 200: { ref: 'Incident' } },
  },
  {
    method: 'patch',
    path: '/v1/incidents/{id}',
    summary: 'Change an incident (status, severity, commander, ...)',
    body: incidentPatchBodySchema,
    responses: { 200: { ref: 'Incident' } },
  },
  {
    method: 'post',
    path: '/v1/incidents/{id}/refresh',
    summary: 'Copy an upstream-owned incident again from its upstream',
    responses: { 200: { ref: 'Incident' } },
  },
  {
    method: 'get',
    path: '/v1/incidents/{id}/timeline',
    summary:
      "An incident's timeline, oldest first; with curated=true the post-mortem's curated timeline (a CuratedTimeline: hidden entries and noise left out unless include_hidden=true, key moments and their durations)",
    query: timelineQuerySchema,
    responses: {
      200: {
        type: 'application/json',
        schema: {
          oneOf: [
            {
              type: 'object',
              required: ['data', 'total', 'page', 'limit'],
              properties: {
                data: {
                  type: 'array',
                  items: { $ref: '#/components/schemas/TimelineEntry' },
                },
                total: { type: 'integer', minimum: 0 },
                page: { type: 'integer', minimum: 1 },
                limit: { type: 'integer', minimum: 1 },
              },
            },
            { $ref: '#/components/schemas/CuratedTimeline' },
          ],
        },
      },
    },
  },
  {
    method: 'patch',
    path: '/v1/incidents/{id}/timeline/{entryId}',
    summary:
      'Curate a timeline entry for the post-mortem: hide or show it, pin it, mark a key moment (moved from the entry that had it); needs the right to edit the post-mortem',
    body: timelineCurationPatchBodySchema,
    responses: { 200: { ref: 'CuratedTimelineEntry' } },
  },
  {
    method: 'get',
    path: '/v1/incidents/{id}/durations',
    summary:
      "An incident's key moments and its times to detect, acknowledge, mitigate and resolve",
    responses: { 200: { ref: 'IncidentDurations' } },
  },
  {
    method: 'post',
    path: '/v1/incidents/{id}/timeline',
    summary: 'Add a message to the timeline',
    body: timelineMessageBodySchema,
    responses: { 201: { ref: 'TimelineEntry' } },
  },
  {
    method: 'get',
    path: '/v1/incidents/{id}/alerts',
    summary: "An incident's linked alerts",
    responses: { 200: { list: 'Alert' } },
  },
  {
    method: 'get',
    path: '/v1/alerts',
    summary: 'List alerts',
    query: pageQuerySchema,
    responses: { 200: { page: 'Alert' } },
  },
  {
    method: 'get',
    path: '/v1/alerts/{id}',
    summary: 'An alert',
    responses: { 200: { ref: 'Alert' } },
  },
  {
    method: 'get',
    path: '/v1/upstream',
    summary: 'How the copy of the upstream incident tool stands',
    responses: { 200: { type: 'application/json' } },
  },
  {
    method: 'post',
    path: '/v1/upstream/sync',
    summary: 'Sync with the upstream incident tool now',
    responses: { 200: { type: 'application/json' } },
  },
  // Post-mortems
  {
    method: 'get',
    path: '/v1/postmortems',
    summary:
      'List post-mortems the caller may read, newest incident first; their documents with include=content',
    query: postmortemListQuerySchema,
    responses: { 200: { page: 'PostmortemListItem' } },
  },
  {
    method: 'get',
    path: '/v1/postmortem-export-schema',
    summary: 'JSON Schema of the JSON export',
    responses: { 200: { type: 'application/schema+json' } },
  },
  {
    method: 'get',
    path: pm,
    summary: "An incident's post-mortem (ETag: its version)",
    responses: { 200: { ref: 'Postmortem' } },
  },
  {
    method: 'post',
    path: pm,
    summary: 'Create a blank draft from a template',
    body: postmortemCreateBodySchema,
    responses: { 201: { ref: 'Postmortem' } },
  },
  {
    method: 'patch',
    path: pm,
    summary:
      'Edit, publish or unpublish; a stale version (body or If-Match) is 409',
    body: postmortemPatchBodySchema,
    responses: { 200: { ref: 'Postmortem' }, 409: { ref: 'ErrorEnvelope' } },
  },
  {
    method: 'get',
    path: `${pm}/export`,
    summary: 'Download as Markdown, JSON or PDF',
    query: exportQuerySchema,
    responses: {
      200: { type: ['text/markdown', 'application/json', 'application/pdf'] },
    },
  },
  {
    method: 'get',
    path: `${pm}/checks`,
    summary:
      'What the publish gate finds now (current content and action items), without publishing',
    responses: { 200: { list: 'EvidenceFinding' } },
  },
  {
    method: 'get',
    path: `${pm}/reviews`,
    summary: "Every step of the post-mortem's reviews, oldest first",
    responses: { 200: { list: 'ReviewEvent' } },
  },
  {
    method: 'post',
    path: `${pm}/reviews/request`,
    summary:
      "Ask reviewers (those named, or the template's) to approve the current version before it is published",
    body: reviewRequestBodySchema,
    responses: { 201: { ref: 'Postmortem' } },
  },
  {
    method: 'post',
    path: `${pm}/reviews`,
    summary:
      'Approve the current version, or ask for changes (with a comment), as a reviewer asked',
    body: reviewDecisionBodySchema,
    responses: { 201: { ref: 'Postmortem' } },
  },
  {
    method: 'get',
    path: `${pm}/related`,
    summary:
      'Published post-mortems of the same services, of services related in the catalog and of similar causes, most related first, each with why it matched; also for an incident without a post-mortem yet',
    query: relatedQuerySchema,
    responses: { 200: { list: 'RelatedPostmortem' } },
  },
  {
    method: 'get',
    path: `${pm}/causes`,
    summary:
      "The cause categories the post-mortem is filed under, its template's to choose from, and those its root cause suggests",
    responses: { 200: { ref: 'PostmortemCauses' } },
  },
  {
    method: 'put',
    path: `${pm}/causes`,
    summary:
      "File the post-mortem under these cause categories (its template's), and look for recurrences: earlier post-mortems of a shared service and category whose action items were all done before this incident",
    body: causesBodySchema,
    responses: { 200: { ref: 'PostmortemCauses' } },
  },
  {
    method: 'get',
    path: `${pm}/recurrences`,
    summary:
      'Earlier post-mortems whose cause came back in this incident after their action items were done, and later incidents in which this one came back',
    responses: { 200: { ref: 'Recurrences' } },
  },
  {
    method: 'get',
    path: `${pm}/revisions`,
    summary: 'Every kept version, newest first',
    responses: { 200: { list: 'PostmortemRevision' } },
  },
  {
    method: 'get',
    path: `${pm}/revisions/{version}`,
    summary: 'One kept version',
    responses: { 200: { ref: 'PostmortemRevision' } },
  },
  {
    method: 'get',
    path: `${pm}/revisions/{version}/diff`,
    summary: 'What changed from revision `against` to this one',
    query: revisionDiffQuerySchema,
    responses: { 200: { ref: 'RevisionDiff' } },
  },
  {
    method: 'post',
    path: `${pm}/revisions/{version}/restore`,
    summary: 'Make a kept version the current one (a new version)',
    body: revisionRestoreBodySchema,
    responses: { 200: { ref: 'Postmortem' } },
  },
  {
    method: 'get',
    path: `${pm}/comments`,
    summary: 'Comments, oldest first',
    responses: { 200: { list: 'PostmortemComment' } },
  },
  {
    method: 'post',
    path: `${pm}/comments`,
    summary: 'Comment',
    body: commentBodySchema,
    responses: { 201: { ref: 'PostmortemComment' } },
  },
  {
    method: 'delete',
    path: `${pm}/comments/{commentId}`,
    summary: 'Delete a comment',
    responses: { 204: null },
  },
  // Action items
  {
    method: 'get',
    path: '/v1/action-items',
    summary: 'Action items across post-mortems',
    query: actionItemListQuerySchema,
    responses: { 200: { page: 'ActionItem' } },
  },
  {
    method: 'post',
    path: `${pm}/action-items`,
    summary: 'Add an action item',
    body: actionItemCreateBodySchema,
    responses: { 201: { ref: 'ActionItem' } },
  },
  {
    method: 'patch',
    path: `${pm}/action-items/{itemId}`,
    summary: 'Change an action item',
    body: actionItemPatchBodySchema,
    responses: { 200: { ref: 'ActionItem' } },
  },
  {
    method: 'delete',
    path: `${pm}/action-items/{itemId}`,
    summary: 'Delete an action item',
    responses: { 204: null },
  },
  // Templates
  {
    method: 'get',
    path: '/v1/post-mortem-templates',
    summary: 'List templates',
    responses: { 200: { list: 'PostmortemTemplate' } },
  },
  {
    method: 'post',
    path: '/v1/post-mortem-templates',
    summary: 'Create a template',
    body: templateCreateBodySchema,
    responses: { 201: { ref: 'PostmortemTemplate' } },
  },
  {
    method: 'get',
    path: '/v1/post-mortem-templates/{id}',
    summary: 'A template',
    responses: { 200: { ref: 'PostmortemTemplate' } },
  },
  {
    method: 'patch',
    path: '/v1/post-mortem-templates/{id}',
    summary: 'Change a template (not a built-in one)',
    body: templatePatchBodySchema,
    responses: { 200: { ref: 'PostmortemTemplate' } },
  },
  {
    method: 'delete',
    path: '/v1/post-mortem-templates/{id}',
    summary: 'Delete a template (not a built-in one)',
    responses: { 204: null },
  },
  {
    method: 'post',
    path: '/v1/post-mortem-templates/{id}/copy',
    summary: 'Copy a template',
    body: templateCopyBodySchema,
    responses: { 201: { ref: 'PostmortemTemplate' } },
  },
  {
    method: 'post',
    path: '/v1/post-mortem-templates/{id}/activate',
    summary: 'Make a template the one new drafts use',
    responses: { 200: { ref: 'PostmortemTemplate' } },
  },
  // Generation
  ...(
    [
      ['generate', 'Draft the post-mortem', generateBodySchema],
      ['enhance', 'Improve the draft', regenerateBodySchema],
      [
        'sections/{key}/regenerate',
        'Draft one section again',
        regenerateBodySchema,
      ],
    ] as const
  ).map(
    ([action, summary, body]): Operation => ({
      method: 'post',
      path: `${pm}/${action}`,
      summary: `${summary}: waits for it (200), or with Prefer: respond-async answers the job (202)`,
      body,
      responses: {
        200: { ref: 'Postmortem' },
        202: { ref: 'GenerationJob' },
      },
    }),
  ),
  {
    method: 'get',
    path: '/v1/generation-jobs/{jobId}',
    summary: 'A generation job',
    responses: { 200: { ref: 'GenerationJob' } },
  },
  {
    method: 'get',
    path: '/v1/generation-jobs/{jobId}/events',
    summary:
      'Server-sent events of a job: section (a GeneratedSection), status and done (the GenerationJob), error',
    responses: { 200: { type: 'text/event-stream' } },
  },
  {
    method: 'get',
    path: '/v1/system/provider',
    summary: 'The active draft provider',
    responses: { 200: { ref: 'ProviderStatus' } },
  },
  {
    method: 'post',
    path: '/v1/system/provider/test',
    summary: 'Test the connection to the model',
    responses: { 200: { ref: 'ProviderTestResult' } },
  },
  // Exports and trackers
  {
    method: 'get',
    path: '/v1/export-targets',
    summary: 'The configured export targets',
    responses: { 200: { list: 'ExportTarget' } },
  },
  {
    method: 'get',
    path: `${pm}/exports`,
    summary: 'The latest export to each target',
    responses: { 200: { list: 'PostmortemExportRecord' } },
  },
  {
    method: 'post',
    path: `${pm}/exports`,
    summary:
      'Export to a page target: 201 a new page, 200 the same page updated',
    body: exportCreateBodySchema,
    responses: {
      200: { ref: 'PostmortemExportRecord' },
      201: { ref: 'PostmortemExportRecord' },
    },
  },
  {
    method: 'get',
    path: '/v1/trackers',
    summary: 'The configured issue trackers',
    responses: { 200: { list: 'IssueTracker' } },
  },
  {
    method: 'post',
    path: '/v1/trackers/sync',
    summary: 'Pull issue states from the trackers now',
    responses: { 200: { ref: 'TrackerSyncResult' } },
  },
  {
    method: 'post',
    path: `${pm}/action-items/{itemId}/issue`,
    summary: 'Open an issue for an action item',
    body: issueCreateBodySchema,
    responses: { 201: { ref: 'ActionItem' } },
  },
  {
    method: 'post',
    path: '/v1/trackers/{trackerId}/webhook',
    summary: "A tracker's webhook, verified with its webhookSecret",
    responses: { 200: { type: 'application/json' } },
    public: true,
  },
];

/** A JSON Schema to embed: without the document-level keys zod adds. */
function embeddable(schema: JsonSchema): JsonSchema {
  const { $schema: _schema, $id: _id, ...rest } = schema;
  return rest;
}

function requestSchema(schema: z.ZodType): JsonSchema {
  // Requests are described as they may be sent (`closed`, `title`, strings
  // for numbers in queries), before the schema's transforms.
  return embeddable(
    z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }),
  );
}

const ref = (name: ComponentName) => ({
  $ref: `#/components/schemas/${name}`,
});

function responseContent(body: Body) {
  if ('ref' in body) {
    return { 'application/json': { schema: ref(body.ref) } };
  }
  if ('list' in body) {
    return {
      'application/json': {
        schema: {
          type: 'object',
          required: ['data'],
          properties: { data: { type: 'array', items: ref(body.list) } },
        },
      },
    };
  }
  if ('page' in body) {
    return {
      'application/json': {
        schema: {
          type: 'object',
          required: ['data', 'total', 'page', 'limit'],
          properties: {
            data: { type: 'array', items: ref(body.page) },
            total: { type: 'integer', minimum: 0 },
            page: { type: 'integer', minimum: 1 },
            limit: { type: 'integer', minimum: 1 },
          },
        },
      },
    };
  }
  const types = Array.isArray(body.type) ? body.type : [body.type];
  return Object.fromEntries(
    types.map(type => [type, { schema: body.schema ?? {} }]),
  );
}

function parameters(operation: Operation) {
  const inPath = [...operation.path.matchAll(/\{(\w+)\}/g)].map(m => ({
    name: m[1],
    in: 'path',
    required: true,
    schema: { type: m[1] === 'version' ? 'integer' : 'string' },
  }));
  const query = operation.query ? requestSchema(operation.query) : undefined;
  const properties = (query?.properties ?? {}) as Record<string, JsonSchema>;
  const required = (query?.required ?? []) as string[];
  const inQuery = Object.entries(properties).map(([name, schema]) => ({
    name,
    in: 'query',
    required: required.includes(name),
    schema,
    // Lists are sent comma-separated, or as the parameter repeated.
    ...(JSON.stringify(schema).includes('"array"')
      ? { style: 'form', explode: false }
      : {}),
  }));
  return [...inPath, ...inQuery];
}

const errorResponse = {
  description:
    'An error, in the envelope: 400 validation_error (details.fields names each wrong field), 401, 403, 404, 409, 413',
  content: { 'application/json': { schema: ref('ErrorEnvelope') } },
};

/** The OpenAPI 3.1 document of the native API. */
export function createOpenApiDocument(): Record<string, unknown> {
  const registry = z.registry<{ id: string }>();
  for (const [id, schema] of Object.entries(components)) {
    registry.add(schema, { id });
  }
  const { schemas } = z.toJSONSchema(registry, {
    uri: id => `#/components/schemas/${id}`,
    unrepresentable: 'any',
  });

  const paths: Record<string, Record<string, unknown>> = {};
  for (const operation of operations) {
    const responses: Record<string, unknown> = {};
    for (const [status, body] of Object.entries(operation.responses)) {
      responses[status] = body
        ? { description: operation.summary, content: responseContent(body) }
        : { description: operation.summary };
    }
    responses['4XX'] = errorResponse;
    const params = parameters(operation);
    (paths[operation.path] ??= {})[operation.method] = {
      summary: operation.summary,
      ...(params.length ? { parameters: params } : {}),
      ...(operation.body
        ? {
            requestBody: {
              required: true,
              content: {
                'application/json': { schema: requestSchema(operation.body) },
              },
            },
          }
        : {}),
      responses,
      ...(operation.public ? { security: [] } : {}),
    };
  }

  return {
    openapi: '3.1.0',
    info: {
      title: 'Post-Mortems for Backstage',
      version: '1',
      description:
        "The native API of the post-mortems backend, under the backend's `/api/postmortems`. Resources and field names follow Fluidify Regen's `/api/v1`. Every error is `{error: {code, message, details?}}`.",
    },
    servers: [{ url: '/api/postmortems' }],
    security: [{ backstageToken: [] }],
    paths,
    components: {
      securitySchemes: {
        backstageToken: {
          type: 'http',
          scheme: 'bearer',
          description:
            "A Backstage token: a user's, a plugin's, or a static external-access token",
        },
      },
      schemas: Object.fromEntries(
        Object.entries(schemas).map(([id, schema]) => [
          id,
          embeddable(schema as JsonSchema),
        ]),
      ),
    },
  };
}
