/*
 * Scale: the list and filter endpoints, and the search collator, over a
 * database the size of a large organisation's history.
 *
 *   node --require @backstage/cli/config/nodeTransform.cjs bench/scale.bench.ts \
 *     [--requests=50] [--scale=1] [--keep] [--reuse=<database>]
 *     [--only=lists|related|collator]
 *
 * 1. Creates a PostgreSQL database, runs the plugin's migrations and seeds it
 *    with bulk SQL (lib/seed.ts): 100,000 incidents, 5,000,000 timeline
 *    entries, 50,000 published post-mortems with revisions, 200,000 action
 *    items (times --scale). Prints the time each table took.
 * 2. Starts the real plugin (lib/backend.ts) and times ~50 sequential
 *    requests of each list/filter endpoint through HTTP: p50 and p95.
 * 3. Captures the SQL each endpoint ran (knex's `query` event) and runs
 *    EXPLAIN ANALYZE on it: the plan of the slowest statement, whether it
 *    used an index, and the full plan of every endpoint over its target.
 * 4. Times "related post-mortems" for an incident against all published
 *    post-mortems (GET …/postmortem/related): the first request, which reads
 *    every published post-mortem's causes into the cache, then p50/p95 of
 *    the requests after it (target p95 < 200 ms).
 * 5. Runs the search collator (PostmortemCollatorFactory) over all published
 *    post-mortems through the same API: time and peak RSS growth.
 *
 * The database is dropped at the end unless --keep; --reuse=<name> runs steps
 * 2-4 on a database kept earlier (seeding takes minutes). --only=<part> times
 * one part alone: the list endpoints, related post-mortems or the collator.
 */
import { performance } from 'node:perf_hooks';
import { Readable } from 'node:stream';
import { Knex } from 'knex';
import { AuthService, DiscoveryService } from '@backstage/backend-plugin-api';
import { PostmortemCollatorFactory } from '@postmortems-oss/backstage-plugin-search-backend-module-postmortems';
import { BenchBackend, startBenchBackend } from './lib/backend';
import { migrate } from './lib/migrate';
import {
  createDatabase,
  databaseExists,
  dropDatabase,
  dropOnSignal,
  openDatabase,
} from './lib/postgres';
import {
  benchArgs,
  fmt,
  markdownTable,
  percentile,
  progress,
  verdict,
} from './lib/report';
import {
  hotIncidentNumber,
  incidentId,
  seed,
  SeedSizes,
  SERVICE_COUNT,
} from './lib/seed';

const args = benchArgs();
const REQUESTS = Number(args.requests ?? 50);
const SCALE = Number(args.scale ?? 1);
const KEEP = args.keep === 'true';
const REUSE: string | undefined = args.reuse;
const ONLY: string | undefined = args.only;
/** Whether a part (lists, related, collator) is timed in this run. */
const runs = (part: 'lists' | 'related' | 'collator') =>
  ONLY === undefined || ONLY === part;
const P95_TARGET_MS = 100;
const RELATED_P95_TARGET_MS = 200;
const RSS_TARGET_MB = 300;

const SIZES: SeedSizes = {
  incidents: Math.round(100_000 * SCALE),
  timelineEntries: Math.round(5_000_000 * SCALE),
  hotIncidentEntries: Math.round(200_000 * SCALE),
  postmortems: Math.round(50_000 * SCALE),
  actionItems: Math.round(200_000 * SCALE),
  postmortemStatus: 'published',
};

interface Endpoint {
  group: string;
  name: string;
  path: string;
}

/** Every list/filter endpoint, with filters that match few and many rows. */
function endpoints(): Endpoint[] {
  const hot = incidentId(hotIncidentNumber(SIZES));
  const hotPages = Math.ceil(
    (SIZES.hotIncidentEntries +
      Math.floor(
        (SIZES.timelineEntries - SIZES.hotIncidentEntries) / SIZES.incidents,
      )) /
      100,
  );
  const monthAgo = new Date(Date.now() - 30 * 86_400_000).toISOString();
  const service = `component:default/service-${42 % SERVICE_COUNT}`;
  const deepIncidentPage = Math.floor((SIZES.incidents * 0.9) / 50);
  const lastPostmortemPage = Math.ceil(SIZES.postmortems / 100);
  return [
    { group: 'incidents', name: 'page 1', path: '/v1/incidents?limit=50' },
    {
      group: 'incidents',
      name: `deep page (${deepIncidentPage})`,
      path: `/v1/incidents?limit=50&page=${deepIncidentPage}`,
    },
    {
      group: 'incidents',
      name: 'status=resolved',
      path: '/v1/incidents?status=resolved&limit=50',
    },
    {
      group: 'incidents',
      name: `status=resolved, deep page (${deepIncidentPage})`,
      path: `/v1/incidents?status=resolved&limit=50&page=${deepIncidentPage}`,
    },
    {
      group: 'incidents',
      name: 'status=triggered,acknowledged',
      path: '/v1/incidents?status=triggered,acknowledged&limit=50',
    },
    {
      group: 'incidents',
      name: 'severity=critical',
      path: '/v1/incidents?severity=critical&limit=50',
    },
    {
      group: 'incidents',
      name: 'entity_ref',
      path: `/v1/incidents?entity_ref=${encodeURIComponent(service)}&limit=50`,
    },
    {
      group: 'incidents',
      name: 'created_after (30 days)',
      path: `/v1/incidents?created_after=${encodeURIComponent(
        monthAgo,
      )}&limit=50`,
    },
    {
      group: 'incidents',
      name: 'status=resolved, has_postmortem=false',
      path: '/v1/incidents?status=resolved&has_postmortem=false&limit=50',
    },
    {
      group: 'incidents',
      name: 'has_postmortem=false, entity_ref',
      path: `/v1/incidents?status=resolved&has_postmortem=false&entity_ref=${encodeURIComponent(
        service,
      )}&limit=5`,
    },
    {
      group: 'figures',
      name: '90 days, weekly',
      path: `/v1/figures?from=${encodeURIComponent(
        new Date(Date.now() - 90 * 86_400_000).toISOString(),
      )}&to=${encodeURIComponent(new Date().toISOString())}&bucket_days=7`,
    },
    {
      group: 'figures',
      name: '5 years, monthly',
      path: `/v1/figures?from=${encodeURIComponent(
        new Date(Date.now() - 5 * 365 * 86_400_000).toISOString(),
      )}&to=${encodeURIComponent(new Date().toISOString())}&bucket_days=30`,
    },
    {
      group: 'timeline',
      name: 'typical incident, page 1',
      path: `/v1/incidents/${incidentId(1)}/timeline?limit=100`,
    },
    {
      group: 'timeline',
      name: `long incident (${SIZES.hotIncidentEntries} entries), page 1`,
      path: `/v1/incidents/${hot}/timeline?limit=100`,
    },
    {
      group: 'timeline',
      name: `long incident, last page (${hotPages})`,
      path: `/v1/incidents/${hot}/timeline?limit=100&page=${hotPages}`,
    },
    {
      group: 'postmortems',
      name: 'status=published',
      path: '/v1/postmortems?status=published&limit=50',
    },
    {
      group: 'postmortems',
      name: `status=published, last page of 100 (${lastPostmortemPage})`,
      path: `/v1/postmortems?status=published&limit=100&page=${lastPostmortemPage}`,
    },
    {
      group: 'postmortems',
      name: 'entityRef',
      path: `/v1/postmortems?entityRef=${encodeURIComponent(service)}&limit=50`,
    },
    {
      group: 'action-items',
      name: 'owner',
      path: `/v1/action-items?owner=${encodeURIComponent(
        'user:default/user-42',
      )}&limit=50`,
    },
    {
      group: 'action-items',
      name: 'status=open',
      path: '/v1/action-items?status=open&limit=50',
    },
    {
      group: 'action-items',
      name: 'overdue=true',
      path: '/v1/action-items?overdue=true&limit=50',
    },
    {
      group: 'action-items',
      name: 'entityRef',
      path: `/v1/action-items?entityRef=${encodeURIComponent(
        service,
      )}&limit=50`,
    },
  ];
}

/** Collects the SQL statements the plugin's knex runs while `on`. */
class QueryRecorder {
  queries: Array<{ sql: string; bindings: unknown[] }> = [];
  on = false;
  constructor(knex: Knex) {
    knex.on('query', (q: { sql: string; bindings?: unknown[] }) => {
      if (this.on)
        this.queries.push({ sql: q.sql, bindings: q.bindings ?? [] });
    });
  }
}

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  'Actual Rows'?: number;
  'Actual Loops'?: number;
  Plans?: PlanNode[];
}

/** "Seq Scan on action_items (76k rows)", "Index Scan incidents_status_index". */
function scans(node: PlanNode, out: string[] = []): string[] {
  const type = node['Node Type'];
  if (/Scan/.test(type) && type !== 'Subquery Scan') {
    const rows = (node['Actual Rows'] ?? 0) * (node['Actual Loops'] ?? 1);
    const target = node['Index Name'] ?? node['Relation Name'] ?? '';
    out.push(
      `${type} ${target} (${
        rows >= 1000 ? `${Math.round(rows / 1000)}k` : rows
      } rows)`,
    );
  }
  if (type === 'Sort' || type === 'Incremental Sort') out.push(type);
  for (const child of node.Plans ?? []) scans(child, out);
  return out;
}

function seqScansOfBigTables(node: PlanNode): boolean {
  const own =
    node['Node Type'] === 'Seq Scan' &&
    (node['Actual Rows'] ?? 0) * (node['Actual Loops'] ?? 1) > 10_000;
  return own || (node.Plans ?? []).some(seqScansOfBigTables);
}

interface Explained {
  kind: string;
  ms: number;
  scans: string[];
  usesIndex: boolean;
  text: string;
}

/** EXPLAIN ANALYZE of one statement, as JSON (to summarise) and text (to print). */
async function explain(
  knex: Knex,
  query: { sql: string; bindings: unknown[] },
): Promise<Explained> {
  // knex reports statements with `?` placeholders; pg wants $1, $2, ...
  const sql: string = (knex.client as any).positionBindings(query.sql);
  const connection = await knex.client.acquireConnection();
  try {
    const json = await connection.query(
      `explain (analyze, format json) ${sql}`,
      query.bindings,
    );
    const text = await connection.query(
      `explain (analyze, costs off, timing on) ${sql}`,
      query.bindings,
    );
    const plan = json.rows[0]['QUERY PLAN'][0];
    const root: PlanNode = plan.Plan;
    const list = scans(root);
    return {
      kind: /count\(\*\)/i.test(query.sql)
        ? 'count'
        : / limit /i.test(query.sql)
        ? 'page'
        : 'other',
      ms: plan['Execution Time'],
      scans: list,
      usesIndex: !seqScansOfBigTables(root),
      text: [
        query.sql,
        `-- bindings: ${JSON.stringify(query.bindings)}`,
        ...text.rows.map((r: any) => r['QUERY PLAN']),
      ].join('\n'),
    };
  } finally {
    await knex.client.releaseConnection(connection);
  }
}

async function timeRequests(backend: BenchBackend, path: string) {
  const url = `${backend.pluginUrl}${path}`;
  const get = async () => {
    const response = await fetch(url, { headers: backend.headers });
    const body = await response.text();
    if (!response.ok) {
      throw new Error(`${path}: ${response.status} ${body.slice(0, 300)}`);
    }
    return JSON.parse(body);
  };
  // A few unmeasured requests first: connection set-up, plan caches.
  for (let i = 0; i < 3; i++) await get();
  const times: number[] = [];
  let sample: any;
  for (let i = 0; i < REQUESTS; i++) {
    const t0 = performance.now();
    sample = await get();
    times.push(performance.now() - t0);
  }
  return { times, total: sample.total, returned: sample.data?.length ?? 0 };
}

/**
 * Related post-mortems of one incident among all the published ones: the
 * first request (the term vectors of every published post-mortem are read
 * and weighed) alone, then the rest as timeRequests does.
 */
async function timeRelated(backend: BenchBackend) {
  const path = `/v1/incidents/${incidentId(
    hotIncidentNumber(SIZES),
  )}/postmortem/related?limit=3`;
  const t0 = performance.now();
  const first = await fetch(`${backend.pluginUrl}${path}`, {
    headers: backend.headers,
  });
  if (!first.ok) {
    throw new Error(`${path}: ${first.status} ${await first.text()}`);
  }
  await first.text();
  const coldMs = performance.now() - t0;
  const { times, returned } = await timeRequests(backend, path);
  return {
    coldMs,
    p50: percentile(times, 50),
    p95: percentile(times, 95),
    returned,
  };
}

/** The collator as the search backend runs it, against our server. */
async function runCollator(backend: BenchBackend) {
  // The collator asks discovery for the plugin's base URL and the auth
  // service for a token; here they name our server and its static token,
  // which the backend verifies like any other.
  const discovery: DiscoveryService = {
    getBaseUrl: async () => backend.pluginUrl,
    getExternalBaseUrl: async () => backend.pluginUrl,
  };
  const auth = {
    getOwnServiceCredentials: async () => ({
      $$type: '@backstage/BackstageCredentials',
      principal: { type: 'service', subject: 'plugin:search' },
    }),
    getPluginRequestToken: async () => ({ token: backend.token }),
  } as unknown as AuthService;
  const factory = new PostmortemCollatorFactory({ auth, discovery });

  global.gc?.();
  const rssBefore = process.memoryUsage().rss;
  let peak = rssBefore;
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 50);
  const t0 = performance.now();
  let documents = 0;
  let textBytes = 0;
  try {
    const stream: Readable = await factory.getCollator();
    for await (const doc of stream) {
      documents++;
      textBytes += doc.text.length;
    }
  } finally {
    clearInterval(sampler);
  }
  const ms = performance.now() - t0;
  peak = Math.max(peak, process.memoryUsage().rss);
  return {
    documents,
    seconds: ms / 1000,
    rssBeforeMb: rssBefore / 1_048_576,
    growthMb: (peak - rssBefore) / 1_048_576,
    textMb: textBytes / 1_048_576,
  };
}

async function main() {
  const dbName = REUSE ?? `pm_bench_scale_${process.pid}`;
  let knex: Knex | undefined;
  let backend: BenchBackend | undefined;
  const keep = KEEP || !!REUSE;
  dropOnSignal(dbName, keep);
  try {
    if (REUSE) {
      if (!(await databaseExists(REUSE))) {
        throw new Error(`No database ${REUSE} to reuse`);
      }
      knex = openDatabase(dbName);
      // A migration added since the database was kept still applies.
      await migrate(knex);
      process.stdout.write(
        `Seeding skipped: reusing database ${REUSE} (kept by an earlier run).\n\n`,
      );
    } else {
      progress(`creating database ${dbName}`);
      await createDatabase(dbName);
      knex = openDatabase(dbName);
      const t0 = performance.now();
      await migrate(knex);
      const migrateMs = performance.now() - t0;
      progress('seeding (a few minutes)');
      const timings = await seed(knex, SIZES);
      const total = timings.reduce((sum, t) => sum + t.ms, migrateMs);
      process.stdout.write(
        `${markdownTable(
          'Scale: seeding with bulk SQL (INSERT ... SELECT ... FROM generate_series)',
          ['table', 'rows', 'seconds', 'rows/s'],
          [
            ['(migrations)', '-', fmt(migrateMs / 1000, 1), '-'],
            ...timings.map(t => [
              t.table,
              t.rows ? t.rows.toLocaleString('en-US') : '-',
              fmt(t.ms / 1000, 1),
              t.rows
                ? Math.round(t.rows / (t.ms / 1000)).toLocaleString('en-US')
                : '-',
            ]),
            ['total', '', fmt(total / 1000, 1), ''],
          ],
        )}\n`,
      );
      const { rows } = await knex.raw(
        'select pg_size_pretty(pg_database_size(current_database())) as size',
      );
      process.stdout.write(`Database size after seeding: ${rows[0].size}.\n\n`);
    }

    const recorder = new QueryRecorder(knex);
    backend = await startBenchBackend(knex);

    if (runs('lists')) {
      const results: Array<{
        endpoint: Endpoint;
        p50: number;
        p95: number;
        total: number;
        returned: number;
        main: Explained;
        count?: Explained;
        queries: number;
      }> = [];
      for (const endpoint of endpoints()) {
        progress(`${endpoint.group} ${endpoint.name}: ${REQUESTS} requests`);
        const timing = await timeRequests(backend, endpoint.path);
        // One more request with the recorder on, for the statements it runs.
        recorder.queries = [];
        recorder.on = true;
        await fetch(`${backend.pluginUrl}${endpoint.path}`, {
          headers: backend.headers,
        }).then(r => r.arrayBuffer());
        recorder.on = false;
        const distinct = [
          ...new Map(recorder.queries.map(q => [q.sql, q])).values(),
        ];
        const explained: Explained[] = [];
        for (const query of distinct)
          explained.push(await explain(knex, query));
        explained.sort((a, b) => b.ms - a.ms);
        results.push({
          endpoint,
          p50: percentile(timing.times, 50),
          p95: percentile(timing.times, 95),
          total: timing.total,
          returned: timing.returned,
          main: explained[0],
          count: explained.find(e => e.kind === 'count'),
          queries: recorder.queries.length,
        });
      }

      process.stdout.write(
        `${markdownTable(
          `Scale: list and filter endpoints over HTTP, ${REQUESTS} sequential requests each (p95 target < ${P95_TARGET_MS} ms)`,
          [
            'endpoint',
            'filter / page',
            'total rows',
            'p50 ms',
            'p95 ms',
            'target',
            'SQL statements',
            'slowest statement (EXPLAIN ANALYZE)',
            'plan',
            'indexed',
          ],
          results.map(r => [
            r.endpoint.group,
            r.endpoint.name,
            r.total?.toLocaleString('en-US') ?? '-',
            fmt(r.p50, 1),
            fmt(r.p95, 1),
            verdict(r.p95 < P95_TARGET_MS),
            r.queries,
            `${r.main.kind}, ${fmt(r.main.ms, 1)} ms`,
            r.main.scans.join(' · '),
            r.main.usesIndex ? 'yes' : 'NO (seq scan > 10k rows)',
          ]),
        )}\n`,
      );

      // The full plans of what missed, so a reader can see why.
      const missed = results.filter(
        r => r.p95 >= P95_TARGET_MS || !r.main.usesIndex,
      );
      if (missed.length) {
        process.stdout.write(
          '#### Plans of the endpoints over target or not using an index\n\n',
        );
        for (const r of missed) {
          process.stdout.write(
            `${r.endpoint.group} ${r.endpoint.name} (p95 ${fmt(
              r.p95,
              0,
            )} ms):\n\n\`\`\`\n${r.main.text}\n\`\`\`\n\n`,
          );
        }
      }
    }

    progress('search collator over all published post-mortems');
    if (runs('related')) {
      progress('related post-mortems');
      const related = await timeRelated(backend);
      process.stdout.write(
        `${markdownTable(
          `Scale: related post-mortems among ${SIZES.postmortems.toLocaleString(
            'en-US',
          )} published (TF-IDF over causes in process, catalog relations not configured), ${REQUESTS} sequential requests`,
          [
            'first request ms (reads every cause)',
            'p50 ms',
            'p95 ms',
            `p95 < ${RELATED_P95_TARGET_MS} ms`,
            'returned',
          ],
          [
            [
              fmt(related.coldMs, 0),
              fmt(related.p50, 1),
              fmt(related.p95, 1),
              verdict(related.p95 < RELATED_P95_TARGET_MS),
              related.returned,
            ],
          ],
        )}\n`,
      );
    }

    if (runs('collator')) {
      const collator = await runCollator(backend);
      process.stdout.write(
        `${markdownTable(
          'Scale: search collator (PostmortemCollatorFactory) over the API, in the backend process',
          [
            'documents',
            'expected',
            'seconds',
            'docs/s',
            'RSS before MB',
            'peak RSS growth MB',
            `growth < ${RSS_TARGET_MB} MB`,
            'text indexed MB',
          ],
          [
            [
              collator.documents,
              SIZES.postmortems,
              fmt(collator.seconds, 1),
              fmt(collator.documents / collator.seconds, 0),
              fmt(collator.rssBeforeMb, 0),
              fmt(collator.growthMb, 0),
              verdict(collator.growthMb < RSS_TARGET_MB),
              fmt(collator.textMb, 1),
            ],
          ],
        )}\n`,
      );
      if (!REUSE && collator.documents !== SIZES.postmortems) {
        throw new Error(
          `The collator read ${collator.documents} documents, expected ${SIZES.postmortems}`,
        );
      }
    }
    if (keep) {
      process.stdout.write(`Database ${dbName} kept (--keep / --reuse).\n\n`);
    }
  } finally {
    await backend?.stop().catch(() => {});
    await knex?.destroy();
    if (!keep) await dropDatabase(dbName);
  }
}

main().then(
  () => process.exit(0),
  error => {
    process.stderr.write(`scale benchmark failed: ${error?.stack ?? error}\n`);
    process.exit(1);
  },
);
