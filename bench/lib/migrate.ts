/* The plugin's own migrations, applied to a benchmark database. */
import { dirname, join } from 'node:path';
import { Knex } from 'knex';

export const pluginDir = dirname(
  require.resolve(
    '@postmortems-oss/backstage-plugin-postmortems-backend/package.json',
  ),
);

export async function migrate(knex: Knex): Promise<void> {
  await knex.migrate.latest({ directory: join(pluginDir, 'migrations') });
}
