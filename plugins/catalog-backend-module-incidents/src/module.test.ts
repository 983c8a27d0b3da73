import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { schedulerServiceFactory } from '@backstage/backend-defaults/scheduler';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import postmortemsPlugin from '@postmortems-oss/backstage-plugin-postmortems-backend';
import request from 'supertest';
import { IncidentEntityProcessor } from './IncidentEntityProcessor';
import { catalogModuleIncidents } from './module';

jest.setTimeout(60_000);

const USER = mockCredentials.user.header('user:default/alice');

describe('the Incident kind in the real catalog', () => {
  it('publishes incidents as entities related both ways to the services they affected', async () => {
    const { server } = await startTestBackend({
      features: [
        catalogPlugin,
        catalogModuleIncidents,
        postmortemsPlugin,
        schedulerServiceFactory,
        mockServices.rootConfig.factory({
          data: {
            catalog: {
              rules: [{ allow: ['Component', 'Incident', 'Location'] }],
              processingInterval: { seconds: 1 },
              providers: {
                postmortemsIncidents: {
                  schedule: {
                    frequency: 'PT2S',
                    timeout: 'PT1M',
                    initialDelay: 'PT1S',
                  },
                },
              },
            },
          },
        }),
      ],
    });
    const created = await request(server)
      .post('/api/postmortems/v1/incidents')
      .set('Authorization', USER)
      .send({
        title: 'Checkout down',
        severity: 'critical',
        services: ['component:default/checkout-api'],
        commander: 'user:default/alice',
      });
    expect(created.status).toBe(201);
    const name = created.body.reference.toLowerCase();

    let entity: any;
    for (let i = 0; i < 60 && !entity?.relations?.length; i++) {
      await new Promise(r => setTimeout(r, 500));
      const res = await request(server)
        .get(`/api/catalog/entities/by-name/incident/default/${name}`)
        .set('Authorization', USER);
      entity = res.status === 200 ? res.body : undefined;
    }
    expect(entity).toMatchObject({
      apiVersion: 'postmortems.io/v1alpha1',
      kind: 'Incident',
      metadata: {
        name,
        title: `${created.body.reference} Checkout down`,
        annotations: expect.objectContaining({
          'postmortems.io/incident-id': created.body.id,
        }),
      },
      spec: {
        severity: 'critical',
        status: 'triggered',
        affects: ['component:default/checkout-api'],
        commander: 'user:default/alice',
      },
    });
    expect(entity.relations).toEqual(
      expect.arrayContaining([
        { type: 'affects', targetRef: 'component:default/checkout-api' },
      ]),
    );
  });
});

describe('IncidentEntityProcessor', () => {
  const processor = new IncidentEntityProcessor();
  const valid = {
    apiVersion: 'postmortems.io/v1alpha1',
    kind: 'Incident',
    metadata: { name: 'inc-1' },
    spec: {
      severity: 'high',
      status: 'resolved',
      triggeredAt: '2026-10-01T10:00:00Z',
      affects: ['checkout-api'],
    },
  };

  it('accepts valid incidents and ignores other kinds', async () => {
    await expect(processor.validateEntityKind(valid)).resolves.toBe(true);
    await expect(
      processor.validateEntityKind({ ...valid, kind: 'Component' }),
    ).resolves.toBe(false);
  });

  it('says which field of an incident is wrong', async () => {
    await expect(
      processor.validateEntityKind({
        ...valid,
        spec: {
          ...valid.spec,
          severity: 'apocalyptic',
          triggeredAt: 'yesterday',
        },
      }),
    ).rejects.toThrow(
      /spec\.severity must be one of critical, high, medium, low; spec\.triggeredAt must be a timestamp/,
    );
  });

  it('emits the relations both ways', async () => {
    const emitted: any[] = [];
    await processor.postProcessEntity(valid, { type: 'url', target: 'x' }, r =>
      emitted.push(r),
    );
    expect(
      emitted.map(r => [
        r.relation.source.name,
        r.relation.type,
        r.relation.target.name,
      ]),
    ).toEqual([
      ['inc-1', 'affects', 'checkout-api'],
      ['checkout-api', 'affectedBy', 'inc-1'],
    ]);
  });
});
