/*
 * Access: a restricted user's list of post-mortems among 100,000, filtered by
 * the permission policy in SQL. Target: p95 < 100 ms for a page of 50, with
 * a total that is exact (the number of post-mortems the user may read).
 *
 *   node --require @backstage/cli/config/nodeTransform.cjs bench/access.bench.ts \
 *     [--requests=50] [--scale=1] [--keep] [--reuse=<database>] [--only=lists|one]
 *
 * 1. Creates a PostgreSQL database and seeds it with bulk SQL (lib/seed.ts):
 *    100,000 incidents, each with a post-mortem (every other one published:
 *    50,000 published, 50,000 drafts), 200,000 action items, incidents over
 *    200 services. Ten drafts, spread over the whole history, also affect
 *    ledger-api or ledger-worker, two services team-ledger owns.
 * 2. Starts a backend with the real post-mortems plugin, the real auth
 *    backend, the real permission backend with the shipped policy module
 *    (permission.enabled: true) and an in-memory catalog in which
 *    user:default/bench-reader is a member of team-ledger and
 *    user:default/bench-admin of sre, the group of post-mortems admins.
 * 3. Signs both users in through the auth backend (lib/users.ts explains
 *    the sign-in provider) and calls the API with their Backstage tokens,
 *    which the plugin verifies against the auth backend's keys. For the
 *    reader, the plugin asks the permission backend for conditional
 *    decisions: published post-mortems are allowed, drafts only where the
 *    reader is the commander, an author, or in a group that owns an affected
 *    service. PostmortemAccess.readableScope turns that into SQL (the owned
 *    services looked up in the catalog), and the store counts and pages
 *    with it.
 * 4. For each list: 3 unmeasured then 50 sequential requests (p50, p95 on
 *    the client, sign-in not included, token check and permission round trip
 *    included); the API's total against the number computed here with SQL
 *    written independently of the plugin's (and the ids of the reader's
 *    drafts against the ten seeded); rows on the page; one more request with
 *    knex's `query` event on (the SQL statements it ran) and each distinct
 *    statement again under EXPLAIN ANALYZE, the slowest one in the table.
 *    The same lists as the admin, whom the policy allows everything, are the
 *    comparison: no filter at all in SQL.
 *
 * The post-mortems plugin has the benchmark's database to itself; the auth
 * backend's tables (signing keys, user info) are in a second database, so
 * that the statements counted are the plugin's. Both are dropped at the end
 * (the first unless --keep; --reuse=<name> measures again on a kept one).
 */
import { performance } from 'node:perf_hooks';
import { Knex } from 'knex';
import { BenchBackend, startBenchBackend } from './lib/backend';
import { migrate } from './lib/migrate';
import { PluginDatabases } from './lib/pluginDatabases';
import {
  createDatabase,
  databaseExists,
  dropDatabase,
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
import { incidentId, seed, SeedSizes } from './lib/seed';
import {
  Explained,
  explainStatement,
  sqlMs,
  SqlRecorder,
  statementCounts,
} from './lib/sql';
import { directory, signIn, userConfig, userFeatures } from './lib/users';

const args = benchArgs();
const REQUESTS = Number(args.requests ?? 50);
const SCALE = Number(args.scale ?? 1);
const KEEP = args.keep === 'true';
const REUSE: string | undefined = args.reuse;
const P95_TARGET_MS = 100;
/** Only the lists, or only the reads of one post-mortem. */
const ONLY = args.only as 'lists' | 'one' | undefined;
if (ONLY && ONLY !== 'lists' && ONLY !== 'one') {
  throw new Error(`--only is lists or one, not ${ONLY}`);
}

const SIZES: SeedSizes = {
  incidents: Math.round(100_000 * SCALE),
  // Lists read neither timelines nor revisions beyond the seed's own.
  timelineEntries: 0,
  hotIncidentEntries: 0,
  postmortems: Math.round(100_000 * SCALE),
  actionItems: Math.round(200_000 * SCALE),
  postmortemStatus: 'mixed',
};

const READER = 'user:default/bench-reader';
const ADMIN = 'user:default/bench-admin';
/** What team-ledger owns, as the catalog says and as incidents name them. */
const OWNED = [
  'component:default/ledger-api',
  'component:default/ledger-worker',
];
const READER_DRAFTS = 10;

const catalog = directory({
  users: [
    { name: 'bench-reader', groups: ['team-ledger'] },
    { name: 'bench-admin', groups: ['sre'] },
  ],
  components: [
    { name: 'ledger-api', owner: 'team-ledger' },
    { name: 'ledger-worker', owner: 'team-ledger' },
    // Services of the seed, owned by other teams: the owned-services lookup
    // has to pick team-ledger's out of a catalog, not take all it has.
    ...Array.from({ length: 20 }, (_, i) => ({
      name: `service-${i}`,
      owner: `team-${i % 5}`,
    })),
  ],
});

/**
 * Incident numbers of the drafts the reader may read: spread over the
 * history (so a page cannot find them all at the top), odd (the seed makes
 * odd-numbered post-mortems drafts).
 */
function readerDraftNumbers(): number[] {
  return Array.from(
    { length: READER_DRAFTS },
    (_, k) => Math.floor(((k + 0.43) * SIZES.incidents) / READER_DRAFTS) | 1,
  );
}

/** The ten drafts also affect a service team-ledger owns. */
async function addOwnedServices(knex: Knex) {
  const numbers = readerDraftNumbers();
  await knex('incident_services').insert(
    numbers.map((n, k) => ({
      incident_id: incidentId(n),
      entity_ref: OWNED[k % OWNED.length],
    })),
  );
  await knex.raw('analyze incident_services');
}

/**
 * What the reader may read, counted with SQL of our own rather than the
 * plugin's: the shipped policy's rule for drafts (commander, author of a
 * revision, or an affected service owned by one of the reader's groups),
 * every published post-mortem.
 */
async function expectedForReader(knex: Knex, status?: 'draft') {
  const owned = OWNED.map(() => '?').join(', ');
  const mayReadDraft = `(
      exists (select 1 from incidents i
               where i.id = p.incident_id and i.commander = ?)
      or exists (select 1 from postmortem_revisions r
                  where r.postmortem_id = p.id and r.author = ?)
      or exists (select 1 from incident_services s
                  where s.incident_id = p.incident_id
                    and lower(s.entity_ref) in (${owned})))`;
  const where =
    status === 'draft'
      ? `p.status = 'draft' and ${mayReadDraft}`
      : `p.status = 'published' or (p.status <> 'published' and ${mayReadDraft})`;
  const { rows } = await knex.raw(
    `select p.incident_id from postmortems p where ${where}`,
    [READER, READER, ...OWNED],
  );
  return (rows as Array<{ incident_id: string }>).map(r => r.incident_id);
}

async function expectedForAdmin(knex: Knex, status?: 'draft') {
  const query = knex('postmortems').count({ count: '*' });
  if (status) query.where({ status });
  const [{ count }] = await query;
  return Number(count);
}

interface Scenario {
  user: 'restricted' | 'admin';
  name: string;
  path: string;
  expectedTotal: number;
  /** The ids the page must hold exactly, when the total fits on one page. */
  expectedIds?: string[];
}

interface Result {
  scenario: Scenario;
  p50: number;
  p95: number;
  total: number;
  rows: number;
  idsMatch?: boolean;
  statements: number;
  /** The statements' summed time in that request. */
  sqlMs: number;
  statementShapes: Array<{ shape: string; count: number }>;
  slowest: Explained;
}

async function timeList(
  backend: BenchBackend,
  token: string,
  scenario: Scenario,
  knex: Knex,
  recorder: SqlRecorder,
): Promise<Result> {
  const url = `${backend.pluginUrl}${scenario.path}`;
  const get = async () => {
    const response = await fetch(url, {
      headers: { Authorization: `Bearer ${token}` },
    });
    const body = await response.text();
    if (!response.ok) {
      throw new Error(
        `${scenario.path}: ${response.status} ${body.slice(0, 300)}`,
      );
    }
    return JSON.parse(body) as {
      total: number;
      data: Array<{ incident_id: string }>;
    };
  };
  // Unmeasured: connections, plan caches, the token's keys and the user's
  // info fetched once and cached, as in a backend that has been up a while.
  for (let i = 0; i < 3; i++) await get();
  const times: number[] = [];
  let sample = await get();
  for (let i = 0; i < REQUESTS; i++) {
    const t0 = performance.now();
    sample = await get();
    times.push(performance.now() - t0);
  }
  recorder.start();
  await get();
  const queries = recorder.stop();
  const distinct = [...new Map(queries.map(q => [q.sql, q])).values()];
  const explained: Explained[] = [];
  for (const query of distinct) {
    explained.push(await explainStatement(knex, query));
  }
  explained.sort((a, b) => b.ms - a.ms);
  return {
    scenario,
    p50: percentile(times, 50),
    p95: percentile(times, 95),
    total: sample.total,
    rows: sample.data.length,
    idsMatch: scenario.expectedIds
      ? JSON.stringify(sample.data.map(d => d.incident_id).sort()) ===
        JSON.stringify([...scenario.expectedIds].sort())
      : undefined,
    statements: queries.length,
    sqlMs: sqlMs(queries),
    statementShapes: statementCounts(queries),
    slowest: explained[0],
  };
}

/** One post-mortem, read by its incident: the permission check per resource. */
interface OneScenario {
  user: 'restricted' | 'admin';
  name: string;
  incident: string;
  expectedStatus: number;
}

interface OneResult {
  scenario: OneScenario;
  status: number;
  p50: number;
  p95: number;
  statements: number;
  statementShapes: Array<{ shape: string; count: number }>;
}

async function timeOne(
  backend: BenchBackend,
  token: string,
  scenario: OneScenario,
  recorder: SqlRecorder,
): Promise<OneResult> {
  const url = `${backend.pluginUrl}/v1/incidents/${scenario.incident}/postmortem`;
  const get = async () => {
    const response = await fetch(url, {
      headers: { Authorization: `Bearer ${token}` },
    });
    await response.arrayBuffer();
    return response.status;
  };
  for (let i = 0; i < 3; i++) await get();
  const times: number[] = [];
  let status = 0;
  for (let i = 0; i < REQUESTS; i++) {
    const t0 = performance.now();
    status = await get();
    times.push(performance.now() - t0);
  }
  recorder.start();
  await get();
  const queries = recorder.stop();
  return {
    scenario,
    status,
    p50: percentile(times, 50),
    p95: percentile(times, 95),
    statements: queries.length,
    statementShapes: statementCounts(queries),
  };
}

async function main() {
  const dbName = REUSE ?? `pm_bench_access_${process.pid}`;
  const othersName = `pm_bench_access_others_${process.pid}`;
  const keep = KEEP || !!REUSE;
  let knex: Knex | undefined;
  let others: PluginDatabases | undefined;
  let backend: BenchBackend | undefined;
  // Interrupted (Ctrl-C, kill): drop both databases before exiting.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      const done = () => process.exit(130);
      Promise.all([
        keep ? undefined : dropDatabase(dbName),
        dropDatabase(othersName),
      ]).then(done, done);
    });
  }
  try {
    if (REUSE) {
      if (!(await databaseExists(REUSE))) {
        throw new Error(`No database ${REUSE} to reuse`);
      }
      knex = openDatabase(dbName);
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
      progress('seeding (about a minute)');
      const timings = await seed(knex, SIZES);
      await addOwnedServices(knex);
      const seconds = (performance.now() - t0) / 1000;
      process.stdout.write(
        `${markdownTable(
          'Access: seeding with bulk SQL',
          ['table', 'rows', 'seconds'],
          [
            ...timings
              .filter(t => t.rows || t.table === 'vacuum analyze')
              .map(t => [
                t.table,
                t.rows ? t.rows.toLocaleString('en-US') : '-',
                fmt(t.ms / 1000, 1),
              ]),
            ['incident_services of team-ledger', READER_DRAFTS, '-'],
            ['total (with migrations)', '', fmt(seconds, 1)],
          ],
        )}\n`,
      );
    }
    await createDatabase(othersName);
    const pluginDatabases = new PluginDatabases(othersName);
    others = pluginDatabases;

    const recorder = new SqlRecorder(knex);
    backend = await startBenchBackend(knex, {
      features: userFeatures(),
      config: userConfig(['group:default/sre']),
      catalogEntities: catalog,
      otherPluginsDatabase: id => pluginDatabases.forPlugin(id),
    });
    const tokens = {
      restricted: await signIn(backend.origin, READER),
      admin: await signIn(backend.origin, ADMIN),
    };

    const [{ count: all }] = await knex('postmortems').count({ count: '*' });
    const readerAll = await expectedForReader(knex);
    const readerDrafts = await expectedForReader(knex, 'draft');
    const seededDrafts = readerDraftNumbers().map(incidentId);
    if (
      !REUSE &&
      JSON.stringify([...readerDrafts].sort()) !==
        JSON.stringify([...seededDrafts].sort())
    ) {
      throw new Error(
        `The reader's drafts by SQL (${readerDrafts.length}) are not the ${READER_DRAFTS} seeded`,
      );
    }
    const readerPages = Math.ceil(readerAll.length / 50);
    const scenarios: Scenario[] = [
      {
        user: 'restricted',
        name: 'all statuses, page 1',
        path: '/v1/postmortems?limit=50',
        expectedTotal: readerAll.length,
      },
      {
        user: 'restricted',
        name: 'status=draft, page 1',
        path: '/v1/postmortems?status=draft&limit=50',
        expectedTotal: readerDrafts.length,
        expectedIds: readerDrafts,
      },
      {
        user: 'restricted',
        name: `all statuses, last page (${readerPages})`,
        path: `/v1/postmortems?limit=50&page=${readerPages}`,
        expectedTotal: readerAll.length,
      },
      {
        user: 'admin',
        name: 'all statuses, page 1',
        path: '/v1/postmortems?limit=50',
        expectedTotal: await expectedForAdmin(knex),
      },
      {
        user: 'admin',
        name: 'status=draft, page 1',
        path: '/v1/postmortems?status=draft&limit=50',
        expectedTotal: await expectedForAdmin(knex, 'draft'),
      },
    ];

    const results: Result[] = [];
    for (const scenario of ONLY === 'one' ? [] : scenarios) {
      progress(`${scenario.user} ${scenario.name}: ${REQUESTS} requests`);
      results.push(
        await timeList(
          backend,
          tokens[scenario.user],
          scenario,
          knex,
          recorder,
        ),
      );
    }

    // Even incident numbers are published, odd ones drafts (lib/seed.ts).
    const [readerDraft] = readerDraftNumbers();
    const othersDraft = readerDraft + 2;
    const ones: OneScenario[] = [
      ...(['restricted', 'admin'] as const).flatMap(user => [
        {
          user,
          name: 'a published post-mortem',
          incident: incidentId(2),
          expectedStatus: 200,
        },
        {
          user,
          name: "a draft of team-ledger's service",
          incident: incidentId(readerDraft),
          expectedStatus: 200,
        },
        {
          user,
          name: "another team's draft",
          incident: incidentId(othersDraft),
          expectedStatus: user === 'admin' ? 200 : 403,
        },
      ]),
    ];
    const oneResults: OneResult[] = [];
    for (const scenario of ONLY === 'lists' ? [] : ones) {
      progress(`${scenario.user} GET ${scenario.name}: ${REQUESTS} requests`);
      oneResults.push(
        await timeOne(backend, tokens[scenario.user], scenario, recorder),
      );
    }

    const who = (s: { user: Scenario['user'] }) =>
      s.user === 'restricted'
        ? 'restricted (bench-reader, team-ledger)'
        : 'unrestricted (bench-admin, sre)';
    process.stdout.write(
      `${markdownTable(
        `Access: GET /v1/postmortems as a signed-in user, permission.enabled with the shipped policy, ${Number(
          all,
        ).toLocaleString(
          'en-US',
        )} post-mortems, ${REQUESTS} sequential requests each (p95 target < ${P95_TARGET_MS} ms, exact total)`,
        [
          'user',
          'list',
          'total (API)',
          'total (SQL)',
          'exact',
          'rows on page',
          'p50 ms',
          'p95 ms',
          'p95 target',
          'SQL statements',
          'SQL ms (one request)',
          'slowest statement (EXPLAIN ANALYZE)',
          'plan',
          'indexed',
        ],
        results.map(r => [
          who(r.scenario),
          r.scenario.name,
          r.total.toLocaleString('en-US'),
          r.scenario.expectedTotal.toLocaleString('en-US'),
          verdict(
            r.total === r.scenario.expectedTotal && r.idsMatch !== false,
          ) + (r.idsMatch ? ' (ids too)' : ''),
          r.rows,
          fmt(r.p50, 1),
          fmt(r.p95, 1),
          verdict(r.p95 < P95_TARGET_MS),
          r.statements,
          fmt(r.sqlMs, 1),
          `${r.slowest.kind}, ${fmt(r.slowest.ms, 1)} ms`,
          r.slowest.scans.join(' · '),
          r.slowest.usesIndex ? 'yes' : 'NO (seq scan > 10k rows)',
        ]),
      )}\n`,
    );

    process.stdout.write(
      "#### Statements of one request, and the slowest one's plan\n\n",
    );
    for (const r of results) {
      process.stdout.write(
        `${who(r.scenario)}, ${r.scenario.name} (${
          r.statements
        } statements):\n\n\`\`\`\n${r.statementShapes
          .map(s => `${s.count}× ${s.shape}`)
          .join('\n')}\n\`\`\`\n\n`,
      );
      if (r.scenario.user === 'restricted') {
        process.stdout.write(
          `Slowest, ${fmt(r.slowest.ms, 1)} ms:\n\n\`\`\`\n${
            r.slowest.text
          }\n\`\`\`\n\n`,
        );
      }
    }

    process.stdout.write(
      `${markdownTable(
        `Access: GET one post-mortem as a signed-in user (the permission decided for that post-mortem), ${REQUESTS} sequential requests each`,
        [
          'user',
          'post-mortem',
          'status',
          'expected',
          'p50 ms',
          'p95 ms',
          'SQL statements',
          'statements',
        ],
        oneResults.map(r => [
          who(r.scenario),
          r.scenario.name,
          r.status,
          verdict(r.status === r.scenario.expectedStatus),
          fmt(r.p50, 1),
          fmt(r.p95, 1),
          r.statements,
          r.statementShapes.map(x => `${x.count}× ${x.shape}`).join('<br>'),
        ]),
      )}\n`,
    );

    const failures = results.filter(
      r => r.total !== r.scenario.expectedTotal || r.idsMatch === false,
    );
    const refusedWrongly = oneResults.filter(
      r => r.status !== r.scenario.expectedStatus,
    );
    if (refusedWrongly.length) {
      process.stdout.write(
        `**Reads answered wrongly**: ${refusedWrongly
          .map(
            r =>
              `${who(r.scenario)} ${r.scenario.name}: ${r.status}, expected ${r.scenario.expectedStatus}`,
          )
          .join('; ')}.\n\n`,
      );
    }
    if (failures.length) {
      process.stdout.write(
        `**Totals that are not exact**: ${failures
          .map(
            f =>
              `${who(f.scenario)} ${f.scenario.name}: API ${f.total}, SQL ${
                f.scenario.expectedTotal
              }`,
          )
          .join('; ')}.\n\n`,
      );
    }
    if (keep) {
      process.stdout.write(`Database ${dbName} kept (--keep / --reuse).\n\n`);
    }
  } finally {
    await backend?.stop().catch(() => {});
    await knex?.destroy();
    await others?.destroy();
    await dropDatabase(othersName);
    if (!keep) await dropDatabase(dbName);
  }
}

main().then(
  () => process.exit(0),
  error => {
    process.stderr.write(`access benchmark failed: ${error?.stack ?? error}\n`);
    process.exit(1);
  },
);
