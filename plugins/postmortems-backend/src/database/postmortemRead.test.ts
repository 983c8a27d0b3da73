import { Knex } from 'knex';
import { createTestDatabases } from '@internal/postmortems-test-utils';
import { ReviewStore } from '../reviews/ReviewStore';
import {
  statementsDuring,
  storedIncident,
} from '../__testUtils__/storeFixtures';
import { ActionItemStore } from './ActionItemStore';
import { IncidentStore } from './IncidentStore';
import { applyDatabaseMigrations } from './migrations';
import { PostmortemReadStore } from './PostmortemReadStore';
import { PostmortemStore } from './PostmortemStore';
import { TimelineCurationStore } from './TimelineCurationStore';

jest.setTimeout(60_000);

const databases = createTestDatabases();

describe.each(databases.eachSupportedId())(
  'reading a post-mortem in one statement on %p',
  databaseId => {
    let knex: Knex;
    let incidents: IncidentStore;
    let postmortems: PostmortemStore;
    let actionItems: ActionItemStore;
    let reviews: ReviewStore;
    let reads: PostmortemReadStore;

    beforeAll(async () => {
      knex = await databases.init(databaseId);
      await applyDatabaseMigrations(knex);
      incidents = new IncidentStore(knex);
      postmortems = new PostmortemStore(knex);
      actionItems = new ActionItemStore(knex);
      reviews = new ReviewStore(knex);
      reads = new PostmortemReadStore(knex);
    });

    it('returns what the separate reads return, for every form of the incident reference, in one statement', async () => {
      const incident = await incidents.create({
        title: 'Checkout errors',
        severity: 'high',
        status: 'resolved',
        services: [
          'component:default/payments',
          'component:default/checkout-api',
        ],
        commander: 'user:default/ana',
        chat: { provider: 'slack', channel_id: 'C1', thread_ts: '1.2' },
        triggeredAt: '2026-10-01T10:00:00.123Z',
        acknowledgedAt: '2026-10-01T10:05:00Z',
        resolvedAt: '2026-10-01T11:30:00Z',
      });
      const record = await postmortems.create(
        {
          incidentId: incident.id,
          content: '# Checkout errors\n\n## Summary\n\nIt broke.',
          sections: [
            { key: 'summary', title: 'Summary', markdown: 'It broke.' },
          ],
          templateId: null,
          templateName: null,
          generatedBy: 'manual',
          generatedAt: null,
          createdBy: 'user:default/ana',
          findings: [],
          evidence: { summary: ['e1'] },
        },
        { kind: 'human', reason: 'create', author: 'user:default/ana' },
      );
      // Created out of order on purpose: the read orders them as the store does.
      await actionItems.create({
        postmortemId: record.id,
        incidentId: incident.id,
        description: 'Add an alert on "checkout 5xx" — with quotes and ünïcode',
        owner: 'group:default/payments',
        dueDate: '2026-12-24',
        category: 'detection',
        externalUrl: 'https://example.com/1',
        source: 'ai',
        accepted: false,
        createdBy: 'user:default/ana',
      });
      await actionItems.create({
        postmortemId: record.id,
        incidentId: incident.id,
        description: 'Roll back faster',
        status: 'done',
      });
      await reviews.add({
        postmortem_id: record.id,
        kind: 'requested',
        author: 'user:default/ana',
        reviewers: ['user:default/bo'],
        comment: null,
        version: 1,
        content_hash: 'h1',
      });

      const expected = {
        incident: await incidents.get(incident.id),
        record: await postmortems.getByIncident(incident.id),
        actionItems: await actionItems.listForPostmortem(record.id),
        reviews: await reviews.list(record.id),
      };
      expect(expected.actionItems).toHaveLength(2);
      const readCounted = async (ref: string) => {
        let read: Awaited<ReturnType<PostmortemReadStore['read']>>;
        const statements = await statementsDuring(knex, async () => {
          read = await reads.read(ref);
        });
        return { read: read!, statements: statements.length };
      };
      for (const ref of [
        incident.id,
        String(incident.number),
        `INC-${incident.number}`,
        `inc-${incident.number}`,
      ]) {
        const { read, statements } = await readCounted(ref);
        expect(statements).toBe(1);
        expect(read).toEqual({
          ...expected,
          evidenceVersion: expect.any(Number),
        });
      }
    });

    it('reads an incident without a post-mortem, and nothing for an unknown one', async () => {
      const incident = await storedIncident(knex);
      const read = await reads.read(incident.id);
      expect(read).toEqual({
        incident: await incidents.get(incident.id),
        evidenceVersion: expect.any(Number),
        record: undefined,
        actionItems: [],
        reviews: [],
      });
      expect(await reads.read('no-such-incident')).toBeUndefined();
      expect(await reads.read('INC-999999')).toBeUndefined();
    });

    it('moves the evidence version with every change to the evidence, on whichever store wrote it', async () => {
      const incident = await storedIncident(knex, {
        services: ['component:default/a'],
      });
      const other = await storedIncident(knex);
      const version = async (id = incident.id) =>
        (await reads.read(id))!.evidenceVersion;
      const seen: number[] = [await version()];
      const moved = async (what: string) => {
        const now = await version();
        expect({ what, moved: now > seen[seen.length - 1] }).toEqual({
          what,
          moved: true,
        });
        seen.push(now);
      };

      await incidents.addTimelineEntries(incident.id, [
        {
          type: 'message',
          actor: null,
          timestamp: '2026-11-01T00:01:00Z',
          content: { text: 'a' },
        },
      ]);
      await moved('a timeline entry');

      await incidents.addUpstreamTimelineEntries(incident.id, [
        {
          type: 'message',
          actor: null,
          timestamp: '2026-11-01T00:02:00Z',
          content: { text: 'b' },
          externalId: 'u1',
        },
      ]);
      await moved("an upstream's timeline entry");

      const alert = await incidents.alerts.createAlert({
        source: 'prometheus',
        externalId: 'a1',
        title: 'High error rate',
        severity: 'critical',
        firedAt: '2026-11-01T00:00:30Z',
      });
      await incidents.alerts.linkAlert(incident.id, alert.id);
      await moved('a linked alert');

      const otherBefore = await version(other.id);
      await incidents.alerts.updateAlert(alert.id, {
        source: 'prometheus',
        externalId: 'a1',
        title: 'High error rate',
        severity: 'critical',
        firedAt: '2026-11-01T00:00:30Z',
        resolvedAt: '2026-11-01T00:09:00Z',
      });
      await moved('a change to a linked alert');
      // Incidents the alert is not linked to keep their evidence.
      expect(await version(other.id)).toBe(otherBefore);

      const [entry] = await incidents.addTimelineEntries(incident.id, [
        {
          type: 'message',
          actor: null,
          timestamp: '2026-11-01T00:03:00Z',
          content: { text: 'c' },
        },
      ]);
      seen.push(await version());
      await new TimelineCurationStore(knex).change(
        incident.id,
        entry.id,
        { hidden: true },
        'user:default/ana',
      );
      await moved('curation');

      await incidents.update(incident.id, { commander: 'user:default/bo' });
      await moved("the incident's fields");

      await incidents.update(incident.id, {
        services: ['component:default/b'],
      });
      await moved("the incident's services");
    });
  },
);
