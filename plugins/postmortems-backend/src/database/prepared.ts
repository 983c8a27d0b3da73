import { createHash, randomUUID } from 'node:crypto';
import { Knex } from 'knex';

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
  const name = `pm_${createHash('sha1')
    .update(sql)
    .digest('hex')
    .slice(0, 16)}`;
  const event = { sql, bindings, __knexQueryUid: randomUUID() };
  const connection = await db.client.acquireConnection();
  try {
    db.client.emit('query', event);
    const result = await connection.query({
      name,
      text: sql,
      values: bindings,
    });
    db.client.emit('query-response', result.rows, event);
    return result.rows;
  } catch (error) {
    db.client.emit('query-error', error, event);
    throw error;
  } finally {
    await db.client.releaseConnection(connection);
  }
}
