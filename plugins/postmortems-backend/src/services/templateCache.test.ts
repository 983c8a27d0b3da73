import { Knex } from 'knex';
import { createTestDatabases } from '@internal/postmortems-test-utils';
import { applyDatabaseMigrations } from '../database/migrations';
import { TemplateStore } from '../database/TemplateStore';
import { statementsDuring } from '../__testUtils__/storeFixtures';
import { TemplateService } from './TemplateService';

jest.setTimeout(60_000);

const databases = createTestDatabases();

describe.each(databases.eachSupportedId())(
  'templates kept in memory on %p',
  databaseId => {
    let knex: Knex;

    beforeAll(async () => {
      knex = await databases.init(databaseId);
      await applyDatabaseMigrations(knex);
      await new TemplateService(new TemplateStore(knex)).seedBuiltins();
    });

    /** Counts the statements `run` sends to the templates table. */
    async function templateReads(run: () => Promise<unknown>) {
      const sql = await statementsDuring(knex, run);
      return sql.filter(statement => /\btemplates\b/.test(statement)).length;
    }

    it('reads a template once, and again after any change made through it, telling the other replicas', async () => {
      const onChange = jest.fn();
      const here = new TemplateService(new TemplateStore(knex), { onChange });
      const created = await here.create({
        name: `Cached ${databaseId}`,
        sections: [{ title: 'Summary', required: true, guiding_questions: [] }],
      });
      expect(onChange).toHaveBeenCalledTimes(1);
      expect(
        await templateReads(async () => {
          await here.get(created.id);
          await here.get(created.id);
          await here.resolve();
          await here.resolve();
        }),
      ).toBe(2);

      await here.update(created.id, { reviewers: ['user:default/bo'] });
      expect(onChange).toHaveBeenCalledTimes(2);
      expect((await here.get(created.id)).reviewers).toEqual([
        'user:default/bo',
      ]);

      const before = (await here.resolve()).id;
      await here.activate(created.id);
      expect((await here.resolve()).id).toBe(created.id);
      await here.activate(before);
      expect((await here.resolve()).id).toBe(before);
    });

    it("sees another replica's change once told, or once its copy is older than the cache time", async () => {
      let now = 0;
      const other = new TemplateService(new TemplateStore(knex));
      const here = new TemplateService(new TemplateStore(knex), {
        cacheMs: 10_000,
        now: () => now,
      });
      const created = await other.create({
        name: `Shared ${databaseId}`,
        sections: [{ title: 'Summary', required: true, guiding_questions: [] }],
      });
      expect((await here.get(created.id)).description).toBe('');

      await other.update(created.id, { description: 'first change' });
      expect((await here.get(created.id)).description).toBe('');
      here.forget(); // what the announcement over the events service does
      expect((await here.get(created.id)).description).toBe('first change');

      await other.update(created.id, { description: 'second change' });
      now = 9_999;
      expect((await here.get(created.id)).description).toBe('first change');
      now = 10_000;
      expect((await here.get(created.id)).description).toBe('second change');
    });

    it('does not keep a template that was not found', async () => {
      const here = new TemplateService(new TemplateStore(knex));
      const missing = () =>
        expect(here.get('no-such-template')).rejects.toThrow(
          'No template with id no-such-template',
        );
      expect(
        await templateReads(async () => {
          await missing();
          await new Promise(resolve => setImmediate(resolve));
          await missing();
        }),
      ).toBe(2);
    });
  },
);
