// Starts the backend serving the built app, the way scripts/e2e.sh does
// (app-config.yaml + e2e/app-config.e2e.yaml: embedded SQLite, demo data,
// fast search indexing), but on a port of the caller's choice so that it does
// not collide with other runs on the same machine. The built app is reused:
// the app-backend injects the port into it at start-up.
//
//   node e2e/server.mjs [PORT]      # serve until Ctrl-C (for running single e2e files)
import { spawn } from 'node:child_process';
import { mkdtempSync, openSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** A TCP port nobody listens on right now. */
export function freePort() {
  return new Promise((ok, fail) => {
    const server = createServer();
    server.unref();
    server.on('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => ok(port));
    });
  });
}

/**
 * Starts the backend and resolves once both the post-mortems API and the app
 * answer. Returns its base URL, the log file, and stop() which ends the whole
 * process group (backstage-cli starts the backend as a child process).
 */
export async function startBackend({ port, timeoutMs = 240_000 } = {}) {
  const chosen = port ?? (await freePort());
  const baseUrl = `http://localhost:${chosen}`;
  const dir = mkdtempSync(join(tmpdir(), 'postmortems-backend-'));
  const portConfig = join(dir, 'app-config.port.yaml');
  writeFileSync(
    portConfig,
    [
      'app:',
      `  baseUrl: ${baseUrl}`,
      'backend:',
      `  baseUrl: ${baseUrl}`,
      '  listen:',
      `    port: ${chosen}`,
      '  cors:',
      `    origin: ${baseUrl}`,
      '',
    ].join('\n'),
  );
  const log = join(dir, 'backend.log');
  const out = openSync(log, 'a');
  // The backend runs from its TypeScript sources through the Backstage CLI's
  // transform, like `backstage-cli package start` does, but without its file
  // watcher: a benchmark or test run must not restart (and lose its in-memory
  // database) because someone edits a file meanwhile.
  const require = createRequire(join(ROOT, 'package.json'));
  const child = spawn(
    process.execPath,
    [
      '--enable-source-maps',
      '--require',
      require.resolve('@backstage/cli-node/config/nodeTransform.cjs'),
      'src/index.ts',
      '--config',
      join(ROOT, 'app-config.yaml'),
      '--config',
      join(ROOT, 'e2e/app-config.e2e.yaml'),
      '--config',
      portConfig,
    ],
    {
      cwd: join(ROOT, 'packages/backend'),
      detached: true, // its own process group, so stop() reaches any children
      stdio: ['ignore', out, out],
      env: {
        ...process.env,
        NODE_ENV: process.env.NODE_ENV ?? 'development',
        ESBK_TSCONFIG_PATH: join(ROOT, 'tsconfig.json'),
      },
    },
  );
  let exited = false;
  child.on('exit', () => {
    exited = true;
  });

  const stop = async () => {
    if (!exited) {
      try {
        process.kill(-child.pid, 'SIGTERM');
      } catch {
        // already gone
      }
      const deadline = Date.now() + 10_000;
      while (!exited && Date.now() < deadline) {
        await sleep(200);
      }
      if (!exited) {
        try {
          process.kill(-child.pid, 'SIGKILL');
        } catch {
          // already gone
        }
      }
    }
    rmSync(dir, { recursive: true, force: true });
  };

  const started = Date.now();
  while (Date.now() - started < timeoutMs) {
    if (exited) {
      throw new Error(`the backend exited during start-up; see ${log}`);
    }
    if (
      (await ok(`${baseUrl}/api/postmortems/health`)) &&
      (await ok(`${baseUrl}/`))
    ) {
      return { baseUrl, port: chosen, log, stop };
    }
    await sleep(1000);
  }
  await stop();
  throw new Error(`the backend did not answer within ${timeoutMs} ms`);
}

async function ok(url) {
  try {
    const response = await fetch(url);
    return response.ok;
  } catch {
    return false;
  }
}

function sleep(ms) {
  return new Promise(r => setTimeout(r, ms));
}

async function refreshGuest(baseUrl) {
  const response = await fetch(`${baseUrl}/api/auth/guest/refresh`, {
    headers: { 'X-Requested-With': 'XMLHttpRequest' },
  });
  if (!response.ok) {
    throw new Error(`guest sign-in failed: ${response.status}`);
  }
  const body = await response.json();
  return body.backstageIdentity.token;
}

/**
 * A guest's Backstage token, for driving the API directly. It is taken once
 * the catalog has loaded the guest's User entity: only then does the token
 * carry the guest's groups (the demo's admins), as a browser sign-in would.
 */
export async function guestToken(baseUrl, { timeoutMs = 60_000 } = {}) {
  const started = Date.now();
  for (let attempt = 0; ; attempt++) {
    const token = await refreshGuest(baseUrl);
    const user = await fetch(
      `${baseUrl}/api/catalog/entities/by-name/user/default/guest`,
      { headers: { authorization: `Bearer ${token}` } },
    );
    if (user.ok) {
      // A token issued before the user was loaded has no groups: renew it.
      return attempt === 0 ? token : refreshGuest(baseUrl);
    }
    if (Date.now() - started > timeoutMs) {
      return token; // without groups; callers that need them will say so
    }
    await sleep(1000);
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const port = process.argv[2] ? Number(process.argv[2]) : undefined;
  const server = await startBackend({ port });
  console.log(
    `serving ${server.baseUrl} (log: ${server.log}); Ctrl-C stops it`,
  );
  const shutdown = () => server.stop().then(() => process.exit(0));
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
}
