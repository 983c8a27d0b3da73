import request from 'supertest';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { Knex } from 'knex';
import { createTestDatabases } from '@internal/postmortems-test-utils';
import {
  ALICE,
  as,
  startPostmortemsBackend,
} from '../__testUtils__/testBackend';
import { operations } from './openapi';

jest.setTimeout(120_000);

// The document is made from the schemas alone; one database suffices.
const databases = createTestDatabases();
const [[databaseId]] = databases.eachSupportedId();

/** A JSON pointer into the document, as Ajv resolves it. */
const pointer = (...parts: string[]) =>
  `openapi.json#/${parts
    .map(p => p.replace(/~/g, '~0').replace(/\//g, '~1'))
    .join('/')}`;

describe('GET /api/postmortems/openapi.json', () => {
  let knex: Knex;
  let server: Awaited<ReturnType<typeof startPostmortemsBackend>>['server'];
  let document: any;

  beforeAll(async () => {
    knex = await databases.init(databaseId);
    ({ server } = await startPostmortemsBackend(knex));
    const res = await request(server)
      .get('/api/postmortems/openapi.json')
      .set(as(ALICE));
    if (res.status !== 200) {
      throw new Error(`GET /openapi.json answered ${res.status}`);
    }
    document = res.body;
  });

  it('is an OpenAPI 3.1 document whose schemas compile as JSON Schema 2020-12', () => {
    expect(document.openapi).toBe('3.1.0');
    const ajv = new Ajv2020({ strict: false });
    addFormats(ajv);
    ajv.addSchema(document, 'openapi.json');
    for (const name of Object.keys(document.components.schemas)) {
      expect(
        ajv.getSchema(pointer('components', 'schemas', name)),
      ).toBeDefined();
    }
    const operationsOf = Object.entries<any>(document.paths).flatMap(
      ([path, methods]) =>
        Object.entries<any>(methods).map(([method, operation]) => ({
          name: `${method} ${path}`,
          operation,
        })),
    );
    expect(operationsOf.length).toBe(operations.length);
    for (const { name, operation } of operationsOf) {
      expect(name).toMatch(/^(get|post|put|patch|delete) \//);
      expect(operation.responses['4XX']).toBeDefined();
    }
    const bodies = operationsOf.flatMap(({ operation }) =>
      operation.requestBody
        ? [operation.requestBody.content['application/json'].schema]
        : [],
    );
    expect(bodies.length).toBeGreaterThan(10);
    for (const body of bodies) {
      expect(() => ajv.compile(body)).not.toThrow();
    }
  });

  it('describes what the routes really answer and accept', async () => {
    const ajv = new Ajv2020({ strict: false });
    addFormats(ajv);
    ajv.addSchema(document, 'openapi.json');
    const responseOf = (path: string, method: string, status: number) =>
      ajv.getSchema(
        pointer(
          'paths',
          path,
          method,
          'responses',
          String(status),
          'content',
          'application/json',
          'schema',
        ),
      )!;
    const bodyOf = (path: string, method: string) =>
      ajv.compile(
        document.paths[path][method].requestBody.content['application/json']
          .schema,
      );

    const incident = {
      title: 'Checkout down',
      severity: 'high',
      services: ['component:default/checkout-api'],
    };
    expect(bodyOf('/v1/incidents', 'post')(incident)).toBe(true);
    const created = await request(server)
      .post('/api/postmortems/v1/incidents')
      .set(as(ALICE))
      .send(incident);
    expect(created.status).toBe(201);
    const validIncident = responseOf('/v1/incidents', 'post', 201);
    expect(validIncident(created.body)).toBe(true);
    expect(validIncident({ ...created.body, severity: 'apocalyptic' })).toBe(
      false,
    );

    const list = await request(server)
      .get('/api/postmortems/v1/incidents?status=triggered,resolved')
      .set(as(ALICE));
    expect(responseOf('/v1/incidents', 'get', 200)(list.body)).toBe(true);

    // What the document refuses, the route refuses too.
    const unknownField = { ...incident, severty: 'high' };
    expect(bodyOf('/v1/incidents', 'post')(unknownField)).toBe(false);
    expect(
      (
        await request(server)
          .post('/api/postmortems/v1/incidents')
          .set(as(ALICE))
          .send(unknownField)
      ).status,
    ).toBe(400);
  });

  it('documents only routes that exist', async () => {
    const unrouted: string[] = [];
    for (const operation of operations) {
      const path = operation.path.replace(/\{(\w+)\}/g, (_, name) =>
        name === 'version' ? '1' : 'unknown',
      );
      const res = await request(server)
        [operation.method](`/api/postmortems${path}`)
        .set(as(ALICE))
        .send({});
      if (
        res.status === 404 &&
        /^No route /.test(res.body?.error?.message ?? '')
      ) {
        unrouted.push(`${operation.method.toUpperCase()} ${operation.path}`);
      }
    }
    expect(unrouted).toEqual([]);
  });
});
