import { Knex } from 'knex';
import {
  createTestDatabases,
  MALLORY,
  testApi,
  TestApi,
} from '@internal/postmortems-test-utils';
import { startPostmortemsBackend } from '../__testUtils__/testBackend';

jest.setTimeout(120_000);

const databases = createTestDatabases();

const PAYMENTS = 'component:default/payments-service';
const LEDGER = 'component:default/ledger-service';
const CHECKOUT = 'component:default/checkout-web';
const SEARCH = 'component:default/search-service';
const INDEXER = 'component:default/search-indexer';
const SYSTEM = 'system:default/payments';

/** Payments depends on the ledger and is part of the payments system, with checkout. */
const ENTITIES = [
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name: 'payments-service', namespace: 'default' },
    spec: { owner: 'group:default/team-payments' },
    relations: [
      { type: 'dependsOn', targetRef: LEDGER },
      { type: 'partOf', targetRef: SYSTEM },
    ],
  },
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name: 'ledger-service', namespace: 'default' },
    spec: { owner: 'group:default/team-ledger' },
    relations: [{ type: 'dependencyOf', targetRef: PAYMENTS }],
  },
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name: 'checkout-web', namespace: 'default' },
    spec: { owner: 'group:default/team-checkout' },
    relations: [{ type: 'partOf', targetRef: SYSTEM }],
  },
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name: 'search-service', namespace: 'default' },
    spec: { owner: 'group:default/team-search' },
  },
];

let nextNumber = 7000;

const hoursAfterStart = (hours: number) =>
  new Date(Date.UTC(2026, 0, 1) + hours * 3_600_000).toISOString();

/** An incident of `services` whose post-mortem states `rootCause`, published unless told. */
async function writeUp(
  api: TestApi,
  options: {
    title: string;
    services: string[];
    rootCause?: string;
    factors?: string;
    publish?: boolean;
  },
) {
  nextNumber += 1;
  const imported = await api.post('/incidents/import', {
    incident: {
      number: nextNumber,
      title: options.title,
      severity: 'high',
      status: 'resolved',
      services: options.services,
      triggered_at: hoursAfterStart(nextNumber),
      resolved_at: hoursAfterStart(nextNumber + 0.5),
    },
    timeline: [],
  });
  expect(imported.status).toBe(201);
  const incident = imported.body;
  const path = `/incidents/${incident.id}/postmortem`;
  if (options.rootCause === undefined) return { incident, path };
  const created = await api.post(path, {});
  expect(created.status).toBe(201);
  const written = await api.patch(path, {
    version: created.body.version,
    content: [
      `# ${options.title}`,
      '## Summary',
      `${options.title}.`,
      '## Root cause',
      options.rootCause,
      '## Contributing factors',
      options.factors ?? 'None known.',
    ].join('\n\n'),
  });
  expect(written.status).toBe(200);
  if (options.publish !== false) {
    const published = await api.patch(path, {
      version: written.body.version,
      status: 'published',
      override_findings: true,
    });
    expect(published.status).toBe(200);
  }
  return { incident, path };
}

describe.each(databases.eachSupportedId())(
  'related post-mortems on %p',
  databaseId => {
    let knex: Knex;
    let server: any;
    let api: TestApi;
    const refs: Record<string, string> = {};

    beforeAll(async () => {
      knex = await databases.init(databaseId);
      ({ server } = await startPostmortemsBackend(knex, {
        entities: ENTITIES as any,
      }));
      api = testApi(server);
      const write = async (
        name: string,
        options: Parameters<typeof writeUp>[1],
      ) => {
        const { incident } = await writeUp(api, options);
        refs[name] = incident.reference;
        return incident;
      };
      await write('samePayments', {
        title: 'Checkout payments timing out',
        services: [PAYMENTS],
        rootCause:
          'The database connection pool of the payments database was exhausted by a slow migration.',
      });
      await write('ledger', {
        title: 'Ledger writes delayed',
        services: [LEDGER],
        rootCause: 'A full vacuum locked the ledger table for twenty minutes.',
      });
      await write('checkout', {
        title: 'Checkout page blank',
        services: [CHECKOUT],
        rootCause:
          'A bundle with a syntax error was served from the CDN cache.',
      });
      await write('certificate', {
        title: 'Search unavailable',
        services: [SEARCH],
        rootCause:
          'The TLS certificate of the search cluster expired: its renewal job had been failing silently for weeks.',
        factors:
          'Nobody was alerted when the certificate renewal failed; expiry dates were not monitored.',
      });
      await write('unrelated', {
        title: 'Indexer lagging',
        services: [INDEXER],
        rootCause:
          'The indexer nodes ran out of disk space after a log level change.',
      });
      await write('paymentsDraft', {
        title: 'Payments retries storm',
        services: [PAYMENTS],
        rootCause:
          'Client retries without backoff overloaded the payments API.',
        publish: false,
      });
    });

    /** The incident being written up: payments, an expired certificate. */
    async function current() {
      return writeUp(api, {
        title: 'Card payments failing',
        services: [PAYMENTS],
        rootCause:
          'The TLS certificate of the payments gateway expired because its renewal automation failed.',
        factors: 'Certificate expiry was not monitored.',
        publish: false,
      });
    }

    it('ranks the same service first and says why each one matched', async () => {
      const { path } = await current();
      const res = await api.get(`${path}/related?limit=20`);
      expect(res.status).toBe(200);
      const data = res.body.data as any[];
      expect(data[0].reference).toBe(refs.samePayments);
      expect(data[0].reasons[0]).toEqual({
        kind: 'same_service',
        service: PAYMENTS,
      });
      const byRef = new Map(data.map(d => [d.reference, d]));
      expect(byRef.get(refs.ledger).reasons).toEqual([
        {
          kind: 'related_service',
          service: LEDGER,
          relation: 'depends_on',
          via: PAYMENTS,
        },
      ]);
      expect(byRef.get(refs.checkout).reasons).toEqual([
        {
          kind: 'related_service',
          service: CHECKOUT,
          relation: 'same_system',
          via: PAYMENTS,
          system: SYSTEM,
        },
      ]);
      const similar = byRef.get(refs.certificate);
      expect(similar.services).toEqual([SEARCH]);
      expect(similar.reasons).toHaveLength(1);
      expect(similar.reasons[0]).toMatchObject({ kind: 'similar_cause' });
      expect(similar.reasons[0].terms).toEqual(
        expect.arrayContaining(['certificate', 'expired']),
      );
      expect(similar.reasons[0].score).toBeGreaterThan(0.12);
      // Same service > related service > similar cause.
      expect(data.map(d => d.reference).slice(0, 4)).toEqual([
        refs.samePayments,
        expect.any(String),
        expect.any(String),
        refs.certificate,
      ]);
      expect(byRef.has(refs.unrelated)).toBe(false);
      for (const item of data) {
        expect(item.score).toBeGreaterThan(0);
        expect(item.postmortem_id).toEqual(expect.any(String));
      }
    });

    it('leaves out drafts and the post-mortem itself, and gives 3 unless asked', async () => {
      const { incident, path } = await current();
      const all = (await api.get(`${path}/related?limit=20`)).body
        .data as any[];
      const references = all.map(d => d.reference);
      expect(references).not.toContain(refs.paymentsDraft);
      expect(references).not.toContain(incident.reference);
      // Other incidents being written up now are drafts too.
      expect(new Set(all.map(d => d.incident_id)).size).toBe(all.length);

      const top = await api.get(`${path}/related`);
      expect(top.body.data).toHaveLength(3);
      expect(top.body.data).toEqual(all.slice(0, 3));
    });

    it('finds a cause by its words alone', async () => {
      const { path } = await writeUp(api, {
        title: 'Login failing',
        services: ['component:default/login-service'],
        rootCause:
          'An expired certificate: the renewal failed and nobody noticed the certificate expiry.',
        publish: false,
      });
      const res = await api.get(`${path}/related?limit=5`);
      expect(res.status).toBe(200);
      expect(res.body.data.map((d: any) => d.reference)).toEqual([
        refs.certificate,
      ]);
      expect(res.body.data[0].reasons[0].terms).toContain('certificate');
    });

    it('answers for an incident without a post-mortem yet from its services and title', async () => {
      const { path } = await writeUp(api, {
        title: 'Certificate expired on the indexer',
        services: [LEDGER],
      });
      const res = await api.get(`${path}/related?limit=20`);
      expect(res.status).toBe(200);
      const kinds = new Map<string, string[]>(
        res.body.data.map((d: any) => [
          d.reference,
          d.reasons.map((r: any) => r.kind),
        ]),
      );
      expect(kinds.get(refs.ledger)).toEqual(['same_service']);
      expect(kinds.get(refs.samePayments)).toEqual(['related_service']);
      expect(kinds.get(refs.certificate)).toEqual(['similar_cause']);
    });

    it('names them in a drafted Root cause, with links and why, and never a draft', async () => {
      const { incident, path } = await writeUp(api, {
        title: 'Card payments failing again',
        services: [PAYMENTS],
      });
      const drafted = await api.post(
        `/incidents/${incident.id}/postmortem/generate`,
      );
      expect(drafted.status).toBe(200);
      const rootCause = drafted.body.sections.find(
        (s: any) => s.key === 'root_cause',
      ).markdown as string;
      expect(rootCause).toContain(
        'Earlier post-mortems that may bear on this one (is it a recurrence?):',
      );
      expect(rootCause).toContain(
        `- [${refs.samePayments}: Checkout payments timing out](/postmortems/incidents/${refs.samePayments}) (Same service: payments-service; `,
      );
      expect(rootCause).not.toContain('Payments retries storm');
      expect(rootCause.match(/^- \[INC-/gm)).toHaveLength(3);
      // Named, not taken as facts: nothing of their causes is in the draft.
      expect(drafted.body.content).not.toContain('connection pool');
      expect((await api.get(path)).status).toBe(200);
    });

    it("compares a blank draft by its incident's title, not by its template's questions", async () => {
      const { path } = await writeUp(api, {
        title: 'Certificate expired on the storefront',
        services: ['component:default/storefront'],
      });
      expect((await api.post(path, {})).status).toBe(201);
      const res = await api.get(`${path}/related?limit=20`);
      expect(res.status).toBe(200);
      expect(res.body.data.map((d: any) => d.reference)).toEqual([
        refs.certificate,
      ]);
      expect(res.body.data[0].reasons[0].terms).toEqual(
        expect.arrayContaining(['certificate', 'expired']),
      );
    });

    it('follows a post-mortem edited after it was read', async () => {
      const { path: otherPath } = await writeUp(api, {
        title: 'Emails late',
        services: ['component:default/mailer'],
        rootCause: 'DNS resolution was slow.',
      });
      const { path } = await writeUp(api, {
        title: 'Queue stuck',
        services: ['component:default/queue-worker'],
        rootCause:
          'A poison message blocked the consumer of the invoices queue.',
        publish: false,
      });
      expect((await api.get(`${path}/related`)).body.data).toEqual([]);

      const other = (await api.get(otherPath)).body;
      expect(other.status).toBe('published');
      const amended = await api.patch(otherPath, {
        version: other.version,
        content: [
          '# Emails late',
          '## Root cause',
          'A poison message blocked the consumer of the invoices queue, as it did for the mailer.',
        ].join('\n\n'),
      });
      expect(amended.status).toBe(200);
      const after = (await api.get(`${path}/related`)).body.data;
      expect(after.map((d: any) => d.incident_id)).toEqual([other.incident_id]);
      // Shared words of equal weight come in alphabetical order.
      expect(after[0].reasons[0].terms).toEqual([
        'blocked',
        'consumer',
        'invoice',
      ]);
    });

    it('gives a reader who may not read drafts only published ones, and no draft of their own', async () => {
      const { path: draftPath } = await current();
      const mallory = testApi(server, MALLORY);
      const denied = await mallory.get(`${draftPath}/related`);
      expect(denied.status).toBe(403);

      const { path } = await writeUp(api, {
        title: 'Payments slow',
        services: [PAYMENTS],
        rootCause: 'A TLS certificate expired on the payments gateway.',
      });
      const res = await mallory.get(`${path}/related?limit=20`);
      expect(res.status).toBe(200);
      const references = res.body.data.map((d: any) => d.reference);
      expect(references).toContain(refs.samePayments);
      expect(references).not.toContain(refs.paymentsDraft);
    });

    it('refuses a bad limit naming the field, and answers 404 for an unknown incident', async () => {
      const { path } = await current();
      for (const limit of ['0', '21', 'three', '2.5']) {
        const res = await api.get(`${path}/related?limit=${limit}`);
        expect(res.status).toBe(400);
        expect(JSON.stringify(res.body.error)).toContain('query.limit');
      }
      const missing = await api.get('/incidents/INC-999999/postmortem/related');
      expect(missing.status).toBe(404);
    });
  },
);
