import { TestDatabaseId, TestDatabases } from '@backstage/backend-test-utils';

/**
 * The databases every store and router test runs on: SQLite (the embedded
 * default) and PostgreSQL (production). `scripts/ensure-postgres.sh` provides
 * the server and names its version; the test command sets
 * POSTMORTEMS_REQUIRE_POSTGRES so that a missing server fails instead of
 * silently testing SQLite alone.
 */
export function createTestDatabases(): TestDatabases {
  const postgresId = (process.env.POSTMORTEMS_TEST_POSTGRES_ID ??
    'POSTGRES_15') as TestDatabaseId;
  const databases = TestDatabases.create({ ids: ['SQLITE_3', postgresId] });
  if (
    process.env.POSTMORTEMS_REQUIRE_POSTGRES &&
    !databases.supports(postgresId)
  ) {
    throw new Error(
      `PostgreSQL (${postgresId}) is required for these tests; source scripts/ensure-postgres.sh first`,
    );
  }
  return databases;
}
