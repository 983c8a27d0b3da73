import { PostmortemsClient } from './PostmortemsClient';

describe('PostmortemsClient', () => {
  const discoveryApi = {
    getBaseUrl: jest.fn(async () => 'http://backstage.test/api/postmortems'),
  };

  it('calls the backend at the discovered URL', async () => {
    const fetch = jest.fn(
      async () =>
        new Response(JSON.stringify({ status: 'ok' }), {
          status: 200,
          headers: { 'Content-Type': 'application/json' },
        }),
    );
    const client = new PostmortemsClient({ discoveryApi, fetchApi: { fetch } });

    await expect(client.getHealth()).resolves.toEqual({ status: 'ok' });
    expect(discoveryApi.getBaseUrl).toHaveBeenCalledWith('postmortems');
    expect(fetch).toHaveBeenCalledWith(
      'http://backstage.test/api/postmortems/health',
    );
  });

  it('turns an error response into a ResponseError', async () => {
    const fetch = jest.fn(
      async () =>
        new Response(
          JSON.stringify({
            error: { name: 'NotFoundError', message: 'nothing here' },
            request: { method: 'GET', url: '/health' },
            response: { statusCode: 404 },
          }),
          { status: 404, headers: { 'Content-Type': 'application/json' } },
        ),
    );
    const client = new PostmortemsClient({ discoveryApi, fetchApi: { fetch } });

    await expect(client.getHealth()).rejects.toMatchObject({
      name: 'ResponseError',
      statusCode: 404,
    });
  });
});
