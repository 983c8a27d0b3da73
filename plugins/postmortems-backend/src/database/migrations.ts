import { resolvePackagePath } from '@backstage/backend-plugin-api';
import { Knex } from 'knex';

/** Where the plugin's Knex migrations are (also for tests that roll them back). */
export const migrationsDirectory = resolvePackagePath(
  '@postmortems-oss/backstage-plugin-postmortems-backend',
  'migrations',
);

/** Brings the plugin's database to the latest schema. */
export async function applyDatabaseMigrations(knex: Knex): Promise<void> {
  await knex.migrate.latest({ directory: migrationsDirectory });
}
