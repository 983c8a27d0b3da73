import { mockServices } from '@backstage/backend-test-utils';
import { SchedulerServiceTaskRunner } from '@backstage/backend-plugin-api';
import { EntityProviderConnection } from '@backstage/plugin-catalog-node';
import { Incident } from '@postmortems-oss/backstage-plugin-postmortems-common';
import {
  IncidentEntityProvider,
  INCIDENTS_TOPIC,
} from './IncidentEntityProvider';

const BASE_URL = 'http://backstage.test/api/postmortems';

const incident: Incident = {
  id: 'c0ffee',
  number: 3,
  reference: 'INC-3',
  title: 'Checkout down',
  description: null,
  severity: 'high',
  status: 'resolved',
  summary: 'Certificates expired',
  commander: 'user:default/alice',
  services: ['component:default/checkout-api'],
  chat: null,
  source: 'manual',
  external_id: null,
  triggered_at: '2026-10-01T10:00:00.000Z',
  acknowledged_at: null,
  resolved_at: '2026-10-01T11:00:00.000Z',
  canceled_at: null,
  created_by: 'user:default/alice',
  created_at: '2026-10-01T10:00:00.000Z',
  updated_at: '2026-10-01T11:00:00.000Z',
};

/** A provider on an in-memory events service, a recording connection and a stubbed fetch. */
async function connectedProvider(respond: (url: string) => Response) {
  const events = mockServices.events();
  const logger = mockServices.logger.mock();
  const connection = {
    applyMutation: jest.fn(),
    refresh: jest.fn(),
  } satisfies EntityProviderConnection;
  const fetchMock = jest
    .spyOn(global, 'fetch')
    .mockImplementation(async input => respond(String(input)));
  const provider = new IncidentEntityProvider({
    auth: mockServices.auth(),
    discovery: mockServices.discovery.mock({
      getBaseUrl: async () => BASE_URL,
    }),
    logger,
    schedule: { run: jest.fn() } as unknown as SchedulerServiceTaskRunner,
    events,
  });
  await provider.connect(connection);
  const publish = (eventPayload: unknown) =>
    events.publish({ topic: INCIDENTS_TOPIC, eventPayload });
  return { provider, connection, logger, fetchMock, publish };
}

const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/json' },
  });

describe('IncidentEntityProvider delta updates', () => {
  afterEach(() => jest.restoreAllMocks());

  it('upserts the announced incident exactly as the full sync publishes it', async () => {
    const { provider, connection, fetchMock, publish } =
      await connectedProvider(url =>
        url.includes('?')
          ? json({ data: [incident], total: 1, page: 1, limit: 100 })
          : json(incident),
      );

    await publish({
      action: 'updated',
      incident_id: incident.id,
      reference: incident.reference,
    });
    await provider.refresh();

    expect(fetchMock.mock.calls[0][0]).toBe(
      `${BASE_URL}/v1/incidents/${incident.id}`,
    );
    const [[delta], [full]] = connection.applyMutation.mock.calls;
    expect(delta.type).toBe('delta');
    expect(delta.removed).toEqual([]);
    expect(delta.added).toHaveLength(1);
    expect(delta.added).toEqual(full.entities);
    expect(delta.added[0]).toMatchObject({
      locationKey: `postmortems-incidents:${BASE_URL}`,
      entity: { kind: 'Incident', metadata: { name: 'inc-3' } },
    });
  });

  it.each([
    ['no payload', undefined],
    ['a number as the incident id', { action: 'updated', incident_id: 42 }],
    [
      'an unknown action',
      { action: 'deleted', incident_id: 'c0ffee', reference: 'INC-3' },
    ],
    ['no reference', { action: 'created', incident_id: 'c0ffee' }],
  ])('logs and ignores an event with %s', async (_, payload) => {
    const { connection, logger, fetchMock, publish } = await connectedProvider(
      () => json(incident),
    );

    await publish(payload);

    expect(fetchMock).not.toHaveBeenCalled();
    expect(connection.applyMutation).not.toHaveBeenCalled();
    expect(logger.warn).toHaveBeenCalledWith(
      expect.stringMatching(
        /^Ignoring a malformed postmortems\.incidents event/,
      ),
    );
  });

  it('logs a failed read and leaves the repair to the next full sync', async () => {
    const { connection, logger, publish } = await connectedProvider(() =>
      json({ error: { name: 'NotFoundError', message: 'No incident' } }, 404),
    );

    await expect(
      publish({ action: 'created', incident_id: 'gone', reference: 'INC-9' }),
    ).resolves.toBeUndefined();

    expect(connection.applyMutation).not.toHaveBeenCalled();
    expect(logger.warn).toHaveBeenCalledWith(
      expect.stringMatching(
        /^Could not update incident gone in the catalog; the next full sync will: .*404/,
      ),
    );
  });
});
