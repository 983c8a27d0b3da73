import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import knexFactory, { Knex } from 'knex';
import { completion, FakeServer } from '@internal/postmortems-test-utils';

/*
 * Two real backend processes (createBackend, real scheduler) on one
 * PostgreSQL database: every generation job and every reminder runs exactly
 * once, and a replica killed in the middle of a draft leaves nothing
 * duplicated or lost. PostgreSQL only: it is what several replicas share.
 */

jest.setTimeout(240_000);

const postgresId = process.env.POSTMORTEMS_TEST_POSTGRES_ID;
const connectionString = postgresId
  ? process.env[
      `BACKSTAGE_TEST_DATABASE_${postgresId.replace('_', '')}_CONNECTION_STRING`
    ]
  : undefined;
if (!connectionString && process.env.POSTMORTEMS_REQUIRE_POSTGRES) {
  throw new Error(
    'PostgreSQL is required for the replica tests; source scripts/ensure-postgres.sh first',
  );
}
const describeOnPostgres = connectionString ? describe : describe.skip;

const TOKEN = `replica-${randomBytes(12).toString('hex')}`;
const OWNER = 'user:default/carla.mendes';
const REMINDER_TASK = 'postmortems-action-item-reminders';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

async function until<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  timeoutMs = 60_000,
): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > end) throw new Error(`Timed out waiting for ${what}`);
    await new Promise(r => setTimeout(r, 250));
  }
}

class Replica {
  private process?: ChildProcess;
  output = '';
  readonly url: string;

  constructor(
    readonly name: string,
    port: number,
    private readonly configFile: string,
    private readonly recorder: string,
  ) {
    this.url = `http://127.0.0.1:${port}/api/postmortems/v1`;
  }

  async start() {
    const child = spawn(
      process.execPath,
      [
        '--require',
        require.resolve('@backstage/cli/config/nodeTransform.cjs'),
        join(__dirname, '__testUtils__', 'replicaProcess.ts'),
        '--config',
        this.configFile,
      ],
      {
        cwd: join(__dirname, '..'),
        env: {
          ...process.env,
          REPLICA_RECORDER: this.recorder,
          REPLICA_NAME: this.name,
        },
        stdio: ['pipe', 'pipe', 'pipe'],
      },
    );
    this.process = child;
    child.stdout!.on('data', d => (this.output += d));
    child.stderr!.on('data', d => (this.output += d));
    await until(
      `${this.name} to start`,
      async () => {
        if (child.exitCode !== null) {
          throw new Error(`${this.name} exited:\n${this.output}`);
        }
        return this.output.includes('READY') ? true : undefined;
      },
      90_000,
    );
  }

  trigger(taskId: string) {
    this.process!.stdin!.write(`trigger ${taskId}\n`);
  }

  kill() {
    this.process?.kill('SIGKILL');
  }

  async stop() {
    if (!this.process || this.process.exitCode !== null) return;
    const exited = new Promise(r => this.process!.once('exit', r));
    this.process.kill('SIGTERM');
    await Promise.race([exited, new Promise(r => setTimeout(r, 10_000))]);
    this.process.kill('SIGKILL');
  }

  async call(method: string, path: string, body?: unknown, headers = {}) {
    const response = await fetch(`${this.url}${path}`, {
      method,
      headers: {
        Authorization: `Bearer ${TOKEN}`,
        'Content-Type': 'application/json',
        ...headers,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : null };
  }
}

describeOnPostgres('two backend processes on one PostgreSQL', () => {
  const prefix = `pmreplica${randomBytes(4).toString('hex')}_`;
  const model = {
    calls: new Map<string, number>(),
    hang: new Set<string>(),
    server: undefined as unknown as FakeServer,
  };
  const notifications: Array<{ replica: string; payload: { title: string } }> =
    [];
  let recorder: FakeServer;
  let recorderBase: string;
  let configFile: string;
  let db: Knex;
  const replicas: Replica[] = [];

  async function replica(name: string) {
    const port = await freePort();
    const file = join(configFile, `${name}.json`);
    const base = JSON.parse(
      readFileSync(join(configFile, 'base.json'), 'utf8'),
    );
    base.backend.baseUrl = `http://127.0.0.1:${port}`;
    base.backend.listen = { host: '127.0.0.1', port };
    writeFileSync(file, JSON.stringify(base));
    const started = new Replica(name, port, file, `${recorderBase}/notify`);
    replicas.push(started);
    await started.start();
    return started;
  }

  beforeAll(async () => {
    // The model: one answer per draft, counted per incident; can hang.
    model.server = new FakeServer(req => {
      const user = JSON.parse(req.body).messages[1].content as string;
      const incident = /Incident (INC-\d+)/.exec(user)![1];
      model.calls.set(incident, (model.calls.get(incident) ?? 0) + 1);
      if (model.hang.has(incident)) return { hang: true };
      const keys = [...user.matchAll(/- key "([^"]+)"/g)].map(m => m[1]);
      return {
        body: completion(
          JSON.stringify({
            sections: keys.map(key => ({
              key,
              markdown: `Drafted ${key} of ${incident}.`,
              evidence: [],
            })),
            action_items: [
              {
                description: `Follow up on ${incident}`,
                category: null,
                owner_hint: null,
                due_in_days: 7,
                evidence: [],
              },
            ],
          }),
        ),
      };
    });
    const modelUrl = await model.server.start();
    recorder = new FakeServer(req => {
      notifications.push(JSON.parse(req.body));
      return { body: {} };
    });
    recorderBase = await recorder.start();

    const url = new URL(connectionString!);
    const connection = {
      host: url.hostname,
      port: Number(url.port || 5432),
      user: decodeURIComponent(url.username),
      password: decodeURIComponent(url.password),
    };
    configFile = mkdtempSync(join(tmpdir(), 'pm-replicas-'));
    writeFileSync(
      join(configFile, 'base.json'),
      JSON.stringify({
        app: { baseUrl: 'http://127.0.0.1:3000' },
        backend: {
          database: { client: 'pg', connection, prefix },
          auth: {
            externalAccess: [
              {
                type: 'static',
                options: { token: TOKEN, subject: 'replica-test' },
              },
            ],
          },
        },
        postmortems: {
          openai: {
            apiKey: 'sk-replica',
            baseUrl: `${modelUrl}/v1`,
            timeoutSeconds: 20,
            maxRetries: 0,
          },
          // A short lease so a dead replica's job is taken over within the test.
          generation: { deadlineSeconds: 4, leaseSeconds: 5 },
          // Reminders run when the test triggers them (after a first, empty
          // run at start-up: the scheduler only listens once that is due).
          reminders: { frequency: { hours: 6 }, initialDelay: { seconds: 1 } },
        },
      }),
    );
    db = knexFactory({
      client: 'pg',
      connection: { ...connection, database: `${prefix}postmortems` },
    });
  });

  afterAll(async () => {
    await Promise.all(replicas.map(r => r.stop()));
    await db?.destroy();
    await model.server?.stop();
    await recorder?.stop();
    const admin = knexFactory({ client: 'pg', connection: connectionString });
    await admin
      .raw(`DROP DATABASE IF EXISTS "${prefix}postmortems" WITH (FORCE)`)
      .catch(() => undefined);
    await admin.destroy();
  });

  async function resolvedIncident(via: Replica, title: string) {
    const created = await via.call('POST', '/incidents', {
      title,
      severity: 'high',
    });
    expect(created.status).toBe(201);
    const resolved = await via.call(
      'PATCH',
      `/incidents/${created.body.number}`,
      {
        status: 'resolved',
      },
    );
    expect(resolved.status).toBe(200);
    return created.body as { number: number; reference: string; id: string };
  }

  const overdue = () =>
    notifications.filter(n => n.payload.title.startsWith('Action item overdue'))
      .length;

  it('runs every generation job and every reminder exactly once', async () => {
    const a = await replica('a');
    const b = await replica('b');

    const incidents = [];
    for (let i = 0; i < 6; i++) {
      incidents.push(await resolvedIncident(a, `Replica incident ${i}`));
    }
    // Alternate replicas: each enqueue wakes that replica's worker, so both
    // compete for the whole queue.
    const jobs = await Promise.all(
      incidents.map((incident, i) =>
        (i % 2 ? b : a).call(
          'POST',
          `/incidents/${incident.number}/postmortem/generate`,
          { provider: 'openai' },
          { Prefer: 'respond-async' },
        ),
      ),
    );
    expect(jobs.map(j => j.status)).toEqual(jobs.map(() => 202));
    await until('every job to finish', async () => {
      const rows = await db('generation_jobs').select('status');
      return rows.length === 6 &&
        rows.every(r => ['succeeded', 'failed'].includes(r.status))
        ? true
        : undefined;
    });
    const rows = await db('generation_jobs').select('status', 'attempts');
    expect(rows.map(r => [r.status, r.attempts])).toEqual(
      rows.map(() => ['succeeded', 1]),
    );
    for (const incident of incidents) {
      expect(model.calls.get(incident.reference)).toBe(1);
      const items = await a.call(
        'GET',
        `/incidents/${incident.number}/postmortem`,
      );
      expect(items.body.action_items).toHaveLength(1);
    }

    // Reminders: three overdue items, both replicas told to run the task at
    // the same moment, twice.
    for (const incident of incidents.slice(0, 3)) {
      const created = await a.call(
        'POST',
        `/incidents/${incident.number}/postmortem/action-items`,
        {
          description: `Rotate keys after ${incident.reference}`,
          owner: OWNER,
          due_date: '2026-01-05',
        },
      );
      expect(created.status).toBe(201);
    }
    a.trigger(REMINDER_TASK);
    b.trigger(REMINDER_TASK);
    await until('the overdue reminders', async () =>
      overdue() >= 3 ? true : undefined,
    );
    a.trigger(REMINDER_TASK);
    b.trigger(REMINDER_TASK);
    // Give a duplicate every chance to arrive.
    await new Promise(r => setTimeout(r, 8_000));
    expect(overdue()).toBe(3);
    expect(
      notifications.filter(n => n.payload.title.startsWith('You own')),
    ).toHaveLength(3);
  });

  it('finishes the draft of a replica killed in the middle, without duplicates or lost revisions', async () => {
    const [, b] = replicas;
    const victim = await replica('victim');
    const incident = await resolvedIncident(b, 'Killed mid-draft');
    const ref = `/incidents/${incident.number}/postmortem`;
    expect((await b.call('POST', ref)).status).toBe(201);
    const current = (await b.call('GET', ref)).body;
    const edited = await b.call('PATCH', ref, {
      version: current.version,
      sections: current.sections.map(
        (s: { key: string; title: string; markdown: string }, i: number) => ({
          key: s.key,
          title: s.title,
          markdown: i === 0 ? 'Written by hand.' : s.markdown,
        }),
      ),
    });
    expect(edited.status).toBe(200);

    model.hang.add(incident.reference);
    const job = await victim.call(
      'POST',
      `${ref}/generate`,
      { provider: 'openai' },
      { Prefer: 'respond-async' },
    );
    expect(job.status).toBe(202);
    await until('the victim to ask the model', async () =>
      model.calls.get(incident.reference) ? true : undefined,
    );
    victim.kill();
    model.hang.delete(incident.reference);

    // The survivor's worker (every 15 s) takes the job over once its lease is out.
    const done = await until(
      'the job to be taken over',
      async () => {
        const row = await db('generation_jobs')
          .where({ incident_id: incident.id })
          .first();
        return ['succeeded', 'failed'].includes(row?.status) ? row : undefined;
      },
      90_000,
    );
    expect(done).toMatchObject({ status: 'succeeded', attempts: 2 });
    expect(model.calls.get(incident.reference)).toBe(2);

    const after = (await b.call('GET', ref)).body;
    expect(after.version).toBe(current.version + 2);
    expect(after.action_items).toHaveLength(1);
    const revisions = await b.call('GET', `${ref}/revisions`);
    expect(
      revisions.body.data.map((r: { version: number }) => r.version).sort(),
    ).toEqual([1, 2, 3]);
  });
});
