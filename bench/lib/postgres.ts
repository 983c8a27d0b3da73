/*
 * The PostgreSQL server the benchmarks use, and throwaway databases on it.
 *
 * The server is the one scripts/ensure-postgres.sh provides (it exports
 * BACKSTAGE_TEST_DATABASE_POSTGRES<NN>_CONNECTION_STRING); POSTMORTEMS_BENCH_PG_URL
 * overrides it. Each benchmark creates its own database so that it never
 * touches a developer's data, and drops it when done.
 */
import knexFactory, { Knex } from 'knex';

export function serverUrl(): string {
  if (process.env.POSTMORTEMS_BENCH_PG_URL) {
    return process.env.POSTMORTEMS_BENCH_PG_URL.replace(/\/+$/, '');
  }
  const fromTests = Object.keys(process.env)
    .filter(key =>
      /^BACKSTAGE_TEST_DATABASE_POSTGRES\d+_CONNECTION_STRING$/.test(key),
    )
    .sort()
    .pop();
  return (
    (fromTests && process.env[fromTests]) ||
    'postgresql://postgres@127.0.0.1:5432'
  ).replace(/\/+$/, '');
}

function connect(database: string, pool?: Knex.PoolConfig): Knex {
  return knexFactory({
    client: 'pg',
    connection: `${serverUrl()}/${database}`,
    pool,
  });
}

/** The server's version string, e.g. "15.20". */
export async function serverVersion(): Promise<string> {
  const admin = connect('postgres', { min: 0, max: 1 });
  try {
    const { rows } = await admin.raw('show server_version');
    return String(rows[0].server_version).split(' ')[0];
  } finally {
    await admin.destroy();
  }
}

export async function databaseExists(name: string): Promise<boolean> {
  const admin = connect('postgres', { min: 0, max: 1 });
  try {
    const { rows } = await admin.raw(
      'select 1 from pg_database where datname = ?',
      [name],
    );
    return rows.length > 0;
  } finally {
    await admin.destroy();
  }
}

/** Creates a fresh, empty database (dropping one of the same name first). */
export async function createDatabase(name: string): Promise<void> {
  const admin = connect('postgres', { min: 0, max: 1 });
  try {
    await admin.raw('drop database if exists ?? with (force)', [name]);
    await admin.raw('create database ??', [name]);
  } finally {
    await admin.destroy();
  }
}

export async function dropDatabase(name: string): Promise<void> {
  const admin = connect('postgres', { min: 0, max: 1 });
  try {
    await admin.raw('drop database if exists ?? with (force)', [name]);
  } finally {
    await admin.destroy();
  }
}

/**
 * A client for a benchmark database. The pool is knex's default (up to 10
 * connections), which is also what a Backstage backend gets by default, so
 * the plugin and the baseline have the same number of connections.
 */
export function openDatabase(name: string): Knex {
  return connect(name);
}

/**
 * Drops the database if the benchmark is interrupted (Ctrl-C, kill), when
 * its `finally` would not run: a forgotten benchmark database can hold GBs.
 */
export function dropOnSignal(name: string, keep = false): void {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      const done = () => process.exit(130);
      if (keep) done();
      else dropDatabase(name).then(done, done);
    });
  }
}
