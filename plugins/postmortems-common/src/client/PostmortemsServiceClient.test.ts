import { createServer, IncomingMessage, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { ResponseError } from '@backstage/errors';
import { Incident } from '../api/incidents';
import { PostmortemsServiceClient } from './PostmortemsServiceClient';

const incident: Incident = {
  id: 'c0ffee',
  number: 3,
  reference: 'INC-3',
  title: 'Checkout down',
  description: null,
  severity: 'high',
  status: 'resolved',
  summary: null,
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

/**
 * A real HTTP server standing in for the post-mortems backend: it records
 * what it was asked and answers with `respond`.
 */
async function backend(
  respond: (req: IncomingMessage) => { status: number; body: unknown },
) {
  const requests: Array<{ url: string; authorization?: string }> = [];
  const server: Server = createServer((req, res) => {
    requests.push({ url: req.url!, authorization: req.headers.authorization });
    const { status, body } = respond(req);
    res.writeHead(status, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify(body));
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const baseUrl = `http://127.0.0.1:${port}/api/postmortems`;
  const tokenRequests: unknown[] = [];
  const client = new PostmortemsServiceClient({
    discovery: {
      getBaseUrl: async pluginId => {
        expect(pluginId).toBe('postmortems');
        return baseUrl;
      },
    },
    auth: {
      getOwnServiceCredentials: async () => ({ principal: 'catalog' }),
      getPluginRequestToken: async options => {
        tokenRequests.push(options);
        return { token: `token-${tokenRequests.length}` };
      },
    },
  });
  return { client, requests, tokenRequests, baseUrl, server };
}

describe('PostmortemsServiceClient', () => {
  let server: Server | undefined;
  afterEach(async () => {
    await new Promise(resolve => server?.close(resolve));
    server = undefined;
  });

  it('calls the API with a fresh service token per call and the wire query', async () => {
    const started = await backend(() => ({
      status: 200,
      body: { data: [incident], total: 1, page: 2, limit: 50 },
    }));
    server = started.server;

    const page = await started.client.listIncidents({
      page: 2,
      limit: 50,
      status: ['resolved', 'canceled'],
      entity_ref: 'component:default/checkout-api',
    });
    await started.client.listIncidents();

    expect(page).toEqual({ data: [incident], total: 1, page: 2, limit: 50 });
    expect(started.requests).toEqual([
      {
        url: '/api/postmortems/v1/incidents?page=2&limit=50&status=resolved%2Ccanceled&entity_ref=component%3Adefault%2Fcheckout-api',
        authorization: 'Bearer token-1',
      },
      { url: '/api/postmortems/v1/incidents', authorization: 'Bearer token-2' },
    ]);
    expect(started.tokenRequests[0]).toEqual({
      onBehalfOf: { principal: 'catalog' },
      targetPluginId: 'postmortems',
    });
  });

  it('drops fields the contract does not name and encodes ids', async () => {
    const started = await backend(() => ({
      status: 200,
      body: { ...incident, internal_note: 'not part of the API' },
    }));
    server = started.server;

    await expect(started.client.getIncident('INC 3/x')).resolves.toEqual(
      incident,
    );
    expect(started.requests[0].url).toBe(
      '/api/postmortems/v1/incidents/INC%203%2Fx',
    );
  });

  it('throws a ResponseError with the status and the envelope of a failed call', async () => {
    const started = await backend(() => ({
      status: 404,
      body: { error: { code: 'not_found', message: 'No incident INC-9' } },
    }));
    server = started.server;

    const error = await started.client
      .getIncident('INC-9')
      .catch((e: unknown) => e);

    expect(error).toBeInstanceOf(ResponseError);
    expect((error as ResponseError).response.status).toBe(404);
    expect((error as ResponseError).message).toMatch(/404/);
  });

  it('names the field of an answer that breaks the contract', async () => {
    const started = await backend(() => ({
      status: 200,
      body: { ...incident, severity: 'apocalyptic' },
    }));
    server = started.server;

    await expect(started.client.getIncident('INC-3')).rejects.toThrow(
      /GET \/v1\/incidents\/INC-3 .*does not match its schema[\s\S]*severity/,
    );
  });
});
