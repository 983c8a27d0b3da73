// Runs the backend's fake Confluence, Notion, GitHub and Jira servers
// (packages/postmortems-test-utils/src/runDestinationFakes.ts) for
// an e2e run, and lets the tests act "in the tracker" from their own process.
//
//   node e2e/destinationFakes.mjs <config-out.yaml>
//
// The fakes write their config snippet (for the backend's --config) to the
// given path. They take commands on stdin and answer one line each, which a
// test in another process cannot reach; so this wrapper owns their stdin and
// stdout and forwards commands from a control port on loopback:
//
//   POST <control url>  body `close github acme/payments#1`  ->  `OK`
//   POST <control url>  body `state`                         ->  JSON line
//
// It prints `CONTROL <url>` once the fakes are ready, and stops them when it
// is terminated or they exit.
import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const configOut = process.argv[2];
if (!configOut) {
  process.stderr.write('usage: destinationFakes.mjs <config-out.yaml>\n');
  process.exit(2);
}

const require = createRequire(join(ROOT, 'package.json'));
const fakes = spawn(
  process.execPath,
  [
    '--require',
    require.resolve('@backstage/cli/config/nodeTransform.cjs'),
    'src/runDestinationFakes.ts',
    resolve(configOut),
  ],
  {
    cwd: join(ROOT, 'packages/postmortems-test-utils'),
    stdio: ['pipe', 'pipe', 'inherit'],
  },
);
fakes.on('exit', code => {
  process.stderr.write(`[destinations] the fakes exited (${code})\n`);
  process.exit(code ?? 1);
});

// Every line the fakes print answers the oldest command still waiting (they
// answer in order), except the first, READY.
const waiting = [];
let ready;
const started = new Promise(ok => {
  ready = ok;
});
createInterface({ input: fakes.stdout }).on('line', line => {
  if (line === 'READY' && ready) {
    ready();
    ready = undefined;
    return;
  }
  const next = waiting.shift();
  if (next) next(line);
  else process.stderr.write(`[destinations] unexpected output: ${line}\n`);
});

function command(line) {
  return new Promise(answer => {
    waiting.push(answer);
    fakes.stdin.write(`${line.replace(/[\r\n]+/g, ' ').trim()}\n`);
  });
}

await started;
const server = createServer((req, res) => {
  if (req.method !== 'POST') {
    res.writeHead(405).end();
    return;
  }
  let body = '';
  req.setEncoding('utf8');
  req.on('data', chunk => {
    body += chunk;
  });
  req.on('end', async () => {
    const answer = await command(body);
    res
      .writeHead(answer.startsWith('ERROR') ? 400 : 200, {
        'Content-Type': 'text/plain; charset=utf-8',
      })
      .end(answer);
  });
});
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`CONTROL http://127.0.0.1:${server.address().port}/\n`);
});

const stop = () => {
  // The fakes stop their servers when their stdin closes.
  fakes.stdin.end();
  setTimeout(() => fakes.kill('SIGTERM'), 2000).unref();
  server.close();
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
