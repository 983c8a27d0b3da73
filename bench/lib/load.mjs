/*
 * The load generator, run as a child process of a benchmark so that it never
 * competes with the server under test for the same event loop.
 *
 *   node bench/lib/load.mjs < spec.json
 *
 * where the spec (on stdin: a list of paths is too long for an argument) is {origin, method, headers, body?, bodies?,
 * paths, connections, durationSeconds, warmupSeconds}. Each connection walks through `paths` in
 * turn (shared counter), so consecutive requests hit different rows; with `bodies`, the n-th request
 * sends `bodies[n % bodies.length]`. Prints
 * one JSON line with the measured run's figures; the warm-up is discarded.
 */
import autocannon from 'autocannon';

let input = '';
for await (const chunk of process.stdin) input += chunk;
const spec = JSON.parse(input);

function run(seconds) {
  let next = 0;
  return autocannon({
    url: spec.origin,
    method: spec.method,
    headers: spec.headers,
    body: spec.body,
    connections: spec.connections,
    duration: seconds,
    requests: [
      {
        setupRequest(request) {
          const n = next++;
          request.path = spec.paths[n % spec.paths.length];
          if (spec.bodies) request.body = spec.bodies[n % spec.bodies.length];
          return request;
        },
      },
    ],
  });
}

if (spec.warmupSeconds > 0) {
  await run(spec.warmupSeconds);
}
const result = await run(spec.durationSeconds);
process.stdout.write(
  `${JSON.stringify({
    requests: result.requests.total,
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    mean: result.latency.average,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    statusCodes: result.statusCodeStats,
    durationSeconds: result.duration,
  })}\n`,
);
