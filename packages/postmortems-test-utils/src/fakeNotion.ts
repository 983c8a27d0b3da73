import { randomUUID } from 'node:crypto';
import { FakeReply, RecordedRequest } from './fakeServers';
import { jsonBody } from './fakeFaults';
import { FakeRefusal, FakeService } from './fakeService';

export interface FakeNotionBlock {
  id: string;
  type: string;
  [content: string]: unknown;
}

export interface FakeNotionPage {
  id: string;
  parentId: string;
  title: string;
  in_trash: boolean;
  blocks: FakeNotionBlock[];
}

/**
 * The Notion API as @notionhq/client calls it (`/v1/pages`,
 * `/v1/blocks/{id}/children`, `/v1/blocks/{id}`): bearer integration token,
 * a `Notion-Version` header, Notion's error objects, and its request limits
 * enforced (2,000 characters per rich text, 100 rich text objects, 100
 * children per request, two levels of nesting), so that a client that
 * ignores them fails here as it would there.
 */
/** The API versions Notion publishes; it refuses a request naming none of them. */
const NOTION_VERSIONS = [
  '2021-05-13',
  '2021-08-16',
  '2022-02-22',
  '2022-06-28',
  '2025-09-03',
];

export class FakeNotion extends FakeService {
  readonly pages = new Map<string, FakeNotionPage>();

  constructor(readonly options: { token: string; parentPageId: string }) {
    super();
  }

  /** Moves a page to the trash, as a user would. */
  trashPage(id: string) {
    const page = this.pages.get(id);
    if (page) page.in_trash = true;
  }

  protected refusal(kind: FakeRefusal): FakeReply {
    const [status, code, message] = {
      rate_limited: [
        429,
        'rate_limited',
        'You have been rate limited. Please try again in a few minutes.',
      ],
      down: [500, 'internal_server_error', 'Unexpected error.'],
      not_found: [404, 'object_not_found', 'Could not find page.'],
      unauthorized: [401, 'unauthorized', 'API token is invalid.'],
      forbidden: [
        403,
        'restricted_resource',
        'Insufficient permissions for this endpoint.',
      ],
    }[kind] as [number, string, string];
    return { status, body: error(status, code, message) };
  }

  protected authorized(req: RecordedRequest): boolean {
    return req.headers.authorization === `Bearer ${this.options.token}`;
  }

  protected answer(req: RecordedRequest): FakeReply {
    if (!NOTION_VERSIONS.includes(String(req.headers['notion-version']))) {
      return {
        status: 400,
        body: error(
          400,
          'missing_version',
          'Notion-Version header failed validation.',
        ),
      };
    }
    const url = new URL(req.path, 'http://fake');
    const body = jsonBody(req.body);
    const path = url.pathname;
    let m: RegExpExecArray | null;
    if (req.method === 'POST' && path === '/v1/pages')
      return this.createPage(body);
    m = /^\/v1\/pages\/([^/]+)$/.exec(path);
    if (m) {
      const page = this.pages.get(m[1]);
      if (!page) return notFound(m[1]);
      if (req.method === 'GET') return { body: pageObject(page) };
      if (req.method === 'PATCH') {
        if (page.in_trash) {
          return {
            status: 400,
            body: error(
              400,
              'validation_error',
              "Can't edit block that is archived.",
            ),
          };
        }
        const title = body?.properties?.title?.title;
        if (title) page.title = plain(title);
        return { body: pageObject(page) };
      }
    }
    m = /^\/v1\/blocks\/([^/]+)\/children$/.exec(path);
    if (m) {
      const page = this.pages.get(m[1]);
      if (!page) return notFound(m[1]);
      if (req.method === 'GET') {
        const size = Math.min(
          Number(url.searchParams.get('page_size') ?? 100),
          100,
        );
        const cursor = url.searchParams.get('start_cursor');
        const start = cursor ? page.blocks.findIndex(b => b.id === cursor) : 0;
        const results = page.blocks.slice(start, start + size);
        const next = page.blocks[start + size];
        return {
          body: {
            object: 'list',
            results: results.map(b => ({ object: 'block', ...b })),
            has_more: Boolean(next),
            next_cursor: next?.id ?? null,
            type: 'block',
            block: {},
          },
        };
      }
      if (req.method === 'PATCH') {
        if (page.in_trash) {
          return {
            status: 400,
            body: error(
              400,
              'validation_error',
              "Can't edit block that is archived.",
            ),
          };
        }
        const invalid = validateChildren(body?.children, 'body.children', 0);
        if (invalid)
          return { status: 400, body: error(400, 'validation_error', invalid) };
        const added = stored(body.children);
        page.blocks.push(...added);
        return {
          body: {
            object: 'list',
            results: added.map(b => ({ object: 'block', ...b })),
          },
        };
      }
    }
    m = /^\/v1\/blocks\/([^/]+)$/.exec(path);
    if (m && req.method === 'DELETE') {
      for (const page of this.pages.values()) {
        const index = page.blocks.findIndex(b => b.id === m![1]);
        if (index >= 0) {
          const [block] = page.blocks.splice(index, 1);
          return { body: { object: 'block', ...block, in_trash: true } };
        }
      }
      return notFound(m[1]);
    }
    return {
      status: 400,
      body: error(400, 'invalid_request_url', 'Invalid request URL.'),
    };
  }

  private createPage(body: any): FakeReply {
    const parentId = body?.parent?.page_id;
    const parentKnown =
      parentId === this.options.parentPageId || this.pages.has(parentId);
    if (!parentKnown) return notFound(parentId);
    const title = body?.properties?.title?.title;
    if (!Array.isArray(title)) {
      return {
        status: 400,
        body: error(
          400,
          'validation_error',
          'body.properties.title should be defined',
        ),
      };
    }
    const invalid = validateChildren(body.children ?? [], 'body.children', 0);
    if (invalid)
      return { status: 400, body: error(400, 'validation_error', invalid) };
    const page: FakeNotionPage = {
      id: randomUUID(),
      parentId,
      title: plain(title),
      in_trash: false,
      blocks: stored(body.children ?? []),
    };
    this.pages.set(page.id, page);
    return { body: pageObject(page) };
  }
}

/** The first limit a children array breaks, as Notion words it, or undefined. */
function validateChildren(
  children: unknown,
  path: string,
  depth: number,
): string | undefined {
  if (!Array.isArray(children)) return `${path} should be an array`;
  if (children.length > 100) {
    return `${path}.length should be ≤ \`100\`, instead was \`${children.length}\`.`;
  }
  for (const [i, block] of children.entries()) {
    const where = `${path}[${i}]`;
    const type = block?.type;
    const content = type && block[type];
    if (!content) return `${where}.${type} should be defined`;
    const richTexts: Array<[string, unknown]> = [];
    if (content.rich_text)
      richTexts.push([`${where}.${type}.rich_text`, content.rich_text]);
    if (type === 'table_row') {
      for (const [c, cell] of (content.cells ?? []).entries()) {
        richTexts.push([`${where}.table_row.cells[${c}]`, cell]);
      }
    }
    for (const [at, items] of richTexts) {
      if (!Array.isArray(items)) return `${at} should be an array`;
      if (items.length > 100)
        return `${at}.length should be ≤ \`100\`, instead was \`${items.length}\`.`;
      for (const [r, item] of items.entries()) {
        const length = item?.text?.content?.length ?? 0;
        if (length > 2000) {
          return `${at}[${r}].text.content.length should be ≤ \`2000\`, instead was \`${length}\`.`;
        }
      }
    }
    if (content.children) {
      if (depth >= 2)
        return `${where}.${type}.children should be not present, instead was defined (nesting is limited to two levels)`;
      const nested = validateChildren(
        content.children,
        `${where}.${type}.children`,
        depth + 1,
      );
      if (nested) return nested;
    }
  }
  return undefined;
}

function stored(children: any[]): FakeNotionBlock[] {
  return children.map(child => ({ ...child, id: randomUUID() }));
}

function plain(richText: any[]): string {
  return richText.map(r => r?.text?.content ?? '').join('');
}

function pageObject(page: FakeNotionPage) {
  return {
    object: 'page',
    id: page.id,
    parent: { type: 'page_id', page_id: page.parentId },
    archived: page.in_trash,
    in_trash: page.in_trash,
    url: `https://www.notion.so/${page.id.replace(/-/g, '')}`,
    properties: {
      title: {
        id: 'title',
        type: 'title',
        title: [
          {
            type: 'text',
            text: { content: page.title },
            plain_text: page.title,
          },
        ],
      },
    },
  };
}

function notFound(id: string): FakeReply {
  return {
    status: 404,
    body: error(
      404,
      'object_not_found',
      `Could not find page with ID: ${id}. Make sure the relevant pages and databases are shared with your integration.`,
    ),
  };
}

function error(status: number, code: string, message: string) {
  return { object: 'error', status, code, message, request_id: randomUUID() };
}
