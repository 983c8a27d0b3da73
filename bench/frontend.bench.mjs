#!/usr/bin/env node
/*
 * Frontend benchmark: what the post-mortems plugin adds to the app's bundle,
 * and how fast a service's Post-Mortems tab becomes usable in headless
 * Chromium, with the demo data and with 5,000 post-mortems.
 *
 *   node bench/frontend.bench.mjs        (or `yarn bench frontend`)
 *
 * It builds the app when packages/app/dist is missing or older than the app's
 * and the plugin's sources, then starts its own backend serving that build on
 * a free port (e2e/server.mjs: the e2e set-up, embedded SQLite, demo data) and
 * stops it at the end. Prints Markdown on stdout, progress on stderr; exits
 * non-zero when something fails (a missed target is reported, not a failure).
 *
 * Environment: BENCH_RUNS (default 5) runs per page figure; BENCH_BIG
 * (default 5000) post-mortems for the big service; CHROMIUM_PATH.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { launch } from '../e2e/browser.mjs';
import { ROOT, guestToken, startBackend } from '../e2e/server.mjs';

const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const BIG = Number(process.env.BENCH_BIG ?? 5000);
const TARGET_FIRST_PAGE_MS = 1000;
const DEMO_SERVICE = 'checkout-api';
// A service of its own for the 5,000, so the demo figures are not disturbed.
const BIG_SERVICE = 'auth-service';
const DIST = join(ROOT, 'packages/app/dist');

// ---------------------------------------------------------------- helpers

const progress = message => process.stderr.write(`[bench] ${message}\n`);

function table(title, header, rows) {
  const line = cells =>
    `| ${cells.map(c => String(c).replace(/\|/g, '\\|')).join(' | ')} |`;
  return [
    `### ${title}`,
    '',
    line(header),
    line(header.map(() => '---')),
    ...rows.map(line),
    '',
  ].join('\n');
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

const kB = bytes => `${(bytes / 1024).toFixed(1)} kB`;
const ms = value => `${Math.round(value)} ms`;
const spread = values =>
  `${ms(median(values))} (${ms(Math.min(...values))}–${ms(
    Math.max(...values),
  )})`;

function* walk(dir) {
  if (!existsSync(dir)) return;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name === 'dist') continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* walk(path);
    else yield path;
  }
}

// ---------------------------------------------------------------- build

/** Builds the app unless dist is newer than every source it is made of. */
function ensureBuild() {
  const sources = [
    'packages/app/src',
    'packages/app/public',
    'packages/app/package.json',
    'plugins/postmortems/src',
    'plugins/postmortems/package.json',
    'plugins/postmortems-common/src',
    'plugins/postmortems-common/package.json',
    'yarn.lock',
  ].map(p => join(ROOT, p));
  let newest = 0;
  for (const source of sources) {
    if (!existsSync(source)) continue;
    const files = statSync(source).isDirectory() ? walk(source) : [source];
    for (const file of files) {
      newest = Math.max(newest, statSync(file).mtimeMs);
    }
  }
  const index = join(DIST, 'index.html');
  if (existsSync(index) && statSync(index).mtimeMs > newest) {
    progress('reusing packages/app/dist (newer than the sources)');
    return 'reused';
  }
  progress('building the app (yarn workspace app build)');
  const started = Date.now();
  const build = spawnSync(
    'yarn',
    [
      'workspace',
      'app',
      'build',
      '--config',
      join(ROOT, 'app-config.yaml'),
      '--config',
      join(ROOT, 'e2e/app-config.e2e.yaml'),
    ],
    { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] },
  );
  if (build.status !== 0) {
    throw new Error(`the app build failed (${build.status ?? build.error})`);
  }
  return `built in ${Math.round((Date.now() - started) / 1000)} s`;
}

// ---------------------------------------------------------------- bundle

const BASE64 =
  'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** Decodes one line of a source map's mappings into [column, source] pairs. */
function decodeLine(line, state) {
  const segments = [];
  for (const segment of line.split(',')) {
    if (!segment) continue;
    const fields = [];
    let value = 0;
    let shift = 0;
    for (const char of segment) {
      const digit = BASE64.indexOf(char);
      value += (digit & 31) << shift;
      if (digit & 32) {
        shift += 5;
      } else {
        fields.push(value & 1 ? -(value >>> 1) : value >>> 1);
        value = 0;
        shift = 0;
      }
    }
    state.column += fields[0];
    if (fields.length > 1) {
      state.source += fields[1];
      segments.push([state.column, state.source]);
    } else {
      segments.push([state.column, -1]);
    }
  }
  return segments;
}

/** Which package of ours, if any, a source map entry comes from. */
function ownerOf(source) {
  if (/plugins\/postmortems\/src\//.test(source)) return 'plugin';
  if (/plugins\/postmortems-common\/src\//.test(source)) return 'common';
  return undefined;
}

/**
 * Splits every JS chunk of the build by origin with its source map: each
 * generated character belongs to the source of the mapping segment it falls
 * in. Our code is what the plugin itself adds; the chunks holding any of it
 * are what a visitor downloads to use the plugin (an upper bound, since those
 * chunks also hold shared code that webpack placed next to ours).
 */
function bundleFigures() {
  const staticDir = join(DIST, 'static');
  const chunks = readdirSync(staticDir).filter(f => f.endsWith('.js'));
  const app = { raw: 0, gzip: 0, count: chunks.length };
  const holding = { raw: 0, gzip: 0, count: 0 };
  const own = { plugin: [], common: [] };
  for (const chunk of chunks) {
    const code = readFileSync(join(staticDir, chunk), 'utf8');
    const raw = Buffer.byteLength(code);
    const gzip = gzipSync(code).length;
    app.raw += raw;
    app.gzip += gzip;
    const mapFile = join(staticDir, `${chunk}.map`);
    if (!existsSync(mapFile)) continue;
    const map = JSON.parse(readFileSync(mapFile, 'utf8'));
    const owners = map.sources.map(ownerOf);
    if (!owners.some(Boolean)) continue;
    holding.raw += raw;
    holding.gzip += gzip;
    holding.count++;
    const lines = code.split('\n');
    const state = { column: 0, source: 0 };
    map.mappings.split(';').forEach((mappingLine, index) => {
      state.column = 0; // columns restart on each line; sources do not
      const segments = decodeLine(mappingLine, state);
      const text = lines[index] ?? '';
      segments.forEach(([column, source], i) => {
        const owner = source >= 0 ? owners[source] : undefined;
        if (!owner) return;
        const end = i + 1 < segments.length ? segments[i + 1][0] : text.length;
        own[owner].push(text.slice(column, end));
      });
    });
  }
  const size = parts => {
    const text = parts.join('');
    return { raw: Buffer.byteLength(text), gzip: gzipSync(text).length };
  };
  return {
    app,
    holding,
    plugin: size(own.plugin),
    common: size(own.common),
    ours: size([...own.plugin, ...own.common]),
  };
}

// ---------------------------------------------------------------- data

function apiClient(baseUrl, token) {
  return async (method, path, body) => {
    const response = await fetch(`${baseUrl}/api/postmortems/v1${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        'content-type': 'application/json',
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    if (!response.ok) {
      throw new Error(`${method} ${path}: ${response.status} ${text}`);
    }
    return text ? JSON.parse(text) : undefined;
  };
}

/** Drafts for the demo incidents of the demo service, so its table has rows. */
async function draftDemoPostmortems(api) {
  const incidents = await api(
    'GET',
    `/incidents?entity_ref=component:default/${DEMO_SERVICE}&limit=100`,
  );
  for (const incident of incidents.data) {
    const existing = await api(
      'GET',
      `/postmortems?entityRef=component:default/${DEMO_SERVICE}&limit=100`,
    );
    if (existing.data.some(p => p.incident_id === incident.id)) continue;
    await api('POST', `/incidents/${incident.reference}/postmortem/generate`, {
      provider: 'deterministic',
    });
  }
  return incidents.data.length;
}

/**
 * Imports `count` resolved incidents of one service, each with a blank
 * post-mortem, through the public API (two requests per incident), a few at a
 * time: the honest way a migration script would load them.
 */
async function importMany(api, count, concurrency = 8) {
  const started = Date.now();
  const day = 24 * 60 * 60 * 1000;
  let next = 0;
  let done = 0;
  const worker = async () => {
    while (next < count) {
      const i = next++;
      const triggered = Date.UTC(2020, 0, 1) + i * (day / 4);
      const incident = await api('POST', '/incidents/import', {
        incident: {
          title: `Bench incident ${i + 1} on ${BIG_SERVICE}`,
          severity: ['critical', 'high', 'medium', 'low'][i % 4],
          status: 'resolved',
          // The guest commands them, so it may draft them whatever its groups.
          commander: 'user:default/guest',
          services: [`component:default/${BIG_SERVICE}`],
          source: 'frontend-bench',
          external_id: `bench-${i + 1}`,
          triggered_at: new Date(triggered).toISOString(),
          resolved_at: new Date(triggered + 45 * 60 * 1000).toISOString(),
        },
        timeline: [],
      });
      await api('POST', `/incidents/${incident.reference}/postmortem`, {});
      done++;
      if (done % 500 === 0) progress(`imported ${done}/${count}`);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return (Date.now() - started) / 1000;
}

// ---------------------------------------------------------------- browser

/**
 * In the page: the time (ms since navigation start) at which the tab's
 * "Post-mortems" table shows a row of an incident, or false.
 */
function firstRowVisible() {
  for (const heading of document.querySelectorAll('h2')) {
    if (heading.textContent.trim() !== 'Post-mortems') continue;
    const paper = heading.closest('[class*="MuiPaper-root"]');
    const rows = paper ? paper.querySelectorAll('tbody tr') : [];
    for (const row of rows) {
      if (
        /INC-\d+/.test(row.textContent) &&
        row.getBoundingClientRect().height > 0
      ) {
        return performance.now();
      }
    }
  }
  return false;
}

async function signedInContext(browser, baseUrl) {
  const context = await browser.newContext({
    viewport: { width: 1400, height: 1000 },
  });
  // Backstage loads more resources than the default timing buffer keeps.
  await context.addInitScript(() =>
    performance.setResourceTimingBufferSize(5000),
  );
  const page = await context.newPage();
  await page.goto(`${baseUrl}/`);
  await page.getByRole('button', { name: 'Enter' }).click({ timeout: 60_000 });
  await page.waitForURL(/\/catalog/, { timeout: 60_000 });
  await page.waitForLoadState('networkidle');
  return { context, page };
}

/**
 * A full page load of the tab. `firstRow`: navigation start until the first
 * row is visible. `interactive`: until that and the end of the last network
 * response before the network went idle (Playwright's networkidle: 500 ms
 * without requests), i.e. the page has everything and is usable.
 */
async function loadTab(page, url) {
  await page.goto(url, { waitUntil: 'commit' });
  const handle = await page.waitForFunction(firstRowVisible, null, {
    timeout: 60_000,
    polling: 'raf',
  });
  const firstRow = await handle.jsonValue();
  await page.waitForLoadState('networkidle', { timeout: 60_000 });
  // The last response's end, and what came over the network rather than
  // from the HTTP cache (which tells a cold load from a warm one).
  // Also how long the table's own API request (the first page, 20 rows) took.
  const { lastResponse, transferred, listRequest } = await page.evaluate(() => {
    const entries = [
      ...performance.getEntriesByType('navigation'),
      ...performance.getEntriesByType('resource'),
    ];
    const list = entries.find(e =>
      /\/api\/postmortems\/v1\/postmortems\?.*limit=20/.test(e.name),
    );
    return {
      lastResponse: Math.max(0, ...entries.map(e => e.responseEnd)),
      transferred: entries.reduce((sum, e) => sum + (e.transferSize ?? 0), 0),
      listRequest: list ? list.duration : NaN,
    };
  });
  return {
    firstRow,
    interactive: Math.max(firstRow, lastResponse),
    transferred,
    listRequest,
  };
}

/**
 * In-app navigation: from the loaded entity page, a click on the tab until
 * its first row is visible (the click is timed in the page itself).
 */
async function switchToTab(page, baseUrl, service) {
  await page.goto(`${baseUrl}/catalog/default/component/${service}`);
  // Entity tabs are links in the page's content navigation (new frontend system).
  const tab = page
    .getByRole('navigation', { name: 'Content navigation' })
    .getByRole('link', { name: 'Post-Mortems' });
  await tab.waitFor({ timeout: 60_000 });
  await page.waitForLoadState('networkidle', { timeout: 60_000 });
  await page.evaluate(() => {
    document.addEventListener(
      'click',
      () => {
        window.__benchClickAt = performance.now();
      },
      { capture: true, once: true },
    );
  });
  await tab.click();
  const handle = await page.waitForFunction(firstRowVisible, null, {
    timeout: 60_000,
    polling: 'raf',
  });
  const shown = await handle.jsonValue();
  const clicked = await page.evaluate(() => window.__benchClickAt);
  await page.waitForLoadState('networkidle', { timeout: 60_000 });
  return shown - clicked;
}

/** RUNS fresh profiles: cold (HTTP cache cleared), then warm, then in-app. */
async function measureTab(browser, baseUrl, service) {
  const url = `${baseUrl}/catalog/default/component/${service}/postmortems`;
  const cold = [];
  const warm = [];
  const inApp = [];
  for (let run = 0; run < RUNS; run++) {
    const { context, page } = await signedInContext(browser, baseUrl);
    try {
      // Signing in loaded the app; forget it so the first load is cold.
      const cdp = await context.newCDPSession(page);
      await cdp.send('Network.clearBrowserCache');
      cold.push(await loadTab(page, url));
      warm.push(await loadTab(page, url));
      inApp.push(await switchToTab(page, baseUrl, service));
    } finally {
      await context.close();
    }
    progress(
      `${service} run ${run + 1}/${RUNS}: cold ${ms(
        cold.at(-1).interactive,
      )}, ` + `warm ${ms(warm.at(-1).interactive)}, in-app ${ms(inApp.at(-1))}`,
    );
  }
  return { cold, warm, inApp };
}

// ---------------------------------------------------------------- main

async function main() {
  // Browser timings depend on whatever else the machine runs: keep the load.
  const loadBefore = os.loadavg()[0];
  const build = ensureBuild();
  const bundle = bundleFigures();

  progress('starting the backend');
  const server = await startBackend();
  let browser;
  try {
    const api = apiClient(server.baseUrl, await guestToken(server.baseUrl));
    const demoIncidents = await draftDemoPostmortems(api);
    browser = await launch();

    progress(`measuring ${DEMO_SERVICE} with the demo data`);
    const demo = await measureTab(browser, server.baseUrl, DEMO_SERVICE);

    progress(`importing ${BIG} incidents with post-mortems for ${BIG_SERVICE}`);
    const importSeconds = await importMany(api, BIG);
    const page = await api(
      'GET',
      `/postmortems?entityRef=component:default/${BIG_SERVICE}&limit=20`,
    );
    if (page.total < BIG) {
      throw new Error(`only ${page.total} post-mortems for ${BIG_SERVICE}`);
    }
    progress(`measuring ${BIG_SERVICE} with ${page.total} post-mortems`);
    const big = await measureTab(browser, server.baseUrl, BIG_SERVICE);

    report({
      build,
      bundle,
      demo,
      demoIncidents,
      big,
      bigTotal: page.total,
      importSeconds,
      load: [loadBefore, os.loadavg()[0]],
    });
  } finally {
    await browser?.close();
    await server.stop();
  }
}

function report({
  build,
  bundle,
  demo,
  demoIncidents,
  big,
  bigTotal,
  importSeconds,
  load,
}) {
  const share = part => `${((100 * part) / bundle.app.gzip).toFixed(1)} %`;
  console.log(
    table(
      `Bundle: what the post-mortems plugin adds to the app (gzip -6; app ${build})`,
      ['What', 'JS files', 'raw', 'gzipped', 'share of the app (gzipped)'],
      [
        [
          'Whole app',
          bundle.app.count,
          kB(bundle.app.raw),
          kB(bundle.app.gzip),
          '100 %',
        ],
        [
          'Plugin code (plugins/postmortems/src, by source map)',
          '',
          kB(bundle.plugin.raw),
          kB(bundle.plugin.gzip),
          share(bundle.plugin.gzip),
        ],
        [
          'Common package code (plugins/postmortems-common/src)',
          '',
          kB(bundle.common.raw),
          kB(bundle.common.gzip),
          share(bundle.common.gzip),
        ],
        [
          '**Added by the plugin** (both, gzipped together)',
          '',
          kB(bundle.ours.raw),
          kB(bundle.ours.gzip),
          share(bundle.ours.gzip),
        ],
        [
          'Chunks that hold any plugin code (upper bound)',
          bundle.holding.count,
          kB(bundle.holding.raw),
          kB(bundle.holding.gzip),
          share(bundle.holding.gzip),
        ],
      ],
    ),
  );
  const rows = (label, m) => [
    [
      `${label}: cold cache, full load`,
      spread(m.cold.map(r => r.firstRow)),
      spread(m.cold.map(r => r.interactive)),
      kB(median(m.cold.map(r => r.transferred))),
      ms(median(m.cold.map(r => r.listRequest))),
    ],
    [
      `${label}: warm cache, full load`,
      spread(m.warm.map(r => r.firstRow)),
      spread(m.warm.map(r => r.interactive)),
      kB(median(m.warm.map(r => r.transferred))),
      ms(median(m.warm.map(r => r.listRequest))),
    ],
    [`${label}: in-app, click on the tab`, spread(m.inApp), '', '', ''],
  ];
  console.log(
    table(
      `Service Post-Mortems tab in headless Chromium, median (min–max) of ${RUNS} runs`,
      [
        'Case',
        'first row visible',
        'interactive (rows + network idle)',
        'transferred',
        "the table's API request",
      ],
      [
        ...rows(`${DEMO_SERVICE}, demo data (${demoIncidents} drafts)`, demo),
        ...rows(`${BIG_SERVICE}, ${bigTotal} post-mortems`, big),
      ],
    ),
  );
  const bigWarm = median(big.warm.map(r => r.firstRow));
  const bigInApp = median(big.inApp);
  console.log(
    table(
      `Target: the first page of a tab with ${bigTotal} post-mortems renders in under 1 s`,
      ['Measured as', 'median', 'target', 'verdict'],
      [
        [
          'click on the tab → first row (in-app)',
          ms(bigInApp),
          '< 1000 ms',
          bigInApp < TARGET_FIRST_PAGE_MS ? 'met' : 'MISSED',
        ],
        [
          'full page load, warm cache → first row',
          ms(bigWarm),
          '< 1000 ms',
          bigWarm < TARGET_FIRST_PAGE_MS ? 'met' : 'MISSED',
        ],
      ],
    ),
  );
  console.log(
    `_${bigTotal} incidents with post-mortems imported through the API in ${importSeconds.toFixed(
      0,
    )} s ` +
      `(${Math.round(
        (2 * BIG) / importSeconds,
      )} requests/s, 8 at a time; embedded SQLite). Load average (1 min) ` +
      `${load[0].toFixed(1)} at the start, ${load[1].toFixed(
        1,
      )} at the end, on ` +
      `${os.availableParallelism()} cores: browser timings grow with it._\n`,
  );
}

main().then(
  () => process.exit(0),
  error => {
    console.error(error);
    process.exit(1);
  },
);
