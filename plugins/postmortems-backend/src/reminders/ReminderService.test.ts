import { mockServices } from '@backstage/backend-test-utils';
import { knex as createKnex, Knex } from 'knex';
import { ActionItem } from '@postmortems-oss/backstage-plugin-postmortems-common';
import { storedPostmortem } from '../__testUtils__/storeFixtures';
import { createTestDatabases } from '@internal/postmortems-test-utils';
import { ActionItemStore, NewActionItem } from '../database/ActionItemStore';
import { IncidentStore } from '../database/IncidentStore';
import { applyDatabaseMigrations } from '../database/migrations';
import { ReminderService } from './ReminderService';
import { ReminderStore } from './ReminderStore';
import { RecordingNotifications } from './testNotifications';

jest.setTimeout(60_000);

const databases = createTestDatabases();

/** "Now" of these tests; due dates are relative to its UTC day. */
const NOW = new Date('2026-12-01T09:00:00Z');
const day = (offset: number) =>
  new Date(NOW.getTime() + offset * 86_400_000).toISOString().slice(0, 10);

const BOB = 'user:default/bob';
const CAROL = 'user:default/carol';
const SRE = 'group:default/sre';

describe.each(databases.eachSupportedId())('reminders on %p', databaseId => {
  let knex: Knex;
  let items: ActionItemStore;
  let incident: { id: string; reference: string };
  let postmortemId: string;

  beforeAll(async () => {
    knex = await databases.init(databaseId);
    await applyDatabaseMigrations(knex);
    items = new ActionItemStore(knex);
    const created = await new IncidentStore(knex).create({
      title: 'Checkout errors',
      severity: 'high',
      status: 'resolved',
      triggeredAt: '2026-11-20T10:00:00Z',
      resolvedAt: '2026-11-20T11:00:00Z',
    });
    incident = created;
    const postmortem = await storedPostmortem(knex, created.id);
    postmortemId = postmortem.id;
  });

  // Each test starts without items, so that a run sees only its own.
  beforeEach(async () => {
    await knex('action_item_reminders').delete();
    await knex('action_items').delete();
  });

  function newItem(
    description: string,
    fields: Partial<NewActionItem> = {},
  ): Promise<ActionItem> {
    return items.create({
      postmortemId,
      incidentId: incident.id,
      description,
      owner: BOB,
      ...fields,
    });
  }

  function newService(
    notifications = new RecordingNotifications(),
    db = knex,
    pageSize?: number,
  ) {
    const service = new ReminderService({
      store: new ReminderStore(db),
      notifications,
      logger: mockServices.logger.mock(),
      pageSize,
    });
    return { service, notifications };
  }

  it('reminds owners of items due within a week and of overdue ones, once', async () => {
    await newItem('Add a canary stage', { dueDate: day(3) });
    await newItem('Alert on error budget burn', {
      dueDate: day(-3),
      owner: CAROL,
    });
    await newItem('Write the runbook', { dueDate: day(0) });
    await newItem('Rotate the keys', { dueDate: day(7), owner: SRE });
    await newItem('Too far ahead', { dueDate: day(8) });
    await newItem('Nobody owns it', { dueDate: day(1), owner: null });
    await newItem('No due date');
    const { service, notifications } = newService();

    expect(await service.sendDue(NOW)).toEqual({ sent: 4, failed: 0 });
    expect(notifications.titlesFor(BOB).sort()).toEqual([
      'Action item due in 3 days: Add a canary stage',
      'Action item due today: Write the runbook',
    ]);
    expect(notifications.titlesFor(SRE)).toEqual([
      'Action item due in 7 days: Rotate the keys',
    ]);
    expect(
      notifications.sent.find(n => n.payload.title.includes('overdue')),
    ).toEqual({
      recipients: { type: 'entity', entityRef: CAROL },
      payload: {
        title: 'Action item overdue: Alert on error budget burn',
        description: `It was due ${day(-3)}. From the post-mortem of ${
          incident.reference
        } "Checkout errors".`,
        link: `/postmortems/incidents/${incident.reference}`,
        severity: 'high',
        topic: 'postmortems',
      },
    });

    // Later runs, the same day or the next, owe nothing new.
    expect(await service.sendDue(NOW)).toEqual({ sent: 0, failed: 0 });
    expect(await service.sendDue(new Date(NOW.getTime() + 3_600_000))).toEqual({
      sent: 0,
      failed: 0,
    });
    expect(notifications.sent).toHaveLength(4);
  });

  it('leaves out done items and proposals nobody accepted yet', async () => {
    await newItem('Already done', { dueDate: day(-2), status: 'done' });
    const proposal = await newItem('Proposed by the draft', {
      dueDate: day(-2),
      source: 'ai',
      accepted: false,
    });
    await newItem('Being worked on', {
      dueDate: day(2),
      status: 'in_progress',
    });
    const { service, notifications } = newService();

    await service.sendDue(NOW);
    expect(notifications.titlesFor(BOB)).toEqual([
      'Action item due in 2 days: Being worked on',
    ]);

    // Once accepted, the proposal is a real item and gets its reminder.
    await items.update(proposal.id, { accepted: true });
    await service.sendDue(NOW);
    expect(notifications.titlesFor(BOB)).toEqual([
      'Action item due in 2 days: Being worked on',
      'Action item overdue: Proposed by the draft',
    ]);
  });

  it('reminds again when the due date moves, and when the item becomes overdue', async () => {
    const item = await newItem('Add a canary stage', { dueDate: day(2) });
    const { service, notifications } = newService();

    await service.sendDue(NOW);
    await items.update(item.id, { dueDate: day(5) });
    await service.sendDue(NOW);
    await service.sendDue(NOW);
    await service.sendDue(new Date(NOW.getTime() + 6 * 86_400_000));
    await service.sendDue(new Date(NOW.getTime() + 7 * 86_400_000));

    expect(notifications.titlesFor(BOB)).toEqual([
      'Action item due in 2 days: Add a canary stage',
      'Action item due in 5 days: Add a canary stage',
      'Action item overdue: Add a canary stage',
    ]);
  });

  it('retries a reminder whose sending failed in the next run', async () => {
    await newItem('First', { dueDate: day(-1) });
    await newItem('Second', { dueDate: day(1) });
    const { service, notifications } = newService();
    notifications.failNext = 1;

    expect(await service.sendDue(NOW)).toEqual({ sent: 1, failed: 1 });
    expect(notifications.titlesFor(BOB)).toEqual([
      'Action item due tomorrow: Second',
    ]);
    // The failed reminder left no claim behind.
    expect(await knex('action_item_reminders').pluck('kind')).toEqual([
      'due_soon',
    ]);

    expect(await service.sendDue(NOW)).toEqual({ sent: 1, failed: 0 });
    expect(notifications.titlesFor(BOB)).toEqual([
      'Action item due tomorrow: Second',
      'Action item overdue: First',
    ]);
  });

  it('pages through the items, past failures, without loading them all', async () => {
    for (let i = 0; i < 7; i++) {
      await newItem(`Item ${i}`, { dueDate: day(i % 2 === 0 ? -i : i) });
    }
    const select = jest.spyOn(ReminderStore.prototype, 'pageDue');
    const { service, notifications } = newService(undefined, knex, 2);
    notifications.failNext = 3;

    expect(await service.sendDue(NOW)).toEqual({ sent: 4, failed: 3 });
    expect(select.mock.calls.every(([q]) => q.limit === 2)).toBe(true);
    expect(await service.sendDue(NOW)).toEqual({ sent: 3, failed: 0 });
    expect(new Set(notifications.titlesFor(BOB)).size).toBe(7);
    select.mockRestore();
  });

  it('tells a new owner an item is theirs, once per owner', async () => {
    const item = await newItem('Add a canary stage', { dueDate: day(10) });
    const { service, notifications } = newService();

    expect(await service.notifyAssigned(item, NOW)).toBe(true);
    expect(await service.notifyAssigned(item, NOW)).toBe(false);
    expect(notifications.sent).toEqual([
      {
        recipients: { type: 'entity', entityRef: BOB },
        payload: {
          title: `You own an action item of ${incident.reference}`,
          description: `Add a canary stage (due ${day(
            10,
          )}). From the post-mortem of ${
            incident.reference
          } "Checkout errors".`,
          link: `/postmortems/incidents/${incident.reference}`,
          severity: 'normal',
          topic: 'postmortems',
        },
      },
    ]);

    const reassigned = await items.update(item.id, { owner: CAROL });
    expect(await service.notifyAssigned(reassigned, NOW)).toBe(true);
    expect(notifications.titlesFor(CAROL)).toHaveLength(1);

    const done = await newItem('Done', { status: 'done' });
    const proposal = await newItem('Proposal', { accepted: false });
    const unowned = await newItem('Unowned', { owner: null });
    for (const other of [done, proposal, unowned]) {
      expect(await service.notifyAssigned(other, NOW)).toBe(false);
    }
    expect(notifications.sent).toHaveLength(2);
  });

  it('sends every reminder once when replicas run at the same time', async () => {
    const owners = [BOB, CAROL, SRE];
    const created: ActionItem[] = [];
    for (let i = 0; i < 12; i++) {
      created.push(
        await newItem(`Item ${i}`, {
          owner: owners[i % 3],
          dueDate: day(i % 2 === 0 ? -1 - i : i % 8),
        }),
      );
    }
    // On PostgreSQL the second replica gets its own connection pool, as a
    // second process would. An in-memory SQLite database lives in one
    // connection, so there the replicas share it (and interleave on it).
    const secondDb =
      knex.client.config.client === 'pg'
        ? createKnex(knex.client.config)
        : knex;
    const claims = jest.spyOn(ReminderStore.prototype, 'claim');
    try {
      const a = newService(undefined, knex, 5);
      const b = newService(undefined, secondDb, 5);

      for (let run = 0; run < 2; run++) {
        await Promise.all([
          a.service.sendDue(NOW),
          b.service.sendDue(NOW),
          ...created.map(item => a.service.notifyAssigned(item, NOW)),
          ...created.map(item => b.service.notifyAssigned(item, NOW)),
        ]);
      }

      // 12 assigned, 6 overdue (even i) and 6 due soon (odd i, in 1-7 days),
      // each sent by exactly one of the replicas.
      const all = [...a.notifications.sent, ...b.notifications.sent];
      expect(all).toHaveLength(24);
      const distinct = new Set(
        all.map(n => `${n.payload.title} | ${n.payload.description}`),
      );
      expect(distinct.size).toBe(24);
      // The replicas did compete: more claims were tried than won.
      const won = await Promise.all(claims.mock.results.map(r => r.value));
      expect(won.filter(Boolean)).toHaveLength(24);
      expect(claims.mock.calls.length).toBeGreaterThan(24);
    } finally {
      claims.mockRestore();
      if (secondDb !== knex) await secondDb.destroy();
    }
  });
});
