import { createHash, randomUUID } from 'node:crypto';
import { Knex } from 'knex';

/**
 * Bumped when a prepared statement's plan went stale: statements are then
 * prepared again under new names (a connection keeps the old ones).
 */
let generation = 0;

/**
 * Runs a query that the API runs on nearly every request as a named
 * prepared statement on PostgreSQL: each pooled connection parses and plans
 * its text once, and later runs send only the values. Knex has no way to
 * name a statement, so this takes a connection from knex's own pool and uses
 * the driver directly; knex's `query` and `query-response` events are still
 * emitted, so logging and statement counts see it. On other databases (the
 * SQLite driver keeps its own statement cache) the query runs through knex.
 */
export async function rowsPrepared(
  db: Knex,
  query: Knex.QueryBuilder | Knex.Raw,
): Promise<any[]> {
  if (db.client.dialect !== 'postgresql') {
    const result = await query;
    // A raw query answers with the driver's result; a builder with its rows.
    return Array.isArray(result) ? result : result.rows ?? result;
  }
  const { sql, bindings } = query.toSQL().toNative();
  // One name per distinct text: a connection refuses a name reused for
  // another statement.
  const hash = createHash('sha1').update(sql).digest('hex').slice(0, 16);
  const event = { sql, bindings, __knexQueryUid: randomUUID() };
  const connection = await db.client.acquireConnection();
  try {
    db.client.emit('query', event);
    let result;
    try {
      result = await connection.query({
        name: `pm_${hash}_${generation}`,
        text: sql,
        values: bindings,
      });
    } catch (error) {
      // A table's columns changed since the statement was prepared (another
      // replica migrated during an upgrade): PostgreSQL refuses to run the
      // old plan ("cached plan must not change result type"). Prepare anew.
      if (!isStalePlan(error)) throw error;
      generation += 1;
      result = await connection.query({
        name: `pm_${hash}_${generation}`,
        text: sql,
        values: bindings,
      });
    }
    db.client.emit('query-response', result.rows, event);
    return result.rows;
  } catch (error) {
    db.client.emit('query-error', error, event);
    throw error;
  } finally {
    await db.client.releaseConnection(connection);
  }
}

function isStalePlan(error: unknown): boolean {
  const { code, message } = (error ?? {}) as {
    code?: string;
    message?: string;
  };
  return (
    code === '0A000' &&
    /cached plan must not change result type/.test(message ?? '')
  );
}
