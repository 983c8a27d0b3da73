import { Knex } from 'knex';
import {
  rollBackThrough,
  storedIncident,
  storedPostmortem,
} from '../__testUtils__/storeFixtures';
import { createTestDatabases } from '@internal/postmortems-test-utils';
import { ActionItemStore } from '../database/ActionItemStore';
import { applyDatabaseMigrations } from '../database/migrations';
import { ReminderStore } from './ReminderStore';

jest.setTimeout(60_000);

const databases = createTestDatabases();

describe.each(databases.eachSupportedId())(
  'reminders migration on %p',
  databaseId => {
    let knex: Knex;

    beforeAll(async () => {
      knex = await databases.init(databaseId);
      await applyDatabaseMigrations(knex);
    });

    it('keeps one reminder per item, kind and key, and drops them with the item', async () => {
      const incident = await storedIncident(knex);
      const postmortem = await storedPostmortem(knex, incident.id);
      const items = new ActionItemStore(knex);
      const item = await items.create({
        postmortemId: postmortem.id,
        incidentId: incident.id,
        description: 'x',
        owner: 'user:default/bob',
      });
      const reminders = new ReminderStore(knex);
      const claim = {
        itemId: item.id,
        kind: 'overdue' as const,
        key: '2026-11-02',
        recipient: 'user:default/bob',
      };

      expect(await reminders.claim(claim, new Date())).toBeDefined();
      expect(await reminders.claim(claim, new Date())).toBeUndefined();
      expect(
        await reminders.claim({ ...claim, key: '2026-11-09' }, new Date()),
      ).toBeDefined();

      await items.delete(item.id);
      const [{ n }] = await knex('action_item_reminders').count({ n: '*' });
      expect(Number(n)).toBe(0);
    });

    it('can be rolled back and applied again', async () => {
      // The reminders migration is the newest one that this test knows of;
      // roll back to just before it whatever came later.
      await rollBackThrough(knex, '20261127010000_reminders.js');
      expect(await knex.schema.hasTable('action_item_reminders')).toBe(false);
      await applyDatabaseMigrations(knex);
      expect(await knex.schema.hasTable('action_item_reminders')).toBe(true);
    });
  },
);
