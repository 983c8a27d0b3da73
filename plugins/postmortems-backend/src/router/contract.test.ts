import request from 'supertest';
import { Knex } from 'knex';
import { z } from 'zod';
import {
  actionItemSchema,
  alertSchema,
  errorEnvelopeSchema,
  generatedSectionSchema,
  generationJobSchema,
  healthSchema,
  incidentSchema,
  listSchema,
  pageSchema,
  postmortemCommentSchema,
  postmortemRevisionSchema,
  postmortemListItemSchema,
  postmortemSchema,
  postmortemTemplateSchema,
  providerStatusSchema,
  revisionDiffSchema,
  timelineEntrySchema,
} from '@postmortems-oss/backstage-plugin-postmortems-common';
import { createTestDatabases, testApi } from '@internal/postmortems-test-utils';
import { ALICE, startPostmortemsBackend } from '../__testUtils__/testBackend';

jest.setTimeout(120_000);

const databases = createTestDatabases();

/**
 * The body is what the schema promises, and nothing it leaves out: response
 * schemas strip unknown fields, so a field the server sends but the contract
 * does not name shows up as a difference at any depth.
 */
function expectContract(schema: z.ZodType, body: unknown) {
  const result = schema.safeParse(body);
  if (!result.success) {
    throw new Error(
      `The response breaks its schema:\n${z.prettifyError(result.error)}`,
    );
  }
  expect(result.data).toEqual(body);
}

/**
 * The response schemas in postmortems-common are what other plugins parse
 * the API's answers with (PostmortemsServiceClient), so they must describe
 * what the real routes send, on every database.
 */
describe.each(databases.eachSupportedId())(
  'the API contract on %p',
  databaseId => {
    let knex: Knex;
    let server: Awaited<ReturnType<typeof startPostmortemsBackend>>['server'];

    beforeAll(async () => {
      knex = await databases.init(databaseId);
      ({ server } = await startPostmortemsBackend(knex));
    });

    const { get, post, patch } = testApi(() => server);

    it('answers every resource in the shapes its schemas describe', async () => {
      const health = await request(server).get('/api/postmortems/health');
      expectContract(healthSchema, health.body);

      const imported = await post('/incidents/import', {
        incident: {
          title: 'Payments failing',
          severity: 'critical',
          status: 'resolved',
          commander: ALICE,
          services: ['component:default/payments-service'],
          chat: { provider: 'slack', channel_id: 'C123', thread_ts: '1.2' },
          source: 'pagerduty',
          external_id: `PD-contract-${databaseId}`,
          triggered_at: '2026-10-01T10:00:00Z',
          acknowledged_at: '2026-10-01T10:05:00Z',
          resolved_at: '2026-10-01T12:00:00Z',
        },
        timeline: [
          {
            type: 'incident_created',
            timestamp: '2026-10-01T10:00:00Z',
            content: { title: 'Payments failing' },
          },
          {
            type: 'status_changed',
            actor: ALICE,
            timestamp: '2026-10-01T12:00:00Z',
            content: { from: 'acknowledged', to: 'resolved' },
          },
        ],
        alerts: [
          {
            source: 'prometheus',
            severity: 'critical',
            title: 'PaymentsDown',
            labels: { team: 'payments' },
            fired_at: '2026-10-01T09:58:00Z',
          },
        ],
      });
      expect(imported.status).toBe(201);
      expectContract(incidentSchema, imported.body);
      const id = imported.body.id;

      const created = await post('/incidents', {
        title: 'Search is slow',
        severity: 'medium',
      });
      expectContract(incidentSchema, created.body);
      expectContract(
        incidentSchema,
        (await patch(`/incidents/${created.body.id}`, { summary: 'p99' })).body,
      );
      expectContract(
        pageSchema(incidentSchema),
        (await get('/incidents')).body,
      );
      expectContract(incidentSchema, (await get(`/incidents/${id}`)).body);
      const message = await post(`/incidents/${id}/timeline`, {
        type: 'message',
        content: 'Rolled back',
      });
      expectContract(timelineEntrySchema, message.body);
      expectContract(
        pageSchema(timelineEntrySchema),
        (await get(`/incidents/${id}/timeline`)).body,
      );
      const alerts = await get(`/incidents/${id}/alerts`);
      expectContract(listSchema(alertSchema), alerts.body);
      expectContract(pageSchema(alertSchema), (await get('/alerts')).body);
      expectContract(
        alertSchema,
        (await get(`/alerts/${alerts.body.data[0].id}`)).body,
      );

      // A generated draft carries findings, evidence and proposed items.
      const job = await post(
        `/incidents/${id}/postmortem/generate`,
        {},
        { Prefer: 'respond-async' },
      );
      expect(job.status).toBe(202);
      expectContract(generationJobSchema, job.body);
      const events = await testApi(server).eventStream(
        `/generation-jobs/${job.body.id}/events`,
      );
      const sections = [
        ...(events.body as string).matchAll(/^event: section\ndata: (.*)$/gm),
      ].map(m => JSON.parse(m[1]));
      expect(sections.length).toBeGreaterThan(0);
      sections.forEach(section =>
        expectContract(generatedSectionSchema, section),
      );
      const finished = await get(`/generation-jobs/${job.body.id}`);
      expect(finished.body.status).toBe('succeeded');
      expectContract(generationJobSchema, finished.body);
      expectContract(
        providerStatusSchema,
        (await get('/system/provider')).body,
      );

      const postmortem = await get(`/incidents/${id}/postmortem`);
      expectContract(postmortemSchema, postmortem.body);
      const item = await post(`/incidents/${id}/postmortem/action-items`, {
        title: 'Alert on certificate expiry',
        owner: 'alice',
        due_date: '2026-11-01',
      });
      expect(item.status).toBe(201);
      expectContract(actionItemSchema, item.body);
      expectContract(
        actionItemSchema,
        (
          await patch(
            `/incidents/${id}/postmortem/action-items/${item.body.id}`,
            { status: 'closed' },
          )
        ).body,
      );
      expectContract(
        pageSchema(actionItemSchema),
        (await get('/action-items')).body,
      );
      const comment = await post(`/incidents/${id}/postmortem/comments`, {
        body: 'Looks right',
      });
      expectContract(postmortemCommentSchema, comment.body);
      expectContract(
        listSchema(postmortemCommentSchema),
        (await get(`/incidents/${id}/postmortem/comments`)).body,
      );

      const saved = await patch(`/incidents/${id}/postmortem`, {
        sections: [{ key: 'summary', title: 'Summary', markdown: 'Fixed.' }],
      });
      expectContract(postmortemSchema, saved.body);
      const published = await patch(`/incidents/${id}/postmortem`, {
        status: 'published',
        override_findings: true,
      });
      expect(published.body.status).toBe('published');
      expectContract(postmortemSchema, published.body);
      const revisions = await get(`/incidents/${id}/postmortem/revisions`);
      expectContract(listSchema(postmortemRevisionSchema), revisions.body);
      expectContract(
        postmortemRevisionSchema,
        (await get(`/incidents/${id}/postmortem/revisions/1`)).body,
      );
      expectContract(
        revisionDiffSchema,
        (
          await get(
            `/incidents/${id}/postmortem/revisions/${published.body.version}/diff?against=1`,
          )
        ).body,
      );
      // Lists carry the incident in brief, and each document only when asked.
      const list = await get('/postmortems?status=published');
      expect(list.body.data[0].incident).toBeDefined();
      expectContract(pageSchema(postmortemListItemSchema), list.body);
      for (const field of [
        'content',
        'sections',
        'findings',
        'evidence',
        'action_items',
      ]) {
        expect(list.body.data[0]).not.toHaveProperty(field);
      }
      // Items are counted unless asked for.
      const listed = list.body.data.find(
        (p: { incident_id: string }) => p.incident_id === id,
      );
      expect(listed.action_item_counts).toEqual({
        total: published.body.action_items.length,
        open: published.body.action_items.filter(
          (i: { status: string }) => i.status !== 'done',
        ).length,
      });
      const whole = await get(
        '/postmortems?status=published&include=content,action_items',
      );
      expectContract(pageSchema(postmortemListItemSchema), whole.body);
      expect(
        whole.body.data.find(
          (p: { incident_id: string }) => p.incident_id === id,
        ).action_items,
      ).toEqual(published.body.action_items);
      expect(
        whole.body.data.find(
          (p: { incident_id: string }) => p.incident_id === id,
        ).content,
      ).toBe(published.body.content);
      expect(
        (await get('/postmortems?include=everything')).body.error.message,
      ).toMatch(/include/);

      const templates = await get('/post-mortem-templates');
      expectContract(listSchema(postmortemTemplateSchema), templates.body);
      const template = await post('/post-mortem-templates', {
        name: `Contract ${databaseId}`,
        sections: [{ title: 'What happened' }],
      });
      expect(template.status).toBe(201);
      expectContract(postmortemTemplateSchema, template.body);

      const invalid = await post('/incidents', { title: '' });
      expect(invalid.status).toBe(400);
      expectContract(errorEnvelopeSchema, invalid.body);
      const missing = await get('/incidents/INC-999999');
      expect(missing.status).toBe(404);
      expectContract(errorEnvelopeSchema, missing.body);
    });
  },
);
