import { Knex } from 'knex';
import { createTestDatabases } from '@internal/postmortems-test-utils';
import {
  rollBackThrough,
  storedIncident,
  storedPostmortem,
} from '../__testUtils__/storeFixtures';
import { applyDatabaseMigrations } from '../database/migrations';
import { ActionItemStore } from '../database/ActionItemStore';
import { TemplateStore } from '../database/TemplateStore';

jest.setTimeout(60_000);

const databases = createTestDatabases();
const MIGRATION = '20261207000000_recurrence.js';

describe.each(databases.eachSupportedId())(
  'recurrence migration on %p',
  databaseId => {
    let knex: Knex;

    beforeAll(async () => {
      knex = await databases.init(databaseId);
      await applyDatabaseMigrations(knex);
    });

    it('carries what was there: templates get the default categories, done items their last change as done time', async () => {
      const incident = await storedIncident(knex);
      const postmortem = await storedPostmortem(knex, incident.id);
      const items = new ActionItemStore(knex);
      const open = await items.create({
        postmortemId: postmortem.id,
        incidentId: incident.id,
        description: 'still open',
      });
      const done = await items.create({
        postmortemId: postmortem.id,
        incidentId: incident.id,
        description: 'done before the upgrade',
      });
      await items.update(done.id, { status: 'done' });
      await rollBackThrough(knex, MIGRATION);
      const changedAt = new Date('2026-11-20T10:00:00Z');
      await knex('action_items')
        .where({ id: done.id })
        .update({ updated_at: changedAt });
      await knex('templates').insert({
        id: 'tpl-before',
        name: 'Written before causes',
        description: '',
        sections: '[]',
        action_item_categories: '[]',
        reviewers: '[]',
        is_builtin: false,
        is_active: false,
        created_at: changedAt,
        updated_at: changedAt,
      });

      await applyDatabaseMigrations(knex);

      const template = await new TemplateStore(knex).get('tpl-before');
      expect(template?.cause_categories).toEqual([
        'code-change',
        'configuration',
        'capacity',
        'dependency',
        'expiry',
        'data',
        'infrastructure',
        'process',
      ]);
      const doneAt = async (id: string) =>
        (await knex('action_items').where({ id }).first('done_at')).done_at;
      expect(new Date(await doneAt(done.id)).toISOString()).toBe(
        changedAt.toISOString(),
      );
      expect(await doneAt(open.id)).toBeNull();
      // Reopened and done again, an item's done time moves; done twice, it stays.
      await items.update(done.id, { status: 'open' });
      expect(await doneAt(done.id)).toBeNull();
      await items.update(done.id, { status: 'done' });
      const first = new Date(await doneAt(done.id)).getTime();
      expect(first).toBeGreaterThan(changedAt.getTime());
      await new Promise(resolve => setTimeout(resolve, 5));
      await items.update(done.id, { status: 'done' });
      expect(new Date(await doneAt(done.id)).getTime()).toBe(first);
    });

    it('can be rolled back and applied again', async () => {
      await rollBackThrough(knex, MIGRATION);
      expect(await knex.schema.hasTable('postmortem_recurrences')).toBe(false);
      expect(await knex.schema.hasColumn('action_items', 'done_at')).toBe(
        false,
      );
      await applyDatabaseMigrations(knex);
      expect(await knex.schema.hasTable('postmortem_causes')).toBe(true);
    });
  },
);
