/*
 * API throughput and latency of the post-mortems backend, against a bare
 * express + knex baseline on the same database.
 *
 *   node --require @backstage/cli/config/nodeTransform.cjs bench/api.bench.ts \
 *     [--duration=10] [--warmup=2] [--connections=50] [--incidents=2000]
 *     [--only=<scenario name part>] [--sql] [--keep]
 *
 * Creates a PostgreSQL database (dropped at the end), seeds it with incidents
 * that each have a post-mortem, starts the real plugin (see lib/backend.ts:
 * every request carries a static external-access token that Backstage's auth
 * service verifies) and a baseline server, and loads each scenario on both
 * with autocannon in a child process. Prints Markdown tables on stdout.
 *
 * Why a baseline: absolute figures depend on the machine; the ratio to the
 * least code that can serve the same rows tells what the plugin's layers
 * (auth, validation, permissions, services, stores) cost on this machine.
 */
import { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { Server } from 'node:http';
import express from 'express';
import { Knex } from 'knex';
import { parseDocument } from '../plugins/postmortems-backend/src/services/document';
import { startBenchBackend } from './lib/backend';
import { LoadResult, LoadSpec, runLoad } from './lib/autocannon';
import { migrate } from './lib/migrate';
import {
  createDatabase,
  dropDatabase,
  dropOnSignal,
  openDatabase,
} from './lib/postgres';
import { benchArgs, fmt, markdownTable, progress, verdict } from './lib/report';
import { incidentId, seed, SeedSizes } from './lib/seed';

const args = benchArgs();
const DURATION = Number(args.duration ?? 10);
const WARMUP = Number(args.warmup ?? 2);
const CONNECTIONS = Number(args.connections ?? 50);
const INCIDENTS = Number(args.incidents ?? 2000);
/** Only the scenarios whose name contains this (for profiling one of them). */
const ONLY: string | undefined = args.only;
const V1 = '/api/postmortems/v1';

const SIZES: SeedSizes = {
  incidents: INCIDENTS,
  // 20 entries per incident: the PATCH's evidence check reads them all.
  timelineEntries: INCIDENTS * 20,
  hotIncidentEntries: 0,
  postmortems: INCIDENTS,
  actionItems: INCIDENTS * 3,
  postmortemStatus: 'mixed',
};

/** The body every PATCH sends: seven sections, about 3 KB, no version. */
const PATCH_CONTENT = [
  '# Post-mortem: checkout errors',
  ...[
    'Summary',
    'Timeline',
    'Root cause',
    'Contributing factors',
    'Action items',
    'Detection',
    'Resolution',
  ].map(
    title =>
      `## ${title}\n\n${`The ${title.toLowerCase()} of this incident, written during the review. `.repeat(
        6,
      )}`,
  ),
].join('\n\n');

/**
 * An author's later saves: the content with one section rewritten, a
 * different section in each of these bodies.
 */
const EDITED_CONTENTS = [0, 1, 2, 3, 4, 5, 6].map(edited =>
  PATCH_CONTENT.split('\n\n## ')
    .map((part, i) =>
      i === edited + 1 ? `${part} Edited again: draft ${edited + 1}.` : part,
    )
    .join('\n\n## '),
);

/** How many post-mortems the "saved again" scenario edits in turn. */
const EDITED_POSTMORTEMS = 200;

/**
 * The baseline: the least code that serves the same rows, one handler per
 * scenario, no auth, no validation, no permission checks, no services.
 */
function baselineApp(db: Knex) {
  const app = express();
  app.use(express.json({ limit: '10mb' }));

  // One post-mortem with its action items: two queries.
  app.get(`${V1}/incidents/:id/postmortem`, async (req, res) => {
    const pm = await db('postmortems')
      .where({ incident_id: req.params.id })
      .first();
    if (!pm) {
      res.status(404).end();
      return;
    }
    const items = await db('action_items')
      .where({ postmortem_id: pm.id })
      .orderBy('created_at')
      .orderBy('id');
    res.json({
      ...pm,
      sections: JSON.parse(pm.sections),
      findings: JSON.parse(pm.findings),
      evidence: JSON.parse(pm.evidence),
      action_items: items,
    });
  });

  // A page of post-mortems in brief (no content, sections or action items,
  // as the plugin's list answers unless asked for them) with their incidents,
  // services and action item counts: a count, the page (incident columns
  // joined in), and one query each for the services and the item counts of
  // the whole page.
  app.get(`${V1}/postmortems`, async (req, res) => {
    const limit = Number(req.query.limit ?? 20);
    const page = Number(req.query.page ?? 1);
    const [{ count }] = await db('postmortems').count({ count: '*' });
    const rows = await db('postmortems')
      .join('incidents', 'incidents.id', 'postmortems.incident_id')
      .select(
        'postmortems.id',
        'postmortems.incident_id',
        'postmortems.status',
        'postmortems.template_id',
        'postmortems.template_name',
        'postmortems.version',
        'postmortems.published_at',
        'postmortems.created_by',
        'postmortems.created_at',
        'postmortems.updated_at',
        'incidents.number',
        'incidents.title',
        'incidents.severity',
        'incidents.status as incident_status',
        'incidents.triggered_at',
      )
      .orderBy('postmortems.incident_triggered_at', 'desc')
      .orderBy('postmortems.id')
      .offset((page - 1) * limit)
      .limit(limit);
    const [services, items] = await Promise.all([
      db('incident_services').whereIn(
        'incident_id',
        rows.map(r => r.incident_id),
      ),
      db('action_items')
        .select('postmortem_id')
        .count({ total: '*' })
        .select(
          db.raw(`sum(case when status <> 'done' then 1 else 0 end) as open`),
        )
        .whereIn(
          'postmortem_id',
          rows.map(r => r.id),
        )
        .groupBy('postmortem_id'),
    ]);
    res.json({
      data: rows.map(r => ({
        ...r,
        services: services
          .filter(s => s.incident_id === r.incident_id)
          .map(s => s.entity_ref),
        action_item_counts: (items as Array<Record<string, unknown>>)
          .filter(i => i.postmortem_id === r.id)
          .map(i => ({ total: Number(i.total), open: Number(i.open) }))[0] ?? {
          total: 0,
          open: 0,
        },
      })),
      total: Number(count),
      page,
      limit,
    });
  });

  // Save content without a version: parse the sections (the plugin's own
  // parser, the same CPU work), bump the version and keep the revision in one
  // transaction, then read the action items for the response.
  app.patch(`${V1}/incidents/:id/postmortem`, async (req, res) => {
    const content: string = req.body.content;
    const sections = JSON.stringify(parseDocument(content));
    const now = new Date();
    const updated = await db.transaction(async tx => {
      const [row] = await tx('postmortems')
        .where({ incident_id: req.params.id })
        .update({
          content,
          sections,
          version: tx.raw('version + 1'),
          updated_at: now,
        })
        .returning('*');
      if (!row) return undefined;
      await tx('postmortem_revisions').insert({
        id: crypto.randomUUID(),
        postmortem_id: row.id,
        version: row.version,
        kind: 'human',
        reason: 'save',
        status: row.status,
        content,
        sections,
        author: null,
        created_at: now,
      });
      return row;
    });
    if (!updated) {
      res.status(404).end();
      return;
    }
    const items = await db('action_items').where({
      postmortem_id: updated.id,
    });
    res.json({
      ...updated,
      sections: JSON.parse(updated.sections),
      action_items: items,
    });
  });
  return app;
}

/** Each scenario's target, and whether a run meets it. */
function targetOf(scenario: Scenario): {
  text: string;
  met(run: { ours: LoadResult; typical: number; p99Ratio: number }): boolean;
} {
  if (scenario.name.startsWith('GET one') && scenario.connections > 1) {
    return {
      text: 'p99 ≤ 1.3x baseline and < 50 ms',
      met: run => run.p99Ratio <= 1.3 && run.ours.p99 < 50,
    };
  }
  if (scenario.name.startsWith('GET one')) {
    return { text: 'p99 < 50 ms', met: run => run.ours.p99 < 50 };
  }
  if (scenario.name.startsWith('GET list')) {
    return {
      text: 'p50 ≤ 1.2x baseline and ≤ 60 ms',
      met: run => run.typical <= 1.2 && run.ours.p50 <= 60,
    };
  }
  return { text: 'p50 ≤ 1.5x baseline', met: run => run.typical <= 1.5 };
}

/**
 * Mean latency from Little's law: in a closed loop, each of `connections`
 * always has one request in flight, so latency = connections / throughput.
 * Exact where autocannon's whole-millisecond histogram is not (sub-ms).
 */
function meanMs(r: LoadResult, connections: number) {
  return (1000 * connections) / r.rps;
}

interface Scenario {
  name: string;
  method: 'GET' | 'PATCH';
  paths: string[];
  body?: string;
  /** Bodies taken in turn instead of `body` (see LoadSpec). */
  bodies?: string[];
  connections: number;
  /** Checks one response of each server before the load. */
  check(body: any): boolean;
}

async function main() {
  const dbName = `pm_bench_api_${process.pid}`;
  progress(`creating database ${dbName}`);
  await createDatabase(dbName);
  dropOnSignal(dbName);
  const pluginDb = openDatabase(dbName);
  const baselineDb = openDatabase(dbName);
  let stopBackend: (() => Promise<void>) | undefined;
  let baselineServer: Server | undefined;
  try {
    await migrate(pluginDb);
    progress(`seeding ${INCIDENTS} incidents with post-mortems`);
    await seed(pluginDb, SIZES);

    const ours = await startBenchBackend(pluginDb);
    stopBackend = ours.stop;
    baselineServer = await new Promise<Server>(resolve => {
      const s = baselineApp(baselineDb).listen(0, '127.0.0.1', () =>
        resolve(s),
      );
    });
    const baselineOrigin = `http://127.0.0.1:${
      (baselineServer.address() as AddressInfo).port
    }`;

    const ids = Array.from({ length: INCIDENTS }, (_, i) => incidentId(i + 1));
    const onePaths = ids.map(id => `${V1}/incidents/${id}/postmortem`);
    const scenarios: Scenario[] = [
      {
        name: 'GET one post-mortem',
        method: 'GET',
        paths: onePaths,
        connections: CONNECTIONS,
        check: b => typeof b.id === 'string' && Array.isArray(b.action_items),
      },
      {
        // Latency without queueing: one request at a time.
        name: 'GET one post-mortem, 1 connection',
        method: 'GET',
        paths: onePaths,
        connections: 1,
        check: b => typeof b.id === 'string',
      },
      {
        name: 'GET list page of 50',
        method: 'GET',
        paths: [`${V1}/postmortems?limit=50`],
        connections: CONNECTIONS,
        check: b => Array.isArray(b.data) && b.data.length === 50,
      },
      {
        name: 'PATCH post-mortem (no version)',
        method: 'PATCH',
        // Every request edits another post-mortem, so that 50 in flight never
        // race for one row (a race without version is retried, not a 409).
        paths: onePaths,
        body: JSON.stringify({ content: PATCH_CONTENT }),
        connections: CONNECTIONS,
        check: b => typeof b.version === 'number' && b.version > 1,
      },
      {
        // An author saving a draft again and again, one section changed each
        // time: 200 post-mortems in turn (50 in flight never share one), each
        // saved every 200 requests with another section rewritten. The first
        // PATCH scenario above saves each post-mortem about once a run, so
        // its evidence is read and assembled every time; here it is kept.
        name: 'PATCH again, one section changed (evidence kept)',
        method: 'PATCH',
        paths: onePaths.slice(0, EDITED_POSTMORTEMS),
        bodies: EDITED_CONTENTS.map(content => JSON.stringify({ content })),
        connections: CONNECTIONS,
        check: b => typeof b.version === 'number' && b.version > 1,
      },
    ];

    // How many SQL statements one request runs, counted from knex's
    // `query` event on each server's own client. When autocannon stops, the
    // requests it had in flight are still being served: `settle` waits until
    // neither database has seen a statement for half a second, so that the
    // count is the probe's alone (and shutdown aborts nothing).
    const statements = { plugin: 0, baseline: 0, counting: false };
    let lastStatementAt = performance.now();
    for (const [db, key] of [
      [pluginDb, 'plugin'],
      [baselineDb, 'baseline'],
    ] as const) {
      // `--sql` shows which statements a probe ran, and how long each took.
      const started = new Map<string, number>();
      db.on('query', (query: { sql: string; __knexQueryUid: string }) => {
        lastStatementAt = performance.now();
        if (statements.counting) {
          statements[key]++;
          if (args.sql) {
            started.set(query.__knexQueryUid, lastStatementAt);
            if (args.sql === 'all')
              progress(`${key} sent: ${query.sql.slice(0, 100)}`);
          }
        }
      });
      db.on('query-response', (_response: unknown, query: any) => {
        const start = started.get(query.__knexQueryUid);
        if (start !== undefined) {
          started.delete(query.__knexQueryUid);
          progress(
            `${key} SQL ${(performance.now() - start).toFixed(1)} ms: ${String(
              query.sql,
            ).slice(0, 120)}`,
          );
        }
        lastStatementAt = performance.now();
      });
    }
    const settle = async () => {
      while (performance.now() - lastStatementAt < 500) {
        await new Promise(resolve => setTimeout(resolve, 100));
      }
    };

    const servers = [
      {
        name: 'post-mortems plugin',
        origin: ours.origin,
        headers: ours.headers,
      },
      { name: 'baseline', origin: baselineOrigin, headers: {} },
    ];
    const results: Array<{
      scenario: Scenario;
      ours: LoadResult;
      baseline: LoadResult;
      statements: { plugin: number; baseline: number };
      /** Size of one response body (the probe's), uncompressed. */
      bytes: { plugin: number; baseline: number };
    }> = [];
    for (const scenario of scenarios.filter(
      s => !ONLY || s.name.includes(ONLY),
    )) {
      const measured: LoadResult[] = [];
      statements.plugin = 0;
      statements.baseline = 0;
      const bytes = { plugin: 0, baseline: 0 };
      for (const server of servers) {
        // A wrong answer (401, 404, an empty page) would make fast figures
        // meaningless: check one response before loading.
        await settle();
        statements.counting = true;
        const probe = await fetch(
          `${server.origin}${scenario.paths[1 % scenario.paths.length]}`,
          {
            method: scenario.method,
            headers: { 'content-type': 'application/json', ...server.headers },
            body: scenario.body ?? scenario.bodies?.[0],
          },
        );
        const probeText = await probe.text();
        bytes[server.name === 'baseline' ? 'baseline' : 'plugin'] =
          Buffer.byteLength(probeText);
        let probeBody: any;
        try {
          probeBody = JSON.parse(probeText);
        } catch {
          probeBody = undefined;
        }
        statements.counting = false;
        if (!probe.ok || !scenario.check(probeBody)) {
          throw new Error(
            `${server.name}: ${scenario.name} answered ${
              probe.status
            } ${JSON.stringify(probeBody).slice(0, 300)}`,
          );
        }
        progress(
          `${scenario.name} on ${server.name}: ${scenario.connections} connections, ${DURATION} s`,
        );
        const spec: LoadSpec = {
          origin: server.origin,
          method: scenario.method,
          headers: { 'content-type': 'application/json', ...server.headers },
          body: scenario.body,
          bodies: scenario.bodies,
          paths: scenario.paths,
          connections: scenario.connections,
          durationSeconds: DURATION,
          warmupSeconds: WARMUP,
        };
        measured.push(await runLoad(spec));
      }
      results.push({
        scenario,
        ours: measured[0],
        baseline: measured[1],
        statements: { ...statements },
        bytes,
      });
    }

    const row = (
      server: string,
      scenario: Scenario,
      r: LoadResult,
      sqlStatements: number,
      responseBytes: number,
    ) => [
      scenario.name,
      server,
      scenario.connections,
      sqlStatements,
      fmt(responseBytes / 1024, 1),
      r.requests,
      fmt(r.rps, 0),
      fmt(meanMs(r, scenario.connections), 2),
      fmt(r.p50, 0),
      fmt(r.p99, 0),
      r.non2xx,
      r.errors + r.timeouts,
    ];
    process.stdout.write(
      `${markdownTable(
        `API load: ${DURATION} s per run after a ${WARMUP} s warm-up, PostgreSQL, ${INCIDENTS} incidents with post-mortems`,
        [
          'scenario',
          'server',
          'connections',
          'SQL per request',
          'response KB',
          'requests',
          'req/s',
          'mean ms (connections / req/s)',
          'p50 ms',
          'p99 ms',
          'non-2xx',
          'errors',
        ],
        results.flatMap(r => [
          row(
            'plugin',
            r.scenario,
            r.ours,
            r.statements.plugin,
            r.bytes.plugin,
          ),
          row(
            'baseline',
            r.scenario,
            r.baseline,
            r.statements.baseline,
            r.bytes.baseline,
          ),
        ]),
      )}\n`,
    );

    // autocannon records latencies in whole milliseconds: where the
    // baseline's median is under 5 ms, the typical latency is compared by the
    // mean from Little's law instead, and each percentile counts as >= 1 ms.
    const ratio = (a: number, b: number) => Math.max(a, 1) / Math.max(b, 1);
    process.stdout.write(
      `${markdownTable(
        'API against targets (ratio = plugin / baseline)',
        [
          'scenario',
          'typical latency ratio',
          'p99 ratio',
          'req/s ratio',
          'target',
          'verdict',
          'all 2xx',
        ],
        results.map(({ scenario, ours: o, baseline: b }) => {
          const byMean = b.p50 < 5;
          const typical = byMean
            ? meanMs(o, scenario.connections) / meanMs(b, scenario.connections)
            : ratio(o.p50, b.p50);
          const p99r = ratio(o.p99, b.p99);
          const target = targetOf(scenario);
          return [
            scenario.name,
            `${fmt(typical, 2)} (${byMean ? 'mean' : 'p50'})`,
            fmt(p99r, 2),
            fmt(o.rps / b.rps, 2),
            target.text,
            verdict(target.met({ ours: o, typical, p99Ratio: p99r })),
            verdict(o.non2xx === 0 && o.errors === 0 && o.timeouts === 0),
          ];
        }),
      )}\n`,
    );
    await settle();
  } finally {
    await stopBackend?.().catch(() => {});
    await new Promise(
      resolve => baselineServer?.close(resolve) ?? resolve(undefined),
    );
    await pluginDb.destroy();
    await baselineDb.destroy();
    // `--keep` leaves the database for EXPLAIN ANALYZE by hand.
    if (args.keep) progress(`kept database ${dbName}`);
    else await dropDatabase(dbName);
  }
}

main().then(
  () => process.exit(0),
  error => {
    process.stderr.write(`api benchmark failed: ${error?.stack ?? error}\n`);
    process.exit(1);
  },
);
