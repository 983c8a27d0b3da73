import { FakeReply, RecordedRequest } from './fakeServers';
import { basicCredentials, jsonBody } from './fakeFaults';
import { FakeRefusal, FakeService } from './fakeService';

export interface FakeConfluencePage {
  id: string;
  title: string;
  spaceKey: string;
  parentId?: string;
  version: number;
  /** The storage-format body, as last written. */
  storage: string;
}

/** A Confluence Cloud site's account, or a Data Center server's token. */
export type FakeConfluenceOptions = { spaceKey: string } & (
  | { flavour?: 'cloud'; email: string; apiToken: string }
  | {
      flavour: 'datacenter';
      personalAccessToken: string;
      /** Where the server is mounted, e.g. `/confluence` (default: the root). */
      contextPath?: string;
    }
);

/**
 * A Confluence site speaking the REST API the exporter uses: Cloud under
 * `/wiki/rest/api/content` with Basic auth of an account's email and API
 * token, or Data Center/Server under its context path's `/rest/api/content`
 * with `Bearer` and a personal access token (the other flavour's prefix or
 * credentials are refused). Pages with versions that an update must
 * increment by one, titles unique within a space, Confluence's error bodies,
 * and switchable faults.
 */
export class FakeConfluence extends FakeService {
  readonly pages = new Map<string, FakeConfluencePage>();
  private nextId = 98_000;
  private readonly prefix: string;

  constructor(readonly options: FakeConfluenceOptions) {
    super();
    this.prefix =
      options.flavour === 'datacenter'
        ? `${options.contextPath ?? ''}/rest/api`
        : '/wiki/rest/api';
  }

  /** Deletes a page, as a user of the wiki would. */
  deletePage(id: string) {
    this.pages.delete(id);
  }

  protected refusal(kind: FakeRefusal): FakeReply {
    const [status, message] = {
      rate_limited: [429, 'Rate limit exceeded'],
      down: [500, 'Internal error'],
      not_found: [404, 'Not found'],
      unauthorized: [
        401,
        'Basic authentication with passwords is deprecated or the credentials are wrong',
      ],
      forbidden: [403, 'User not permitted to create pages in this space'],
    }[kind] as [number, string];
    return { status, body: error(status, message) };
  }

  protected authorized(req: RecordedRequest): boolean {
    const options = this.options;
    if (options.flavour === 'datacenter') {
      return (
        req.headers.authorization === `Bearer ${options.personalAccessToken}`
      );
    }
    return (
      basicCredentials(req.headers.authorization) ===
      `${options.email}:${options.apiToken}`
    );
  }

  protected answer(req: RecordedRequest): FakeReply {
    const url = new URL(req.path, 'http://fake');
    const match = url.pathname.startsWith(`${this.prefix}/content`)
      ? /^\/content(?:\/([^/]+))?$/.exec(url.pathname.slice(this.prefix.length))
      : null;
    if (!match) return { status: 404, body: error(404, 'No such resource') };
    const id = match[1] && decodeURIComponent(match[1]);
    const body = jsonBody(req.body);

    if (req.method === 'POST' && !id) return this.create(body);
    const page = id ? this.pages.get(id) : undefined;
    if (!page) {
      return {
        status: 404,
        body: error(404, `No content found with id: ${id}`),
      };
    }
    if (req.method === 'GET') return { body: this.content(page) };
    if (req.method === 'PUT') return this.update(page, body);
    return { status: 405, body: error(405, 'Method not allowed') };
  }

  private create(body: any): FakeReply {
    const storage = body?.body?.storage;
    if (
      body?.type !== 'page' ||
      !body.title ||
      storage?.representation !== 'storage'
    ) {
      return {
        status: 400,
        body: error(400, 'A page needs a type, title and storage body'),
      };
    }
    if (body.space?.key !== this.options.spaceKey) {
      return {
        status: 404,
        body: error(404, `No space with key : ${body.space?.key}`),
      };
    }
    if (this.titleTaken(body.title)) {
      return {
        status: 400,
        body: error(
          400,
          'A page with this title already exists: A page already exists with the same TITLE in this space',
        ),
      };
    }
    const page: FakeConfluencePage = {
      id: String(this.nextId++),
      title: body.title,
      spaceKey: body.space.key,
      parentId: body.ancestors?.[0]?.id,
      version: 1,
      storage: storage.value,
    };
    this.pages.set(page.id, page);
    return { status: 200, body: this.content(page) };
  }

  private update(page: FakeConfluencePage, body: any): FakeReply {
    // Confluence needs the whole page on an update, not only what changed.
    if (
      body?.type !== 'page' ||
      typeof body.title !== 'string' ||
      !body.title ||
      typeof body.version?.number !== 'number'
    ) {
      return {
        status: 400,
        body: error(400, 'An update needs the type, title and version'),
      };
    }
    const number = body.version.number;
    if (number !== page.version + 1) {
      return {
        status: 409,
        body: error(
          409,
          `Version must be incremented on update. Current version is: ${page.version}`,
        ),
      };
    }
    if (body.title !== page.title && this.titleTaken(body.title)) {
      return {
        status: 400,
        body: error(400, 'A page with this title already exists'),
      };
    }
    page.version = number;
    page.title = body.title;
    page.storage = body.body?.storage?.value ?? page.storage;
    return { body: this.content(page) };
  }

  private titleTaken(title: string) {
    return [...this.pages.values()].some(p => p.title === title);
  }

  private content(page: FakeConfluencePage) {
    if (this.options.flavour === 'datacenter') {
      const base = `${this.url}${this.options.contextPath ?? ''}`;
      return {
        id: page.id,
        type: 'page',
        status: 'current',
        title: page.title,
        space: { key: page.spaceKey },
        version: { number: page.version },
        _links: { base, webui: `/pages/viewpage.action?pageId=${page.id}` },
      };
    }
    return {
      id: page.id,
      type: 'page',
      status: 'current',
      title: page.title,
      space: { key: page.spaceKey },
      version: { number: page.version },
      _links: {
        base: `${this.url}/wiki`,
        webui: `/spaces/${page.spaceKey}/pages/${page.id}`,
      },
    };
  }
}

function error(statusCode: number, message: string) {
  return { statusCode, message, data: { authorized: statusCode !== 401 } };
}
