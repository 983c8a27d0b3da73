import { Knex } from 'knex';
import { createTestDatabases } from '@internal/postmortems-test-utils';
import { figureBuckets } from '../services/figureBuckets';
import { ActionItemStore } from './ActionItemStore';
import { FiguresStore } from './FiguresStore';
import { IncidentStore } from './IncidentStore';
import { applyDatabaseMigrations } from './migrations';
import { PostmortemStore } from './PostmortemStore';
import { ReadableScope } from './readableScope';

jest.setTimeout(120_000);

const databases = createTestDatabases();
const HOUR = 60 * 60 * 1000;

describe.each(databases.eachSupportedId())(
  'lists and figures computed by %p',
  databaseId => {
    let knex: Knex;
    let incidents: IncidentStore;
    let postmortems: PostmortemStore;
    let actionItems: ActionItemStore;

    beforeAll(async () => {
      knex = await databases.init(databaseId);
      await applyDatabaseMigrations(knex);
      incidents = new IncidentStore(knex);
      postmortems = new PostmortemStore(knex);
      actionItems = new ActionItemStore(knex);
    });

    beforeEach(async () => {
      await knex('action_items').delete();
      await knex('postmortem_revisions').delete();
      await knex('postmortems').delete();
      await knex('incident_services').delete();
      await knex('incidents').delete();
    });

    function writePostmortem(incidentId: string) {
      return postmortems.create(
        {
          incidentId,
          content: '# Written',
          sections: [],
          templateId: null,
          templateName: null,
          generatedBy: 'manual',
          generatedAt: null,
          createdBy: null,
        },
        { kind: 'human', reason: 'create', author: null },
      );
    }

    async function publish(postmortemId: string, publishedAt: string) {
      await postmortems.update(
        postmortemId,
        1,
        {
          status: 'published',
          publishedAt,
          publishedBy: 'user:default/bob',
        },
        { kind: 'human', reason: 'publish', author: 'user:default/bob' },
      );
    }

    it('applies allOf and not of a policy in SQL, refs compared whatever their case', async () => {
      const carla = 'user:default/carla';
      const draft = async (
        commander: string,
        services: string[],
        author: string | null,
      ) => {
        const incident = await incidents.create({
          title: 'Degraded',
          severity: 'high',
          status: 'resolved',
          commander,
          services,
          triggeredAt: '2026-11-01T00:00:00Z',
        });
        await postmortems.create(
          {
            incidentId: incident.id,
            content: '',
            sections: [],
            templateId: null,
            templateName: null,
            generatedBy: 'manual',
            generatedAt: null,
            createdBy: author,
          },
          { kind: 'human', reason: 'create', author },
        );
        return incident.id;
      };
      const ledByCarlaAndWritten = await draft(
        carla,
        ['component:default/checkout-api'],
        carla,
      );
      const ledByCarla = await draft(carla, [], null);
      const ownedService = await draft(
        'user:default/bob',
        ['component:default/Checkout-API'],
        null,
      );
      await draft('user:default/bob', [], null);

      const listed = async (drafts: ReadableScope['drafts']) => {
        const page = await postmortems.list(
          { offset: 0, limit: 10 },
          { published: false, drafts },
        );
        expect(page.total).toBe(page.data.length);
        return page.data.map(p => p.incident_id).sort();
      };
      expect(
        await listed({
          allOf: [{ commander: carla }, { not: { author: carla } }],
        }),
      ).toEqual([ledByCarla]);
      expect(
        await listed({
          allOf: [{ serviceIn: ['component:default/checkout-api'] }],
        }),
      ).toEqual([ledByCarlaAndWritten, ownedService].sort());
      expect(
        await listed({
          allOf: [
            { not: { serviceIn: ['component:default/checkout-api'] } },
            { commander: carla },
          ],
        }),
      ).toEqual([ledByCarla]);
      expect(
        await listed({ allOf: [{ serviceIn: [] }, { commander: carla }] }),
      ).toEqual([]);
    });

    it('finds an old resolved incident without a post-mortem behind more than 100 newer ones that have one', async () => {
      const old = await incidents.create({
        title: 'Old outage nobody wrote up',
        severity: 'medium',
        status: 'resolved',
        services: ['component:default/checkout-api'],
        triggeredAt: '2024-02-01T10:00:00Z',
        resolvedAt: '2024-02-01T12:00:00Z',
      });
      const start = Date.parse('2026-06-01T00:00:00Z');
      for (let i = 0; i < 120; i++) {
        const written = await incidents.create({
          title: `Written up ${i}`,
          severity: 'low',
          status: 'resolved',
          services: ['component:default/checkout-api'],
          triggeredAt: new Date(start + i * HOUR).toISOString(),
          resolvedAt: new Date(start + i * HOUR + 600_000).toISOString(),
        });
        await writePostmortem(written.id);
      }
      const open = await incidents.create({
        title: 'Still going',
        severity: 'high',
        status: 'triggered',
        triggeredAt: '2026-11-01T10:00:00Z',
      });

      const awaiting = await incidents.list({
        status: ['resolved'],
        hasPostmortem: false,
        offset: 0,
        limit: 100,
      });
      expect(awaiting.data.map(i => i.id)).toEqual([old.id]);
      expect(awaiting.total).toBe(1);

      const ofService = await incidents.list({
        status: ['resolved'],
        hasPostmortem: false,
        entityRef: 'component:default/checkout-api',
        offset: 0,
        limit: 5,
      });
      expect(ofService.data.map(i => i.id)).toEqual([old.id]);

      const written = await incidents.list({
        hasPostmortem: true,
        offset: 100,
        limit: 100,
      });
      expect(written.total).toBe(120);
      expect(written.data).toHaveLength(20);

      const anyStatus = await incidents.list({
        hasPostmortem: false,
        offset: 0,
        limit: 100,
      });
      expect(anyStatus.data.map(i => i.id)).toEqual([open.id, old.id]);
    });

    it('counts a period with SQL aggregates: severities, MTTR, buckets, publications and action items', async () => {
      const make = (
        severity: 'critical' | 'high' | 'medium' | 'low',
        triggeredAt: string,
        resolvedMinutes?: number,
      ) =>
        incidents.create({
          title: `${severity} at ${triggeredAt}`,
          severity,
          status: resolvedMinutes === undefined ? 'triggered' : 'resolved',
          triggeredAt,
          resolvedAt:
            resolvedMinutes === undefined
              ? undefined
              : new Date(
                  Date.parse(triggeredAt) + resolvedMinutes * 60_000,
                ).toISOString(),
        });
      // Before the period: counted nowhere.
      const before = await make('critical', '2025-12-31T23:59:59Z', 10);
      const first = await make('critical', '2026-01-01T00:00:00Z', 30);
      const second = await make('high', '2026-01-09T12:00:00Z', 90);
      await make('low', '2026-01-20T08:00:00Z');
      // Exactly at the end: counted, in the last bucket.
      await make('low', '2026-01-29T00:00:00Z', 60);

      const before_pm = await writePostmortem(before.id);
      await publish(before_pm.id, '2025-12-31T12:00:00Z');
      const first_pm = await writePostmortem(first.id);
      await publish(first_pm.id, '2026-01-03T12:00:00Z');
      const second_pm = await writePostmortem(second.id);
      for (const status of ['done', 'done', 'open', 'in_progress'] as const) {
        await actionItems.create({
          postmortemId: second_pm.id,
          incidentId: second.id,
          description: `Fix ${status}`,
          status,
        });
      }
      const outside = await actionItems.create({
        postmortemId: before_pm.id,
        incidentId: before.id,
        description: 'Long ago',
        status: 'done',
      });
      await knex('action_items')
        .whereNot('id', outside.id)
        .update({ created_at: new Date('2026-01-10T00:00:00Z') });
      await knex('action_items')
        .where('id', outside.id)
        .update({ created_at: new Date('2025-06-01T00:00:00Z') });

      const from = new Date('2026-01-01T00:00:00Z');
      const to = new Date('2026-01-29T00:00:00Z');
      const buckets = figureBuckets(from, to, 7);
      const counts = await new FiguresStore(knex).counts({ from, to }, buckets);

      expect(counts).toEqual({
        incidents: 4,
        bySeverity: { critical: 1, high: 1, medium: 0, low: 2 },
        resolved: 3,
        // (30 + 90 + 60) / 3 minutes
        mttrMs: 60 * 60_000,
        mttdMs: null,
        mttaMs: null,
        published: 1,
        actionItemsDone: 2,
        actionItemsOpen: 2,
        bucketCounts: [1, 1, 1, 1],
      });
      expect(buckets.map(b => b.start.toISOString())).toEqual([
        '2026-01-01T00:00:00.000Z',
        '2026-01-08T00:00:00.000Z',
        '2026-01-15T00:00:00.000Z',
        '2026-01-22T00:00:00.000Z',
      ]);
    });

    it('answers zeros and no MTTR for an empty period', async () => {
      const from = new Date('2020-01-01T00:00:00Z');
      const to = new Date('2020-03-01T00:00:00Z');
      const counts = await new FiguresStore(knex).counts(
        { from, to },
        figureBuckets(from, to, 30),
      );
      expect(counts).toEqual({
        incidents: 0,
        bySeverity: { critical: 0, high: 0, medium: 0, low: 0 },
        resolved: 0,
        mttrMs: null,
        mttdMs: null,
        mttaMs: null,
        published: 0,
        actionItemsDone: 0,
        actionItemsOpen: 0,
        bucketCounts: [0, 0],
      });
    });
  },
);
