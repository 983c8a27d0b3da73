import { Knex } from 'knex';
import {
  rollBackThrough,
  storedIncident,
  storedPostmortem,
} from '../__testUtils__/storeFixtures';
import { createTestDatabases } from '@internal/postmortems-test-utils';
import { ActionItemStore } from '../database/ActionItemStore';
import { applyDatabaseMigrations } from '../database/migrations';
import { ReminderStore } from '../reminders/ReminderStore';
import { ExportStore } from './ExportStore';

jest.setTimeout(60_000);

const databases = createTestDatabases();
const MIGRATION = '20261127030000_destinations.js';

describe.each(databases.eachSupportedId())(
  'destinations migration on %p',
  databaseId => {
    let knex: Knex;

    beforeAll(async () => {
      knex = await databases.init(databaseId);
      await applyDatabaseMigrations(knex);
    });

    async function postmortemWithItem() {
      const incident = await storedIncident(knex);
      const postmortem = await storedPostmortem(knex, incident.id);
      const item = await new ActionItemStore(knex).create({
        postmortemId: postmortem.id,
        incidentId: incident.id,
        description: 'x',
        owner: 'user:default/bob',
      });
      return { postmortem, item };
    }

    it('keeps one export per post-mortem and target, dropped with the post-mortem', async () => {
      const { postmortem } = await postmortemWithItem();
      const exports = new ExportStore(knex);
      const record = {
        postmortemId: postmortem.id,
        target: 'confluence',
        type: 'confluence' as const,
        externalId: '1',
        url: 'https://wiki/1',
        version: 1,
        exportedBy: 'user:default/alice',
      };
      await exports.save(record);
      await exports.save({ ...record, externalId: '2', version: 3 });
      expect(await exports.list(postmortem.id)).toEqual([
        expect.objectContaining({ external_id: '2', version: 3 }),
      ]);
      await knex('postmortems').where({ id: postmortem.id }).delete();
      const [{ n }] = await knex('postmortem_exports').count({ n: '*' });
      expect(Number(n)).toBe(0);
    });

    it('rolls back without touching the rows that refer to action items', async () => {
      const { item } = await postmortemWithItem();
      await knex('action_items')
        .where({ id: item.id })
        .update({ tracker: 'github', external_key: 'acme/payments#1' });
      await new ReminderStore(knex).claim(
        {
          itemId: item.id,
          kind: 'assigned',
          key: 'user:default/bob',
          recipient: 'user:default/bob',
        },
        new Date(),
      );

      await rollBackThrough(knex, MIGRATION);
      expect(await knex.schema.hasTable('postmortem_exports')).toBe(false);
      expect(await knex.schema.hasColumn('action_items', 'external_key')).toBe(
        false,
      );
      // SQLite rebuilds action_items to drop columns; its reminders stay.
      const reminders = await knex('action_item_reminders').where({
        action_item_id: item.id,
      });
      expect(reminders).toHaveLength(1);

      await applyDatabaseMigrations(knex);
      expect(
        await knex.schema.hasColumn('action_items', 'external_state'),
      ).toBe(true);
      expect(await knex.schema.hasTable('postmortem_exports')).toBe(true);
    });
  },
);
