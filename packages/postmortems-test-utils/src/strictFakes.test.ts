import { completion, FakeOpenAI } from './fakeServers';
import { FakeConfluence } from './fakeConfluence';
import { FakeJira } from './fakeJira';
import { FakeNotion } from './fakeNotion';

/*
 * The fakes stand in for real services in the module tests; a module that
 * calls the wrong path or method, forgets its credentials or sends a body the
 * service refuses must fail there. Each fake is checked here to answer one
 * right request, and to refuse each of those mistakes the way its service
 * does.
 */

interface Call {
  method: string;
  path: string;
  headers?: Record<string, string>;
  body?: unknown;
}

async function send(base: string, call: Call) {
  const res = await fetch(`${base}${call.path}`, {
    method: call.method,
    headers: { 'Content-Type': 'application/json', ...call.headers },
    body: call.body === undefined ? undefined : JSON.stringify(call.body),
  });
  return { status: res.status, body: await res.json().catch(() => undefined) };
}

const basic = (user: string, secret: string) =>
  `Basic ${Buffer.from(`${user}:${secret}`).toString('base64')}`;

describe('FakeOpenAI', () => {
  const fake = new FakeOpenAI('sk-right', () => ({ body: completion('ok') }));
  let base = '';
  beforeAll(async () => {
    base = await fake.start();
  });
  afterAll(() => fake.stop());

  const right: Call = {
    method: 'POST',
    path: '/v1/chat/completions',
    headers: { Authorization: 'Bearer sk-right' },
    body: { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] },
  };

  it('answers a chat completion request', async () => {
    const res = await send(base, right);
    expect(res.status).toBe(200);
    expect(res.body.choices[0].message.content).toBe('ok');
  });

  it.each<[string, Partial<Call>, number]>([
    ['a path without /v1', { path: '/chat/completions' }, 404],
    ['another endpoint', { path: '/v1/completions' }, 404],
    ['another method', { method: 'PUT' }, 404],
    ['no key', { headers: {} }, 401],
    ['another key', { headers: { Authorization: 'Bearer sk-wrong' } }, 401],
    ['a body without messages', { body: { model: 'gpt-4o-mini' } }, 400],
    ['a body without a model', { body: { messages: [{ role: 'user' }] } }, 400],
    ['no body', { body: undefined }, 400],
  ])('refuses %s', async (_what, change, status) => {
    const res = await send(base, { ...right, ...change });
    expect(res.status).toBe(status);
    expect(res.body.error.type).toBe('invalid_request_error');
  });
});

describe('FakeConfluence', () => {
  const fake = new FakeConfluence({
    email: 'bot@example.com',
    apiToken: 'right-token',
    spaceKey: 'ENG',
  });
  let base = '';
  beforeAll(async () => {
    base = await fake.start();
  });
  afterAll(() => fake.stop());

  const auth = { Authorization: basic('bot@example.com', 'right-token') };
  const page = (title: string) => ({
    type: 'page',
    title,
    space: { key: 'ENG' },
    body: { storage: { value: '<p>x</p>', representation: 'storage' } },
  });
  const create = (title: string): Call => ({
    method: 'POST',
    path: '/wiki/rest/api/content',
    headers: auth,
    body: page(title),
  });

  it('creates a page and updates it with the next version', async () => {
    const created = await send(base, create('Created'));
    expect(created.status).toBe(200);
    const updated = await send(base, {
      method: 'PUT',
      path: `/wiki/rest/api/content/${created.body.id}`,
      headers: auth,
      body: { ...page('Created'), version: { number: 2 } },
    });
    expect(updated.status).toBe(200);
    expect(updated.body.version.number).toBe(2);
  });

  it.each<[string, Partial<Call>, number]>([
    ['a path without /wiki', { path: '/rest/api/content' }, 404],
    ['another API version', { path: '/wiki/api/v2/pages' }, 404],
    ['no credentials', { headers: {} }, 401],
    [
      'another token',
      { headers: { Authorization: basic('bot@example.com', 'wrong') } },
      401,
    ],
    [
      'a bearer token',
      { headers: { Authorization: 'Bearer right-token' } },
      401,
    ],
    ['a body without storage', { body: { type: 'page', title: 'T' } }, 400],
    ['another space', { body: { ...page('T'), space: { key: 'OPS' } } }, 404],
  ])('refuses a create with %s', async (_what, change, status) => {
    const res = await send(base, { ...create('Refused'), ...change });
    expect(res.status).toBe(status);
    expect(res.body.statusCode).toBe(status);
  });

  it('refuses another method on a page, and an update missing its title or version', async () => {
    const { body } = await send(base, create('Target'));
    const path = `/wiki/rest/api/content/${body.id}`;
    expect(
      (await send(base, { method: 'DELETE', path, headers: auth })).status,
    ).toBe(405);
    expect(
      (
        await send(base, {
          method: 'PUT',
          path,
          headers: auth,
          body: { type: 'page', version: { number: 2 } },
        })
      ).status,
    ).toBe(400);
    expect(
      (
        await send(base, {
          method: 'PUT',
          path,
          headers: auth,
          body: page('Target'),
        })
      ).status,
    ).toBe(400);
    expect(
      (
        await send(base, {
          method: 'PUT',
          path,
          headers: auth,
          body: { ...page('Target'), version: { number: 5 } },
        })
      ).status,
    ).toBe(409);
    expect(fake.pages.get(body.id)!.version).toBe(1);
  });
});

describe('FakeNotion', () => {
  const fake = new FakeNotion({
    token: 'secret_right',
    parentPageId: 'parent-1',
  });
  let base = '';
  beforeAll(async () => {
    base = await fake.start();
  });
  afterAll(() => fake.stop());

  const headers = {
    Authorization: 'Bearer secret_right',
    'Notion-Version': '2022-06-28',
  };
  const right: Call = {
    method: 'POST',
    path: '/v1/pages',
    headers,
    body: {
      parent: { page_id: 'parent-1' },
      properties: {
        title: { title: [{ type: 'text', text: { content: 'INC-1' } }] },
      },
      children: [
        {
          type: 'paragraph',
          paragraph: { rich_text: [{ type: 'text', text: { content: 'x' } }] },
        },
      ],
    },
  };

  it('creates a page under the shared parent', async () => {
    const res = await send(base, right);
    expect(res.status).toBe(200);
    expect(res.body.object).toBe('page');
  });

  it.each<[string, Partial<Call>, number, string]>([
    ['a path without /v1', { path: '/pages' }, 400, 'invalid_request_url'],
    ['another method', { method: 'PUT' }, 400, 'invalid_request_url'],
    [
      'no Notion-Version',
      { headers: { Authorization: headers.Authorization } },
      400,
      'missing_version',
    ],
    [
      'no token',
      { headers: { 'Notion-Version': '2022-06-28' } },
      401,
      'unauthorized',
    ],
    [
      'another token',
      { headers: { ...headers, Authorization: 'Bearer secret_wrong' } },
      401,
      'unauthorized',
    ],
    [
      'a body without a title',
      { body: { parent: { page_id: 'parent-1' } } },
      400,
      'validation_error',
    ],
    [
      'a rich text over 2,000 characters',
      {
        body: {
          ...(right.body as object),
          children: [
            {
              type: 'paragraph',
              paragraph: {
                rich_text: [
                  { type: 'text', text: { content: 'x'.repeat(2001) } },
                ],
              },
            },
          ],
        },
      },
      400,
      'validation_error',
    ],
    [
      'a parent not shared with the integration',
      { body: { ...(right.body as object), parent: { page_id: 'other' } } },
      404,
      'object_not_found',
    ],
  ])('refuses %s', async (_what, change, status, code) => {
    const before = fake.pages.size;
    const res = await send(base, { ...right, ...change });
    expect({ status: res.status, code: res.body.code }).toEqual({
      status,
      code,
    });
    expect(fake.pages.size).toBe(before);
  });
});

describe.each([
  {
    flavour: 'cloud',
    fake: () =>
      new FakeJira({
        email: 'bot@example.com',
        apiToken: 'right-token',
        projectKey: 'OPS',
      }),
    prefix: '/rest/api/3',
    auth: basic('bot@example.com', 'right-token'),
    search: '/search/jql',
    description: { type: 'doc', version: 1, content: [] } as unknown,
    assignee: { accountId: 'acc-1' } as object,
    other: {
      prefix: '/jira/rest/api/2',
      auth: 'Bearer right-token',
      search: ['/search', 410],
      description: 'wiki *markup*',
      assignee: { name: 'alice' },
    },
  },
  {
    flavour: 'datacenter',
    fake: () =>
      new FakeJira({
        flavour: 'datacenter',
        personalAccessToken: 'right-token',
        projectKey: 'OPS',
        contextPath: '/jira',
      }),
    prefix: '/jira/rest/api/2',
    auth: 'Bearer right-token',
    search: '/search',
    description: 'wiki *markup*' as unknown,
    assignee: { name: 'alice' } as object,
    other: {
      prefix: '/rest/api/3',
      auth: basic('bot@example.com', 'right-token'),
      search: ['/search/jql', 404],
      description: { type: 'doc', version: 1, content: [] },
      assignee: { accountId: 'acc-1' },
    },
  },
] as const)('FakeJira ($flavour)', flavourCase => {
  const fake = flavourCase.fake();
  let base = '';
  beforeAll(async () => {
    base = await fake.start();
    fake.assignable.add('acc-1');
    fake.assignable.add('alice');
  });
  afterAll(() => fake.stop());

  const fields = {
    project: { key: 'OPS' },
    issuetype: { name: 'Task' },
    summary: 'Alert on latency',
    description: flavourCase.description,
    assignee: flavourCase.assignee,
  };
  const create: Call = {
    method: 'POST',
    path: `${flavourCase.prefix}/issue`,
    headers: { Authorization: flavourCase.auth },
    body: { fields },
  };

  it('creates an issue, finds it with JQL and transitions it', async () => {
    const created = await send(base, create);
    expect(created.status).toBe(201);
    const found = await send(base, {
      ...create,
      path: `${flavourCase.prefix}${flavourCase.search}`,
      body: { jql: `key in (${created.body.key})`, fields: ['status'] },
    });
    expect(found.status).toBe(200);
    expect(found.body.issues[0].fields.status.name).toBe('To Do');
    const moved = await fetch(
      `${base}${flavourCase.prefix}/issue/${created.body.key}/transitions`,
      {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json',
          Authorization: flavourCase.auth,
        },
        body: JSON.stringify({ transition: { id: '31' } }),
      },
    );
    expect(moved.status).toBe(204);
    expect(fake.issues.get(created.body.key)!.status).toBe('Done');
  });

  it.each<[string, Partial<Call>, number]>([
    [
      "the other flavour's prefix",
      { path: `${flavourCase.other.prefix}/issue` },
      404,
    ],
    ['no credentials', { headers: {} }, 401],
    [
      "the other flavour's credentials",
      { headers: { Authorization: flavourCase.other.auth } },
      401,
    ],
    [
      "the other flavour's description",
      {
        body: {
          fields: { ...fields, description: flavourCase.other.description },
        },
      },
      400,
    ],
    [
      "the other flavour's assignee",
      { body: { fields: { ...fields, assignee: flavourCase.other.assignee } } },
      400,
    ],
    [
      "the other flavour's search",
      {
        path: `${flavourCase.prefix}${flavourCase.other.search[0]}`,
        body: { jql: 'key in (OPS-1)' },
      },
      flavourCase.other.search[1],
    ],
  ])('refuses %s', async (_what, change, status) => {
    const issues = fake.issues.size;
    const res = await send(base, { ...create, ...change });
    expect(res.status).toBe(status);
    expect(fake.issues.size).toBe(issues);
  });
});
