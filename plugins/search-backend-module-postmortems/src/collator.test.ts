import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { schedulerServiceFactory } from '@backstage/backend-defaults/scheduler';
import searchPlugin from '@backstage/plugin-search-backend';
import postmortemsPlugin from '@postmortems-oss/backstage-plugin-postmortems-backend';
import request from 'supertest';
import { searchModulePostmortemsCollator } from './module';
import { toDocument } from './PostmortemCollatorFactory';

jest.setTimeout(60_000);

const USER = mockCredentials.user.header('user:default/alice');

describe('the post-mortems collator with the real search backend (Lunr)', () => {
  it('finds a published post-mortem by a word of its root cause and never a draft', async () => {
    const { server } = await startTestBackend({
      features: [
        searchPlugin,
        searchModulePostmortemsCollator,
        postmortemsPlugin,
        catalogServiceMock.factory({ entities: [] }),
        // The real scheduler, so that the collator runs on its schedule.
        schedulerServiceFactory,
        mockServices.rootConfig.factory({
          data: {
            search: {
              collators: {
                postmortems: {
                  schedule: {
                    frequency: { seconds: 1 },
                    timeout: { seconds: 30 },
                    initialDelay: { seconds: 0 },
                  },
                },
              },
            },
          },
        }),
      ],
    });
    const api = (method: 'get' | 'post' | 'patch', path: string) =>
      request(server)
        [method](`/api/postmortems/v1${path}`)
        .set('Authorization', USER);

    async function postmortem(
      title: string,
      rootCause: string,
      publish: boolean,
    ) {
      const incident = (
        await api('post', '/incidents').send({
          title,
          severity: 'high',
          services: ['component:default/payments-service'],
        })
      ).body;
      await api('patch', `/incidents/${incident.id}`).send({
        status: 'resolved',
      });
      await api('post', `/incidents/${incident.id}/postmortem`).send({});
      await api('patch', `/incidents/${incident.id}/postmortem`).send({
        sections: [
          { key: 'summary', title: 'Summary', markdown: `${title} summary` },
          { key: 'root_cause', title: 'Root cause', markdown: rootCause },
        ],
      });
      if (publish) {
        await api('patch', `/incidents/${incident.id}/postmortem`).send({
          status: 'published',
          override_findings: true,
        });
      }
      return incident;
    }

    const published = await postmortem(
      'Card payments failing',
      'The processor certificate bundle path changed in 4.18.0.',
      true,
    );
    await postmortem(
      'Secret draft',
      'A zebracorn misconfiguration nobody may read yet.',
      false,
    );

    const status = await api('get', `/incidents/${published.id}/postmortem`);
    expect(status.body.status).toBe('published');

    let results: any[] = [];
    for (let i = 0; i < 60 && results.length === 0; i++) {
      await new Promise(r => setTimeout(r, 500));
      const res = await request(server)
        .get('/api/search/query?term=certificate&types[0]=postmortem')
        .set('Authorization', USER);
      results = res.body.results ?? [];
    }
    expect(results).toHaveLength(1);
    expect(results[0].type).toBe('postmortem');
    expect(results[0].document).toMatchObject({
      title: `${published.reference} Card payments failing`,
      location: `/postmortems/incidents/${published.reference}`,
      severity: 'high',
      services: ['component:default/payments-service'],
      root_cause: 'The processor certificate bundle path changed in 4.18.0.',
    });

    const draft = await request(server)
      .get('/api/search/query?term=zebracorn')
      .set('Authorization', USER);
    expect(draft.body.results).toEqual([]);
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
      text: 'Summary\nCheckout failed badly\n\nRoot cause\nx509 errors after the deploy http://x',
      location: '/postmortems/incidents/INC-7',
      incident_reference: 'INC-7',
      severity: 'critical',
      services: ['component:default/checkout-api'],
      published_at: '2026-10-01T00:00:00.000Z',
      root_cause: 'x509 errors after the deploy http://x',
    });
  });
});
