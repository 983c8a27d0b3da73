import { resolvePackagePath } from '@backstage/backend-plugin-api';
import { Knex } from 'knex';
import { createTestDatabases } from '../__testUtils__/testDatabases';
import { ActionItemStore } from '../database/ActionItemStore';
import { IncidentStore } from '../database/IncidentStore';
import { applyDatabaseMigrations } from '../database/migrations';
import { PostmortemStore } from '../database/PostmortemStore';
import { ReminderStore } from './ReminderStore';

jest.setTimeout(60_000);

const databases = createTestDatabases();
const directory = resolvePackagePath(
  '@postmortems-oss/backstage-plugin-postmortems-backend',
  'migrations',
);

describe.each(databases.eachSupportedId())(
  'reminders migration on %p',
  databaseId => {
    let knex: Knex;

    beforeAll(async () => {
      knex = await databases.init(databaseId);
      await applyDatabaseMigrations(knex);
    });

    it('keeps one reminder per item, kind and key, and drops them with the item', async () => {
      const incident = await new IncidentStore(knex).create({
        title: 'x',
        severity: 'low',
        status: 'resolved',
        triggeredAt: '2026-11-01T00:00:00Z',
      });
      const postmortem = await new PostmortemStore(knex).create(
        {
          incidentId: incident.id,
          content: '',
          sections: [],
          templateId: null,
          templateName: null,
          generatedBy: 'manual',
          generatedAt: null,
          createdBy: null,
        },
        { kind: 'human', reason: 'create', author: null },
      );
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
      const [completed] = await knex.migrate.list({ directory });
      const names: string[] = completed.map((m: { name: string }) => m.name);
      const index = names.indexOf('20261127010000_reminders.js');
      expect(index).toBeGreaterThanOrEqual(0);
      for (let i = names.length - 1; i >= index; i--) {
        await knex.migrate.down({ directory });
      }
      expect(await knex.schema.hasTable('action_item_reminders')).toBe(false);
      await applyDatabaseMigrations(knex);
      expect(await knex.schema.hasTable('action_item_reminders')).toBe(true);
    });
  },
);
