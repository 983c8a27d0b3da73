#!/usr/bin/env node
/*
 * `yarn bench [name...]`: describes the machine, then runs the benchmarks in
 * order, each as a child process that prints Markdown on stdout. With names
 * (`yarn bench api scale`), only those run. A benchmark that does not exist
 * yet is skipped with a line saying so; one that fails makes the whole run
 * exit non-zero, after the others have run.
 *
 * Prerequisites: the README's setup, and PostgreSQL at 127.0.0.1:5432 (or
 * `source scripts/ensure-postgres.sh`, which also exports the connection
 * string the benchmarks read).
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const benchDir = dirname(fileURLToPath(import.meta.url));
const root = dirname(benchDir);
const require = createRequire(join(root, 'package.json'));

/** In order. `.ts` files run through Backstage's Node transform. */
const BENCHMARKS = [
  { name: 'api', file: 'api.bench.ts' },
  { name: 'scale', file: 'scale.bench.ts' },
  { name: 'access', file: 'access.bench.ts' },
  { name: 'generation', file: 'generation.bench.ts' },
  { name: 'live', file: 'live.bench.ts' },
  { name: 'frontend', file: 'frontend.bench.mjs' },
];

const wanted = process.argv.slice(2).filter(a => !a.startsWith('-'));
const unknown = wanted.filter(w => !BENCHMARKS.some(b => b.name === w));
if (unknown.length) {
  console.error(
    `Unknown benchmark ${unknown.join(', ')}; known: ${BENCHMARKS.map(
      b => b.name,
    ).join(', ')}`,
  );
  process.exit(2);
}
const selected = wanted.length
  ? BENCHMARKS.filter(b => wanted.includes(b.name))
  : BENCHMARKS;

/** The PostgreSQL server's version, as the benchmarks will see it. */
function postgresVersion() {
  const url =
    process.env.POSTMORTEMS_BENCH_PG_URL ??
    Object.entries(process.env)
      .filter(([k]) =>
        /^BACKSTAGE_TEST_DATABASE_POSTGRES\d+_CONNECTION_STRING$/.test(k),
      )
      .map(([, v]) => v)
      .sort()
      .pop() ??
    'postgresql://postgres@127.0.0.1:5432';
  const psql = spawnSync(
    'psql',
    [`${url.replace(/\/+$/, '')}/postgres`, '-Atc', 'show server_version'],
    { encoding: 'utf8' },
  );
  return psql.status === 0
    ? `${psql.stdout.trim()} (${url.replace(/\/\/[^@]*@/, '//')})`
    : `not reachable at ${url} (${(
        psql.stderr ||
        psql.error?.message ||
        ''
      ).trim()})`;
}

function machine() {
  const cpus = os.cpus();
  const rows = [
    ['CPU', `${cpus[0]?.model ?? 'unknown'}`],
    ['cores (logical)', String(os.availableParallelism?.() ?? cpus.length)],
    ['RAM', `${(os.totalmem() / 2 ** 30).toFixed(1)} GiB`],
    ['OS', `${os.type()} ${os.release()} ${os.arch()}`],
    ['Node.js', process.version],
    ['PostgreSQL', postgresVersion()],
    ['date', new Date().toISOString()],
  ];
  const git = spawnSync('git', ['rev-parse', '--short', 'HEAD'], {
    cwd: root,
    encoding: 'utf8',
  });
  if (git.status === 0) {
    const dirty = spawnSync('git', ['status', '--porcelain'], {
      cwd: root,
      encoding: 'utf8',
    }).stdout.trim();
    rows.push([
      'commit',
      `${git.stdout.trim()}${dirty ? ' (with uncommitted changes)' : ''}`,
    ]);
  }
  return [
    '## Machine',
    '',
    '| | |',
    '| --- | --- |',
    ...rows.map(([k, v]) => `| ${k} | ${v} |`),
    '',
  ].join('\n');
}

console.log(machine());

const transform = require.resolve('@backstage/cli/config/nodeTransform.cjs');
const failed = [];
for (const bench of selected) {
  const file = join(benchDir, bench.file);
  console.log(`## ${bench.name} (bench/${bench.file})\n`);
  if (!existsSync(file)) {
    console.log(`Skipped: bench/${bench.file} does not exist yet.\n`);
    continue;
  }
  // Others' work on the machine skews every figure: say how busy it was.
  const load = os
    .loadavg()
    .map(l => l.toFixed(2))
    .join(' / ');
  console.log(
    `_Load average (1 / 5 / 15 min) at start: ${load} on ${
      os.availableParallelism?.() ?? os.cpus().length
    } cores._\n`,
  );
  const nodeArgs = bench.file.endsWith('.ts') ? ['--require', transform] : [];
  // --expose-gc lets a benchmark settle the heap before measuring memory.
  const started = Date.now();
  const child = spawnSync(
    process.execPath,
    ['--expose-gc', ...nodeArgs, file],
    {
      cwd: root,
      stdio: ['ignore', 'inherit', 'inherit'],
      env: process.env,
    },
  );
  const seconds = ((Date.now() - started) / 1000).toFixed(0);
  if (child.status !== 0) {
    failed.push(bench.name);
    console.log(
      `**FAILED**: bench/${bench.file} exited with ${
        child.status ?? child.signal
      } after ${seconds} s (its errors are on stderr).\n`,
    );
  } else {
    console.log(`_bench/${bench.file} took ${seconds} s._\n`);
  }
}

if (failed.length) {
  console.error(`Failed: ${failed.join(', ')}`);
  process.exit(1);
}
