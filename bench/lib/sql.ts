/*
 * What SQL a backend ran, and how PostgreSQL ran it.
 *
 * SqlRecorder listens to knex's `query` event, which knex emits for every
 * statement it sends, whoever in the process sent it: the benchmark turns it
 * on only around what it measures and runs its own queries outside.
 * explainStatement runs one recorded statement again under EXPLAIN ANALYZE
 * and sums its plan up (scans, sorts, whether a big table was read without
 * an index), for a table cell; the plan's text is kept for printing.
 */
import { Knex } from 'knex';

export interface RecordedQuery {
  sql: string;
  bindings: unknown[];
  /** Epoch milliseconds, comparable across processes on this machine. */
  at: number;
  /** From sending to PostgreSQL's answer, once it came. */
  ms?: number;
}

/** Milliseconds since the epoch with sub-millisecond precision. */
export const epochMs = () => performance.timeOrigin + performance.now();

interface KnexQueryEvent {
  sql: string;
  bindings?: unknown[];
  __knexQueryUid?: string;
}

export class SqlRecorder {
  queries: RecordedQuery[] = [];
  private on = false;
  private readonly pending = new Map<string, RecordedQuery>();

  constructor(knex: Knex) {
    knex.on('query', (q: KnexQueryEvent) => {
      if (!this.on) return;
      const recorded = {
        sql: q.sql,
        bindings: q.bindings ?? [],
        at: epochMs(),
      };
      this.queries.push(recorded);
      if (q.__knexQueryUid) this.pending.set(q.__knexQueryUid, recorded);
    });
    const answered = (q: KnexQueryEvent) => {
      const recorded = q.__knexQueryUid && this.pending.get(q.__knexQueryUid);
      if (!recorded) return;
      this.pending.delete(q.__knexQueryUid!);
      recorded.ms = epochMs() - recorded.at;
    };
    knex.on('query-response', (_response: unknown, q: KnexQueryEvent) =>
      answered(q),
    );
    knex.on('query-error', (_error: unknown, q: KnexQueryEvent) => answered(q));
  }

  start() {
    this.queries = [];
    this.pending.clear();
    this.on = true;
  }

  stop(): RecordedQuery[] {
    this.on = false;
    return this.queries;
  }
}

/** The summed time of statements, as PostgreSQL took them plus the wire. */
export const sqlMs = (queries: RecordedQuery[]) =>
  queries.reduce((sum, q) => sum + (q.ms ?? 0), 0);

/**
 * A statement's shape without its values, to group statements that differ
 * only in bindings ("select * from generation_jobs where id = ?").
 */
export function statementShape(sql: string): string {
  const flat = sql
    .replace(/\s+/g, ' ')
    // A list of placeholders, whatever its length: (?, ?, ?) or ($4, $5).
    .replace(/\((?:\?|\$\d+)(?:, (?:\?|\$\d+))+\)/g, '(…)')
    .trim();
  return collapseSelectList(flat);
}

/**
 * "select a, b, (select … from x) as c from t …" → "select … from t …": a
 * long select list says little about a statement's cost and hides the rest.
 */
function collapseSelectList(sql: string): string {
  if (!/^select /i.test(sql)) return sql;
  let depth = 0;
  for (let i = 7; i < sql.length; i++) {
    const c = sql[i];
    if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (depth === 0 && sql.startsWith(' from ', i)) {
      return i > 80 ? `select …${sql.slice(i)}` : sql;
    }
  }
  return sql;
}

/** Statements grouped by shape, most frequent first: "3× select …". */
export function statementCounts(
  queries: RecordedQuery[],
): Array<{ shape: string; count: number }> {
  const counts = new Map<string, number>();
  for (const q of queries) {
    const shape = statementShape(q.sql);
    counts.set(shape, (counts.get(shape) ?? 0) + 1);
  }
  return [...counts.entries()]
    .map(([shape, count]) => ({ shape, count }))
    .sort((a, b) => b.count - a.count);
}

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  'Actual Rows'?: number;
  'Actual Loops'?: number;
  Plans?: PlanNode[];
}

export interface Explained {
  /** count, page or other. */
  kind: string;
  ms: number;
  /** "Index Scan postmortems_order_index (50 rows)", "Sort", … */
  scans: string[];
  /** No sequential scan reading more than 10,000 rows. */
  usesIndex: boolean;
  text: string;
}

const rowsOf = (node: PlanNode) =>
  (node['Actual Rows'] ?? 0) * (node['Actual Loops'] ?? 1);

const short = (rows: number) =>
  rows >= 1000 ? `${Math.round(rows / 1000)}k` : String(rows);

function summarise(node: PlanNode, out: string[] = []): string[] {
  const type = node['Node Type'];
  if (/Scan/.test(type) && type !== 'Subquery Scan') {
    const target = node['Index Name'] ?? node['Relation Name'] ?? '';
    out.push(`${type} ${target} (${short(rowsOf(node))} rows)`);
  }
  if (type === 'Sort' || type === 'Incremental Sort') out.push(type);
  for (const child of node.Plans ?? []) summarise(child, out);
  return out;
}

function bigSeqScan(node: PlanNode): boolean {
  return (
    (node['Node Type'] === 'Seq Scan' && rowsOf(node) > 10_000) ||
    (node.Plans ?? []).some(bigSeqScan)
  );
}

/** EXPLAIN ANALYZE of a recorded statement, on its own connection. */
export async function explainStatement(
  knex: Knex,
  query: { sql: string; bindings: unknown[] },
): Promise<Explained> {
  // knex reports `?` placeholders; the pg driver wants $1, $2, …
  const sql: string = (knex.client as any).positionBindings(query.sql);
  const connection = await knex.client.acquireConnection();
  try {
    const json = await connection.query(
      `explain (analyze, format json) ${sql}`,
      query.bindings,
    );
    const text = await connection.query(
      `explain (analyze, costs off) ${sql}`,
      query.bindings,
    );
    const plan = json.rows[0]['QUERY PLAN'][0];
    const lines: string[] = text.rows.map((r: any) => r['QUERY PLAN']);
    // The time of the plan printed, so that table and plan agree (the two
    // runs differ by a few milliseconds).
    const printed = lines
      .map(line => /^Execution Time: ([\d.]+) ms/.exec(line))
      .find(Boolean);
    let kind = 'other';
    if (/^select count\(\*\)/i.test(query.sql)) kind = 'count';
    else if (/ limit /i.test(query.sql)) kind = 'page';
    return {
      kind,
      ms: printed ? Number(printed[1]) : plan['Execution Time'],
      scans: summarise(plan.Plan),
      usesIndex: !bigSeqScan(plan.Plan),
      text: [
        statementShape(query.sql),
        `-- bindings: ${JSON.stringify(query.bindings)}`,
        ...lines,
      ].join('\n'),
    };
  } finally {
    await knex.client.releaseConnection(connection);
  }
}
