import { FakeReply, FakeServer } from '@internal/postmortems-test-utils';
import { RegenClient, RegenError } from './RegenClient';

const incident = (n: number) => ({
  id: `id-${n}`,
  incident_number: n,
  title: `Incident ${n}`,
  status: 'triggered',
  severity: 'low',
  created_at: '2026-10-01T10:00:00Z',
  triggered_at: '2026-10-01T10:00:00Z',
});

async function withServer(
  route: (path: string, call: number) => FakeReply,
  test: (client: RegenClient, server: FakeServer) => Promise<void>,
) {
  let calls = 0;
  const server = new FakeServer(req => route(req.path, calls++));
  const baseUrl = await server.start();
  try {
    await test(
      new RegenClient({ baseUrl, token: 't', timeoutMs: 500, pageSize: 2 }),
      server,
    );
  } finally {
    await server.stop();
  }
}

async function all(client: RegenClient) {
  const items = [];
  for await (const page of client.listIncidents()) items.push(...page.items);
  return items;
}

describe('RegenClient', () => {
  it('retries a 429 after its Retry-After, a bounded number of times', async () => {
    await withServer(
      (_path, call) =>
        call < 2
          ? { status: 429, headers: { 'Retry-After': '0' }, body: {} }
          : { body: { data: [incident(1)], total: 1 } },
      async (client, server) => {
        expect(await all(client)).toHaveLength(1);
        expect(server.requests).toHaveLength(3);
      },
    );
    await withServer(
      () => ({ status: 429, headers: { 'Retry-After': '0' }, body: {} }),
      async (client, server) => {
        await expect(all(client)).rejects.toMatchObject({
          status: 429,
          isOutage: true,
        });
        expect(server.requests).toHaveLength(3);
      },
    );
  });

  it('stops when the server ignores the page number', async () => {
    await withServer(
      () => ({ body: { data: [incident(1), incident(2)], total: 10 } }),
      async client => {
        await expect(all(client)).rejects.toThrow(/does not advance/);
      },
    );
  });

  it('reads pages until the total is reached, even when the server caps page size', async () => {
    await withServer(
      path => {
        const page = Number(new URL(path, 'http://x').searchParams.get('page'));
        // Asked for 2, served 1 per page: the total says when to stop.
        return { body: { data: [incident(page)], total: 3, limit: 1 } };
      },
      async (client, server) => {
        expect((await all(client)).map(i => i.incident_number)).toEqual([
          1, 2, 3,
        ]);
        expect(server.requests).toHaveLength(3);
      },
    );
  });

  it('turns the error envelope into a RegenError with its code and details', async () => {
    await withServer(
      () => ({
        status: 409,
        body: {
          error: {
            code: 'conflict',
            message: 'cannot transition',
            details: { allowed_transitions: [] },
          },
        },
      }),
      async client => {
        const error = await client
          .updateIncident('1', { status: 'triggered' })
          .catch(e => e);
        expect(error).toBeInstanceOf(RegenError);
        expect(error).toMatchObject({
          status: 409,
          code: 'conflict',
          message: 'Regen: cannot transition',
          details: { allowed_transitions: [] },
          isOutage: false,
        });
      },
    );
  });

  it('refuses a body that is not what Regen sends', async () => {
    await withServer(
      () => ({ body: { ...incident(1), severity: 'apocalyptic' } }),
      async client => {
        await expect(client.getIncident('1')).rejects.toMatchObject({
          code: 'malformed_response',
          message: expect.stringMatching(/severity/),
        });
      },
    );
  });

  it('gives up on a hung server after its timeout', async () => {
    await withServer(
      () => ({ hang: true }),
      async client => {
        await expect(client.getIncident('1')).rejects.toMatchObject({
          code: 'timeout',
          status: undefined,
        });
      },
    );
  });
});
