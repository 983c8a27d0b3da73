/* Runs bench/lib/load.mjs (autocannon) in a child process and reads its result. */
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';

export interface LoadSpec {
  origin: string;
  method: 'GET' | 'PATCH';
  headers: Record<string, string>;
  body?: string;
  /** Bodies taken in turn with the paths (request n sends bodies[n % length]). */
  bodies?: string[];
  /** Request paths, taken in turn. */
  paths: string[];
  connections: number;
  durationSeconds: number;
  warmupSeconds: number;
}

export interface LoadResult {
  requests: number;
  rps: number;
  /** Latencies in milliseconds. */
  p50: number;
  p99: number;
  mean: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  statusCodes: Record<string, { count: number }>;
}

export function runLoad(spec: LoadSpec): Promise<LoadResult> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [resolve(__dirname, 'load.mjs')], {
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', chunk => {
      out += chunk;
    });
    child.on('error', reject);
    child.on('exit', code => {
      if (code !== 0) {
        reject(new Error(`load generator exited with ${code}`));
        return;
      }
      try {
        resolvePromise(JSON.parse(out.trim().split('\n').pop()!));
      } catch (error) {
        reject(new Error(`load generator printed no result: ${out}`));
      }
    });
    child.stdin.end(JSON.stringify(spec));
  });
}
