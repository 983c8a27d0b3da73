import { Knex } from 'knex';
import { createTestDatabases } from '@internal/postmortems-test-utils';
import { ActionItemStore } from './ActionItemStore';
import { IncidentStore } from './IncidentStore';
import { applyDatabaseMigrations } from './migrations';
import { PostmortemStore } from './PostmortemStore';
import { TemplateStore } from './TemplateStore';

jest.setTimeout(60_000);

const databases = createTestDatabases();

/**
 * Whether a write was accepted or refused by the database. (Jest's
 * `rejects.toThrow` is not used: under load the driver's error sometimes
 * reaches it in a shape it does not count as thrown.)
 */
function outcome(write: Promise<unknown>): Promise<'accepted' | 'refused'> {
  return write.then(
    () => 'accepted',
    () => 'refused',
  );
}

describe.each(databases.eachSupportedId())('stores on %p', databaseId => {
  let knex: Knex;
  let incidents: IncidentStore;
  let postmortems: PostmortemStore;
  let templates: TemplateStore;
  let actionItems: ActionItemStore;

  beforeAll(async () => {
    knex = await databases.init(databaseId);
    await applyDatabaseMigrations(knex);
    incidents = new IncidentStore(knex);
    postmortems = new PostmortemStore(knex);
    templates = new TemplateStore(knex);
    actionItems = new ActionItemStore(knex);
  });

  async function newIncident(
    overrides: Partial<Parameters<IncidentStore['create']>[0]> = {},
  ) {
    return incidents.create({
      title: 'Checkout errors',
      severity: 'high',
      status: 'resolved',
      services: ['component:default/checkout-api'],
      triggeredAt: '2026-10-01T10:00:00Z',
      resolvedAt: '2026-10-01T11:30:00Z',
      ...overrides,
    });
  }

  /** A post-mortem of the incident with the given content and nothing else. */
  function newPostmortem(
    incidentId: string,
    content = '',
    createdBy: string | null = null,
  ) {
    return postmortems.create(
      {
        incidentId,
        content,
        sections: [],
        templateId: null,
        templateName: null,
        generatedBy: 'manual',
        generatedAt: null,
        createdBy,
      },
      { kind: 'human', reason: 'create', author: createdBy },
    );
  }

  describe('IncidentStore', () => {
    it('numbers incidents and finds them by id, number and reference', async () => {
      const first = await newIncident();
      const second = await newIncident({ title: 'Second' });
      expect(second.number).toBe(first.number + 1);
      expect(second.reference).toBe(`INC-${second.number}`);

      expect((await incidents.get(second.id))?.title).toBe('Second');
      expect((await incidents.get(String(second.number)))?.id).toBe(second.id);
      expect((await incidents.get(`inc-${second.number}`))?.id).toBe(second.id);
      expect(await incidents.get('no-such-incident')).toBeUndefined();
    });

    it('round-trips timestamps, JSON and services identically', async () => {
      const incident = await newIncident({
        chat: { provider: 'slack', channel_id: 'C1', thread_ts: '1.2' },
        services: [
          'component:default/b',
          'component:default/a',
          'component:default/a',
        ],
      });
      expect(incident.triggered_at).toBe('2026-10-01T10:00:00.000Z');
      expect(incident.resolved_at).toBe('2026-10-01T11:30:00.000Z');
      expect(incident.acknowledged_at).toBeNull();
      expect(incident.chat).toEqual({
        provider: 'slack',
        channel_id: 'C1',
        thread_ts: '1.2',
      });
      expect(incident.services).toEqual([
        'component:default/a',
        'component:default/b',
      ]);
    });

    it('reads an incident with its services in one statement', async () => {
      const created = await newIncident({
        services: ['component:default/z', 'component:default/m'],
      });
      const bare = await newIncident({ services: [] });
      const statements: string[] = [];
      const record = (query: { sql: string }) => statements.push(query.sql);
      knex.on('query', record);
      const read = await incidents.get(`INC-${created.number}`);
      knex.off('query', record);
      expect(statements).toHaveLength(1);
      expect(read?.services).toEqual([
        'component:default/m',
        'component:default/z',
      ]);
      expect((await incidents.get(bare.id))?.services).toEqual([]);
    });

    it('filters and paginates the incident list', async () => {
      const marker = `component:default/filter-${databaseId.toLowerCase()}`;
      await newIncident({
        services: [marker],
        severity: 'low',
        triggeredAt: '2026-09-01T00:00:00Z',
      });
      await newIncident({
        services: [marker],
        severity: 'critical',
        triggeredAt: '2026-09-02T00:00:00Z',
      });
      await newIncident({
        services: [marker],
        severity: 'critical',
        status: 'triggered',
        triggeredAt: '2026-09-03T00:00:00Z',
      });

      const all = await incidents.list({
        entityRef: marker,
        offset: 0,
        limit: 2,
      });
      expect(all.total).toBe(3);
      expect(all.data).toHaveLength(2);
      // Newest first.
      expect(all.data[0].triggered_at).toBe('2026-09-03T00:00:00.000Z');

      const critical = await incidents.list({
        entityRef: marker,
        severity: ['critical'],
        status: ['resolved'],
        offset: 0,
        limit: 10,
      });
      expect(critical.total).toBe(1);

      const window = await incidents.list({
        entityRef: marker,
        createdAfter: '2026-09-02T00:00:00Z',
        createdBefore: '2026-09-03T00:00:00Z',
        offset: 0,
        limit: 10,
      });
      expect(window.data.map(i => i.severity)).toEqual(['critical']);
    });

    it('keeps the timeline in time order, insertion order breaking ties', async () => {
      const incident = await newIncident();
      await incidents.addTimelineEntries(incident.id, [
        {
          type: 'message',
          timestamp: '2026-10-01T10:05:00Z',
          content: { text: 'b' },
        },
        {
          type: 'message',
          timestamp: '2026-10-01T10:01:00Z',
          content: { text: 'a' },
        },
        {
          type: 'message',
          timestamp: '2026-10-01T10:05:00Z',
          content: { text: 'c' },
        },
      ]);
      const page = await incidents.listTimeline(incident.id, {
        offset: 1,
        limit: 5,
      });
      expect(page.total).toBe(3);
      expect(page.data.map(e => e.content.text)).toEqual(['b', 'c']);
      const full = await incidents.fullTimeline(incident.id);
      expect(full.map(e => e.content.text)).toEqual(['a', 'b', 'c']);
    });

    it('stores large timelines in batches', async () => {
      const incident = await newIncident();
      const entries = Array.from({ length: 1_500 }, (_, i) => ({
        type: 'message' as const,
        timestamp: new Date(Date.UTC(2026, 9, 1, 10, 0, i)).toISOString(),
        content: { text: `entry ${i}` },
      }));
      await incidents.addTimelineEntries(incident.id, entries);
      const full = await incidents.fullTimeline(incident.id);
      expect(full).toHaveLength(1_500);
      expect(full[1_499].content.text).toBe('entry 1499');
    });

    it('links alerts to incidents many-to-many, once each', async () => {
      const a = await newIncident();
      const b = await newIncident();
      const alert = await incidents.createAlert({
        source: 'prometheus',
        severity: 'high',
        title: 'HighErrorRate',
        labels: { service: 'checkout-api' },
        firedAt: '2026-10-01T09:59:00Z',
        resolvedAt: '2026-10-01T11:00:00Z',
      });
      await incidents.linkAlert(a.id, alert.id);
      await incidents.linkAlert(a.id, alert.id);
      await incidents.linkAlert(b.id, alert.id);
      expect(await incidents.alertsOfIncident(a.id)).toEqual([alert]);
      expect((await incidents.alertsOfIncident(b.id))[0].status).toBe(
        'resolved',
      );
      expect((await incidents.getAlert(alert.id))?.labels).toEqual({
        service: 'checkout-api',
      });
    });
  });

  describe('PostmortemStore', () => {
    const meta = {
      kind: 'human' as const,
      reason: 'save',
      author: 'user:default/alice',
    };

    it('allows one post-mortem per incident', async () => {
      const incident = await newIncident();
      const input = {
        incidentId: incident.id,
        content: '# A',
        sections: [],
        templateId: null,
        templateName: null,
        generatedBy: 'manual',
        generatedAt: null,
        createdBy: 'user:default/alice',
      };
      await postmortems.create(input, { ...meta, reason: 'create' });
      expect(await outcome(postmortems.create(input, meta))).toBe('refused');
    });

    it('writes only on the expected version and keeps every version', async () => {
      const incident = await newIncident();
      const created = await postmortems.create(
        {
          incidentId: incident.id,
          content: '# v1',
          sections: [{ key: 'summary', title: 'Summary', markdown: 'one' }],
          templateId: null,
          templateName: null,
          generatedBy: 'manual',
          generatedAt: null,
          createdBy: 'user:default/alice',
        },
        { ...meta, reason: 'create' },
      );
      expect(created.version).toBe(1);

      const second = await postmortems.update(
        created.id,
        1,
        { content: '# v2' },
        meta,
      );
      expect(second?.version).toBe(2);
      expect(second?.content).toBe('# v2');
      // The section list is untouched when only content is given.
      expect(second?.sections).toEqual(created.sections);

      const stale = await postmortems.update(
        created.id,
        1,
        { content: '# lost' },
        meta,
      );
      expect(stale).toBeUndefined();
      expect((await postmortems.getById(created.id))?.content).toBe('# v2');

      await postmortems.update(
        created.id,
        2,
        {
          status: 'published',
          publishedAt: '2026-10-02T08:00:00Z',
          publishedBy: 'user:default/bob',
        },
        { ...meta, reason: 'publish', author: 'user:default/bob' },
      );
      const revisions = await postmortems.listRevisions(created.id);
      expect(
        revisions.map(r => [r.version, r.reason, r.status, r.content]),
      ).toEqual([
        [3, 'publish', 'published', '# v2'],
        [2, 'save', 'draft', '# v2'],
        [1, 'create', 'draft', '# v1'],
      ]);
      const published = await postmortems.getById(created.id);
      expect(published?.published_at).toBe('2026-10-02T08:00:00.000Z');
      expect((await postmortems.getRevision(created.id, 1))?.sections).toEqual(
        created.sections,
      );
    });

    it('lets exactly one of many concurrent writers of a version win', async () => {
      const incident = await newIncident();
      const created = await newPostmortem(incident.id, 'start');
      const results = await Promise.all(
        Array.from({ length: 10 }, (_, i) =>
          postmortems.update(created.id, 1, { content: `writer ${i}` }, meta),
        ),
      );
      const winners = results.filter(Boolean);
      expect(winners).toHaveLength(1);
      const revisions = await postmortems.listRevisions(created.id);
      expect(revisions).toHaveLength(2);
      expect(revisions[0].content).toBe(winners[0]!.content);
    });

    it('filters the org-wide list by service, status and severity', async () => {
      const marker = `component:default/pm-list-${databaseId.toLowerCase()}`;
      for (const severity of ['high', 'low'] as const) {
        const incident = await newIncident({ services: [marker], severity });
        await newPostmortem(incident.id, severity);
      }
      const high = await postmortems.list({
        entityRef: marker,
        severity: ['high'],
        status: ['draft'],
        offset: 0,
        limit: 10,
      });
      expect(high.total).toBe(1);
      // A list leaves each document out unless asked for it.
      expect(high.data[0]).not.toHaveProperty('content');
      const withContent = await postmortems.list({
        entityRef: marker,
        severity: ['high'],
        withContent: true,
        offset: 0,
        limit: 10,
      });
      expect(withContent.data[0].content).toBe('high');
      expect(
        (
          await postmortems.list({
            entityRef: marker,
            status: ['published'],
            offset: 0,
            limit: 10,
          })
        ).total,
      ).toBe(0);
    });

    it('keeps comments in order and deletes one by id', async () => {
      const incident = await newIncident();
      const pm = await newPostmortem(incident.id, '');
      const first = await postmortems.addComment(
        pm.id,
        'user:default/a',
        'first',
      );
      await postmortems.addComment(pm.id, 'user:default/b', 'second');
      await postmortems.deleteComment(pm.id, first.id);
      expect((await postmortems.listComments(pm.id)).map(c => c.body)).toEqual([
        'second',
      ]);
    });
  });

  describe('TemplateStore', () => {
    it('keeps exactly one template active', async () => {
      const section = {
        key: 'summary',
        title: 'Summary',
        required: true,
        guiding_questions: ['Why?'],
      };
      const a = await templates.create({
        name: `A ${databaseId}`,
        description: '',
        sections: [section],
        actionItemCategories: ['prevention'],
        isActive: true,
      });
      const b = await templates.create({
        name: `B ${databaseId}`,
        description: '',
        sections: [section],
        actionItemCategories: [],
      });
      await templates.activate(b.id);
      expect((await templates.getActive())?.id).toBe(b.id);
      expect((await templates.get(a.id))?.is_active).toBe(false);
      expect((await templates.get(a.id))?.sections).toEqual([section]);
      expect((await templates.get(a.id))?.action_item_categories).toEqual([
        'prevention',
      ]);
      expect(
        await outcome(
          templates.create({
            name: `A ${databaseId}`,
            description: '',
            sections: [],
            actionItemCategories: [],
          }),
        ),
      ).toBe('refused');
    });
  });

  describe('ActionItemStore', () => {
    it('finds items by owner, by service and overdue', async () => {
      const marker = `component:default/items-${databaseId.toLowerCase()}`;
      const incident = await newIncident({ services: [marker] });
      const pm = await newPostmortem(incident.id, '');
      const base = { postmortemId: pm.id, incidentId: incident.id };
      await actionItems.create({
        ...base,
        description: 'late',
        owner: 'user:default/alice',
        dueDate: '2026-11-01',
      });
      await actionItems.create({
        ...base,
        description: 'late but done',
        owner: 'user:default/alice',
        dueDate: '2026-11-02',
        status: 'done',
      });
      await actionItems.create({
        ...base,
        description: 'future',
        owner: 'group:default/sre',
        dueDate: '2026-12-24',
      });
      await actionItems.create({ ...base, description: 'no date' });

      const overdue = await actionItems.list({
        entityRef: marker,
        overdueOn: '2026-11-26',
        offset: 0,
        limit: 10,
      });
      expect(overdue.data.map(i => i.description)).toEqual(['late']);

      const alice = await actionItems.list({
        entityRef: marker,
        owner: ['user:default/alice'],
        status: ['open'],
        offset: 0,
        limit: 10,
      });
      expect(alice.total).toBe(1);

      const all = await actionItems.list({
        entityRef: marker,
        offset: 0,
        limit: 10,
      });
      // Due dates first (soonest first), undated last.
      expect(all.data.map(i => i.description)).toEqual([
        'late',
        'late but done',
        'future',
        'no date',
      ]);

      const updated = await actionItems.update(all.data[3].id, {
        owner: 'group:default/sre',
        accepted: false,
      });
      expect(updated.owner).toBe('group:default/sre');
      expect(updated.accepted).toBe(false);
      expect(updated.title).toBe('no date');
    });
  });
});
