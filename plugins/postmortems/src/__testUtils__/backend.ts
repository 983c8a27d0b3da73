import type {
  ActionItem,
  ExportTarget,
  Incident,
  IssueTracker,
  Postmortem,
  PostmortemComment,
  PostmortemExportRecord,
  PostmortemRevision,
  PostmortemCauses,
  PostmortemTemplate,
  IncidentDurations,
  Recurrences,
  TimelineCuration,
  TimelineEntry,
} from '@postmortems-oss/backstage-plugin-postmortems-common';
import {
  actionItemSchema,
  curatedTimelineSchema,
  DEFAULT_CAUSE_CATEGORIES,
  incidentSummarySchema,
  issueTrackerSchema,
  listSchema,
  postmortemCausesSchema,
  postmortemCommentSchema,
  postmortemRevisionSchema,
  postmortemSchema,
  postmortemListItemSchema,
  recurrencesSchema,
  relatedPostmortemSchema,
  timelineEntrySchema,
} from '@postmortems-oss/backstage-plugin-postmortems-common';
import { http, HttpResponse, type PathParams } from 'msw';
import type { SetupServer } from 'msw/node';
import { z } from 'zod';
import { createDemoData } from './demoData';
import {
  actionItemPage,
  errorBody,
  exportRecordList,
  exportTargetList,
  incidentPage,
  postmortemPage,
  providerStatus,
  templateList,
} from './fixtures';
import { backendUrl } from './msw';

/**
 * What the tests' backend holds. The read handlers answer from it at the time
 * of each request, so a test's write handler that answers a change also puts
 * the change here, and the next read sees it. Nothing here applies the
 * backend's rules: each test says what its writes answer.
 */
export interface BackendState {
  incidents: Incident[];
  postmortems: Postmortem[];
  timelines: Record<string, TimelineEntry[]>;
  /**
   * By incident id, then entry id: how authors curated the timeline. An
   * entry without one is shown, unpinned, no key moment and no noise (the
   * tests' backend applies no noise rule).
   */
  curation: Record<string, Record<string, TimelineCuration>>;
  /** By incident id; without one, nothing is marked or known. */
  durations: Record<string, IncidentDurations>;
  /** By post-mortem id. */
  comments: Record<string, PostmortemComment[]>;
  /** By post-mortem id, oldest first. */
  revisions: Record<string, PostmortemRevision[]>;
  /** By post-mortem id. */
  exports: Record<string, PostmortemExportRecord[]>;
  /** By post-mortem id: the cause categories it is filed under (none when absent). */
  causes: Record<string, string[]>;
  /** By post-mortem id: the categories its root cause suggests. */
  suggestedCauses: Record<string, string[]>;
  /** By post-mortem id; without one, it is no recurrence and none of it came back. */
  recurrences: Record<string, Recurrences>;
  templates: PostmortemTemplate[];
  exportTargets: ExportTarget[];
  trackers: IssueTracker[];
}

/** A revision of the post-mortem as it is now, as the backend records one. */
export function revisionOf(
  postmortem: Postmortem,
  change: Partial<PostmortemRevision> = {},
): PostmortemRevision {
  return postmortemRevisionSchema.parse({
    id: `rev-${postmortem.id}-${postmortem.version}`,
    postmortem_id: postmortem.id,
    version: postmortem.version,
    kind: 'human',
    reason: 'save',
    status: postmortem.status,
    content: postmortem.content,
    sections: postmortem.sections,
    author: postmortem.updated_by,
    created_at: postmortem.updated_at,
    ...change,
  });
}

/** The demo world as a backend state; every record passes its schema. */
export function demoState(change: Partial<BackendState> = {}): BackendState {
  const demo = createDemoData();
  const postmortems = demo.postmortems.map(p => postmortemSchema.parse(p));
  return {
    incidents: demo.incidents,
    postmortems,
    timelines: Object.fromEntries(
      Object.entries(demo.timelines).map(([id, entries]) => [
        id,
        entries.map(e => timelineEntrySchema.parse(e)),
      ]),
    ),
    comments: Object.fromEntries(
      Object.entries(demo.comments).map(([id, comments]) => [
        id,
        comments.map(c => postmortemCommentSchema.parse(c)),
      ]),
    ),
    revisions: Object.fromEntries(
      // Each demo draft starts as the drafter without a model wrote it.
      postmortems.map(p => [
        p.id,
        [revisionOf(p, { reason: 'generate', kind: 'deterministic' })],
      ]),
    ),
    exports: {},
    causes: {},
    suggestedCauses: {},
    recurrences: {},
    curation: {},
    durations: {},
    templates: demo.templates,
    exportTargets: demo.exportTargets,
    trackers: demo.trackers.map(t => issueTrackerSchema.parse(t)),
    ...change,
  };
}

/** The incident an id or reference names (the backend accepts either). */
export function findIncident(state: BackendState, ref: string) {
  return state.incidents.find(
    i => i.id === ref || i.reference.toLowerCase() === ref.toLowerCase(),
  );
}

/** The post-mortem of the incident an id or reference names. */
export function findPostmortem(state: BackendState, ref: string) {
  const incident = findIncident(state, ref);
  return incident
    ? state.postmortems.find(p => p.incident_id === incident.id)
    : undefined;
}

/** An entry's curation as the tests' backend holds it (see BackendState). */
export function curationIn(
  state: BackendState,
  incidentId: string,
  entryId: string,
): TimelineCuration {
  return (
    state.curation[incidentId]?.[entryId] ?? {
      hidden: false,
      pinned: false,
      key_moment: null,
      noise: null,
      hidden_by_author: false,
    }
  );
}

/** Sets an entry's curation; a key moment leaves the entry that had it. */
export function storeCuration(
  state: BackendState,
  incidentId: string,
  entryId: string,
  change: Partial<TimelineCuration>,
): TimelineCuration {
  const curation = (state.curation[incidentId] ??= {});
  if (change.key_moment) {
    for (const other of Object.values(curation)) {
      if (other.key_moment === change.key_moment) other.key_moment = null;
    }
  }
  curation[entryId] = {
    ...curationIn(state, incidentId, entryId),
    ...change,
  };
  return curation[entryId];
}

/** The durations the tests' backend answers when a test set none. */
function noDurations(triggeredAt: string): IncidentDurations {
  return {
    triggered_at: triggeredAt,
    moments: {
      detected: null,
      acknowledged: null,
      mitigated: null,
      resolved: null,
    },
    mttd_ms: null,
    mtta_ms: null,
    mttm_ms: null,
    mttr_ms: null,
  };
}

/**
 * A post-mortem's causes as `GET …/postmortem/causes` answers them: its
 * template's categories (the default ones when it names none), those chosen,
 * and the suggestions not yet chosen.
 */
export function causesOf(
  state: BackendState,
  postmortem: Postmortem,
): PostmortemCauses {
  const template = state.templates.find(t => t.id === postmortem.template_id);
  const available = template?.cause_categories.length
    ? template.cause_categories
    : [...DEFAULT_CAUSE_CATEGORIES];
  const categories = state.causes[postmortem.id] ?? [];
  return postmortemCausesSchema.parse({
    categories,
    available,
    suggested: (state.suggestedCauses[postmortem.id] ?? []).filter(
      c => available.includes(c) && !categories.includes(c),
    ),
  });
}

/** Replaces the post-mortem of the same id in the state and returns it. */
export function storePostmortem(state: BackendState, postmortem: Postmortem) {
  const parsed = postmortemSchema.parse(postmortem);
  state.postmortems = state.postmortems.map(p =>
    p.id === parsed.id ? parsed : p,
  );
  return parsed;
}

/** Replaces (or adds) one action item of the incident's post-mortem. */
export function storeActionItem(
  state: BackendState,
  incidentRef: string,
  item: ActionItem,
) {
  const postmortem = findPostmortem(state, incidentRef)!;
  const parsed = actionItemSchema.parse(item);
  const known = postmortem.action_items.some(i => i.id === parsed.id);
  storePostmortem(state, {
    ...postmortem,
    action_items: known
      ? postmortem.action_items.map(i => (i.id === parsed.id ? parsed : i))
      : [...postmortem.action_items, parsed],
  });
  return parsed;
}

const notFound = (message: string) =>
  HttpResponse.json(errorBody('not_found', message), { status: 404 });

/** A post-mortem as `GET /v1/postmortems` lists it: with its incident in brief. */
/** A post-mortem as the list route gives it: in brief, with its items counted. */
export function listed(state: BackendState, postmortem: Postmortem) {
  const incident = state.incidents.find(i => i.id === postmortem.incident_id)!;
  const { content, sections, findings, evidence, action_items, ...brief } =
    postmortem;
  return postmortemListItemSchema.parse({
    ...brief,
    incident: incidentSummarySchema.parse(incident),
    action_item_counts: {
      total: action_items.length,
      open: action_items.filter(i => i.status !== 'done').length,
    },
  });
}

type Found = { incident: Incident; postmortem: Postmortem };

/** Runs `answer` with the incident's post-mortem, or answers the backend's 404s. */
function withPostmortem(
  state: BackendState,
  params: PathParams,
  answer: (found: Found) => Response,
) {
  const ref = String(params.incidentId);
  const incident = findIncident(state, ref);
  if (!incident) return notFound(`No incident ${ref}`);
  const postmortem = state.postmortems.find(p => p.incident_id === incident.id);
  if (!postmortem) {
    return notFound(`Incident ${incident.reference} has no post-mortem`);
  }
  return answer({ incident, postmortem });
}

const PM = backendUrl('/v1/incidents/:incidentId/postmortem');

const queryOf = (request: Request) => new URL(request.url).searchParams;

/** A comma-separated list filter of a query string, if given. */
const listOf = (value: string | null) => value?.split(',');

/*
 * The list filters the views send, answered as the list routes document
 * them (`status=a,b`, an affected service, `overdue=true`), so that a test
 * about a filter reads the query the view sent and sees what it shows for it.
 * Lists are small here: one page, newest incident first.
 */

/** `GET /v1/incidents`: by status, severity, affected service and post-mortem. */
export function incidentsMatching(state: BackendState, query: URLSearchParams) {
  const status = listOf(query.get('status'));
  const severity = listOf(query.get('severity'));
  const entityRef = query.get('entity_ref');
  const hasPostmortem = query.get('has_postmortem');
  return state.incidents
    .filter(i => !status || status.includes(i.status))
    .filter(i => !severity || severity.includes(i.severity))
    .filter(i => !entityRef || i.services.includes(entityRef))
    .filter(
      i =>
        hasPostmortem === null ||
        state.postmortems.some(p => p.incident_id === i.id) ===
          (hasPostmortem === 'true'),
    )
    .sort((a, b) => b.triggered_at.localeCompare(a.triggered_at));
}

function incidentOf(state: BackendState, id: string) {
  return state.incidents.find(i => i.id === id)!;
}

/** `GET /v1/postmortems`: by affected service, status and severity. */
export function postmortemsMatching(
  state: BackendState,
  query: URLSearchParams,
) {
  const entityRef = query.get('entityRef');
  const status = listOf(query.get('status'));
  const severity = listOf(query.get('severity'));
  return state.postmortems
    .filter(
      p =>
        !entityRef ||
        incidentOf(state, p.incident_id).services.includes(entityRef),
    )
    .filter(p => !status || status.includes(p.status))
    .filter(
      p =>
        !severity ||
        severity.includes(incidentOf(state, p.incident_id).severity),
    )
    .sort((a, b) =>
      incidentOf(state, b.incident_id).triggered_at.localeCompare(
        incidentOf(state, a.incident_id).triggered_at,
      ),
    );
}

/** `GET /v1/action-items`: by owner, status, affected service and overdue. */
export function actionItemsMatching(
  state: BackendState,
  query: URLSearchParams,
) {
  const owners = listOf(query.get('owner'));
  const status = listOf(query.get('status'));
  const entityRef = query.get('entityRef');
  const today = new Date().toISOString().slice(0, 10);
  return state.postmortems
    .flatMap(p => p.action_items)
    .filter(i => !owners || owners.includes(i.owner ?? ''))
    .filter(i => !status || status.includes(i.status))
    .filter(
      i =>
        !entityRef ||
        incidentOf(state, i.incident_id).services.includes(entityRef),
    )
    .filter(
      i =>
        query.get('overdue') !== 'true' ||
        (i.due_date !== null && i.due_date < today && i.status !== 'done'),
    );
}

/**
 * The query strings of the GET requests to `path` (e.g. `/v1/postmortems`),
 * in the order they were sent; whatever answers them.
 */
export function recordQueries(server: SetupServer, path: string) {
  const queries: Array<Record<string, string>> = [];
  const wanted = new URL(backendUrl(path)).pathname;
  server.events.on('request:start', ({ request }) => {
    const url = new URL(request.url);
    if (request.method === 'GET' && url.pathname === wanted) {
      queries.push(Object.fromEntries(url.searchParams));
    }
  });
  return queries;
}

/**
 * GET handlers for everything the views read, answered from `state` as it is
 * at the time of the request. Lists answer everything they hold: a test about
 * a filter answers that request itself. No write is answered here; a write no
 * test handler answers fails the test.
 */
export function answerReads(server: SetupServer, state: BackendState) {
  server.use(
    http.get(backendUrl('/v1/incidents'), ({ request }) =>
      HttpResponse.json(
        incidentPage(incidentsMatching(state, queryOf(request)), {
          limit: 100,
        }),
      ),
    ),
    http.get(backendUrl('/v1/incidents/:incidentId'), ({ params }) => {
      const incident = findIncident(state, String(params.incidentId));
      return incident
        ? HttpResponse.json(incident)
        : notFound(`No incident ${params.incidentId}`);
    }),
    http.get(
      backendUrl('/v1/incidents/:incidentId/timeline'),
      ({ params, request }) => {
        const incident = findIncident(state, String(params.incidentId));
        if (!incident) return notFound(`No incident ${params.incidentId}`);
        const entries = state.timelines[incident.id] ?? [];
        const query = queryOf(request);
        if (query.get('curated') === 'true') {
          // One page holds the whole (small) timeline.
          const curated = entries.map(e => ({
            ...e,
            curation: curationIn(state, incident.id, e.id),
          }));
          const shown =
            query.get('include_hidden') === 'true'
              ? curated
              : curated.filter(e => !e.curation.hidden);
          return HttpResponse.json(
            curatedTimelineSchema.parse({
              data: shown,
              total: shown.length,
              page: 1,
              limit: Number(query.get('limit') ?? 20),
              hidden: curated.filter(e => e.curation.hidden).length,
              durations:
                state.durations[incident.id] ??
                noDurations(incident.triggered_at),
            }),
          );
        }
        return HttpResponse.json({
          data: entries,
          total: entries.length,
          page: 1,
          limit: 500,
        });
      },
    ),
    http.get(backendUrl('/v1/incidents/:incidentId/alerts'), () =>
      HttpResponse.json({ data: [] }),
    ),
    http.get(PM, ({ params }) =>
      withPostmortem(state, params, ({ postmortem }) =>
        HttpResponse.json(postmortem),
      ),
    ),
    // The gate's findings now: those of the stored draft, as the backend
    // checks the current content.
    http.get(`${PM}/checks`, ({ params }) =>
      withPostmortem(state, params, ({ postmortem }) =>
        HttpResponse.json({ data: postmortem.findings }),
      ),
    ),
    // Related: published post-mortems of other incidents sharing a service
    // (the tests' backend knows no catalog relations or causes).
    http.get(`${PM}/related`, ({ params, request }) => {
      const incident = findIncident(state, String(params.incidentId));
      if (!incident) return notFound(`No incident ${params.incidentId}`);
      const related = state.postmortems.flatMap(p => {
        const other = state.incidents.find(i => i.id === p.incident_id);
        const shared = other?.services.filter(s =>
          incident.services.includes(s),
        );
        if (!other || other.id === incident.id || p.status !== 'published') {
          return [];
        }
        if (!shared?.length) return [];
        return [
          {
            postmortem_id: p.id,
            incident_id: other.id,
            reference: other.reference,
            title: other.title,
            severity: other.severity,
            services: other.services,
            triggered_at: other.triggered_at,
            published_at: p.published_at,
            score: 3,
            reasons: shared.map(service => ({
              kind: 'same_service' as const,
              service,
            })),
          },
        ];
      });
      const limit = Number(queryOf(request).get('limit') ?? 3);
      return HttpResponse.json(
        listSchema(relatedPostmortemSchema).parse({
          data: related.slice(0, limit),
        }),
      );
    }),
    http.get(`${PM}/causes`, ({ params }) =>
      withPostmortem(state, params, ({ postmortem }) =>
        HttpResponse.json(causesOf(state, postmortem)),
      ),
    ),
    http.get(`${PM}/recurrences`, ({ params }) =>
      withPostmortem(state, params, ({ postmortem }) =>
        HttpResponse.json(
          recurrencesSchema.parse(
            state.recurrences[postmortem.id] ?? {
              recurrence_of: [],
              recurred_in: [],
            },
          ),
        ),
      ),
    ),
    http.get(`${PM}/comments`, ({ params }) =>
      withPostmortem(state, params, ({ postmortem }) =>
        HttpResponse.json(
          listSchema(postmortemCommentSchema).parse({
            data: state.comments[postmortem.id] ?? [],
          }),
        ),
      ),
    ),
    http.get(`${PM}/revisions`, ({ params }) =>
      withPostmortem(state, params, ({ postmortem }) =>
        HttpResponse.json(
          listSchema(postmortemRevisionSchema).parse({
            // Newest first, as the backend lists them.
            data: [...(state.revisions[postmortem.id] ?? [])].reverse(),
          }),
        ),
      ),
    ),
    http.get(`${PM}/revisions/:version`, ({ params }) =>
      withPostmortem(state, params, ({ postmortem }) => {
        const revision = state.revisions[postmortem.id]?.find(
          r => r.version === Number(params.version),
        );
        return revision
          ? HttpResponse.json(revision)
          : notFound(`No revision ${params.version} of this post-mortem`);
      }),
    ),
    http.get(`${PM}/exports`, ({ params }) =>
      withPostmortem(state, params, ({ postmortem }) =>
        HttpResponse.json(exportRecordList(state.exports[postmortem.id] ?? [])),
      ),
    ),
    http.get(backendUrl('/v1/postmortems'), ({ request }) =>
      HttpResponse.json(
        postmortemPage(
          postmortemsMatching(state, queryOf(request)).map(p =>
            listed(state, p),
          ),
          { limit: 100 },
        ),
      ),
    ),
    http.get(backendUrl('/v1/action-items'), ({ request }) =>
      HttpResponse.json(
        actionItemPage(actionItemsMatching(state, queryOf(request)), {
          limit: 100,
        }),
      ),
    ),
    http.get(backendUrl('/v1/post-mortem-templates'), () =>
      HttpResponse.json(templateList(state.templates)),
    ),
    http.get(
      backendUrl('/v1/post-mortem-templates/:templateId'),
      ({ params }) => {
        const template = state.templates.find(t => t.id === params.templateId);
        return template
          ? HttpResponse.json(template)
          : notFound(`No template ${params.templateId}`);
      },
    ),
    http.get(backendUrl('/v1/export-targets'), () =>
      HttpResponse.json(exportTargetList(state.exportTargets)),
    ),
    http.get(backendUrl('/v1/trackers'), () =>
      HttpResponse.json(
        listSchema(issueTrackerSchema).parse({ data: state.trackers }),
      ),
    ),
    http.get(backendUrl('/v1/system/provider'), () =>
      HttpResponse.json(providerStatus()),
    ),
  );
}

/** One write a test answered: its URL's query, path parameters and body. */
export interface SentRequest<Body> {
  params: PathParams;
  query: Record<string, string>;
  body: Body;
}

/**
 * Answers one kind of write and keeps what was sent. The body must pass the
 * route's request schema from the common package (the one the backend
 * validates with), so a client that sends what the backend would refuse with
 * a 400 fails the test here too; a route without a body gets none.
 */
export function answerWrite<Body = unknown>(
  server: SetupServer,
  method: 'post' | 'put' | 'patch' | 'delete',
  path: string,
  bodySchema: z.ZodType | undefined,
  answer: (sent: SentRequest<Body>) => Response | Promise<Response>,
) {
  const sent: Array<SentRequest<Body>> = [];
  server.use(
    http[method](backendUrl(path), async ({ request, params }) => {
      const text = await request.text();
      let body: unknown = undefined;
      if (bodySchema) {
        const parsed = bodySchema.safeParse(
          text ? JSON.parse(text) : undefined,
        );
        if (!parsed.success) {
          return HttpResponse.json(
            errorBody('validation_error', parsed.error.message),
            { status: 400 },
          );
        }
        // What the client sent, not the schema's defaults.
        body = JSON.parse(text);
      } else if (text !== '') {
        return HttpResponse.json(
          errorBody('validation_error', `${path} takes no body`),
          { status: 400 },
        );
      }
      const one: SentRequest<Body> = {
        params,
        query: Object.fromEntries(new URL(request.url).searchParams),
        body: body as Body,
      };
      sent.push(one);
      return answer(one);
    }),
  );
  return sent;
}
