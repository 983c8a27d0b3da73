import request from 'supertest';
import { z } from 'zod';
import { Knex } from 'knex';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  createTestDatabases,
  testApi,
  TestServer,
} from '@internal/postmortems-test-utils';
import {
  ALICE,
  as,
  startPostmortemsBackend,
} from '../__testUtils__/testBackend';
import { postmortemsPlugin } from '../plugin';

/*
 * Conformance of the Regen dialect with Fluidify Regen's own API, written
 * from Regen's source (FluidifyAI/Regen): the routes its frontend API modules
 * call (frontend/src/api/*.ts), the bodies they send, and the response shapes
 * its Go DTOs (backend/internal/api/handlers/dto/*.go) and frontend types
 * (frontend/src/api/types.ts) define. Every schema below is strict: a field
 * Regen does not have, a missing required field, a null where Regen omits
 * the field, or a value outside Regen's enums fails the test.
 */

jest.setTimeout(180_000);

const BASE = '/api/postmortems/regen/api/v1';

/** Every call Regen's UI makes through its API modules, with the module it is in. */
const REGEN_ROUTES = {
  // frontend/src/api/incidents.ts
  listIncidents: ['GET', '/incidents'],
  getIncident: ['GET', '/incidents/:id'],
  createIncident: ['POST', '/incidents'],
  updateIncident: ['PATCH', '/incidents/:id'],
  // frontend/src/api/timeline.ts
  getTimeline: ['GET', '/incidents/:id/timeline'],
  addTimelineEntry: ['POST', '/incidents/:id/timeline'],
  // frontend/src/api/alerts.ts
  listAlerts: ['GET', '/alerts'],
  getAlert: ['GET', '/alerts/:id'],
  // frontend/src/api/postmortems.ts: templates
  listPostMortemTemplates: ['GET', '/post-mortem-templates'],
  getPostMortemTemplate: ['GET', '/post-mortem-templates/:id'],
  createPostMortemTemplate: ['POST', '/post-mortem-templates'],
  updatePostMortemTemplate: ['PATCH', '/post-mortem-templates/:id'],
  deletePostMortemTemplate: ['DELETE', '/post-mortem-templates/:id'],
  // frontend/src/api/postmortems.ts: post-mortems
  getPostMortem: ['GET', '/incidents/:id/postmortem'],
  createPostMortem: ['POST', '/incidents/:id/postmortem'],
  updatePostMortem: ['PATCH', '/incidents/:id/postmortem'],
  generatePostMortem: ['POST', '/incidents/:id/postmortem/generate'],
  enhancePostMortem: ['POST', '/incidents/:id/postmortem/enhance'],
  getPostMortemExportUrl: ['GET', '/incidents/:id/postmortem/export'],
  // frontend/src/api/postmortems.ts: action items
  createActionItem: ['POST', '/incidents/:id/postmortem/action-items'],
  updateActionItem: ['PATCH', '/incidents/:id/postmortem/action-items/:itemId'],
  deleteActionItem: [
    'DELETE',
    '/incidents/:id/postmortem/action-items/:itemId',
  ],
  // frontend/src/api/postmortems.ts: comments
  listPostMortemComments: ['GET', '/incidents/:id/postmortem/comments'],
  createPostMortemComment: ['POST', '/incidents/:id/postmortem/comments'],
  deletePostMortemComment: [
    'DELETE',
    '/incidents/:id/postmortem/comments/:commentId',
  ],
} as const;
type RegenCall = keyof typeof REGEN_ROUTES;

// Regen's shapes. Times are RFC 3339 strings; Go's omitempty fields are
// `.optional()` (absent, never null).

const time = z.iso.datetime({ offset: true });
const uuidLike = z.string().min(1);

/** dto/incident_response.go IncidentResponse; types.ts Incident. */
const incident = z.strictObject({
  id: uuidLike,
  incident_number: z.number().int().min(1),
  title: z.string(),
  slug: z.string().regex(/^[a-z0-9-]+$/),
  status: z.enum(['triggered', 'acknowledged', 'resolved', 'canceled']),
  severity: z.enum(['critical', 'high', 'medium', 'low']),
  summary: z.string(),
  group_key: z.string().optional(),
  slack_channel: z
    .strictObject({ id: z.string(), name: z.string(), url: z.string() })
    .optional(),
  created_at: time,
  triggered_at: time,
  acknowledged_at: time.optional(),
  resolved_at: time.optional(),
  created_by_type: z.string().min(1),
  created_by_id: z.string().min(1).optional(),
  commander_id: z.string().min(1).optional(),
  commander_name: z.string().min(1).optional(),
  ai_summary: z.string().optional(),
  ai_summary_generated_at: time.optional(),
  ai_enabled: z.boolean(),
});

/** dto/alert_response.go AlertResponse; types.ts Alert (labels and annotations nullable). */
const alert = z.strictObject({
  id: uuidLike,
  external_id: z.string(),
  source: z.string(),
  fingerprint: z.string().optional(),
  status: z.enum(['firing', 'resolved']),
  severity: z.enum(['critical', 'warning', 'info']),
  title: z.string(),
  description: z.string(),
  labels: z.record(z.string(), z.string()).nullable(),
  annotations: z.record(z.string(), z.string()).nullable(),
  escalation_policy_id: z.string().optional(),
  acknowledgment_status: z.enum(['pending', 'acknowledged', 'completed']),
  started_at: time,
  ended_at: time.optional(),
  received_at: time,
});

/** dto/timeline_response.go TimelineEntryResponse; types.ts TimelineEntry (with incident_id). */
const timelineEntry = z.strictObject({
  id: uuidLike,
  incident_id: uuidLike,
  timestamp: time,
  type: z.string().min(1),
  actor_type: z.string().min(1),
  actor_id: z.string().min(1).optional(),
  actor_name: z.string().min(1).optional(),
  content: z.record(z.string(), z.unknown()).nullable(),
});

/** dto/incident_response.go IncidentDetailResponse; types.ts IncidentDetailResponse. */
const incidentDetail = incident.extend({
  alerts: z.array(alert),
  timeline: z.array(timelineEntry),
});

/** dto/pagination.go PaginatedResponse; types.ts PaginatedResponse. */
const paginated = <T extends z.ZodType>(item: T) =>
  z.strictObject({
    data: z.array(item),
    total: z.number().int().min(0),
    limit: z.number().int().min(1),
    offset: z.number().int().min(0),
  });

/** dto/post_mortem_response.go ActionItemResponse; types.ts ActionItem. */
const actionItem = z.strictObject({
  id: uuidLike,
  post_mortem_id: uuidLike,
  title: z.string(),
  owner: z.string().optional(),
  due_date: time.optional(),
  status: z.enum(['open', 'in_progress', 'closed']),
  created_at: time,
  updated_at: time,
});

/** dto/post_mortem_response.go PostMortemResponse; types.ts PostMortem. */
const postMortem = z.strictObject({
  id: uuidLike,
  incident_id: uuidLike,
  template_id: uuidLike.optional(),
  template_name: z.string(),
  status: z.enum(['draft', 'published']),
  content: z.string(),
  generated_by: z.string(),
  generated_at: time.optional(),
  published_at: time.optional(),
  created_by_id: z.string(),
  created_at: time,
  updated_at: time,
  action_items: z.array(actionItem),
  cost_usd: z.number(),
});

/** dto/post_mortem_response.go PostMortemCommentResponse; types.ts PostMortemComment. */
const comment = z.strictObject({
  id: uuidLike,
  post_mortem_id: uuidLike,
  author_id: z.string(),
  author_name: z.string(),
  content: z.string(),
  created_at: time,
});

/** dto/post_mortem_template_response.go; types.ts PostMortemTemplate. */
const template = z.strictObject({
  id: uuidLike,
  name: z.string(),
  description: z.string(),
  sections: z.array(z.string()),
  is_built_in: z.boolean(),
  created_at: time,
  updated_at: time,
});

/** dto/errors.go ErrorResponse; types.ts ApiError. */
const apiError = z.strictObject({
  error: z.strictObject({
    code: z.string().min(1),
    message: z.string().min(1),
    details: z.record(z.string(), z.unknown()).optional(),
    request_id: z.string().min(1),
  }),
});

/** Parses a response body with a Regen schema; a mismatch names the field. */
function expectShape<T extends z.ZodType>(schema: T, body: unknown) {
  const result = schema.safeParse(body);
  if (!result.success) {
    throw new Error(
      `Response does not match Regen's shape:\n${z.prettifyError(
        result.error,
      )}\n${JSON.stringify(body, null, 2)}`,
    );
  }
  return result.data as z.output<T>;
}

/**
 * Sends what Regen's ApiClient (frontend/src/api/client.ts) sends: JSON with
 * `Content-Type: application/json`, a body only when there is one, query
 * parameters without the undefined ones.
 */
function regenClient(
  server: () => TestServer,
  called: Set<RegenCall>,
  auth: Record<string, string> = as(ALICE),
) {
  return (
    call: RegenCall,
    params: Record<string, string | number> = {},
    options: { body?: unknown; query?: Record<string, unknown> } = {},
  ) => {
    called.add(call);
    const [method, pathTemplate] = REGEN_ROUTES[call];
    const path = pathTemplate.replace(/:(\w+)/g, (_, name: string) =>
      encodeURIComponent(String(params[name])),
    );
    const query = Object.entries(options.query ?? {})
      .filter(([, value]) => value !== undefined)
      .map(([key, value]) => [key, String(value)]);
    const url = `${BASE}${path}${
      query.length ? `?${new URLSearchParams(query)}` : ''
    }`;
    const req = request(server())
      [method.toLowerCase() as 'get' | 'post' | 'patch' | 'delete'](url)
      .set(auth)
      .set('Content-Type', 'application/json');
    return options.body ? req.send(JSON.stringify(options.body)) : req;
  };
}

const databases = createTestDatabases();

describe.each(databases.eachSupportedId())(
  'Regen dialect conformance on %p',
  databaseId => {
    let knex: Knex;
    let server: TestServer;
    const called = new Set<RegenCall>();
    const regen = regenClient(() => server, called);
    const native = testApi(() => server);

    beforeAll(async () => {
      knex = await databases.init(databaseId);
      ({ server } = await startPostmortemsBackend(knex));
    });

    /** An incident with two alerts, brought in through the native import. */
    async function importedIncidentWithAlerts() {
      const res = await native.post('/incidents/import', {
        incident: {
          title: 'Payments time out',
          severity: 'critical',
          status: 'triggered',
          triggered_at: '2026-03-01T10:00:00Z',
        },
        timeline: [
          {
            type: 'alert_linked',
            actor: 'alertmanager',
            timestamp: '2026-03-01T10:00:05Z',
            content: { alert: 'PaymentsLatencyHigh' },
          },
        ],
        alerts: [
          {
            source: 'prometheus',
            external_id: 'fp-1',
            severity: 'critical',
            title: 'PaymentsLatencyHigh',
            labels: { service: 'payments' },
            fired_at: '2026-03-01T09:59:00Z',
          },
          {
            source: 'grafana',
            severity: 'low',
            title: 'Disk 80%',
            fired_at: '2026-03-01T09:58:00Z',
            acknowledged_at: '2026-03-01T10:01:00Z',
            resolved_at: '2026-03-01T10:30:00Z',
          },
        ],
      });
      expect(res.status).toBe(201);
      return res.body as { id: string; number: number };
    }

    describe('incidents (incidents.ts, timeline.ts, alerts.ts)', () => {
      it('creates an incident from CreateIncidentModal’s body and answers IncidentResponse', async () => {
        const res = await regen(
          'createIncident',
          {},
          {
            body: {
              title: 'Checkout returns 502',
              severity: 'high',
              description: 'Since the 14:00 deploy',
              ai_enabled: false,
            },
          },
        );
        expect(res.status).toBe(201);
        const created = expectShape(incident, res.body);
        expect(created).toMatchObject({
          title: 'Checkout returns 502',
          severity: 'high',
          status: 'triggered',
          summary: 'Since the 14:00 deploy',
          created_by_type: 'user',
          created_by_id: ALICE,
        });
        expect(created.slug).toMatch(/^checkout-returns-502-[a-z0-9]{4}$/);
        expect(res.body).not.toHaveProperty('acknowledged_at');
        expect(res.body).not.toHaveProperty('commander_id');
      });

      it('defaults the severity to medium as Regen does', async () => {
        const res = await regen(
          'createIncident',
          {},
          {
            body: { title: 'No severity given' },
          },
        );
        expect(res.status).toBe(201);
        expect(expectShape(incident, res.body)).toMatchObject({
          severity: 'medium',
          summary: '',
        });
      });

      it('lists incidents as {data, total, limit, offset} with Regen’s filters and paging', async () => {
        const res = await regen(
          'listIncidents',
          {},
          {
            query: {
              status: 'triggered',
              severity: undefined,
              limit: 1,
              page: 2,
            },
          },
        );
        expect(res.status).toBe(200);
        const page = expectShape(paginated(incident), res.body);
        expect(page.limit).toBe(1);
        expect(page.offset).toBe(1);
        expect(page.data).toHaveLength(1);
        expect(page.total).toBeGreaterThanOrEqual(2);
        expect(page.data.every(i => i.status === 'triggered')).toBe(true);

        const defaults = await regen('listIncidents');
        expect(expectShape(paginated(incident), defaults.body)).toMatchObject({
          limit: 50,
          offset: 0,
        });
      });

      it('gets an incident by id or number with its alerts and timeline embedded', async () => {
        const imported = await importedIncidentWithAlerts();
        for (const id of [imported.id, imported.number]) {
          const res = await regen('getIncident', { id });
          expect(res.status).toBe(200);
          const detail = expectShape(incidentDetail, res.body);
          expect(detail.id).toBe(imported.id);
          expect(detail.incident_number).toBe(imported.number);
          expect(detail.alerts).toHaveLength(2);
          expect(detail.timeline.map(e => e.type)).toContain('alert_linked');
          const firing = detail.alerts.find(a => a.external_id === 'fp-1')!;
          expect(firing).toMatchObject({
            status: 'firing',
            severity: 'critical',
            acknowledgment_status: 'pending',
            labels: { service: 'payments' },
            started_at: '2026-03-01T09:59:00.000Z',
          });
          expect(firing).not.toHaveProperty('ended_at');
          const resolved = detail.alerts.find(a => a.source === 'grafana')!;
          expect(resolved).toMatchObject({
            status: 'resolved',
            severity: 'info',
            external_id: '',
            acknowledgment_status: 'acknowledged',
            ended_at: '2026-03-01T10:30:00.000Z',
          });
        }
      });

      it('updates status, severity, summary and commander with the bodies Regen’s dropdowns send', async () => {
        const created = (
          await regen(
            'createIncident',
            {},
            {
              body: { title: 'Queue backlog', severity: 'low' },
            },
          )
        ).body;
        const severity = await regen(
          'updateIncident',
          { id: created.id },
          {
            body: { severity: 'critical' },
          },
        );
        expect(severity.status).toBe(200);
        expect(expectShape(incident, severity.body).severity).toBe('critical');

        const ack = await regen(
          'updateIncident',
          { id: created.id },
          {
            body: { status: 'acknowledged' },
          },
        );
        expect(expectShape(incident, ack.body)).toMatchObject({
          status: 'acknowledged',
        });
        expect(ack.body.acknowledged_at).toEqual(expect.any(String));

        const commander = await regen(
          'updateIncident',
          { id: created.incident_number },
          { body: { commander_id: 'jane', summary: 'Consumers stalled' } },
        );
        expect(expectShape(incident, commander.body)).toMatchObject({
          commander_id: 'user:default/jane',
          commander_name: 'jane',
          summary: 'Consumers stalled',
        });

        // PropertiesPanel clears the commander with the nil UUID.
        const cleared = await regen(
          'updateIncident',
          { id: created.id },
          {
            body: { commander_id: '00000000-0000-0000-0000-000000000000' },
          },
        );
        expect(expectShape(incident, cleared.body)).not.toHaveProperty(
          'commander_id',
        );

        // Only ai_enabled: nothing Regen would change; the incident as it is.
        const toggle = await regen(
          'updateIncident',
          { id: created.id },
          {
            body: { ai_enabled: true },
          },
        );
        expect(toggle.status).toBe(200);
        expectShape(incident, toggle.body);

        const refused = await regen(
          'updateIncident',
          { id: created.id },
          {
            body: { status: 'canceled' },
          },
        );
        expect(refused.status).toBe(409);
        const error = expectShape(apiError, refused.body).error;
        expect(error.code).toBe('conflict');
        expect(error.details).toEqual({
          current_status: 'acknowledged',
          requested_status: 'canceled',
          valid_transitions: ['resolved'],
        });
      });

      it('reads the timeline paginated and adds AddTimelineEntry’s message', async () => {
        const created = (
          await regen(
            'createIncident',
            {},
            {
              body: { title: 'Timeline me', severity: 'medium' },
            },
          )
        ).body;
        const added = await regen(
          'addTimelineEntry',
          { id: created.id },
          {
            body: { type: 'message', content: { message: 'Rolled back' } },
          },
        );
        expect(added.status).toBe(201);
        expect(expectShape(timelineEntry, added.body)).toMatchObject({
          incident_id: created.id,
          type: 'message',
          actor_type: 'user',
          actor_id: ALICE,
          actor_name: 'alice',
          content: { message: 'Rolled back' },
        });

        const timeline = await regen(
          'getTimeline',
          { id: created.id },
          {
            query: { limit: 50, page: 1 },
          },
        );
        expect(timeline.status).toBe(200);
        const page = expectShape(paginated(timelineEntry), timeline.body);
        expect(page.data.map(e => e.type)).toEqual([
          'incident_created',
          'message',
        ]);
        expect(page).toMatchObject({ total: 2, limit: 50, offset: 0 });

        const notAMessage = await regen(
          'addTimelineEntry',
          { id: created.id },
          {
            body: { type: 'status_changed', content: { message: 'x' } },
          },
        );
        expect(notAMessage.status).toBe(400);
        expect(expectShape(apiError, notAMessage.body).error.details).toEqual({
          'body.type': "manual entries must have type='message'",
        });
      });

      it('lists alerts paginated and gets one', async () => {
        await importedIncidentWithAlerts();
        const res = await regen('listAlerts', {}, { query: { limit: 5 } });
        expect(res.status).toBe(200);
        const page = expectShape(paginated(alert), res.body);
        expect(page.limit).toBe(5);
        expect(page.data.length).toBeGreaterThan(0);
        const one = await regen('getAlert', { id: page.data[0].id });
        expect(one.status).toBe(200);
        expect(expectShape(alert, one.body).id).toBe(page.data[0].id);
      });
    });

    describe('templates (postmortems.ts)', () => {
      it('lists the built-ins as {data} with string sections and is_built_in', async () => {
        const res = await regen('listPostMortemTemplates');
        expect(res.status).toBe(200);
        const list = expectShape(
          z.strictObject({ data: z.array(template) }),
          res.body,
        );
        const builtins = list.data.filter(t => t.is_built_in);
        expect(builtins.length).toBeGreaterThanOrEqual(3);
        expect(builtins.every(t => t.sections.length > 0)).toBe(true);
      });

      it('creates, reads, updates and deletes a template with PostMortemTemplatesPage’s bodies', async () => {
        const created = await regen(
          'createPostMortemTemplate',
          {},
          {
            body: {
              name: 'Database incident',
              description: 'For data stores',
              sections: ['Summary', 'Root Cause', 'Data loss'],
            },
          },
        );
        expect(created.status).toBe(201);
        const body = expectShape(template, created.body);
        expect(body).toMatchObject({
          name: 'Database incident',
          sections: ['Summary', 'Root Cause', 'Data loss'],
          is_built_in: false,
        });

        const read = await regen('getPostMortemTemplate', { id: body.id });
        expect(expectShape(template, read.body)).toEqual(body);

        const updated = await regen(
          'updatePostMortemTemplate',
          { id: body.id },
          {
            body: {
              name: 'Database incidents',
              description: 'For data stores',
              sections: ['Summary', 'Data loss', 'Recovery'],
            },
          },
        );
        expect(updated.status).toBe(200);
        expect(expectShape(template, updated.body)).toMatchObject({
          name: 'Database incidents',
          sections: ['Summary', 'Data loss', 'Recovery'],
        });

        const emptySections = await regen(
          'updatePostMortemTemplate',
          { id: body.id },
          { body: { sections: [] } },
        );
        expect(emptySections.status).toBe(400);
        expect(
          Object.keys(expectShape(apiError, emptySections.body).error.details!),
        ).toEqual(['body.sections']);

        const deleted = await regen('deletePostMortemTemplate', {
          id: body.id,
        });
        expect(deleted.status).toBe(204);
        const gone = await regen('getPostMortemTemplate', { id: body.id });
        expect(gone.status).toBe(404);
        expect(expectShape(apiError, gone.body).error.code).toBe('not_found');
      });

      it('refuses to delete a built-in with 409, as Regen does', async () => {
        const list = (await regen('listPostMortemTemplates')).body.data;
        const builtin = list.find((t: any) => t.is_built_in);
        const res = await regen('deletePostMortemTemplate', { id: builtin.id });
        expect(res.status).toBe(409);
        expect(expectShape(apiError, res.body).error.code).toBe('conflict');
      });
    });

    describe('post-mortems, action items and comments (postmortems.ts)', () => {
      async function openIncident(title: string) {
        const res = await regen(
          'createIncident',
          {},
          {
            body: {
              title,
              severity: 'high',
              description: 'Customers saw errors',
            },
          },
        );
        return expectShape(incident, res.body);
      }

      it('answers not_found before a post-mortem exists (getPostMortem turns it into null)', async () => {
        const created = await openIncident('No post-mortem yet');
        const res = await regen('getPostMortem', { id: created.id });
        expect(res.status).toBe(404);
        expect(expectShape(apiError, res.body).error.code).toBe('not_found');
      });

      it('creates a blank draft, saves content and publishes without an override', async () => {
        const created = await openIncident('Write it by hand');
        const blank = await regen(
          'createPostMortem',
          { id: created.id },
          {
            body: {},
          },
        );
        expect(blank.status).toBe(201);
        const draft = expectShape(postMortem, blank.body);
        expect(draft).toMatchObject({
          incident_id: created.id,
          status: 'draft',
          action_items: [],
          cost_usd: 0,
          created_by_id: ALICE,
        });
        expect(blank.body).not.toHaveProperty('published_at');

        const saved = await regen(
          'updatePostMortem',
          { id: created.id },
          {
            body: {
              content: '# Write it by hand\n\n## Summary\n\nIt broke.\n',
            },
          },
        );
        expect(saved.status).toBe(200);
        expect(expectShape(postMortem, saved.body).content).toContain(
          'It broke.',
        );

        // The evidence check has findings (unwritten sections); Regen's
        // clients cannot override them, so the dialect publishes anyway.
        const published = await regen(
          'updatePostMortem',
          { id: created.id },
          {
            body: { status: 'published' },
          },
        );
        expect(published.status).toBe(200);
        expect(expectShape(postMortem, published.body)).toMatchObject({
          status: 'published',
          published_at: expect.any(String),
        });

        const read = await regen('getPostMortem', {
          id: created.incident_number,
        });
        expect(expectShape(postMortem, read.body).status).toBe('published');
      });

      it('generates on an incident that is not resolved yet, then enhances the editor’s content', async () => {
        const created = await openIncident('Draft me while open');
        const templates = (await regen('listPostMortemTemplates')).body.data;
        const generated = await regen(
          'generatePostMortem',
          { id: created.id },
          { body: { template_id: templates[0].id } },
        );
        expect(generated.status).toBe(200);
        const draft = expectShape(postMortem, generated.body);
        expect(draft).toMatchObject({
          status: 'draft',
          template_id: templates[0].id,
          template_name: templates[0].name,
          generated_at: expect.any(String),
        });
        expect(draft.content.length).toBeGreaterThan(0);

        const enhanced = await regen(
          'enhancePostMortem',
          { id: created.id },
          {
            body: {
              content: `${draft.content}\n\nThe deploy at 14:00 removed the pool limit.\n`,
            },
          },
        );
        expect(enhanced.status).toBe(200);
        expectShape(postMortem, enhanced.body);

        const tooShort = await regen(
          'enhancePostMortem',
          { id: created.id },
          {
            body: { content: 'short' },
          },
        );
        expect(tooShort.status).toBe(400);
        expect(
          Object.keys(expectShape(apiError, tooShort.body).error.details!),
        ).toEqual(['body.content']);
      });

      it('keeps action items in Regen’s words: title, owner as sent, RFC 3339 due date, closed', async () => {
        const created = await openIncident('Track the fixes');
        await regen('createPostMortem', { id: created.id }, { body: {} });
        const added = await regen(
          'createActionItem',
          { id: created.id },
          {
            body: {
              title: 'Add a pool limit alert',
              owner: 'jane',
              due_date: '2026-04-01T00:00:00Z',
            },
          },
        );
        expect(added.status).toBe(201);
        const item = expectShape(actionItem, added.body);
        expect(item).toMatchObject({
          title: 'Add a pool limit alert',
          owner: 'jane',
          due_date: '2026-04-01T00:00:00Z',
          status: 'open',
        });

        const unowned = await regen(
          'createActionItem',
          { id: created.id },
          {
            body: { title: 'Write a runbook' },
          },
        );
        const bare = expectShape(actionItem, unowned.body);
        expect(unowned.body).not.toHaveProperty('owner');
        expect(unowned.body).not.toHaveProperty('due_date');

        // ActionItems.tsx toggles the status with {status}.
        const closed = await regen(
          'updateActionItem',
          { id: created.id, itemId: item.id },
          { body: { status: 'closed' } },
        );
        expect(closed.status).toBe(200);
        expect(expectShape(actionItem, closed.body).status).toBe('closed');

        const pm = expectShape(
          postMortem,
          (await regen('getPostMortem', { id: created.id })).body,
        );
        expect(pm.action_items.map(i => [i.title, i.status])).toEqual([
          ['Add a pool limit alert', 'closed'],
          ['Write a runbook', 'open'],
        ]);
        expect(pm.action_items[0].post_mortem_id).toBe(pm.id);

        const deleted = await regen('deleteActionItem', {
          id: created.id,
          itemId: bare.id,
        });
        expect(deleted.status).toBe(204);
        expect(deleted.text).toBe('');

        const wrongStatus = await regen(
          'updateActionItem',
          { id: created.id, itemId: item.id },
          { body: { status: 'done' } },
        );
        expect(wrongStatus.status).toBe(400);
        expect(
          Object.keys(expectShape(apiError, wrongStatus.body).error.details!),
        ).toEqual(['body.status']);
      });

      it('lists, adds and deletes comments with CommentsThread’s body', async () => {
        const created = await openIncident('Discuss it');
        await regen('createPostMortem', { id: created.id }, { body: {} });
        const added = await regen(
          'createPostMortemComment',
          { id: created.id },
          {
            body: { author_name: 'Alice', content: 'Who owns the pool?' },
          },
        );
        expect(added.status).toBe(201);
        const posted = expectShape(comment, added.body);
        expect(posted).toMatchObject({
          author_id: ALICE,
          author_name: 'alice',
          content: 'Who owns the pool?',
        });

        const list = await regen('listPostMortemComments', { id: created.id });
        expect(list.status).toBe(200);
        expect(
          expectShape(z.strictObject({ data: z.array(comment) }), list.body)
            .data,
        ).toEqual([posted]);

        const deleted = await regen('deletePostMortemComment', {
          id: created.id,
          commentId: posted.id,
        });
        expect(deleted.status).toBe(204);

        const nameless = await regen(
          'createPostMortemComment',
          { id: created.id },
          {
            body: { content: 'no author' },
          },
        );
        expect(nameless.status).toBe(400);
        expect(
          Object.keys(expectShape(apiError, nameless.body).error.details!),
        ).toEqual(['body.author_name']);
      });

      it('downloads the export URL as a Markdown attachment', async () => {
        const created = await openIncident('Export me');
        await regen('createPostMortem', { id: created.id }, { body: {} });
        const res = await regen('getPostMortemExportUrl', { id: created.id });
        expect(res.status).toBe(200);
        expect(res.headers['content-type']).toMatch(/^text\/markdown/);
        expect(res.headers['content-disposition']).toMatch(
          /^attachment; filename=".+\.md"$/,
        );
        expect(res.text).toContain('# ');
      });
    });

    describe('errors and access', () => {
      it('answers in Regen’s envelope with a request id, echoing the caller’s', async () => {
        const res = await request(server)
          .post(`${BASE}/incidents`)
          .set(as(ALICE))
          .set('X-Request-ID', 'req-42')
          .set('Content-Type', 'application/json')
          .send(JSON.stringify({ severity: 'urgent' }));
        expect(res.status).toBe(400);
        const error = expectShape(apiError, res.body).error;
        expect(error).toMatchObject({
          code: 'validation_error',
          request_id: 'req-42',
        });
        expect(Object.keys(error.details!).sort()).toEqual([
          'body.severity',
          'body.title',
        ]);
        expect(res.headers['x-request-id']).toBe('req-42');

        const broken = await request(server)
          .post(`${BASE}/incidents`)
          .set(as(ALICE))
          .set('Content-Type', 'application/json')
          .send('{"title":');
        expect(broken.status).toBe(400);
        expect(expectShape(apiError, broken.body).error.code).toBe(
          'bad_request',
        );

        const unknown = await request(server)
          .get(`${BASE}/no-such-thing`)
          .set(as(ALICE));
        expect(unknown.status).toBe(404);
        expectShape(apiError, unknown.body);
      });

      it('lets a browser with the Backstage user cookie read and write, but not write without JSON', async () => {
        const cookie = {
          Cookie: mockCredentials.limitedUser.cookie(ALICE),
        };
        const viaCookie = regenClient(() => server, new Set(), cookie);
        expect((await viaCookie('listIncidents')).status).toBe(200);
        const created = await viaCookie(
          'createIncident',
          {},
          {
            body: { title: 'From Regen’s UI', severity: 'low' },
          },
        );
        expect(created.status).toBe(201);
        expect(created.body.created_by_id).toBe(ALICE);

        // A cross-site form post carries the cookie but cannot send JSON.
        const forged = await request(server)
          .post(`${BASE}/incidents`)
          .set(cookie)
          .type('form')
          .send({ title: 'forged', severity: 'low' });
        expect(forged.status).toBe(403);
        expect(expectShape(apiError, forged.body).error.code).toBe('forbidden');
      });

      it('takes service tokens as the native API does', async () => {
        const service = await request(server)
          .get(`${BASE}/incidents`)
          .set('Authorization', mockCredentials.service.header());
        expect(service.status).toBe(200);
        const none = await request(server)
          .get(`${BASE}/incidents`)
          .set('Authorization', mockCredentials.none.header());
        expect(none.status).toBe(401);
      });
    });

    it('called every route of the table', () => {
      expect([...called].sort()).toEqual(Object.keys(REGEN_ROUTES).sort());
    });
  },
);

/**
 * A backend where a request without a token has no identity (the test
 * backend's default is a signed-in user), so that the plugin's auth policy
 * for the dialect is what lets a cookie in; it also enforces the publish
 * checks in the dialect.
 */
describe('Regen dialect behind Backstage auth, with enforcePublishChecks', () => {
  let server: TestServer;

  beforeAll(async () => {
    const knex = await databases.init('SQLITE_3');
    ({ server } = await startTestBackend({
      features: [
        postmortemsPlugin,
        mockServices.database.factory({ knex }),
        mockServices.httpAuth.factory({
          defaultCredentials: mockCredentials.none(),
        }),
        mockServices.permissions.factory(),
        catalogServiceMock.factory({ entities: [] }),
        mockServices.rootConfig.factory({
          data: {
            postmortems: { regen: { dialect: { enforcePublishChecks: true } } },
          },
        }),
      ],
    }));
  });

  const cookie = { Cookie: mockCredentials.limitedUser.cookie(ALICE) };

  it('lets the Backstage user cookie into the dialect only, and nobody without credentials', async () => {
    expect((await request(server).get(`${BASE}/incidents`)).status).toBe(401);
    const anonymousWrite = await request(server)
      .post(`${BASE}/incidents`)
      .set('Content-Type', 'application/json')
      .send(JSON.stringify({ title: 'x' }));
    expect(anonymousWrite.status).toBe(401);

    const viaCookie = await request(server)
      .get(`${BASE}/incidents`)
      .set(cookie);
    expect(viaCookie.status).toBe(200);
    expectShape(paginated(incident), viaCookie.body);

    // The native API is for tokens only.
    const native = await request(server)
      .get('/api/postmortems/v1/incidents')
      .set(cookie);
    expect(native.status).toBe(401);
  });

  it('issues the cookie to a signed-in Backstage user, and Regen’s client works with it', async () => {
    const issued = await request(server)
      .get('/api/postmortems/.backstage/auth/v1/cookie')
      .set(as(ALICE));
    expect(issued.status).toBe(200);
    const setCookie = ([] as string[]).concat(issued.headers['set-cookie']);
    expect(setCookie.length).toBeGreaterThan(0);
    const browser = {
      Cookie: setCookie.map(c => c.split(';')[0]).join('; '),
    };
    const regen = regenClient(() => server, new Set(), browser);
    const created = await regen(
      'createIncident',
      {},
      {
        body: { title: 'Opened in Regen’s UI', severity: 'low' },
      },
    );
    expect(created.status).toBe(201);
    expect(expectShape(incident, created.body).created_by_id).toBe(ALICE);
  });

  it('refuses to publish while the evidence check has findings', async () => {
    const regen = regenClient(() => server, new Set(), cookie);
    const created = await regen(
      'createIncident',
      {},
      {
        body: { title: 'Strict publishing', severity: 'high' },
      },
    );
    expect(created.status).toBe(201);
    const id = created.body.id;
    await regen('createPostMortem', { id }, { body: {} });
    const res = await regen(
      'updatePostMortem',
      { id },
      {
        body: { status: 'published' },
      },
    );
    expect(res.status).toBe(409);
    const error = expectShape(apiError, res.body).error;
    expect(error.code).toBe('conflict');
    expect(error.details).toHaveProperty('findings');
  });
});
