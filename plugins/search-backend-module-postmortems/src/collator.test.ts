import {
  mockServices,
  startTestBackend,
  TestDatabaseId,
  TestDatabases,
} from '@backstage/backend-test-utils';
import {
  BackendFeature,
  BackstageCredentials,
  coreServices,
  createBackendModule,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { schedulerServiceFactory } from '@backstage/backend-defaults/scheduler';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import searchPlugin from '@backstage/plugin-search-backend';
import searchModulePg from '@backstage/plugin-search-backend-module-pg';
import { searchIndexRegistryExtensionPoint } from '@backstage/plugin-search-backend-node/alpha';
import {
  POSTMORTEM_RESOURCE_TYPE,
  postmortemReadPermission,
} from '@postmortems-oss/backstage-plugin-postmortems-common';
// The real core plugin behind the module, for its tests only.
// eslint-disable-next-line @backstage/no-mixed-plugin-imports
import postmortemsPlugin from '@postmortems-oss/backstage-plugin-postmortems-backend';
import {
  ALICE,
  MALLORY,
  requestAs,
  testApi,
} from '@internal/postmortems-test-utils';
import { searchModulePostmortemsCollator } from './module';
import {
  PostmortemCollatorFactory,
  markdownToPlainText,
  toDocument,
} from './PostmortemCollatorFactory';

jest.setTimeout(60_000);

const FAST_SCHEDULE = {
  frequency: { seconds: 1 },
  timeout: { seconds: 30 },
  initialDelay: { seconds: 0 },
};

/**
 * The real search backend with the post-mortems backend behind it, the
 * collator on a one-second schedule and the given engine or permission
 * features, and helpers to write post-mortems and to search.
 */
async function startSearch(
  features: BackendFeature[],
  options: { permissions?: boolean } = {},
) {
  const { server } = await startTestBackend({
    features: [
      searchPlugin,
      postmortemsPlugin,
      catalogServiceMock.factory({ entities: [] }),
      // The real scheduler, so that the collator runs on its schedule.
      schedulerServiceFactory,
      mockServices.rootConfig.factory({
        data: {
          search: { collators: { postmortems: { schedule: FAST_SCHEDULE } } },
          // Without it, the search backend does not apply visibility permissions.
          permission: { enabled: Boolean(options.permissions) },
        },
      }),
      ...features,
    ],
  });
  const api = testApi(server);

  async function postmortem(
    title: string,
    rootCause: string,
    publish: boolean,
  ) {
    const incident = (
      await api.post('/incidents', {
        title,
        severity: 'high',
        services: ['component:default/payments-service'],
      })
    ).body;
    await api.patch(`/incidents/${incident.id}`, { status: 'resolved' });
    await api.post(`/incidents/${incident.id}/postmortem`, {});
    await api.patch(`/incidents/${incident.id}/postmortem`, {
      sections: [
        { key: 'summary', title: 'Summary', markdown: `${title} summary` },
        { key: 'root_cause', title: 'Root cause', markdown: rootCause },
      ],
    });
    if (publish) {
      const published = await api.patch(
        `/incidents/${incident.id}/postmortem`,
        { status: 'published', override_findings: true },
      );
      expect(published.body.status).toBe('published');
    }
    return incident;
  }

  async function query(term: string, user: string) {
    return requestAs(server, user).get(
      `/api/search/query?term=${term}&types[0]=postmortem`,
    );
  }

  async function search(term: string, user = ALICE): Promise<any[]> {
    const res = await query(term, user);
    expect(res.status).toBe(200);
    return res.body.results;
  }

  /**
   * Searches until `count` results show up: the collator runs every second,
   * and until its first run the engine has no index for the type (an error).
   */
  async function searchUntilFound(term: string, count = 1) {
    let results: any[] = [];
    for (let i = 0; i < 60 && results.length < count; i++) {
      await new Promise(r => setTimeout(r, 500));
      const res = await query(term, ALICE);
      results = res.status === 200 ? res.body.results : [];
    }
    return results;
  }

  return { server, postmortem, search, searchUntilFound };
}

/**
 * Writes one published post-mortem and one draft, then searches for a word of
 * each one's root cause: what the published one should be found as, and what
 * was found for either.
 */
async function searchPublishedAndDraft(
  backend: Awaited<ReturnType<typeof startSearch>>,
) {
  const published = await backend.postmortem(
    'Card payments failing',
    'The processor certificate bundle path changed in 4.18.0.',
    true,
  );
  await backend.postmortem(
    'Secret draft',
    'A zebracorn misconfiguration nobody may read yet.',
    false,
  );
  const expected = {
    type: 'postmortem',
    document: expect.objectContaining({
      title: `${published.reference} Card payments failing`,
      location: `/postmortems/incidents/${published.reference}`,
      severity: 'high',
      services: ['component:default/payments-service'],
      root_cause: 'The processor certificate bundle path changed in 4.18.0.',
    }),
  };
  return {
    expected,
    publishedResults: await backend.searchUntilFound('certificate'),
    draftResults: await backend.search('zebracorn'),
  };
}

describe('the post-mortems collator with the real search backend (Lunr)', () => {
  it('finds a published post-mortem by a word of its root cause and never a draft', async () => {
    const backend = await startSearch([searchModulePostmortemsCollator]);
    const { expected, publishedResults, draftResults } =
      await searchPublishedAndDraft(backend);
    expect(publishedResults).toEqual([expect.objectContaining(expected)]);
    expect(draftResults).toEqual([]);
  });
});

/**
 * The PostgreSQL server of `scripts/ensure-postgres.sh`. As in the backend's
 * tests, POSTMORTEMS_REQUIRE_POSTGRES turns a missing server into a failure;
 * a developer running jest alone without a server skips these tests.
 */
function postgresOnly(): { databases?: TestDatabases; id?: TestDatabaseId } {
  const id = process.env.POSTMORTEMS_TEST_POSTGRES_ID as
    | TestDatabaseId
    | undefined;
  const required = Boolean(process.env.POSTMORTEMS_REQUIRE_POSTGRES);
  if (!id) {
    if (required) {
      throw new Error(
        'PostgreSQL is required for these tests; source scripts/ensure-postgres.sh first',
      );
    }
    return {};
  }
  const databases = TestDatabases.create({ ids: [id] });
  if (!databases.supports(id)) {
    if (required) {
      throw new Error(
        `PostgreSQL (${id}) is required for these tests; source scripts/ensure-postgres.sh first`,
      );
    }
    return {};
  }
  return { databases, id };
}

const postgres = postgresOnly();
const describeOnPostgres = postgres.id ? describe : describe.skip;

describeOnPostgres(
  'the post-mortems collator with the PostgreSQL search engine',
  () => {
    it('finds a published post-mortem by a word of its root cause and never a draft', async () => {
      // A database of its own for each plugin, as in production, where each
      // plugin's migrations run on their own.
      const knexes = {
        search: await postgres.databases!.init(postgres.id!),
        postmortems: await postgres.databases!.init(postgres.id!),
      };
      const backend = await startSearch([
        searchModulePostmortemsCollator,
        searchModulePg,
        createServiceFactory({
          service: coreServices.database,
          deps: { plugin: coreServices.pluginMetadata },
          factory: ({ plugin }) =>
            mockServices.database({
              knex: knexes[plugin.getId() as keyof typeof knexes],
            }),
        }),
      ]);
      const { expected, publishedResults, draftResults } =
        await searchPublishedAndDraft(backend);
      expect(publishedResults).toEqual([expect.objectContaining(expected)]);
      expect(draftResults).toEqual([]);

      // The engine module silently falls back to Lunr on an unsupported
      // database: the documents must really be in PostgreSQL.
      const indexed = await knexes
        .search('documents')
        .where({ type: 'postmortem' })
        .select('document');
      expect(indexed.map(row => row.document.root_cause)).toEqual([
        'The processor certificate bundle path changed in 4.18.0.',
      ]);
    });
  },
);

describe('the visibility permission of post-mortem search results', () => {
  it('hides the results whose incident the policy denies to the searcher', async () => {
    // Filled once the incidents exist; the policy reads it at search time.
    const allowedToMallory = new Set<string>();
    const isMallory = (options: { credentials: BackstageCredentials }) =>
      (options.credentials.principal as { userEntityRef?: string })
        .userEntityRef === MALLORY;
    // Alice may do everything. For mallory, reading post-mortems is
    // conditional, and the condition holds for one incident only.
    const permissions = mockServices.permissions.mock({
      authorizeConditional: async (requests, options) =>
        requests.map(() =>
          isMallory(options)
            ? {
                result: AuthorizeResult.CONDITIONAL,
                pluginId: 'postmortems',
                resourceType: POSTMORTEM_RESOURCE_TYPE,
                conditions: {
                  rule: 'IS_INCIDENT_COMMANDER',
                  resourceType: POSTMORTEM_RESOURCE_TYPE,
                  params: { userRef: MALLORY },
                },
              }
            : { result: AuthorizeResult.ALLOW },
        ),
      authorize: async (requests, options) =>
        requests.map(r => {
          const resourceRef = 'resourceRef' in r ? r.resourceRef : undefined;
          const allowed =
            !isMallory(options) ||
            (resourceRef !== undefined && allowedToMallory.has(resourceRef));
          return {
            result: allowed ? AuthorizeResult.ALLOW : AuthorizeResult.DENY,
          };
        }),
    });
    const collatorWithVisibility = createBackendModule({
      pluginId: 'search',
      moduleId: 'test-postmortems-collator',
      register(env) {
        env.registerInit({
          deps: {
            auth: coreServices.auth,
            discovery: coreServices.discovery,
            scheduler: coreServices.scheduler,
            indexRegistry: searchIndexRegistryExtensionPoint,
          },
          async init({ auth, discovery, scheduler, indexRegistry }) {
            indexRegistry.addCollator({
              schedule: scheduler.createScheduledTaskRunner(FAST_SCHEDULE),
              factory: new PostmortemCollatorFactory({
                auth,
                discovery,
                visibilityPermission: postmortemReadPermission,
              }),
            });
          },
        });
      },
    });
    const backend = await startSearch(
      [collatorWithVisibility, permissions.factory],
      { permissions: true },
    );

    const allowed = await backend.postmortem(
      'Ledger drift',
      'A rounding quirkstone in the ledger export.',
      true,
    );
    const denied = await backend.postmortem(
      'Refund loop',
      'A retry quirkstone in the refund worker.',
      true,
    );
    allowedToMallory.add(allowed.id);

    const all = await backend.searchUntilFound('quirkstone', 2);
    expect(all.map(r => r.document.incident_reference).sort()).toEqual(
      [allowed.reference, denied.reference].sort(),
    );

    // The policy allows mallory only the incident id of the first one, so
    // this also shows that documents name their incident as the resource.
    const forMallory = await backend.search('quirkstone', MALLORY);
    expect(forMallory.map(r => r.document.incident_reference)).toEqual([
      allowed.reference,
    ]);
  });
});

describe('toDocument', () => {
  it('indexes the text of every section without Markdown syntax', () => {
    const doc = toDocument({
      id: 'p1',
      incident_id: 'i1',
      status: 'published',
      content: '',
      sections: [
        {
          key: 'summary',
          title: 'Summary',
          markdown: '**Checkout** failed | badly',
        },
        {
          key: 'root_cause',
          title: 'Root cause',
          markdown: '`x509` errors after [the deploy](http://x)',
        },
      ],
      template_id: null,
      template_name: null,
      generated_by: 'manual',
      generated_at: null,
      version: 3,
      published_at: '2026-10-01T00:00:00.000Z',
      published_by: null,
      created_by: null,
      updated_by: null,
      created_at: '2026-10-01T00:00:00.000Z',
      updated_at: '2026-10-01T00:00:00.000Z',
      action_items: [],
      findings: [],
      evidence: {},
      incident: {
        id: 'i1',
        number: 7,
        reference: 'INC-7',
        title: 'Checkout down',
        severity: 'critical',
        status: 'resolved',
        services: ['component:default/checkout-api'],
        commander: null,
        triggered_at: '2026-10-01T00:00:00.000Z',
        resolved_at: null,
      },
    });
    expect(doc).toEqual({
      title: 'INC-7 Checkout down',
      text: 'Summary\nCheckout failed badly\n\nRoot cause\nx509 errors after the deploy',
      location: '/postmortems/incidents/INC-7',
      incident_reference: 'INC-7',
      severity: 'critical',
      services: ['component:default/checkout-api'],
      published_at: '2026-10-01T00:00:00.000Z',
      root_cause: 'x509 errors after the deploy',
      authorization: { resourceRef: 'i1' },
    });
  });
});

describe('markdownToPlainText', () => {
  it('keeps what an escape stands for, without the backslash', () => {
    expect(
      markdownToPlainText(
        'Paged as \\[severity high\\] at 09:12 \\| 2 \\* 3 \\_not emphasis\\_',
      ),
    ).toBe('Paged as [severity high] at 09:12 | 2 * 3 _not emphasis_');
    expect(markdownToPlainText('a \\\\ b')).toBe('a \\ b');
  });

  it('keeps the words of links, images, code and emphasis, not their syntax', () => {
    expect(
      markdownToPlainText(
        '**Checkout** _failed_ ~~today~~ after [the deploy](https://ci.example.com/run(1)) ' +
          '![graph of errors](https://img.example.com/g.png) with `x509: expired` ' +
          'and <https://status.example.com> <b>bold</b> <!-- note -->',
      ),
    ).toBe(
      'Checkout failed today after the deploy graph of errors with x509: expired and https://status.example.com bold',
    );
  });

  it('keeps words with _ and - and arithmetic as written', () => {
    expect(
      markdownToPlainText('root_cause of checkout-api: 2 * 3 = 6, a_b_c'),
    ).toBe('root_cause of checkout-api: 2 * 3 = 6, a_b_c');
  });

  it('reads headings, quotes, lists, tables and code blocks as their text', () => {
    const markdown = [
      '## Timeline',
      '',
      '> The secret is mounted under `/etc/tls`',
      '',
      '- [x] Renew the certificate',
      '* Rotate *every* key',
      '1. Page the on-call',
      '',
      '| Time | Who | What |',
      '| :--- | --- | ---: |',
      '| 09:12 | Frank Li | Paged \\| acked |',
      '',
      '---',
      '',
      '```sh',
      'kubectl rollout undo deploy/checkout-api  # **not** emphasis',
      '```',
    ].join('\n');
    expect(markdownToPlainText(markdown)).toBe(
      'Timeline The secret is mounted under /etc/tls Renew the certificate ' +
        'Rotate every key Page the on-call Time Who What 09:12 Frank Li ' +
        'Paged | acked kubectl rollout undo deploy/checkout-api # **not** emphasis',
    );
  });
});
