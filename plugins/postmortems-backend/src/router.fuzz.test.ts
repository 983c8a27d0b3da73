/*
 * Property-based fuzz of the HTTP surface: every write route's body, params
 * and headers, and the read and list routes' params and queries, with
 * arbitrary JSON and with valid requests that have one field replaced by a
 * hostile value. Properties, checked after every request:
 *
 * - the answer is never a 5xx; a 4xx carries `{error: {code, message}}`, and a
 *   validation error names each wrong field in details and message;
 * - stored data changes only as the accepted (2xx) request explains: the row
 *   count of every table, and the content and version of every post-mortem.
 *
 * The seed is fixed, so a failure reproduces; fast-check prints the seed and
 * the shrunk counterexample. POSTMORTEMS_FUZZ_SEED and POSTMORTEMS_FUZZ_RUNS
 * change them; POSTMORTEMS_FUZZ_DEBUG=1 logs every request and its status.
 */
import fc from 'fast-check';
import request from 'supertest';
import { Knex } from 'knex';
import { createTestDatabases, testApi } from '@internal/postmortems-test-utils';
import {
  ALICE,
  as,
  startPostmortemsBackend,
} from './__testUtils__/testBackend';

jest.setTimeout(600_000);

const databases = createTestDatabases();
const V1 = '/api/postmortems/v1';
const SEED = Number(process.env.POSTMORTEMS_FUZZ_SEED ?? 20261127);
/** Runs per route; a group of routes runs this many times its size. */
const RUNS = Number(process.env.POSTMORTEMS_FUZZ_RUNS ?? 20);

const TABLES = [
  'incidents',
  'incident_services',
  'timeline_entries',
  'alerts',
  'incident_alerts',
  'templates',
  'postmortems',
  'postmortem_revisions',
  'action_items',
  'postmortem_comments',
  'generation_jobs',
  'upstream_sync_state',
  'action_item_reminders',
] as const;
type Table = (typeof TABLES)[number];

/** What the database holds that a request may change. */
interface State {
  counts: Record<Table, number>;
  incidents: Map<
    string,
    {
      status: string;
      severity: string;
      commander: string | null;
      services: number;
    }
  >;
  postmortems: Map<
    string,
    { status: string; version: number; content: string; items: number }
  >;
}

async function snapshot(knex: Knex): Promise<State> {
  const raw = await knex.raw(
    `select ${TABLES.map(t => `(select count(*) from ${t}) as ${t}`).join(
      ', ',
    )}`,
  );
  const row = (Array.isArray(raw) ? raw[0] : raw.rows[0]) as Record<
    Table,
    unknown
  >;
  const counts = Object.fromEntries(
    TABLES.map(t => [t, Number(row[t])]),
  ) as Record<Table, number>;

  const services = new Map<string, number>(
    (
      await knex('incident_services')
        .select('incident_id')
        .count({ n: '*' })
        .groupBy('incident_id')
    ).map((r: any) => [String(r.incident_id), Number(r.n)]),
  );
  const incidents = new Map(
    (
      await knex('incidents').select('id', 'status', 'severity', 'commander')
    ).map(r => [
      r.id,
      {
        status: r.status,
        severity: r.severity,
        commander: r.commander ?? null,
        services: services.get(r.id) ?? 0,
      },
    ]),
  );
  const items = new Map<string, number>(
    (
      await knex('action_items')
        .select('postmortem_id')
        .count({ n: '*' })
        .groupBy('postmortem_id')
    ).map((r: any) => [String(r.postmortem_id), Number(r.n)]),
  );
  const postmortems = new Map(
    (
      await knex('postmortems').select('id', 'status', 'version', 'content')
    ).map(r => [
      r.id,
      {
        status: r.status,
        version: Number(r.version),
        content: r.content,
        items: items.get(r.id) ?? 0,
      },
    ]),
  );
  return { counts, incidents, postmortems };
}

// ---------------------------------------------------------------------------
// Hostile values

/** Strings just over the limits the API sets (100, 500, 20k, 200k, 1M chars). */
const longStrings = [101, 256, 501, 2_001, 20_001, 200_001, 1_000_001].map(n =>
  'x'.repeat(n),
);

function withOwnKey(key: string, value: unknown): Record<string, unknown> {
  // An own `__proto__` property, as JSON.parse makes it from a request body.
  const object: Record<string, unknown> = {};
  Object.defineProperty(object, key, {
    value,
    enumerable: true,
    writable: true,
    configurable: true,
  });
  return object;
}

const hostileString = fc.oneof(
  fc.constantFrom(
    ...longStrings,
    '',
    ' ',
    '\u0000',
    'a\u0000b',
    '\ud800',
    'lone \udfff surrogate',
    '\u202eevil',
    '😀'.repeat(60),
    'Ω≈ç√∫',
    '<script>alert(1)</script>',
    "'; drop table incidents; --",
    '../../etc/passwd',
    '%00',
    '%s%s%n',
    '{{constructor.constructor("return process")()}}',
    '0000-01-01T00:00:00Z',
    '9999-12-31T23:59:59-14:00',
    '2026-02-30T00:00:00Z',
    '2026-01-01T10:00:00.123456789Z',
    '275760-09-13T00:00:00Z',
    '2024-02-29',
    '0001-01-01',
    `component:default/${'a'.repeat(237)}`,
    `user:default/${'a'.repeat(242)}`,
    'a'.repeat(255),
    `group:${'x'.repeat(250)}`,
    `https://${'a'.repeat(1_990)}.example`,
    // eslint-disable-next-line no-script-url -- a hostile link the API must refuse
    'javascript:alert(1)',
    'published',
    'draft',
    'closed',
    'resolved',
    'message',
    'slack',
    'deterministic',
    'openai',
  ),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
);

const hostileNumber = fc.oneof(
  fc.constantFrom(
    -1,
    0,
    1,
    2,
    0.5,
    -0,
    1e308,
    -1e308,
    Number.MAX_SAFE_INTEGER,
    Number.MAX_SAFE_INTEGER + 2,
    2 ** 31,
    2 ** 53,
    999_999_999,
    1_000_000_000,
  ),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
);

const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: hostileString },
  { weight: 2, arbitrary: hostileNumber },
  fc.boolean(),
  fc.constant(null),
  fc.constantFrom(
    withOwnKey('__proto__', { polluted: true }),
    { constructor: { prototype: { polluted: true } } },
    withOwnKey('__proto__', []),
    [withOwnKey('__proto__', { admin: true })],
    { toString: 'x', valueOf: 1, hasOwnProperty: 'y' },
    [],
    {},
    [[[[[[[[[[[]]]]]]]]]]],
    { text: { text: { text: 'x' } } },
    { key: 'summary', title: 'Summary', markdown: 'm' },
  ),
  fc.array(fc.jsonValue({ maxDepth: 2 }), { maxLength: 5 }),
  fc.jsonValue({ maxDepth: 3 }),
);

/** Every path to a value inside a JSON value (objects and arrays). */
function pathsOf(value: unknown, prefix: Array<string | number> = []) {
  const paths: Array<Array<string | number>> = [];
  if (Array.isArray(value)) {
    value.forEach((child, i) => {
      paths.push([...prefix, i], ...pathsOf(child, [...prefix, i]));
    });
  } else if (value && typeof value === 'object') {
    for (const [key, child] of Object.entries(value)) {
      paths.push([...prefix, key], ...pathsOf(child, [...prefix, key]));
    }
  }
  return paths;
}

/** A copy of `value` with the value at `path` replaced (or a key added). */
function replaceAt(
  value: unknown,
  path: Array<string | number>,
  replacement: unknown,
): unknown {
  if (path.length === 0) return replacement;
  const [head, ...rest] = path;
  const copy: any = Array.isArray(value)
    ? [...value]
    : Object.assign({}, value as object);
  const next = replaceAt(
    value && typeof value === 'object' ? (value as any)[head] : undefined,
    rest,
    replacement,
  );
  if (Array.isArray(copy)) {
    copy[head as number] = next;
    return copy;
  }
  Object.defineProperty(copy, head, {
    value: next,
    enumerable: true,
    writable: true,
    configurable: true,
  });
  return copy;
}

/** What a request sends as its body. */
type Body =
  | { kind: 'none' }
  | { kind: 'json'; json: unknown }
  | { kind: 'raw'; raw: string };

/**
 * Bodies for a route whose valid body is `valid`: mostly near-valid ones (one
 * field, at any depth, replaced or an extra key added), some arbitrary JSON,
 * some that are not JSON, and the valid body itself.
 */
function bodies(valid: unknown): fc.Arbitrary<Body> {
  const paths = pathsOf(valid);
  const nearValid = fc
    .tuple(
      fc.oneof(
        {
          weight: 4,
          arbitrary: fc.constantFrom(...(paths.length ? paths : [[]])),
        },
        fc
          .constantFrom('__proto__', 'constructor', 'prototype', 'unknown', '')
          .map(key => [key]),
      ),
      hostileValue,
    )
    .map(
      ([path, value]): Body => ({
        kind: 'json',
        json: replaceAt(valid, path, value),
      }),
    );
  return fc.oneof(
    { weight: 6, arbitrary: nearValid },
    {
      weight: 2,
      arbitrary: fc
        .jsonValue({ maxDepth: 4 })
        .map((json): Body => ({ kind: 'json', json })),
    },
    {
      weight: 1,
      arbitrary: fc
        .constantFrom('{', '{"a":', '[1,]', 'nul', '"\\ud800"', '{"a":1}}')
        .map((raw): Body => ({ kind: 'raw', raw })),
    },
    { weight: 1, arbitrary: fc.constant<Body>({ kind: 'none' }) },
    { weight: 3, arbitrary: fc.constant<Body>({ kind: 'json', json: valid }) },
  );
}

/** Path segments that are not ids: encoded arbitrary text, or raw and malformed escapes. */
const hostileSegment = fc.oneof(
  fc
    .oneof(hostileString, fc.string({ unit: 'grapheme', maxLength: 20 }))
    .filter(s => s.length > 0)
    .map(encode),
  fc.stringMatching(/^[A-Za-z0-9%._~:-]{1,30}$/),
  fc.constantFrom(
    '%',
    '%zz',
    '%E0%A4%A',
    '%C0%AF',
    '%FF',
    '%00',
    '.',
    '..',
    '-1',
    '0',
    '99999999999',
    'INC-0',
    'INC-999999999',
    '1e3',
    '0x10',
    'x'.repeat(300),
    "1'%20OR%20'1'%3D'1",
  ),
);

const segment = (...valid: string[]) =>
  fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(...valid) },
    { weight: 1, arbitrary: hostileSegment },
  );

/** Query strings: known keys with valid or hostile values, qs brackets, repeats. */
function queries(known: Record<string, string[]>): fc.Arbitrary<string> {
  const keys = Object.keys(known);
  const pair = fc.oneof(
    {
      weight: 3,
      arbitrary: fc
        .constantFrom(...keys)
        .chain(key =>
          fc.tuple(
            fc.constant(key),
            fc.oneof(fc.constantFrom(...known[key]), hostileString),
          ),
        )
        .map(([key, value]) => `${key}=${encode(value)}`),
    },
    {
      weight: 1,
      arbitrary: fc
        .tuple(
          fc.constantFrom(...keys, '__proto__', 'constructor'),
          fc.constantFrom(
            '[]',
            '[$ne]',
            '[0]',
            '[a][b][c][d][e][f]',
            '[prototype][polluted]',
            '[toString]',
          ),
          hostileSegment,
        )
        .map(([key, brackets, value]) => `${key}${brackets}=${value}`),
    },
    {
      weight: 1,
      arbitrary: fc.constantFrom('%', '=', '&&', 'page', 'limit=', '%zz=1'),
    },
  );
  return fc
    .array(pair, { maxLength: 4 })
    .map(pairs => (pairs.length ? `?${pairs.join('&')}` : ''));
}

const ifMatch = fc.oneof(
  { weight: 3, arbitrary: fc.constant(undefined) },
  {
    weight: 1,
    arbitrary: fc.oneof(
      fc.constantFrom('"1"', 'W/"2"', '3', '*', '"999999999999"', '-1', ''),
      fc.string({ unit: 'grapheme-ascii', maxLength: 12 }),
    ),
  },
);

// ---------------------------------------------------------------------------
// Routes and what their accepted answers may change

type Delta = Partial<Record<Table, number | [min: number, max: number]>>;

interface Call {
  route: string;
  method: 'get' | 'post' | 'patch' | 'delete';
  path: string;
  body: Body;
  ifMatch?: string;
}

interface Answer {
  status: number;
  body: any;
}

interface Route {
  name: string;
  method: Call['method'];
  /** The request: its path with params and query, and any body. */
  call: fc.Arbitrary<Omit<Call, 'route' | 'method'>>;
  /**
   * For an accepted answer: how the row counts change (tables not named do
   * not change), and which post-mortem may change (its stored content and
   * version must then be the answer's).
   */
  explain?: (
    call: Call,
    answer: Answer,
    before: State,
  ) => { counts: Delta; postmortem?: string };
}

function checkAnswer(call: Call, answer: Answer): string | undefined {
  const { status, body } = answer;
  if (status === 431) {
    // Node's HTTP server refuses a URL over 16 KB before the app sees it.
    return undefined;
  }
  if (status >= 500) {
    // Documented: asking for a model when none is configured is a 503.
    const bodyJson = call.body.kind === 'json' ? (call.body.json as any) : {};
    if (
      status === 503 &&
      body?.error?.code === 'ai_not_configured' &&
      bodyJson?.provider === 'openai'
    ) {
      return undefined;
    }
    return `a ${status}`;
  }
  if (status >= 400) {
    const error = body?.error;
    if (typeof error?.code !== 'string' || typeof error?.message !== 'string') {
      return `a ${status} without the error envelope`;
    }
    if (error.code === 'validation_error') {
      const fields = error.details?.fields;
      if (!Array.isArray(fields) || fields.length === 0) {
        return 'a validation error that names no field';
      }
      for (const { field } of fields) {
        if (
          typeof field !== 'string' ||
          !field ||
          !error.message.includes(field)
        )
          return `a validation error whose message does not name ${field}`;
      }
    }
  }
  return undefined;
}

function checkChanges(
  route: Route,
  call: Call,
  answer: Answer,
  before: State,
  after: State,
): string | undefined {
  const accepted = answer.status >= 200 && answer.status < 300;
  const explained =
    accepted && route.explain
      ? route.explain(call, answer, before)
      : { counts: {} };
  for (const table of TABLES) {
    const delta = after.counts[table] - before.counts[table];
    const expected = explained.counts[table] ?? 0;
    const [min, max] = Array.isArray(expected)
      ? expected
      : [expected, expected];
    if (delta < min || delta > max) {
      return `${table} changed by ${delta}, expected ${
        min === max ? min : `${min}..${max}`
      } for a ${answer.status}`;
    }
  }
  for (const [id, now] of after.postmortems) {
    const then = before.postmortems.get(id);
    if (then && then.version === now.version && then.content === now.content)
      continue;
    if (explained.postmortem !== id) {
      return `post-mortem ${id} changed (version ${then?.version} -> ${now.version}) on a ${answer.status}`;
    }
    if (now.version !== answer.body.version) {
      return `post-mortem ${id} stored version ${now.version}, answered ${answer.body.version}`;
    }
    if (now.content !== answer.body.content) {
      return `post-mortem ${id} stored other content than it answered`;
    }
    if (then && now.version <= then.version) {
      return `post-mortem ${id} changed without a new version`;
    }
  }
  return undefined;
}

async function send(server: unknown, call: Call): Promise<Answer> {
  let req = (request(server as any) as any)
    [call.method](`${V1}${call.path}`)
    .set(as(ALICE));
  if (call.ifMatch !== undefined) req = req.set('If-Match', call.ifMatch);
  if (call.body.kind !== 'none') {
    req = req
      .set('Content-Type', 'application/json')
      .send(
        call.body.kind === 'raw'
          ? call.body.raw
          : JSON.stringify(call.body.json),
      );
  }
  const res = await req;
  return { status: res.status, body: res.body };
}

/** Every status a group of routes answered. */
function statusesOf(statuses: Record<string, number[]>): number[] {
  return [...new Set(Object.values(statuses).flat())];
}

/** encodeURIComponent, with lone surrogates (which it throws on) replaced. */
function encode(text: string): string {
  return encodeURIComponent(
    text.replace(
      /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g,
      '\ufffd',
    ),
  );
}

function describeCall(call: Call): string {
  let body = '';
  if (call.body.kind === 'raw') body = call.body.raw;
  if (call.body.kind === 'json')
    body = JSON.stringify(call.body.json) ?? 'undefined';
  return `${call.route}: ${call.method.toUpperCase()} ${call.path.slice(
    0,
    300,
  )}${call.ifMatch !== undefined ? ` If-Match: ${call.ifMatch}` : ''} ${
    body.length > 300 ? `${body.slice(0, 300)}… (${body.length} chars)` : body
  }`;
}

/** Runs the routes' requests against the server, checking both properties after each. */
async function fuzz(
  server: unknown,
  knex: Knex,
  routes: Route[],
): Promise<Record<string, number[]>> {
  const statuses: Record<string, number[]> = {};
  let state = await snapshot(knex);
  const byName = new Map(routes.map(route => [route.name, route]));
  const call = fc.constantFrom(...routes).chain(route =>
    route.call.map((c): Call => {
      const made: Call = { ...c, route: route.name, method: route.method };
      // What fast-check prints for a counterexample.
      return Object.assign(made, {
        [fc.toStringMethod]: () => describeCall(made),
      });
    }),
  );
  await fc.assert(
    fc.asyncProperty(call, async c => {
      const answer = await send(server, c);
      const route = byName.get(c.route)!;
      (statuses[route.name] ??= []).push(answer.status);
      if (process.env.POSTMORTEMS_FUZZ_DEBUG) {
        // eslint-disable-next-line no-console
        console.log(`${describeCall(c).slice(0, 300)} -> ${answer.status}`);
      }
      const after = await snapshot(knex);
      const before = state;
      state = after;
      const problem =
        checkAnswer(c, answer) ?? checkChanges(route, c, answer, before, after);
      if (problem) {
        throw new Error(
          `${problem}\n  request: ${describeCall(c)}\n  answer: ${
            answer.status
          } ${JSON.stringify(answer.body).slice(0, 500)}`,
        );
      }
    }),
    { seed: SEED, numRuns: RUNS * routes.length, endOnFailure: true },
  );
  return statuses;
}

// ---------------------------------------------------------------------------

describe.each(databases.eachSupportedId())('router fuzz on %p', databaseId => {
  let knex: Knex;
  let server: Awaited<ReturnType<typeof startPostmortemsBackend>>['server'];

  beforeAll(async () => {
    knex = await databases.init(databaseId);
    ({ server } = await startPostmortemsBackend(knex));
  });

  const api = () => testApi(server);

  const validIncident = {
    title: 'Checkout failing',
    severity: 'high',
    description: 'Card payments fail',
    commander: ALICE,
    services: ['component:default/checkout-api'],
    chat: { provider: 'slack', channel_id: 'C123', thread_ts: '1.2' },
  };

  /** A resolved incident with a draft post-mortem, an action item and a comment. */
  async function fixture() {
    const created = await api().post('/incidents', validIncident);
    expect(created.status).toBe(201);
    const incident = created.body;
    expect(
      (await api().patch(`/incidents/${incident.id}`, { status: 'resolved' }))
        .status,
    ).toBe(200);
    expect(
      (await api().post(`/incidents/${incident.id}/postmortem`)).status,
    ).toBe(201);
    const item = await api().post(
      `/incidents/${incident.id}/postmortem/action-items`,
      { title: 'Alert on certificate expiry' },
    );
    expect(item.status).toBe(201);
    const comment = await api().post(
      `/incidents/${incident.id}/postmortem/comments`,
      { body: 'Was the threshold right?' },
    );
    expect(comment.status).toBe(201);
    const bare = (
      await api().post('/incidents', {
        title: 'No post-mortem',
        severity: 'low',
      })
    ).body;
    await api().patch(`/incidents/${bare.id}`, { status: 'resolved' });
    return {
      ids: [
        incident.id as string,
        String(incident.number),
        incident.reference as string,
      ],
      bareId: bare.id as string,
      itemId: item.body.id as string,
      commentId: comment.body.id as string,
    };
  }

  const postmortemOf = (answer: Answer) => answer.body.id as string;

  it('incident and timeline writes', async () => {
    const fx = await fixture();
    const id = segment(...fx.ids, fx.bareId);
    const importDocument = {
      incident: {
        title: 'Imported outage',
        severity: 'critical',
        status: 'resolved',
        services: ['component:default/payments-service'],
        source: 'pagerduty',
        external_id: 'PD-1',
        triggered_at: '2026-10-01T10:00:00Z',
        resolved_at: '2026-10-01T12:00:00Z',
      },
      timeline: [
        {
          type: 'status_changed',
          timestamp: '2026-10-01T12:00:00Z',
          content: { from: 'triggered', to: 'resolved' },
        },
      ],
      alerts: [
        {
          source: 'prometheus',
          severity: 'critical',
          title: 'PaymentsDown',
          labels: { team: 'payments' },
          fired_at: '2026-10-01T09:58:00Z',
        },
      ],
    };
    const statuses = await fuzz(server, knex, [
      {
        name: 'create incident',
        method: 'post',
        call: bodies(validIncident).map(body => ({ path: '/incidents', body })),
        explain: (_c, a) => ({
          counts: {
            incidents: 1,
            incident_services: a.body.services.length,
            timeline_entries: a.body.commander ? 2 : 1,
          },
        }),
      },
      {
        name: 'import incident',
        method: 'post',
        call: bodies(importDocument).map(body => ({
          path: '/incidents/import',
          body,
        })),
        explain: (c, a) => {
          const doc = (c.body as { json: any }).json;
          const alerts = doc.alerts?.length ?? 0;
          return {
            counts: {
              incidents: 1,
              incident_services: a.body.services.length,
              timeline_entries: doc.timeline.length,
              alerts,
              incident_alerts: alerts,
            },
          };
        },
      },
      {
        name: 'patch incident',
        method: 'patch',
        call: fc
          .tuple(
            id,
            bodies({
              status: 'acknowledged',
              severity: 'critical',
              summary: 'Fixed',
              commander: 'user:default/bob',
              title: 'New title',
              description: null,
              services: ['component:default/a', 'component:default/b'],
              chat: null,
            }),
          )
          .map(([i, body]) => ({ path: `/incidents/${i}`, body })),
        explain: (_c, a, before) => {
          const then = before.incidents.get(a.body.id)!;
          const entries =
            Number(then.status !== a.body.status) +
            Number(then.severity !== a.body.severity) +
            Number(then.commander !== (a.body.commander ?? null));
          return {
            counts: {
              timeline_entries: entries,
              incident_services: a.body.services.length - then.services,
            },
          };
        },
      },
      {
        name: 'add timeline message',
        method: 'post',
        call: fc
          .tuple(id, bodies({ type: 'message', content: { text: 'Paged' } }))
          .map(([i, body]) => ({ path: `/incidents/${i}/timeline`, body })),
        explain: () => ({ counts: { timeline_entries: 1 } }),
      },
      {
        name: 'refresh incident',
        method: 'post',
        call: fc
          .tuple(id, bodies({}))
          .map(([i, body]) => ({ path: `/incidents/${i}/refresh`, body })),
        explain: () => ({ counts: {} }),
      },
      {
        name: 'upstream sync and provider test',
        method: 'post',
        call: fc
          .tuple(
            fc.constantFrom('/upstream/sync', '/system/provider/test'),
            bodies({}),
          )
          .map(([path, body]) => ({ path, body })),
        explain: () => ({ counts: {} }),
      },
    ]);
    // The fuzz must reach the services, not only the validation.
    expect(statusesOf(statuses)).toEqual(expect.arrayContaining([200, 201]));
  });

  it('post-mortem writes and drafting', async () => {
    const fx = await fixture();
    const id = segment(...fx.ids, fx.bareId);
    const postmortemPatch = {
      version: 1,
      sections: [
        { key: 'summary', title: 'Summary', markdown: 'Payments failed.' },
      ],
    };
    const explainPatch: Route['explain'] = (_c, a, before) => {
      const then = before.postmortems.get(postmortemOf(a))!;
      return {
        counts: {
          postmortem_revisions: a.body.version - then.version,
          timeline_entries:
            then.status !== 'published' && a.body.status === 'published'
              ? 1
              : 0,
        },
        postmortem: postmortemOf(a),
      };
    };
    const explainDraft: Route['explain'] = (_c, a, before) => {
      if (a.status !== 200) {
        throw new Error(`a ${a.status}: the draft job outlived the wait`);
      }
      const then = before.postmortems.get(postmortemOf(a));
      return {
        counts: {
          generation_jobs: 1,
          postmortems: then ? 0 : 1,
          postmortem_revisions: a.body.version - (then?.version ?? 0),
          timeline_entries: then ? 0 : 1,
          action_items: a.body.action_items.length - (then?.items ?? 0),
        },
        postmortem: postmortemOf(a),
      };
    };
    const statuses = await fuzz(server, knex, [
      {
        name: 'create post-mortem',
        method: 'post',
        call: fc
          .tuple(id, bodies({}))
          .map(([i, body]) => ({ path: `/incidents/${i}/postmortem`, body })),
        explain: (_c, a) => ({
          counts: {
            postmortems: 1,
            postmortem_revisions: 1,
            timeline_entries: 1,
          },
          postmortem: postmortemOf(a),
        }),
      },
      {
        name: 'patch post-mortem (sections)',
        method: 'patch',
        call: fc
          .tuple(id, bodies(postmortemPatch), ifMatch)
          .map(([i, body, header]) => ({
            path: `/incidents/${i}/postmortem`,
            body,
            ifMatch: header,
          })),
        explain: explainPatch,
      },
      {
        name: 'patch post-mortem (content, status)',
        method: 'patch',
        call: fc
          .tuple(
            id,
            bodies({
              content: '# T\n\n## Summary\n\nPayments failed.',
              status: 'published',
              override_findings: true,
            }),
            ifMatch,
          )
          .map(([i, body, header]) => ({
            path: `/incidents/${i}/postmortem`,
            body,
            ifMatch: header,
          })),
        explain: (c, a, before) => {
          const sent = c.body.kind === 'json' ? (c.body.json as any) : {};
          // What was accepted is stored exactly, not a mangled version of it.
          if (
            typeof sent?.content === 'string' &&
            a.body.content !== sent.content
          ) {
            throw new Error('the accepted content was stored differently');
          }
          return explainPatch(c, a, before);
        },
      },
      ...(['generate', 'enhance', 'sections/summary/regenerate'] as const).map(
        (action): Route => ({
          name: action,
          method: 'post',
          call: fc
            .tuple(
              id,
              action.startsWith('sections')
                ? segment('summary', 'root_cause', 'no_such_section')
                : fc.constant('summary'),
              bodies({ provider: 'deterministic' }),
            )
            .map(([i, key, body]) => ({
              path: `/incidents/${i}/postmortem/${action.replace(
                'summary',
                key,
              )}`,
              body,
            })),
          explain: explainDraft,
        }),
      ),
    ]);
    expect(statusesOf(statuses)).toEqual(
      expect.arrayContaining([200, 201, 409]),
    );
  });

  it('action items and comments', async () => {
    const fx = await fixture();
    const id = segment(...fx.ids);
    const item = {
      description: 'Rotate certificates',
      title: 'Rotate certificates',
      owner: 'group:default/sre',
      due_date: '2026-12-01',
      status: 'in_progress',
      category: 'prevention',
      external_url: 'https://tracker.example.com/SRE-1',
      accepted: true,
    };
    const statuses = await fuzz(server, knex, [
      {
        name: 'create action item',
        method: 'post',
        call: fc.tuple(id, bodies(item)).map(([i, body]) => ({
          path: `/incidents/${i}/postmortem/action-items`,
          body,
        })),
        explain: () => ({
          counts: { action_items: 1, action_item_reminders: [0, 1] },
        }),
      },
      {
        name: 'patch action item',
        method: 'patch',
        call: fc
          .tuple(id, segment(fx.itemId), bodies(item))
          .map(([i, itemId, body]) => ({
            path: `/incidents/${i}/postmortem/action-items/${itemId}`,
            body,
          })),
        explain: () => ({ counts: { action_item_reminders: [0, 1] } }),
      },
      {
        name: 'delete action item',
        method: 'delete',
        call: fc
          .tuple(id, segment(fx.itemId), bodies({}))
          .map(([i, itemId, body]) => ({
            path: `/incidents/${i}/postmortem/action-items/${itemId}`,
            body,
          })),
        explain: () => ({
          counts: { action_items: -1, action_item_reminders: [-10, 0] },
        }),
      },
      {
        name: 'add comment',
        method: 'post',
        call: fc
          .tuple(id, bodies({ body: 'Was the alert threshold right?' }))
          .map(([i, body]) => ({
            path: `/incidents/${i}/postmortem/comments`,
            body,
          })),
        explain: () => ({ counts: { postmortem_comments: 1 } }),
      },
      {
        name: 'delete comment',
        method: 'delete',
        call: fc
          .tuple(id, segment(fx.commentId), bodies({}))
          .map(([i, commentId, body]) => ({
            path: `/incidents/${i}/postmortem/comments/${commentId}`,
            body,
          })),
        explain: () => ({ counts: { postmortem_comments: -1 } }),
      },
    ]);
    expect(statusesOf(statuses)).toEqual(expect.arrayContaining([201]));
  });

  it('templates', async () => {
    const created = await api().post('/post-mortem-templates', {
      name: `Fuzz ${databaseId}`,
      sections: [{ title: 'Impact' }],
    });
    expect(created.status).toBe(201);
    const builtin = (await api().get('/post-mortem-templates')).body.data.find(
      (t: any) => t.is_builtin,
    );
    const templateId = segment(created.body.id, builtin.id);
    const template = {
      name: 'Payments',
      description: 'For payment incidents',
      sections: [
        {
          key: 'impact',
          title: 'Customer impact',
          required: true,
          guiding_questions: ['How many payments failed?'],
        },
      ],
      action_item_categories: ['prevention'],
    };
    const statuses = await fuzz(server, knex, [
      {
        name: 'create template',
        method: 'post',
        call: bodies(template).map(body => ({
          path: '/post-mortem-templates',
          body,
        })),
        explain: () => ({ counts: { templates: 1 } }),
      },
      {
        name: 'patch template',
        method: 'patch',
        call: fc.tuple(templateId, bodies(template)).map(([t, body]) => ({
          path: `/post-mortem-templates/${t}`,
          body,
        })),
        explain: () => ({ counts: {} }),
      },
      {
        name: 'copy template',
        method: 'post',
        call: fc
          .tuple(templateId, bodies({ name: 'Copied' }))
          .map(([t, body]) => ({
            path: `/post-mortem-templates/${t}/copy`,
            body,
          })),
        explain: () => ({ counts: { templates: 1 } }),
      },
      {
        name: 'activate or delete template',
        method: 'post',
        call: fc.tuple(templateId, bodies({})).map(([t, body]) => ({
          path: `/post-mortem-templates/${t}/activate`,
          body,
        })),
        explain: () => ({ counts: {} }),
      },
      {
        name: 'delete template',
        method: 'delete',
        call: fc
          .tuple(templateId, bodies({}))
          .map(([t, body]) => ({ path: `/post-mortem-templates/${t}`, body })),
        explain: () => ({ counts: { templates: -1 } }),
      },
    ]);
    expect(statusesOf(statuses)).toEqual(expect.arrayContaining([200, 201]));
    // Leave the built-in Standard template active for the other tests.
    const standard = (await api().get('/post-mortem-templates')).body.data.find(
      (t: any) => t.name === 'Standard',
    );
    await api().post(`/post-mortem-templates/${standard.id}/activate`);
  });

  it('revisions, exports and reads', async () => {
    const fx = await fixture();
    await api().patch(`/incidents/${fx.ids[0]}/postmortem`, {
      content: '## Summary\n\nSecond version',
    });
    const id = segment(...fx.ids, fx.bareId);
    const version = segment('1', '2', '3');
    const read = (name: string, path: fc.Arbitrary<string>): Route => ({
      name,
      method: 'get',
      call: path.map(p => ({ path: p, body: { kind: 'none' } })),
    });
    const statuses = await fuzz(server, knex, [
      {
        name: 'restore revision',
        method: 'post',
        call: fc
          .tuple(id, version, bodies({ version: 2 }), ifMatch)
          .map(([i, v, body, header]) => ({
            path: `/incidents/${i}/postmortem/revisions/${v}/restore`,
            body,
            ifMatch: header,
          })),
        explain: (_c, a) => ({
          counts: { postmortem_revisions: 1 },
          postmortem: postmortemOf(a),
        }),
      },
      read(
        'revisions',
        id.map(i => `/incidents/${i}/postmortem/revisions`),
      ),
      read(
        'revision',
        fc
          .tuple(id, version)
          .map(([i, v]) => `/incidents/${i}/postmortem/revisions/${v}`),
      ),
      read(
        'diff',
        fc
          .tuple(id, version, queries({ against: ['1', '2', '0', '-1', 'x'] }))
          .map(
            ([i, v, q]) => `/incidents/${i}/postmortem/revisions/${v}/diff${q}`,
          ),
      ),
      read(
        'export',
        fc
          .tuple(id, queries({ format: ['json', 'markdown', 'pdf', ''] }))
          .map(([i, q]) => `/incidents/${i}/postmortem/export${q}`),
      ),
      read(
        'incident reads',
        fc
          .tuple(
            id,
            fc.constantFrom(
              '',
              '/postmortem',
              '/alerts',
              '/postmortem/comments',
            ),
          )
          .map(([i, suffix]) => `/incidents/${i}${suffix}`),
      ),
      read(
        'timeline',
        fc
          .tuple(id, queries({ page: ['1', '2'], limit: ['1', '100'] }))
          .map(([i, q]) => `/incidents/${i}/timeline${q}`),
      ),
      read(
        'by id',
        fc
          .tuple(
            fc.constantFrom(
              '/alerts/',
              '/post-mortem-templates/',
              '/generation-jobs/',
            ),
            hostileSegment,
            fc.constantFrom('', '/events'),
          )
          .map(([prefix, i, suffix]) =>
            // The event stream of an unknown job is a 404 before it streams.
            prefix === '/generation-jobs/'
              ? `${prefix}${i}${suffix}`
              : `${prefix}${i}`,
          ),
      ),
    ]);
    expect(statusesOf(statuses)).toEqual(
      expect.arrayContaining([200, 400, 404]),
    );
  });

  it('org-wide list queries', async () => {
    await fixture();
    const page = { page: ['1', '2', '1000000'], limit: ['1', '20', '100'] };
    const read = (
      name: string,
      path: string,
      query: Record<string, string[]>,
    ) =>
      ({
        name,
        method: 'get',
        call: queries({ ...page, ...query }).map(q => ({
          path: `${path}${q}`,
          body: { kind: 'none' },
        })),
      } as Route);
    const statuses = await fuzz(server, knex, [
      read('incidents', '/incidents', {
        status: ['resolved', 'triggered,acknowledged', 'exploded'],
        severity: ['high', 'low,critical'],
        created_after: ['2026-01-01T00:00:00Z', 'yesterday'],
        created_before: ['2999-01-01T00:00:00+02:00'],
        entity_ref: ['component:default/checkout-api', 'not a ref'],
      }),
      read('postmortems', '/postmortems', {
        status: ['draft', 'published,draft'],
        severity: ['high'],
        entity_ref: ['component:default/checkout-api'],
        entityRef: ['component:default/checkout-api'],
      }),
      read('action items', '/action-items', {
        owner: ['alice', 'group:default/sre,user:default/bob'],
        status: ['open', 'closed', 'done,in_progress'],
        overdue: ['true', 'false', 'maybe'],
        entity_ref: ['component:default/checkout-api'],
        entityRef: ['component:default/checkout-api'],
      }),
      read('alerts', '/alerts', {}),
      read('templates', '/post-mortem-templates', {}),
      read('provider', '/system/provider', {}),
      read('upstream', '/upstream', {}),
    ]);
    expect(statusesOf(statuses)).toEqual(expect.arrayContaining([200, 400]));
  });

  // Values the fuzz found, kept as plain regressions: each was accepted (or
  // crashed) and stored differently on one of the databases.
  it('stores exactly what it accepts, or refuses it naming the field', async () => {
    const fx = await fixture();
    const postmortem = `/incidents/${fx.ids[0]}/postmortem`;
    const surrogate = await api().patch(postmortem, {
      content: '## Summary\n\na\ud800b',
    });
    expect(surrogate.status).toBe(400);
    expect(surrogate.body.error.details.fields[0].field).toBe('body.content');

    const items = `${postmortem}/action-items`;
    const longOwner = await api().post(items, {
      title: 'x',
      owner: 'a'.repeat(255),
    });
    expect(longOwner.status).toBe(400);
    expect(longOwner.body.error.details.fields[0].field).toBe('body.owner');
    const fullRef = `group:default/${'a'.repeat(241)}`;
    const fits = await api().post(items, { title: 'x', owner: fullRef });
    expect(fits.status).toBe(201);
    expect(fits.body.owner).toBe(fullRef);

    const malformed = await api().get('/incidents/%E0%A4%A');
    expect(malformed.status).toBe(400);
    expect(malformed.body.error.code).toBe('bad_request');
  });

  describe('oversized and deeply nested bodies', () => {
    const limit = 10 * 1024 * 1024;

    it('answers a body just over 10 MB with 413 payload_too_large', async () => {
      const prefix = '{"title":"';
      const suffix = '","severity":"low"}';
      const over = `${prefix}${'x'.repeat(
        limit + 1 - prefix.length - suffix.length,
      )}${suffix}`;
      expect(Buffer.byteLength(over)).toBe(limit + 1);
      const before = await snapshot(knex);
      const res = await request(server)
        .post(`${V1}/incidents`)
        .set(as(ALICE))
        .set('Content-Type', 'application/json')
        .send(over);
      expect(res.status).toBe(413);
      expect(res.body.error).toMatchObject({ code: 'payload_too_large' });

      // Exactly at the limit the body is read, and the title is too long.
      const at = over.slice(0, prefix.length) + over.slice(prefix.length + 1);
      expect(Buffer.byteLength(at)).toBe(limit);
      const atLimit = await request(server)
        .post(`${V1}/incidents`)
        .set(as(ALICE))
        .set('Content-Type', 'application/json')
        .send(at);
      expect(atLimit.status).toBe(400);
      expect(atLimit.body.error.details.fields[0].field).toBe('body.title');
      expect((await snapshot(knex)).counts).toEqual(before.counts);
    });

    const nested = (depth: number, open: string, close: string, leaf = '1') =>
      `${open.repeat(depth)}${leaf}${close.repeat(depth)}`;

    it.each([10_000, 1_000_000])(
      'answers JSON nested %p levels deep with a 4xx',
      async depth => {
        const fx = await fixture();
        const before = await snapshot(knex);
        const cases: Array<[string, string, string]> = [
          ['post', '/incidents', nested(depth, '[', ']')],
          ['post', '/incidents', nested(depth, '{"a":', '}')],
          [
            'patch',
            `/incidents/${fx.ids[0]}/postmortem`,
            `{"content":"x","sections":${nested(depth, '[', ']')}}`,
          ],
          // Timeline content is free-form JSON: the one place depth could get in.
          [
            'post',
            '/incidents/import',
            JSON.stringify({
              incident: {
                title: 'Deep',
                severity: 'low',
                status: 'resolved',
                triggered_at: '2026-10-01T10:00:00Z',
              },
              timeline: [
                {
                  type: 'message',
                  timestamp: '2026-10-01T10:00:00Z',
                  content: { text: 'x' },
                },
              ],
            }).replace(
              '{"text":"x"}',
              `{"text":${nested(depth, '{"a":', '}', '"x"')}}`,
            ),
          ],
        ];
        for (const [method, path, raw] of cases) {
          const res = await (request(server) as any)
            [method](`${V1}${path}`)
            .set(as(ALICE))
            .set('Content-Type', 'application/json')
            .send(raw);
          expect({ path, status: res.status }).toEqual({
            path,
            status: expect.any(Number),
          });
          expect(res.status).toBeGreaterThanOrEqual(400);
          expect(res.status).toBeLessThan(500);
          expect(typeof res.body.error?.code).toBe('string');
        }
        expect((await snapshot(knex)).counts).toEqual(before.counts);
        // The server is still there.
        expect(
          (await request(server).get('/api/postmortems/health')).status,
        ).toBe(200);
      },
    );
  });
});
