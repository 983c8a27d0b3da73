import request from 'supertest';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { postmortemExportJsonSchema } from '@postmortems-oss/backstage-plugin-postmortems-common';
import { Knex } from 'knex';
import {
  API_V1,
  createTestDatabases,
  draftFor,
  resolvedIncident,
  testApi,
} from '@internal/postmortems-test-utils';
import {
  ALICE,
  MALLORY,
  as,
  startPostmortemsBackend,
} from './__testUtils__/testBackend';

jest.setTimeout(120_000);

const databases = createTestDatabases();

describe.each(databases.eachSupportedId())('router on %p', databaseId => {
  let knex: Knex;
  let server: Awaited<ReturnType<typeof startPostmortemsBackend>>['server'];

  beforeAll(async () => {
    knex = await databases.init(databaseId);
    ({ server } = await startPostmortemsBackend(knex));
  });

  const api = (userRef = ALICE) => testApi(server, userRef);

  describe('authentication', () => {
    it('answers health without a token and everything else only with one', async () => {
      expect(
        (await request(server).get('/api/postmortems/health')).status,
      ).toBe(200);
      const res = await request(server)
        .get(`${API_V1}/incidents`)
        .set('Authorization', 'Bearer mock-none-token');
      expect(res.status).toBe(401);
    });
  });

  describe('incidents', () => {
    it('creates an incident, records it on the timeline and finds it by number or reference', async () => {
      const res = await api().post('/incidents', {
        title: 'Search is slow',
        severity: 'medium',
        description: 'p99 above 2 s',
        services: ['component:default/search-service'],
        commander: ALICE,
      });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({
        title: 'Search is slow',
        status: 'triggered',
        severity: 'medium',
        commander: ALICE,
        created_by: ALICE,
        services: ['component:default/search-service'],
      });
      const byRef = await api().get(`/incidents/${res.body.reference}`);
      expect(byRef.body.id).toBe(res.body.id);
      const timeline = await api().get(
        `/incidents/${res.body.number}/timeline`,
      );
      expect(timeline.body.data.map((e: any) => e.type)).toEqual([
        'incident_created',
        'commander_assigned',
      ]);
    });

    it('follows the status machine and names the allowed transitions on a 409', async () => {
      const created = (
        await api().post('/incidents', { title: 'x', severity: 'low' })
      ).body;
      const ack = await api().patch(`/incidents/${created.id}`, {
        status: 'acknowledged',
        severity: 'high',
      });
      expect(ack.status).toBe(200);
      expect(ack.body.acknowledged_at).not.toBeNull();

      const cancel = await api().patch(`/incidents/${created.id}`, {
        status: 'canceled',
      });
      expect(cancel.status).toBe(409);
      expect(cancel.body.error).toMatchObject({
        code: 'conflict',
        details: {
          current_status: 'acknowledged',
          allowed_transitions: ['resolved'],
        },
      });
      expect(cancel.body.error.message).toContain('allowed: resolved');

      const timeline = await api().get(`/incidents/${created.id}/timeline`);
      expect(timeline.body.data.map((e: any) => [e.type, e.content])).toEqual([
        ['incident_created', { title: 'x', severity: 'low' }],
        ['status_changed', { from: 'triggered', to: 'acknowledged' }],
        ['severity_changed', { from: 'low', to: 'high' }],
      ]);
    });

    it('adds messages to the timeline and paginates it oldest first', async () => {
      const incident = await resolvedIncident(api());
      for (const text of ['one', 'two', 'three']) {
        const res = await api().post(`/incidents/${incident.id}/timeline`, {
          type: 'message',
          content: text,
        });
        expect(res.status).toBe(201);
      }
      const page = await api().get(
        `/incidents/${incident.id}/timeline?page=2&limit=2`,
      );
      expect(page.body).toMatchObject({ total: 6, page: 2, limit: 2 });
      const all = await api().get(
        `/incidents/${incident.id}/timeline?limit=100`,
      );
      expect(
        all.body.data
          .filter((e: any) => e.type === 'message')
          .map((e: any) => e.content.text),
      ).toEqual(['one', 'two', 'three']);
      const edit = await request(server)
        .patch(
          `${API_V1}/incidents/${incident.id}/timeline/${all.body.data[0].id}`,
        )
        .set(as(ALICE))
        .send({ content: 'rewritten' });
      // An entry's curation can change, never what it says.
      expect(edit.status).toBe(400);
      expect(edit.body.error.details.fields[0].message).toContain('content');
      const after = await api().get(
        `/incidents/${incident.id}/timeline?limit=100`,
      );
      expect(after.body.data[0].content).toEqual(all.body.data[0].content);
    });

    it('filters the incident list with Regen query parameters', async () => {
      await resolvedIncident(api());
      const res = await api().get(
        '/incidents?status=resolved&severity=high&limit=5',
      );
      expect(res.status).toBe(200);
      expect(res.body.limit).toBe(5);
      expect(res.body.data.length).toBeGreaterThan(0);
      expect(
        res.body.data.every(
          (i: any) => i.status === 'resolved' && i.severity === 'high',
        ),
      ).toBe(true);
      const bad = await api().get('/incidents?status=exploded');
      expect(bad.status).toBe(400);
      expect(bad.body.error.code).toBe('validation_error');
      expect(bad.body.error.details.fields[0].field).toBe('query.status.0');
    });

    it('imports an incident with its timeline and alerts, once', async () => {
      const document = {
        incident: {
          title: 'Imported outage',
          severity: 'critical',
          status: 'resolved',
          services: ['component:default/payments-service'],
          source: 'pagerduty',
          external_id: `PD-${databaseId}`,
          triggered_at: '2026-10-01T10:00:00Z',
          resolved_at: '2026-10-01T12:00:00Z',
        },
        timeline: [
          {
            type: 'status_changed',
            timestamp: '2026-10-01T12:00:00Z',
            content: { from: 'triggered', to: 'resolved' },
          },
          {
            type: 'incident_created',
            timestamp: '2026-10-01T10:00:00Z',
            content: { title: 'Imported outage' },
          },
        ],
        alerts: [
          {
            source: 'prometheus',
            severity: 'critical',
            title: 'PaymentsDown',
            fired_at: '2026-10-01T09:58:00Z',
          },
        ],
      };
      const res = await api().post('/incidents/import', document);
      expect(res.status).toBe(201);
      const timeline = await api().get(`/incidents/${res.body.id}/timeline`);
      expect(timeline.body.data.map((e: any) => e.type)).toEqual([
        'incident_created',
        'status_changed',
      ]);
      const alerts = await api().get(`/incidents/${res.body.id}/alerts`);
      expect(alerts.body.data[0]).toMatchObject({
        title: 'PaymentsDown',
        status: 'firing',
      });
      const alert = await api().get(`/alerts/${alerts.body.data[0].id}`);
      expect(alert.status).toBe(200);

      expect((await api().post('/incidents/import', document)).status).toBe(
        409,
      );
      const invalid = await api().post('/incidents/import', {
        ...document,
        incident: { ...document.incident, triggered_at: 'yesterday' },
      });
      expect(invalid.status).toBe(400);
      expect(invalid.body.error.details.fields[0].field).toBe(
        'body.incident.triggered_at',
      );
    });

    it('answers 404 for unknown incidents and alerts', async () => {
      expect((await api().get('/incidents/INC-999999')).status).toBe(404);
      expect((await api().get('/incidents/not-an-id')).body.error.code).toBe(
        'not_found',
      );
      expect((await api().get('/alerts/nope')).status).toBe(404);
    });
  });

  describe('post-mortems', () => {
    it('is 404 before it exists, then a blank draft from the active template', async () => {
      const incident = await resolvedIncident(api());
      expect(
        (await api().get(`/incidents/${incident.id}/postmortem`)).status,
      ).toBe(404);
      const created = await api().post(`/incidents/${incident.id}/postmortem`);
      expect(created.status).toBe(201);
      expect(created.headers.etag).toBe('"1"');
      expect(created.body).toMatchObject({
        status: 'draft',
        version: 1,
        template_name: 'Standard',
        generated_by: 'manual',
        action_items: [],
      });
      expect(created.body.sections.map((s: any) => s.title)).toEqual([
        'Summary',
        'Timeline',
        'Root cause',
        'Contributing factors',
        'Action items',
        'Detection',
        'Resolution',
      ]);
      expect(created.body.content).toContain(
        `# Post-mortem: ${incident.reference}`,
      );
      expect(
        (await api().post(`/incidents/${incident.id}/postmortem`)).status,
      ).toBe(409);
      const timeline = await api().get(
        `/incidents/${incident.id}/timeline?limit=100`,
      );
      expect(timeline.body.data.map((e: any) => e.type)).toContain(
        'postmortem_created',
      );
    });

    it('uses the chosen template and 404s an unknown one', async () => {
      const templates = (await api().get('/post-mortem-templates')).body.data;
      const security = templates.find((t: any) => t.name === 'Security');
      const incident = await resolvedIncident(api());
      expect(
        (
          await api().post(`/incidents/${incident.id}/postmortem`, {
            template_id: 'missing',
          })
        ).status,
      ).toBe(404);
      const created = await api().post(`/incidents/${incident.id}/postmortem`, {
        template_id: security.id,
      });
      expect(created.body.template_name).toBe('Security');
      expect(created.body.sections.map((s: any) => s.key)).toContain(
        'containment',
      );
    });

    it('saves with optimistic concurrency and keeps every version as a revision', async () => {
      const incident = await resolvedIncident(api());
      await draftFor(api(), incident);
      const path = `/incidents/${incident.id}/postmortem`;

      const first = await api().patch(path, {
        version: 1,
        sections: [
          {
            key: 'summary',
            title: 'Summary',
            markdown: 'Card payments failed for 40 minutes.',
          },
        ],
      });
      expect(first.status).toBe(200);
      expect(first.body.version).toBe(2);
      expect(first.body.content).toContain(
        '## Summary\n\nCard payments failed for 40 minutes.',
      );

      const second = await request(server)
        .patch(`${API_V1}${path}`)
        .set(as(ALICE))
        .set('If-Match', '"2"')
        .send({
          content:
            '# T\n\n## Summary\n\nPayments failed.\n\n## Root cause\n\nAn expired certificate.',
        });
      expect(second.status).toBe(200);
      expect(second.body.sections).toEqual([
        { key: 'summary', title: 'Summary', markdown: 'Payments failed.' },
        {
          key: 'root_cause',
          title: 'Root cause',
          markdown: 'An expired certificate.',
        },
      ]);

      const stale = await api().patch(path, {
        version: 2,
        content: 'my edit of version 2',
      });
      expect(stale.status).toBe(409);
      expect(stale.body.error.details.current_version).toBe(3);
      expect(stale.body.error.details.current.content).toContain(
        'An expired certificate.',
      );

      // Regen's clients send no version: accepted, and the replaced text is kept.
      const regen = await api().patch(path, {
        content: '## Summary\n\nOverwritten by a script',
      });
      expect(regen.body.version).toBe(4);

      const revisions = await api().get(`${path}/revisions`);
      expect(
        revisions.body.data.map((r: any) => [r.version, r.reason, r.author]),
      ).toEqual([
        [4, 'save', ALICE],
        [3, 'save', ALICE],
        [2, 'save', ALICE],
        [1, 'create', ALICE],
      ]);
      const three = await api().get(`${path}/revisions/3`);
      expect(three.body.content).toContain('An expired certificate.');

      const diff = await api().get(`${path}/revisions/4/diff?against=3`);
      expect(
        diff.body.changes.some(
          (c: any) => c.kind === 'added' && c.text.includes('Overwritten'),
        ),
      ).toBe(true);
      expect(
        diff.body.changes.some(
          (c: any) => c.kind === 'removed' && c.text.includes('expired'),
        ),
      ).toBe(true);

      const restored = await api().post(`${path}/revisions/3/restore`, {
        version: 4,
      });
      expect(restored.status).toBe(200);
      expect(restored.body.version).toBe(5);
      expect(restored.body.content).toContain('An expired certificate.');
      expect(
        (await api().post(`${path}/revisions/3/restore`, { version: 4 }))
          .status,
      ).toBe(409);
      expect((await api().get(`${path}/revisions/99`)).status).toBe(404);
    });

    it('never loses an edit under concurrent conflicting saves', async () => {
      const incident = await resolvedIncident(api());
      await draftFor(api(), incident);
      const path = `/incidents/${incident.id}/postmortem`;
      const results = await Promise.all(
        Array.from({ length: 8 }, (_, i) =>
          api().patch(path, {
            version: 1,
            content: `## Summary\n\nwriter ${i}`,
          }),
        ),
      );
      const accepted = results.filter(r => r.status === 200);
      const rejected = results.filter(r => r.status === 409);
      expect(accepted).toHaveLength(1);
      expect(rejected).toHaveLength(7);
      const revisions = (await api().get(`${path}/revisions`)).body.data;
      expect(revisions.map((r: any) => r.content)).toContain(
        accepted[0].body.content,
      );
    });

    it('publishes and unpublishes, exports JSON and Markdown', async () => {
      const incident = await resolvedIncident(api(), 'Export me');
      await draftFor(api(), incident);
      const path = `/incidents/${incident.id}/postmortem`;
      await api().post(`${path}/action-items`, {
        title: 'Rotate certificates automatically',
        owner: 'bob',
      });

      // A blank draft has unwritten required sections: publishing needs the override.
      const refused = await api().patch(path, { status: 'published' });
      expect(refused.status).toBe(409);
      expect(refused.body.error.details.findings.length).toBeGreaterThan(0);
      const published = await api().patch(path, {
        status: 'published',
        override_findings: true,
      });
      expect(published.body).toMatchObject({
        status: 'published',
        published_by: ALICE,
      });
      expect(published.body.published_at).not.toBeNull();

      const json = await api().get(`${path}/export?format=json`);
      expect(json.status).toBe(200);
      expect(json.headers['content-disposition']).toContain(
        `postmortem-${incident.reference.toLowerCase()}.json`,
      );
      const ajv = new Ajv2020({ allErrors: true });
      addFormats(ajv);
      const validate = ajv.compile(postmortemExportJsonSchema);
      expect(validate(json.body) ? [] : validate.errors).toEqual([]);
      const schema = await api().get('/postmortem-export-schema');
      expect(schema.body.$id).toBe(postmortemExportJsonSchema.$id);
      expect(json.body.action_items[0]).toMatchObject({
        description: 'Rotate certificates automatically',
        title: 'Rotate certificates automatically',
        owner: 'user:default/bob',
        status: 'open',
      });
      const markdown = await api().get(`${path}/export?format=markdown`);
      expect(markdown.headers['content-type']).toContain('text/markdown');
      expect(markdown.headers['content-disposition']).toContain(
        `postmortem-${incident.reference.toLowerCase()}.md`,
      );
      expect(markdown.text).toContain('# Post-mortem:');
      expect(markdown.text).toContain(
        '| open | Rotate certificates automatically | user:default/bob |',
      );

      const unpublished = await api().patch(path, { status: 'draft' });
      expect(unpublished.body.published_at).toBeNull();
      const reasons = (await api().get(`${path}/revisions`)).body.data.map(
        (r: any) => r.reason,
      );
      expect(reasons.slice(0, 2)).toEqual(['unpublish', 'publish']);
    });

    it('lists post-mortems of a service across incidents', async () => {
      const a = await resolvedIncident(api());
      await draftFor(api(), a);
      const list = await api().get(
        '/postmortems?entityRef=component:default/checkout-api&status=draft',
      );
      expect(list.status).toBe(200);
      expect(list.body.data.some((p: any) => p.incident_id === a.id)).toBe(
        true,
      );
      expect((await api().get('/postmortems?entityRef=not a ref')).status).toBe(
        400,
      );
    });

    it('keeps comments with their real authors', async () => {
      const incident = await resolvedIncident(api());
      await draftFor(api(), incident);
      const path = `/incidents/${incident.id}/postmortem/comments`;
      const comment = await api().post(path, {
        body: 'Was the alert threshold right?',
      });
      expect(comment.status).toBe(201);
      expect(comment.body.author).toBe(ALICE);
      expect((await api().get(path)).body.data).toHaveLength(1);
      expect((await api().post(path, { body: '' })).status).toBe(400);
      expect((await api().delete(`${path}/${comment.body.id}`)).status).toBe(
        204,
      );
      expect((await api().delete(`${path}/${comment.body.id}`)).status).toBe(
        404,
      );
    });
  });

  describe('action items', () => {
    it('accepts Regen field names, checks ownership of items and owners', async () => {
      const incident = await resolvedIncident(api());
      await draftFor(api(), incident);
      const other = await resolvedIncident(api());
      await draftFor(api(), other);
      const path = `/incidents/${incident.id}/postmortem/action-items`;

      const created = await api().post(path, {
        title: 'Add an alert on certificate expiry',
        owner: 'group:default/sre',
        due_date: '2026-12-01',
        category: 'detection',
        external_url: 'https://tracker.example.com/SRE-1',
      });
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({
        description: 'Add an alert on certificate expiry',
        owner: 'group:default/sre',
        status: 'open',
        source: 'manual',
        accepted: true,
      });

      const closed = await api().patch(`${path}/${created.body.id}`, {
        status: 'closed',
      });
      expect(closed.body.status).toBe('done');

      // An item id of another post-mortem is not found under this one.
      expect(
        (
          await api().patch(
            `/incidents/${other.id}/postmortem/action-items/${created.body.id}`,
            { status: 'open' },
          )
        ).status,
      ).toBe(404);
      expect(
        (
          await api().delete(
            `/incidents/${other.id}/postmortem/action-items/${created.body.id}`,
          )
        ).status,
      ).toBe(404);

      const badOwner = await api().post(path, {
        title: 'x',
        owner: 'component:default/checkout-api',
      });
      expect(badOwner.status).toBe(400);
      expect(badOwner.body.error.details.fields[0].field).toBe('owner');
      const noDescription = await api().post(path, { owner: 'alice' });
      expect(noDescription.body.error.details.fields[0].field).toBe(
        'body.description',
      );
      const badDate = await api().post(path, {
        title: 'x',
        due_date: '31/12/2026',
      });
      expect(badDate.status).toBe(400);

      expect((await api().delete(`${path}/${created.body.id}`)).status).toBe(
        204,
      );
      const postmortem = await api().get(
        `/incidents/${incident.id}/postmortem`,
      );
      expect(postmortem.body.action_items).toEqual([]);
    });

    it('lists overdue items across post-mortems', async () => {
      const incident = await resolvedIncident(api());
      await draftFor(api(), incident);
      const path = `/incidents/${incident.id}/postmortem/action-items`;
      const owner = `user:default/overdue-${databaseId.toLowerCase()}`;
      await api().post(path, {
        title: 'long overdue',
        owner,
        due_date: '2020-01-01',
      });
      await api().post(path, {
        title: 'far future',
        owner,
        due_date: '2999-01-01',
      });
      const overdue = await api().get(
        `/action-items?owner=${owner}&overdue=true`,
      );
      expect(overdue.body.data.map((i: any) => i.description)).toEqual([
        'long overdue',
      ]);
      expect((await api().get(`/action-items?owner=${owner}`)).body.total).toBe(
        2,
      );
    });
  });

  describe('templates', () => {
    it('ships the built-ins, one of them active', async () => {
      const res = await api().get('/post-mortem-templates');
      const names = res.body.data.map((t: any) => t.name);
      expect(names).toEqual(
        expect.arrayContaining(['Standard', 'Infrastructure', 'Security']),
      );
      expect(res.body.data.filter((t: any) => t.is_active)).toHaveLength(1);
      const standard = res.body.data.find((t: any) => t.name === 'Standard');
      expect(standard.sections).toHaveLength(7);
      expect(standard.sections[0].guiding_questions.length).toBeGreaterThan(0);
      expect(standard.action_item_categories.length).toBeGreaterThan(0);
    });

    it('creates, copies, activates and deletes templates with the right conflicts', async () => {
      const name = `Payments ${databaseId}`;
      const created = await api().post('/post-mortem-templates', {
        name,
        description: 'For payment incidents',
        sections: [
          {
            title: 'Customer impact',
            required: true,
            guiding_questions: ['How many payments failed?'],
          },
          { title: 'Root cause' },
        ],
        action_item_categories: ['prevention'],
      });
      expect(created.status).toBe(201);
      expect(created.body.sections.map((s: any) => s.key)).toEqual([
        'customer_impact',
        'root_cause',
      ]);
      expect(
        (
          await api().post('/post-mortem-templates', {
            name,
            sections: [{ title: 'x' }],
          })
        ).status,
      ).toBe(409);
      expect(
        (
          await api().post('/post-mortem-templates', {
            name: 'No sections',
            sections: [],
          })
        ).status,
      ).toBe(400);

      const renamed = await api().patch(
        `/post-mortem-templates/${created.body.id}`,
        { description: 'Changed' },
      );
      expect(renamed.body.description).toBe('Changed');

      const templates = (await api().get('/post-mortem-templates')).body.data;
      const standard = templates.find((t: any) => t.name === 'Standard');
      expect(
        (
          await api().patch(`/post-mortem-templates/${standard.id}`, {
            description: 'x',
          })
        ).status,
      ).toBe(409);
      expect(
        (await api().delete(`/post-mortem-templates/${standard.id}`)).status,
      ).toBe(409);

      const copy = await api().post(
        `/post-mortem-templates/${standard.id}/copy`,
      );
      expect(copy.status).toBe(201);
      expect(copy.body).toMatchObject({ is_builtin: false, is_active: false });
      expect(copy.body.name).toMatch(/^Copy of Standard/);

      const activated = await api().post(
        `/post-mortem-templates/${created.body.id}/activate`,
      );
      expect(activated.body.is_active).toBe(true);
      expect(
        (await api().delete(`/post-mortem-templates/${created.body.id}`))
          .status,
      ).toBe(409);
      await api().post(`/post-mortem-templates/${standard.id}/activate`);
      expect(
        (await api().delete(`/post-mortem-templates/${created.body.id}`))
          .status,
      ).toBe(204);
      expect(
        (await api().get(`/post-mortem-templates/${created.body.id}`)).status,
      ).toBe(404);
    });
  });

  describe('permissions', () => {
    it('refuses writes to a user without the permissions', async () => {
      const incident = await resolvedIncident(api());
      expect(
        (await api(MALLORY).post('/incidents', { title: 'x', severity: 'low' }))
          .status,
      ).toBe(403);
      expect(
        (await api(MALLORY).post(`/incidents/${incident.id}/postmortem`))
          .status,
      ).toBe(403);
      expect(
        (
          await api(MALLORY).post('/post-mortem-templates', {
            name: 'm',
            sections: [{ title: 'x' }],
          })
        ).status,
      ).toBe(403);
      const res = await api(MALLORY).patch(`/incidents/${incident.id}`, {
        status: 'resolved',
      });
      expect(res.status).toBe(403);
      expect(res.body.error.code).toBe('forbidden');
    });

    it('hides drafts from lists, reads and exports of users who may not read them', async () => {
      const incident = await resolvedIncident(api(), 'Secret draft');
      const draft = await draftFor(api(), incident);
      const path = `/incidents/${incident.id}/postmortem`;

      expect((await api(MALLORY).get(path)).status).toBe(403);
      expect(
        (await api(MALLORY).get(`${path}/export?format=markdown`)).status,
      ).toBe(403);
      expect(
        (await api(MALLORY).get(`${path}/export?format=json`)).status,
      ).toBe(403);
      expect((await api(MALLORY).get(`${path}/revisions`)).status).toBe(403);
      const list = await api(MALLORY).get('/postmortems?limit=100');
      expect(list.body.data.map((p: any) => p.id)).not.toContain(draft.id);
      expect(
        (await api(ALICE).get('/postmortems?limit=100')).body.data.map(
          (p: any) => p.id,
        ),
      ).toContain(draft.id);

      await api().patch(path, { status: 'published', override_findings: true });
      const readable = await api(MALLORY).get(path);
      expect(readable.status).toBe(200);
      expect(
        (await api(MALLORY).patch(path, { content: 'vandalism' })).status,
      ).toBe(403);
      expect((await api(MALLORY).patch(path, { status: 'draft' })).status).toBe(
        403,
      );
      expect((await api(ALICE).get(path)).body.content).not.toContain(
        'vandalism',
      );
    });
  });

  describe('bad input', () => {
    // Each case: method, path (with :id filled in), body; none may be a 5xx or change stored data.
    const malformedBodies: unknown[] = [
      null,
      [],
      'text',
      42,
      { title: 7 },
      { severity: 'apocalyptic', title: 'x' },
      { status: ['resolved'] },
      { content: { nested: true } },
      { sections: [{ key: 'BAD KEY', title: 't', markdown: '' }] },
      { version: -1 },
      { version: 'two' },
      { template_id: '' },
      { owner: 'kind:with:colons/and/slashes' },
      { due_date: 'tomorrow' },
      // eslint-disable-next-line no-script-url -- a hostile link the API must refuse
      { external_url: 'javascript:alert(1)' },
      { type: 'status_changed', content: 42 },
      { incident: { title: 'x' } },
      { name: '', sections: 'none' },
      { body: { html: '<script>' } },
      { ['__proto__']: { admin: true } },
      {
        title: 'nul \u0000 byte',
        severity: 'low',
        content: 'a\u0000b',
        body: '\u0000',
      },
    ];
    const routes = (id: string, itemId: string) => [
      ['post', '/incidents'],
      ['patch', `/incidents/${id}`],
      ['post', `/incidents/${id}/timeline`],
      ['post', '/incidents/import'],
      ['post', `/incidents/${id}/postmortem`],
      ['patch', `/incidents/${id}/postmortem`],
      ['post', `/incidents/${id}/postmortem/action-items`],
      ['patch', `/incidents/${id}/postmortem/action-items/${itemId}`],
      ['post', `/incidents/${id}/postmortem/comments`],
      ['post', `/incidents/${id}/postmortem/revisions/1/restore`],
      ['post', '/post-mortem-templates'],
    ];
    const badIds = [
      '%00',
      'x'.repeat(300),
      "1' OR '1'='1",
      '..%2F..%2Fetc',
      '-1',
      '0',
      '99999999999',
    ];

    async function snapshot() {
      const tables = [
        'incidents',
        'timeline_entries',
        'postmortems',
        'postmortem_revisions',
        'action_items',
        'postmortem_comments',
        'templates',
        'alerts',
      ];
      const counts: Record<string, number> = {};
      for (const table of tables) {
        const [{ count }] = await knex(table).count({ count: '*' });
        counts[table] = Number(count);
      }
      const versions = await knex('postmortems')
        .select('id', 'version', 'content')
        .orderBy('id');
      return { counts, versions };
    }

    it('answers malformed bodies with a 4xx and changes nothing', async () => {
      const incident = await resolvedIncident(api());
      await draftFor(api(), incident);
      const item = await api().post(
        `/incidents/${incident.id}/postmortem/action-items`,
        { title: 'keep me' },
      );
      const before = await snapshot();
      const unexpected: unknown[] = [];
      for (const [method, path] of routes(incident.id, item.body.id)) {
        for (const body of malformedBodies) {
          const req = (request(server) as any)
            [method](`${API_V1}${path}`)
            .set(as(ALICE));
          const raw =
            typeof body === 'string' ? `"${body}` : JSON.stringify(body);
          const res = await req
            .set('Content-Type', 'application/json')
            .send(raw);
          const clientError = res.status >= 400 && res.status < 500;
          const enveloped =
            res.status !== 400 ||
            ['bad_request', 'validation_error'].includes(res.body.error?.code);
          if (!clientError || !enveloped) {
            unexpected.push({ method, path, body, status: res.status });
          }
        }
      }
      expect(unexpected).toEqual([]);
      expect(await snapshot()).toEqual(before);
    });

    it('answers malformed ids and query strings with a 4xx', async () => {
      for (const id of badIds) {
        for (const path of [
          `/incidents/${id}`,
          `/incidents/${id}/postmortem`,
          `/incidents/${id}/timeline`,
          `/alerts/${id}`,
          `/post-mortem-templates/${id}`,
        ]) {
          const res = await api().get(path);
          expect([400, 404]).toContain(res.status);
        }
      }
      for (const query of [
        'page=0',
        'page=abc',
        'limit=1000',
        'limit=-5',
        'created_after=yesterday',
        'severity=critical,apocalyptic',
        'status[$ne]=x',
      ]) {
        const res = await api().get(`/incidents?${query}`);
        // A 4xx with the error envelope: a 200 would mean the bad value was
        // ignored or, worse, passed on to the query.
        expect({
          query,
          status: res.status,
          code: res.body.error?.code,
        }).toEqual({ query, status: 400, code: expect.any(String) });
      }
      // An empty list filter is no filter (the lists are comma-separated and
      // blanks are dropped), not an error and not "match nothing".
      await resolvedIncident(api());
      const unfiltered = await api().get('/incidents');
      const emptyFilter = await api().get('/incidents?severity=');
      expect(emptyFilter.status).toBe(200);
      expect(emptyFilter.body).toEqual(unfiltered.body);
      expect(unfiltered.body.data.length).toBeGreaterThan(0);
      const huge = await request(server)
        .post(`${API_V1}/incidents`)
        .set(as(ALICE))
        .set('Content-Type', 'application/json')
        .send(`{"title":"${'x'.repeat(11 * 1024 * 1024)}","severity":"low"}`);
      expect(huge.status).toBe(413);
      expect(huge.body.error.code).toBe('payload_too_large');
    });
  });
});
