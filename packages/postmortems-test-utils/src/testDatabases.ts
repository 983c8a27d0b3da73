import { TestDatabaseId, TestDatabases } from '@backstage/backend-test-utils';

/**
 * The databases every store and router test runs on: SQLite (the embedded
 * default) and PostgreSQL (production). `scripts/ensure-postgres.sh` provides
 * the server and names its version; the test command sets
 * POSTMORTEMS_REQUIRE_POSTGRES so that a missing server fails the run. A
 * developer running jest alone without a server gets SQLite only.
 */
export function createTestDatabases(): TestDatabases {
  const postgresId = process.env.POSTMORTEMS_TEST_POSTGRES_ID as
    | TestDatabaseId
    | undefined;
  const required = Boolean(process.env.POSTMORTEMS_REQUIRE_POSTGRES);
  if (!postgresId && required) {
    throw new Error(
      'PostgreSQL is required for these tests; source scripts/ensure-postgres.sh first',
    );
  }
  const databases = TestDatabases.create({
    ids: postgresId ? ['SQLITE_3', postgresId] : ['SQLITE_3'],
  });
  if (postgresId && required && !databases.supports(postgresId)) {
    throw new Error(
      `PostgreSQL (${postgresId}) is required for these tests; source scripts/ensure-postgres.sh first`,
    );
  }
  return databases;
}
