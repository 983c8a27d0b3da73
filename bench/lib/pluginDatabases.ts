/*
 * Databases for the plugins of a benchmark backend other than post-mortems
 * (auth, permission, signals): one PostgreSQL database, one schema per
 * plugin, as Backstage's `pluginDivisionMode: schema` lays them out. Each
 * plugin runs its own migrations (the auth service of every plugin keeps its
 * signing keys in its plugin's database); in one shared schema they would
 * race to create the same tables at start-up.
 *
 * Keeping them off the post-mortems database means the statements a
 * benchmark counts there are the post-mortems plugin's alone.
 */
import knexFactory, { Knex } from 'knex';
import { serverUrl } from './postgres';

export class PluginDatabases {
  private readonly clients = new Map<string, Promise<Knex>>();

  /** `database` must exist (createDatabase). */
  constructor(private readonly database: string) {}

  /** The client of one plugin, its schema created on first use. */
  forPlugin(pluginId: string): Promise<Knex> {
    let client = this.clients.get(pluginId);
    if (!client) {
      client = (async () => {
        const schema = pluginId.replace(/[^a-z0-9_]/gi, '_');
        const knex = knexFactory({
          client: 'pg',
          connection: `${serverUrl()}/${this.database}`,
          searchPath: [schema],
          pool: { min: 0, max: 5 },
        });
        await knex.raw('create schema if not exists ??', [schema]);
        return knex;
      })();
      this.clients.set(pluginId, client);
    }
    return client;
  }

  /** Every client made so far. */
  async all(): Promise<Knex[]> {
    return Promise.all(this.clients.values());
  }

  async destroy(): Promise<void> {
    await Promise.all((await this.all()).map(knex => knex.destroy()));
  }
}
