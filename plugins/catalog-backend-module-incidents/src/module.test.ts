import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { createBackendModule } from '@backstage/backend-plugin-api';
import { schedulerServiceFactory } from '@backstage/backend-defaults/scheduler';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import {
  EventsService,
  eventsServiceFactory,
  eventsServiceRef,
} from '@backstage/plugin-events-node';
// The real core plugin behind the module, for its tests only.
// eslint-disable-next-line @backstage/no-mixed-plugin-imports
import postmortemsPlugin from '@postmortems-oss/backstage-plugin-postmortems-backend';
import {
  requestAs,
  testApi,
  TestServer,
} from '@internal/postmortems-test-utils';
import { IncidentEntityProcessor } from './IncidentEntityProcessor';
import { catalogModuleIncidents } from './module';

jest.setTimeout(60_000);

function catalogConfig(schedule: object) {
  return mockServices.rootConfig.factory({
    data: {
      catalog: {
        rules: [{ allow: ['Component', 'Incident', 'Location'] }],
        processingInterval: { seconds: 1 },
        providers: { postmortemsIncidents: { schedule } },
      },
    },
  });
}

/** Polls until `read` returns something `done` accepts; the last value otherwise. */
async function waitFor<T>(
  read: () => Promise<T>,
  done: (value: T) => boolean,
  timeoutMs = 30_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let value = await read();
  while (!done(value) && Date.now() < deadline) {
    await new Promise(r => setTimeout(r, 250));
    value = await read();
  }
  return value;
}

const entityOf = (server: TestServer, name: string) => async () => {
  const res = await requestAs(server).get(
    `/api/catalog/entities/by-name/incident/default/${name}`,
  );
  return res.status === 200 ? res.body : undefined;
};

describe('the Incident kind in the real catalog', () => {
  // No events service is configured here: the test backend's default serves,
  // as `createBackend`'s does in a portal, and the full sync alone suffices.
  it('publishes incidents as entities related both ways to the services they affected', async () => {
    const { server } = await startTestBackend({
      features: [
        catalogPlugin,
        catalogModuleIncidents,
        postmortemsPlugin,
        schedulerServiceFactory,
        catalogConfig({
          frequency: 'PT2S',
          timeout: 'PT1M',
          initialDelay: 'PT1S',
        }),
      ],
    });
    const created = await testApi(server).post('/incidents', {
      title: 'Checkout down',
      severity: 'critical',
      services: ['component:default/checkout-api'],
      commander: 'user:default/alice',
    });
    expect(created.status).toBe(201);
    const name = created.body.reference.toLowerCase();

    const entity = await waitFor(entityOf(server, name), e =>
      Boolean(e?.relations?.length),
    );
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

  it('applies a change the post-mortems backend announces without waiting for the full sync', async () => {
    // The events service of the post-mortems plugin, to send what the backend
    // never sends (malformed payloads, unknown incidents) and to see what it
    // does send. The real events service factory (the one `createBackend`
    // installs) without the events backend: in-process only. Creating and
    // changing incidents over the API must be enough: nothing here announces
    // them, so the entities appear only if the backend publishes its changes.
    let events: EventsService | undefined;
    const announced: Array<{ action: string; reference: string }> = [];
    const observer = createBackendModule({
      pluginId: 'postmortems',
      moduleId: 'test-observer',
      register(env) {
        env.registerInit({
          deps: { events: eventsServiceRef },
          async init(deps) {
            events = deps.events;
            await events.subscribe({
              id: 'test-observer',
              topics: ['postmortems.incidents'],
              async onEvent(event) {
                const payload = event.eventPayload as any;
                if (typeof payload?.reference === 'string') {
                  announced.push({
                    action: payload.action,
                    reference: payload.reference,
                  });
                }
              },
            });
          },
        });
      },
    });
    const { server } = await startTestBackend({
      features: [
        catalogPlugin,
        catalogModuleIncidents,
        postmortemsPlugin,
        observer,
        eventsServiceFactory,
        schedulerServiceFactory,
        // The full sync does not run during this test.
        catalogConfig({
          frequency: 'PT1H',
          timeout: 'PT1M',
          initialDelay: 'PT1H',
        }),
      ],
    });
    const api = testApi(server);

    // Malformed payloads and unknown incidents are logged and ignored; they
    // must not stop the subscriber from handling what follows.
    await events!.publish({
      topic: 'postmortems.incidents',
      eventPayload: { action: 'updated', incident_id: 42 },
    });
    await events!.publish({
      topic: 'postmortems.incidents',
      eventPayload: {
        action: 'updated',
        incident_id: 'no-such-incident',
        reference: 'INC-0',
      },
    });

    const created = (
      await api.post('/incidents', {
        title: 'Search is slow',
        severity: 'medium',
        services: ['component:default/search-api'],
      })
    ).body;
    const name = created.reference.toLowerCase();
    const first = await waitFor(entityOf(server, name), e =>
      Boolean(e?.relations?.length),
    );
    expect(first).toMatchObject({
      metadata: {
        title: `${created.reference} Search is slow`,
        annotations: expect.objectContaining({
          'postmortems.io/incident-id': created.id,
        }),
      },
      spec: { severity: 'medium', affects: ['component:default/search-api'] },
    });

    const patched = await api.patch(`/incidents/${created.id}`, {
      severity: 'critical',
      status: 'resolved',
      services: ['component:default/search-api', 'component:default/indexer'],
    });
    expect(patched.status).toBe(200);

    const changed = await waitFor(
      entityOf(server, name),
      e =>
        e?.spec?.status === 'resolved' &&
        e.relations?.some(
          (r: any) => r.targetRef === 'component:default/indexer',
        ),
    );
    expect(changed.spec).toMatchObject({
      severity: 'critical',
      status: 'resolved',
    });
    expect([...changed.spec.affects].sort()).toEqual([
      'component:default/indexer',
      'component:default/search-api',
    ]);
    expect(changed.metadata.tags).toEqual(['critical', 'resolved']);
    expect(announced).toEqual(
      expect.arrayContaining([
        { action: 'created', reference: created.reference },
        { action: 'updated', reference: created.reference },
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
