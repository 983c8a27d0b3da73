import request from 'supertest';
import { ALICE, as } from './testBackend';

/** Where the post-mortems API is mounted on a test backend. */
export const API_V1 = '/api/postmortems/v1';

/** What supertest can send requests to: a test backend's server. */
export type TestServer = Parameters<typeof request>[0];

/**
 * Requests to any route of a test backend (the catalog's, the search
 * backend's) carrying `user`'s token: paths are absolute, e.g.
 * `/api/catalog/entities`.
 */
export function requestAs(server: TestServer, user: string = ALICE) {
  const agent = request(server);
  return {
    get: (path: string) => agent.get(path).set(as(user)),
    post: (path: string) => agent.post(path).set(as(user)),
    patch: (path: string) => agent.patch(path).set(as(user)),
    put: (path: string) => agent.put(path).set(as(user)),
    delete: (path: string) => agent.delete(path).set(as(user)),
  };
}

/**
 * Requests to the post-mortems API of a test backend as `user` (alice, who
 * may do everything, unless told otherwise): paths are relative to
 * `/api/postmortems/v1` and every request carries the user's token. `server`
 * may be a function returning it, for a server a `beforeAll` starts later.
 */
export function testApi(
  server: TestServer | (() => TestServer),
  user: string = ALICE,
) {
  // An Express app is a function too; only a getter has no `listen`.
  const serverNow = (): TestServer =>
    typeof server === 'function' && !('listen' in server)
      ? (server as () => TestServer)()
      : (server as TestServer);
  const call =
    (method: 'get' | 'post' | 'patch' | 'put' | 'delete') => (path: string) =>
      requestAs(serverNow(), user)[method](`${API_V1}${path}`);
  return {
    get: (path: string) => call('get')(path),
    delete: (path: string) => call('delete')(path),
    post: (path: string, body?: object, headers: Record<string, string> = {}) =>
      call('post')(path)
        .set(headers)
        .send(body ?? {}),
    patch: (path: string, body: object) => call('patch')(path).send(body),
    put: (path: string, body: object) => call('put')(path).send(body),
    /** A server-sent event stream read to its end; the body is its text. */
    eventStream: (path: string) =>
      call('get')(path)
        .buffer(true)
        .parse((response, callback) => {
          let text = '';
          response.on('data', (chunk: Buffer) => {
            text += chunk.toString();
          });
          response.on('end', () => callback(null, text));
        }),
  };
}

export type TestApi = ReturnType<typeof testApi>;

/** A webhook delivery (raw body and its headers) posted to a tracker's webhook route, without a user token. */
export function deliverWebhook(
  server: TestServer,
  tracker: string,
  delivery: { body: string; headers: Record<string, string> },
  query = '',
) {
  return request(server)
    .post(`${API_V1}/trackers/${tracker}/webhook${query}`)
    .set(delivery.headers)
    .send(delivery.body);
}
