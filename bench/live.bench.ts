/*
 * Live updates: how soon a written section reaches whoever follows the
 * generation job, and what idle followers cost the database. Targets:
 * progress reaches the listener ≤ 300 ms after the section is written, and
 * zero database reads per idle subscriber.
 *
 *   node --require @backstage/cli/config/nodeTransform.cjs bench/live.bench.ts \
 *     [--idle=50] [--idle-seconds=10] [--steady-seconds=30] [--jobs=5] \
 *     [--interval=400]
 *
 * The backend: the real post-mortems plugin, the real signals backend
 * (@backstage/plugin-signals-backend, WebSocket at /api/signals), the real
 * auth and permission backends with the shipped policy (permission.enabled),
 * and Backstage's default events service, as packages/backend has them. The
 * app's backend has no events backend (@backstage/plugin-events-backend is
 * neither in it nor installed), so the events service runs in its default
 * `auto` mode: it looks for the events backend's bus once, finds none, and
 * delivers in process; LiveUpdates wakes streams and the signals backend
 * through it. Post-mortems on PostgreSQL (2,000 incidents, 1,000
 * post-mortems, 40,000 timeline entries); the other plugins' tables in a
 * second database (one schema each), so that the statements counted are the
 * post-mortems plugin's.
 *
 * Who listens: user:default/bench-commander, signed in through the auth
 * backend (lib/users.ts), commander of the incidents drafted here. The policy
 * gives a commander conditional decisions, so each job read also asks the
 * permission backend, which has the plugin apply the conditions to the
 * incident (the real path for a non-admin). The signals WebSockets carry the
 * same token as the frontend's SignalClient sends: as the subprotocol.
 *
 * The model: a provider registered through the plugin's extension point for
 * draft providers (postmortems-node), which hands each section to the job
 * (`onSection`) at known instants: every --interval ms once the benchmark
 * lets it start. It records the instant of each hand-over; that is "the
 * section is written" (the row's update is timed too, from knex's
 * query-response event, for reference).
 *
 * Listeners run in a child process (lib/liveClients.mjs): server-sent events
 * from GET /v1/generation-jobs/:id/events read with fetch, and signals
 * WebSockets. Both processes time with performance.timeOrigin +
 * performance.now() on the same machine.
 *
 * 1. Idle: --idle jobs queued through the API (the first runs and its model
 *    stays silent, the others wait in the queue: nothing changes). Three
 *    windows of --idle-seconds each, counting the SQL statements the
 *    backend's knex clients issue: nothing open; --idle signal WebSockets
 *    (each subscribed to a job's channel and its post-mortem's channel, as a
 *    post-mortem page with a generation in progress is); and those plus
 *    --idle event streams, one per job; then the last again for
 *    --steady-seconds, for the rate in a steady state (the first windows
 *    start right after the subscriptions opened, so what a subscriber does
 *    periodically may fall in them or not, depending on its period).
 * 2. Latency: --jobs generations, one after the other, each followed by one
 *    event stream and one WebSocket; for every section, the delay from its
 *    hand-over to the stream's `section` event and to the WebSocket message
 *    whose `sections_done` first names it.
 *
 * Both databases are dropped at the end; every server and socket is closed.
 */
import { ChildProcess, fork } from 'node:child_process';
import { join } from 'node:path';
import { Knex } from 'knex';
import { createBackendModule } from '@backstage/backend-plugin-api';
import {
  generationSignalChannel,
  postmortemSignalChannel,
} from '@postmortems-oss/backstage-plugin-postmortems-common';
import {
  Draft,
  DraftProvider,
  DraftRequest,
  GenerationError,
  postmortemsDraftProvidersExtensionPoint,
} from '@postmortems-oss/backstage-plugin-postmortems-node';
import { BenchBackend, startBenchBackend } from './lib/backend';
import { migrate } from './lib/migrate';
import { PluginDatabases } from './lib/pluginDatabases';
import { createDatabase, dropDatabase, openDatabase } from './lib/postgres';
import {
  benchArgs,
  fmt,
  markdownTable,
  percentile,
  progress,
  verdict,
} from './lib/report';
import { incidentId, seed, SeedSizes } from './lib/seed';
import { epochMs, SqlRecorder, statementCounts } from './lib/sql';
import { directory, signIn, userConfig, userFeatures } from './lib/users';

const args = benchArgs();
const IDLE = Number(args.idle ?? 50);
const IDLE_SECONDS = Number(args['idle-seconds'] ?? 10);
const STEADY_SECONDS = Number(args['steady-seconds'] ?? 30);
const JOBS = Number(args.jobs ?? 5);
const INTERVAL_MS = Number(args.interval ?? 400);
const LATENCY_TARGET_MS = 300;

const SIZES: SeedSizes = {
  incidents: 2_000,
  timelineEntries: 40_000,
  hotIncidentEntries: 0,
  postmortems: 1_000,
  actionItems: 2_000,
  postmortemStatus: 'mixed',
};
const COMMANDER = 'user:default/bench-commander';

const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms));

interface Deferred<T = void> {
  promise: Promise<T>;
  resolve(value: T): void;
}
function deferred<T = void>(): Deferred<T> {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>(r => {
    resolve = r;
  });
  return { promise, resolve };
}

/**
 * The model. Jobs of incidents it was told to keep quiet wait, silent, until
 * released, then fail (their only purpose was to be followed while idle).
 * Timed jobs wait for their start, then hand a section over every
 * INTERVAL_MS, at instants fixed in advance, recording each.
 */
class TimedProvider implements DraftProvider {
  readonly kind = 'openai' as const;
  readonly quiet = new Set<string>();
  readonly release = deferred();
  readonly started = new Map<string, Deferred>();
  readonly go = new Map<string, Deferred>();
  /** incident id → section key → epoch ms of the hand-over. */
  readonly written = new Map<string, Map<string, number>>();

  status() {
    return {
      provider: 'openai' as const,
      model: 'bench-timed',
      base_url: null,
      configured: true,
    };
  }

  async testConnection() {
    return { ok: true, message: 'bench' };
  }

  async draft(request: DraftRequest): Promise<Draft> {
    const incident = request.evidence.incident.id;
    this.started.get(incident)?.resolve();
    if (this.quiet.has(incident)) {
      await this.release.promise;
      throw new GenerationError('Released by the benchmark');
    }
    await this.go.get(incident)?.promise;
    const cite = request.evidence.entries[0]?.id;
    const sections = request.evidence.template.sections.map(s => ({
      key: s.key,
      title: s.title,
      markdown: `${s.title}: written by the benchmark's model.`,
      evidence: cite ? [cite] : [],
    }));
    const written = new Map<string, number>();
    this.written.set(incident, written);
    const t0 = performance.now();
    const handedOver: Array<Promise<void> | void> = [];
    for (const [i, section] of sections.entries()) {
      const wait = t0 + (i + 1) * INTERVAL_MS - performance.now();
      if (wait > 0) await sleep(wait);
      written.set(section.key, epochMs());
      // Not awaited: a model writing sections in parallel does not wait for
      // the job to record one before finishing the next.
      handedOver.push(request.onSection?.(section));
    }
    await Promise.all(handedOver);
    return { sections, actionItems: [], generatedBy: 'ai' };
  }
}

type ClientReport = {
  kind: string;
  id: string;
  at: number;
  [key: string]: any;
};

/** The child process of listeners, and what it has reported. */
class Listeners {
  private readonly child: ChildProcess;
  readonly reports: ClientReport[] = [];
  private waiters: Array<{
    test: (r: ClientReport) => boolean;
    done: (r: ClientReport) => void;
  }> = [];

  constructor() {
    this.child = fork(join(__dirname, 'lib', 'liveClients.mjs'), [], {
      execArgv: [],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    this.child.on('message', (report: ClientReport) => {
      this.reports.push(report);
      this.waiters = this.waiters.filter(w => {
        if (!w.test(report)) return true;
        w.done(report);
        return false;
      });
    });
  }

  send(command: object) {
    this.child.send(command);
  }

  /** The first report, past or future, that passes `test`. */
  waitFor(
    test: (r: ClientReport) => boolean,
    what: string,
    timeoutMs = 30_000,
  ): Promise<ClientReport> {
    const past = this.reports.find(test);
    if (past) return Promise.resolve(past);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () =>
          reject(
            new Error(
              `Timed out waiting for ${what}; last reports: ${JSON.stringify(
                this.reports.slice(-3),
              )}`,
            ),
          ),
        timeoutMs,
      );
      this.waiters.push({
        test,
        done: r => {
          clearTimeout(timer);
          resolve(r);
        },
      });
    });
  }

  async exit() {
    if (this.child.exitCode !== null) return;
    const exited = new Promise(resolve => this.child.once('exit', resolve));
    this.child.send({ cmd: 'exit' });
    await Promise.race([exited, sleep(2000)]);
    if (this.child.exitCode === null) this.child.kill();
  }
}

/** Every SQL statement of the backend's knex clients, by database. */
class AllSql {
  constructor(
    private readonly plugin: SqlRecorder,
    private readonly others: SqlRecorder[],
  ) {}
  start() {
    this.plugin.start();
    this.others.forEach(r => r.start());
  }
  stop() {
    return {
      plugin: this.plugin.stop(),
      others: this.others.flatMap(r => r.stop()),
    };
  }
}

async function enqueue(
  backend: BenchBackend,
  token: string,
  incident: string,
): Promise<string> {
  const response = await fetch(
    `${backend.pluginUrl}/v1/incidents/${incident}/postmortem/generate`,
    {
      method: 'POST',
      headers: {
        Authorization: `Bearer ${token}`,
        'Content-Type': 'application/json',
        Prefer: 'respond-async',
      },
      body: JSON.stringify({ provider: 'openai' }),
    },
  );
  const body = await response.text();
  if (response.status !== 202) {
    throw new Error(
      `Generate answered ${response.status}: ${body.slice(0, 300)}`,
    );
  }
  return JSON.parse(body).id;
}

async function main() {
  const dbName = `pm_bench_live_${process.pid}`;
  const othersName = `pm_bench_live_others_${process.pid}`;
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      const done = () => process.exit(130);
      Promise.all([dropDatabase(dbName), dropDatabase(othersName)]).then(
        done,
        done,
      );
    });
  }
  let knex: Knex | undefined;
  let backend: BenchBackend | undefined;
  let listeners: Listeners | undefined;
  const pluginDatabases = new PluginDatabases(othersName);
  const provider = new TimedProvider();
  try {
    progress(`creating databases ${dbName}, ${othersName}`);
    await createDatabase(dbName);
    await createDatabase(othersName);
    knex = openDatabase(dbName);
    await migrate(knex);
    await seed(knex, SIZES);

    // Odd-numbered incidents have no post-mortem yet (the seed gives one to
    // every second incident) and all but the last 20 are resolved: the
    // first --idle of them for the idle jobs, the next --jobs for the timed.
    const numbers = Array.from({ length: IDLE + JOBS }, (_, i) => 2 * i + 1);
    const idleIncidents = numbers.slice(0, IDLE).map(incidentId);
    const timedIncidents = numbers.slice(IDLE).map(incidentId);
    await knex('incidents')
      .whereIn('id', [...idleIncidents, ...timedIncidents])
      .update({ commander: COMMANDER });
    idleIncidents.forEach(id => provider.quiet.add(id));

    const model = createBackendModule({
      pluginId: 'postmortems',
      moduleId: 'bench-timed-model',
      register(reg) {
        reg.registerInit({
          deps: { providers: postmortemsDraftProvidersExtensionPoint },
          async init({ providers }) {
            providers.addDraftProvider(provider);
          },
        });
      },
    });
    backend = await startBenchBackend(knex, {
      features: [
        ...userFeatures(),
        import('@backstage/plugin-signals-backend'),
        model,
      ],
      config: userConfig(['group:default/sre']),
      catalogEntities: directory({
        users: [{ name: 'bench-commander', groups: ['team-incident'] }],
        components: [],
      }),
      otherPluginsDatabase: id => pluginDatabases.forPlugin(id),
    });
    const token = await signIn(backend.origin, COMMANDER);
    const sql = new AllSql(
      new SqlRecorder(knex),
      (await pluginDatabases.all()).map(k => new SqlRecorder(k)),
    );

    // When each section's row update came back from PostgreSQL (autocommit:
    // committed), per job, from the sections_done it wrote.
    const committed = new Map<string, Map<string, number>>();
    knex.on(
      'query-response',
      (_response: unknown, query: { sql: string; bindings?: unknown[] }) => {
        if (!/^update "generation_jobs" set "partial_sections"/.test(query.sql))
          return;
        const bindings = query.bindings ?? [];
        const jobId = String(bindings[bindings.length - 1]);
        const done = bindings.find(
          b => typeof b === 'string' && b.startsWith('[') && !b.includes('{'),
        );
        if (typeof done !== 'string') return;
        const at = epochMs();
        const byKey = committed.get(jobId) ?? new Map<string, number>();
        committed.set(jobId, byKey);
        for (const key of JSON.parse(done) as string[]) {
          if (!byKey.has(key)) byKey.set(key, at);
        }
      },
    );

    listeners = new Listeners();
    const wsUrl = `${backend.origin.replace(/^http/, 'ws')}/api/signals`;
    const eventsUrl = (job: string) =>
      `${backend!.pluginUrl}/v1/generation-jobs/${job}/events`;

    // The first upgrade teaches the signals backend to accept them (see
    // liveClients.mjs); a browser's client gets through on its retry.
    listeners.send({ cmd: 'ws', id: 'prime', url: wsUrl, token, channels: [] });
    await listeners.waitFor(
      r => r.id === 'prime' && r.kind === 'ws-open',
      'the first WebSocket',
    );
    listeners.send({ cmd: 'close', ids: ['prime'] });

    // ---- 1. Idle ----
    progress(`queueing ${IDLE} jobs that stay quiet`);
    provider.started.set(idleIncidents[0], deferred());
    const idleJobs: string[] = [];
    for (const incident of idleIncidents) {
      idleJobs.push(await enqueue(backend, token, incident));
    }
    await provider.started.get(idleIncidents[0])!.promise;
    const { rows: statuses } = await knex.raw(
      `select status, count(*)::int as n from generation_jobs group by status order by status`,
    );
    const jobStates = (statuses as Array<{ status: string; n: number }>)
      .map(s => `${s.n} ${s.status}`)
      .join(', ');
    await sleep(1000);

    const windows: Array<{
      name: string;
      seconds: number;
      /** The window the subscribers added since are counted against. */
      compareTo?: number;
      streams: number;
      sockets: number;
      plugin: number;
      others: number;
      shapes: Array<{ shape: string; count: number }>;
      keepAlives: number;
      messages: number;
    }> = [];
    const idleWindow = async (
      name: string,
      streams: number,
      sockets: number,
      compareTo?: number,
      seconds = IDLE_SECONDS,
    ) => {
      progress(`idle window: ${name}, ${seconds} s`);
      const from = epochMs();
      sql.start();
      await sleep(seconds * 1000);
      const queries = sql.stop();
      const to = epochMs();
      const inWindow = listeners!.reports.filter(
        r => r.at >= from && r.at <= to,
      );
      windows.push({
        name,
        seconds,
        compareTo,
        streams,
        sockets,
        plugin: queries.plugin.length,
        others: queries.others.length,
        shapes: statementCounts([...queries.plugin, ...queries.others]),
        keepAlives: inWindow.filter(r => r.kind === 'sse-comment').length,
        messages: inWindow.filter(
          r => r.kind === 'sse-event' || r.kind === 'ws-message',
        ).length,
      });
    };

    await idleWindow('nothing open (baseline)', 0, 0);

    progress(`opening ${IDLE} signal WebSockets`);
    idleJobs.forEach((job, i) =>
      listeners!.send({
        cmd: 'ws',
        id: `idle-ws-${i}`,
        url: wsUrl,
        token,
        channels: [
          generationSignalChannel(job),
          postmortemSignalChannel(idleIncidents[i]),
        ],
      }),
    );
    await Promise.all(
      idleJobs.map((_, i) =>
        listeners!.waitFor(
          r => r.id === `idle-ws-${i}` && r.kind === 'ws-open',
          `WebSocket ${i}`,
        ),
      ),
    );
    await sleep(500);
    await idleWindow(`${IDLE} signal WebSockets`, 0, IDLE, 0);

    progress(`opening ${IDLE} event streams`);
    idleJobs.forEach((job, i) =>
      listeners!.send({
        cmd: 'sse',
        id: `idle-sse-${i}`,
        url: eventsUrl(job),
        token,
      }),
    );
    await Promise.all(
      idleJobs.map((_, i) =>
        listeners!.waitFor(
          r =>
            r.id === `idle-sse-${i}` &&
            ((r.kind === 'sse-event' && r.event === 'status') ||
              r.kind === 'sse-end'),
          `event stream ${i}`,
        ),
      ),
    );
    const refused = listeners.reports.filter(
      r => r.id.startsWith('idle-sse-') && r.kind === 'sse-end',
    );
    if (refused.length) {
      throw new Error(`Event streams refused: ${JSON.stringify(refused[0])}`);
    }
    await sleep(500);
    await idleWindow(
      `${IDLE} signal WebSockets + ${IDLE} event streams`,
      IDLE,
      IDLE,
      1,
    );
    await idleWindow(`the same, steady state`, IDLE, IDLE, 1, STEADY_SECONDS);

    listeners.send({ cmd: 'close' });
    progress('releasing the quiet jobs');
    provider.release.resolve();
    for (let i = 0; ; i++) {
      const [{ n }] = await knex('generation_jobs')
        .whereIn('status', ['queued', 'running'])
        .count({ n: '*' });
      if (Number(n) === 0) break;
      if (i > 600) throw new Error('The quiet jobs did not end');
      await sleep(100);
    }

    // ---- 2. Latency ----
    const delays = {
      committed: [] as number[],
      sse: [] as number[],
      ws: [] as number[],
    };
    const perJob: Array<{ statements: number; sections: number }> = [];
    const missing: string[] = [];
    for (const [j, incident] of timedIncidents.entries()) {
      progress(`timed job ${j + 1}/${JOBS}`);
      provider.started.set(incident, deferred());
      const go = deferred();
      provider.go.set(incident, go);
      const job = await enqueue(backend, token, incident);
      await provider.started.get(incident)!.promise;
      listeners.send({
        cmd: 'sse',
        id: `sse-${j}`,
        url: eventsUrl(job),
        token,
      });
      listeners.send({
        cmd: 'ws',
        id: `ws-${j}`,
        url: wsUrl,
        token,
        channels: [generationSignalChannel(job)],
      });
      await listeners.waitFor(
        r =>
          r.id === `sse-${j}` && r.kind === 'sse-event' && r.event === 'status',
        `the first event of stream ${j}`,
      );
      await listeners.waitFor(
        r => r.id === `ws-${j}` && r.kind === 'ws-open',
        `WebSocket ${j}`,
      );
      // The subscribe message has no answer: leave it time to arrive.
      await sleep(300);
      sql.start();
      go.resolve();
      await listeners.waitFor(
        r =>
          r.id === `sse-${j}` &&
          (r.kind === 'sse-end' ||
            (r.kind === 'sse-event' && ['done', 'error'].includes(r.event))),
        `the end of stream ${j}`,
        60_000,
      );
      await listeners
        .waitFor(
          r =>
            r.id === `ws-${j}` &&
            r.kind === 'ws-message' &&
            r.message?.status === 'succeeded',
          `the end of job ${j} on its WebSocket`,
          5_000,
        )
        .catch(() => missing.push(`job ${j}: no 'succeeded' signal`));
      const statements = sql.stop().plugin.length;
      listeners.send({ cmd: 'close', ids: [`sse-${j}`, `ws-${j}`] });

      const written = provider.written.get(incident) ?? new Map();
      perJob.push({ statements, sections: written.size });
      for (const [key, at] of written) {
        const sse = listeners.reports.find(
          r =>
            r.id === `sse-${j}` &&
            r.kind === 'sse-event' &&
            r.event === 'section' &&
            r.data?.key === key,
        );
        const ws = listeners.reports.find(
          r =>
            r.id === `ws-${j}` &&
            r.kind === 'ws-message' &&
            r.message?.sections_done?.includes(key),
        );
        const row = committed.get(job)?.get(key);
        if (row !== undefined) delays.committed.push(row - at);
        if (sse) delays.sse.push(sse.at - at);
        else missing.push(`job ${j}: section ${key} never reached the stream`);
        if (ws) delays.ws.push(ws.at - at);
        else
          missing.push(`job ${j}: section ${key} never reached the WebSocket`);
      }
    }

    // ---- Report ----
    const baseline = windows[0];
    /**
     * The replica's sweep (LiveUpdates): one read of the change marks of
     * every job followed on it, every 10 s, however many follow them. It is
     * a cost per replica, not per subscriber, so it is counted apart.
     */
    const isSweep = (shape: string) =>
      /from "generation_jobs" where "id" in/.test(shape);
    const sweeps = (w: (typeof windows)[number]) =>
      w.shapes.filter(s => isSweep(s.shape)).reduce((n, s) => n + s.count, 0);
    const total = (w: (typeof windows)[number]) =>
      w.plugin + w.others - sweeps(w);
    /** Statements the subscribers added since `compareTo` caused, each. */
    const perAdded = (w: (typeof windows)[number]) => {
      if (w.compareTo === undefined) return undefined;
      const before = windows[w.compareTo];
      const added = w.streams - before.streams + (w.sockets - before.sockets);
      const expected = (total(before) * w.seconds) / before.seconds;
      return { added, each: (total(w) - expected) / added };
    };
    process.stdout.write(
      `${markdownTable(
        `Live: SQL statements while subscribers are idle (target: 0 per idle subscriber)`,
        [
          'window',
          'seconds',
          'event streams open',
          'signal WebSockets open',
          'SQL statements, post-mortems DB',
          'SQL statements, other plugins',
          "of which the replica's job sweep",
          'per subscriber added, sweep apart (vs the row named)',
          'per subscriber added, per minute',
          'keep-alives received',
          'messages received',
          'target',
        ],
        windows.map(w => {
          const added = perAdded(w);
          return [
            w.name,
            w.seconds,
            w.streams,
            w.sockets,
            w.plugin,
            w.others,
            sweeps(w),
            added
              ? `${fmt(added.each, 2)} (${added.added} added since "${
                  windows[w.compareTo!].name
                }")`
              : '-',
            added ? fmt((added.each * 60) / w.seconds, 1) : '-',
            w.keepAlives,
            w.messages,
            added ? verdict(added.each <= 0) : '-',
          ];
        }),
      )}\n`,
    );
    process.stdout.write(
      `Jobs followed while idle: ${jobStates} (the running one's model silent). Baseline: ${total(
        baseline,
      )} statements with nothing open.\n\n`,
    );
    const last = windows[windows.length - 1];
    const steady = perAdded(last);
    if (steady && steady.each > 0) {
      process.stdout.write(
        `In the steady state, each idle event stream cost ${fmt(
          (steady.each * 60) / last.seconds,
          1,
        )} SQL statements a minute and the streams sent ${
          last.keepAlives
        } keep-alive comments in ${
          last.seconds
        } s, besides the replica's job sweep (see the statements by shape below).\n\n`,
      );
    }
    if (last.shapes.length) {
      process.stdout.write(
        `Statements in the steady-state window, by shape:\n\n\`\`\`\n${last.shapes
          .map(s => `${s.count}× ${s.shape}`)
          .join('\n')}\n\`\`\`\n\n`,
      );
    }

    const row = (name: string, values: number[], target: boolean) => [
      name,
      values.length,
      fmt(percentile(values, 50), 1),
      fmt(percentile(values, 95), 1),
      fmt(Math.max(...values), 1),
      target ? verdict(Math.max(...values) <= LATENCY_TARGET_MS) : '-',
    ];
    process.stdout.write(
      `${markdownTable(
        `Live: delay from a section's hand-over by the model to its listener, ${JOBS} jobs × ${
          perJob[0]?.sections ?? 0
        } sections, one every ${INTERVAL_MS} ms (target ≤ ${LATENCY_TARGET_MS} ms for every section)`,
        ['listener', 'sections', 'p50 ms', 'p95 ms', 'max ms', 'target'],
        [
          row(
            'event stream, GET /v1/generation-jobs/:id/events (`section` event)',
            delays.sse,
            true,
          ),
          row(
            'signals WebSocket /api/signals (job channel, `sections_done`)',
            delays.ws,
            true,
          ),
          row(
            '(reference) the job row updated in PostgreSQL',
            delays.committed,
            false,
          ),
        ],
      )}\n`,
    );
    const statements = perJob.map(p => p.statements);
    process.stdout.write(
      `SQL statements of the post-mortems plugin per job, from the model's start to the stream's end (section writes, stream re-reads with their permission checks, the saved draft): ${statements.join(
        ', ',
      )}.\n\n`,
    );
    if (missing.length) {
      process.stdout.write(`**Not received**: ${missing.join('; ')}.\n\n`);
      throw new Error(`Listeners missed progress: ${missing[0]}`);
    }
  } finally {
    provider.release.resolve();
    for (const go of provider.go.values()) go.resolve();
    await listeners?.exit();
    await backend?.stop().catch(() => {});
    await knex?.destroy();
    await pluginDatabases.destroy();
    await dropDatabase(dbName);
    await dropDatabase(othersName);
  }
}

main().then(
  () => process.exit(0),
  error => {
    process.stderr.write(`live benchmark failed: ${error?.stack ?? error}\n`);
    process.exit(1);
  },
);
