import { Knex } from 'knex';
import { IncidentStore } from '../database/IncidentStore';
import { migrationsDirectory } from '../database/migrations';
import { PostmortemStore } from '../database/PostmortemStore';

/** A resolved incident written straight to the store (no timeline). */
export function storedIncident(
  knex: Knex,
  overrides: Partial<Parameters<IncidentStore['create']>[0]> = {},
) {
  return new IncidentStore(knex).create({
    title: 'x',
    severity: 'low',
    status: 'resolved',
    triggeredAt: '2026-11-01T00:00:00Z',
    ...overrides,
  });
}

/** A blank post-mortem of the incident, as a person creates one. */
export function storedPostmortem(knex: Knex, incidentId: string) {
  return new PostmortemStore(knex).create(
    {
      incidentId,
      content: '',
      sections: [],
      templateId: null,
      templateName: null,
      generatedBy: 'manual',
      generatedAt: null,
      createdBy: null,
    },
    { kind: 'human', reason: 'create', author: null },
  );
}

/**
 * Rolls back the given migration and every one applied after it, so a test
 * can check a migration's `down` (and apply them again afterwards).
 */
export async function rollBackThrough(knex: Knex, migration: string) {
  const directory = migrationsDirectory;
  const [completed] = await knex.migrate.list({ directory });
  const names: string[] = completed.map((m: { name: string }) => m.name);
  const index = names.indexOf(migration);
  if (index < 0) throw new Error(`${migration} has not been applied`);
  for (let i = names.length - 1; i >= index; i--) {
    await knex.migrate.down({ directory });
  }
}

/** The SQL of every statement `run` sends through `knex`, in order. */
export async function statementsDuring(
  knex: Knex,
  run: () => Promise<unknown>,
): Promise<string[]> {
  const sql: string[] = [];
  const listener = (query: { sql: string }) => sql.push(query.sql);
  knex.on('query', listener);
  try {
    await run();
  } finally {
    knex.removeListener('query', listener);
  }
  return sql;
}
