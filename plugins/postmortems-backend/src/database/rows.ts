import { Knex } from 'knex';

/**
 * Conversions between database rows and API values that behave the same on
 * SQLite and PostgreSQL: PostgreSQL returns timestamps as Date objects, SQLite
 * as epoch milliseconds, and JSON is stored as text on both.
 */

/** An ISO-8601 UTC string for a timestamp column value, or null. */
export function toIso(value: unknown): string | null {
  if (value === null || value === undefined) {
    return null;
  }
  if (value instanceof Date) {
    return value.toISOString();
  }
  if (typeof value === 'number') {
    return new Date(value).toISOString();
  }
  const text = String(value);
  // SQLite may hand back numbers as strings.
  if (/^\d+$/.test(text)) {
    return new Date(Number(text)).toISOString();
  }
  return new Date(text).toISOString();
}

/** Like {@link toIso} for columns that are never null. */
export function toIsoRequired(value: unknown): string {
  return toIso(value) ?? new Date(0).toISOString();
}

/** A Date to bind for a timestamp column, from an ISO string or null. */
export function toDbTime(iso: string | null | undefined): Date | null {
  return iso ? new Date(iso) : null;
}

export function parseJson<T>(value: unknown, fallback: T): T {
  if (value === null || value === undefined || value === '') {
    return fallback;
  }
  if (typeof value !== 'string') {
    return value as T;
  }
  try {
    return JSON.parse(value) as T;
  } catch {
    return fallback;
  }
}

/** SQLite returns booleans as 0/1. */
export function toBool(value: unknown): boolean {
  return value === true || value === 1 || value === '1' || value === 'true';
}

/** Counts come back as strings from PostgreSQL and numbers from SQLite. */
export function toCount(value: unknown): number {
  return Number(value ?? 0);
}

/**
 * A column holding the rows of a child table as a JSON array, computed in the
 * parent's own query (one round trip instead of one per table). Rows come in
 * the given order with the given columns; read them back with parseJson and
 * the child's usual row mapper, which already accepts what JSON carries
 * (timestamps as ISO strings on PostgreSQL and epoch milliseconds on SQLite).
 */
export function jsonRowsColumn(
  db: Knex | Knex.Transaction,
  child: {
    /** A table, or a parenthesised select with an alias. */
    from: string;
    columns: readonly string[];
    /** SQL that ties a child row to the parent row, e.g. `postmortem_id = postmortems.id`. */
    joinOn: string;
    orderBy: readonly string[];
    as: string;
  },
): Knex.Raw {
  // Quoted: some column names (`timestamp`) are also SQL words.
  const quote = (column: string) => `"${column}"`;
  const rows = `select ${child.columns.map(quote).join(', ')} from ${
    child.from
  } where ${child.joinOn}`;
  const order = child.orderBy.map(quote);
  if (db.client.dialect === 'postgresql') {
    return db.raw(
      `coalesce((select json_agg(c order by ${order
        .map(column => `c.${column}`)
        .join(', ')}) from (${rows}) c), '[]') as ??`,
      [child.as],
    );
  }
  const object = child.columns
    .map(column => `'${column}', ${quote(column)}`)
    .join(', ');
  return db.raw(
    `(select json_group_array(json_object(${object})) from (${rows} order by ${order.join(
      ', ',
    )})) as ??`,
    [child.as],
  );
}
