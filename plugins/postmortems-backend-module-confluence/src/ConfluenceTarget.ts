import { toConfluenceStorage } from './confluenceStorage';
import {
  authorizedJson,
  describeNoAnswer,
  ExportDocument,
  failureOfStatus,
  HttpStatusError,
  PageTarget,
  PublishedPage,
  rateLimitedWait,
  RemoteFailure,
  RemoteServiceError,
  retryRateLimited,
} from '@postmortems-oss/backstage-plugin-postmortems-node';

/**
 * Where {@link ConfluenceTarget} writes, and as whom: a Confluence Cloud site
 * (the default) or a Data Center/Server installation.
 *
 * @public
 */
export type ConfluenceTargetOptions = {
  /**
   * Cloud: the site, e.g. `https://acme.atlassian.net` (`/wiki/rest/api` is
   * added). Data Center: the server with its context path, e.g.
   * `https://wiki.acme.com/confluence` (`/rest/api` is added).
   */
  baseUrl: string;
  /** The space new pages are created in. */
  spaceKey: string;
  /** New pages go under this page; without it, at the top of the space. */
  parentPageId?: string;
  /** Per request, in milliseconds (default 15,000). */
  timeoutMs?: number;
  /** Retries of a rate-limited request (default 2). */
  maxRetries?: number;
} & (
  | {
      flavour?: 'cloud';
      /** The Atlassian account an API token belongs to (Basic auth). */
      email: string;
      /** An API token of `email`. */
      apiToken: string;
    }
  | {
      flavour: 'datacenter';
      /** A personal access token, sent as `Authorization: Bearer`. */
      personalAccessToken: string;
    }
);

/** An answer other than 2xx, kept with what retries and mapping need. */
interface ContentResponse {
  id: string;
  version?: { number?: number };
  _links?: { base?: string; webui?: string };
}

/**
 * Confluence pages through the REST API: Cloud's `/wiki/rest/api/content`
 * with an account's API token, or Data Center's `/rest/api/content` (REST v1,
 * the only one it has) with a personal access token.
 * A post-mortem exported again updates its page (version + 1), so the page
 * keeps its history, comments and links; a page deleted in Confluence is
 * created again.
 *
 * @public
 */
export class ConfluenceTarget implements PageTarget {
  private readonly siteUrl: string;
  private readonly apiUrl: string;
  private readonly timeoutMs: number;
  private readonly authorization: string;
  /** Whose credentials, for messages. */
  private readonly who: string;

  constructor(private readonly options: ConfluenceTargetOptions) {
    const site = options.baseUrl.replace(/\/+$/, '');
    if (options.flavour === 'datacenter') {
      // Data Center has no /wiki: the base URL carries the context path.
      this.siteUrl = site;
      this.authorization = `Bearer ${options.personalAccessToken}`;
      this.who = 'the personal access token';
    } else {
      this.siteUrl = `${site}/wiki`;
      this.authorization = `Basic ${Buffer.from(
        `${options.email}:${options.apiToken}`,
      ).toString('base64')}`;
      this.who = `the credentials of ${options.email}`;
    }
    this.apiUrl = `${this.siteUrl}/rest/api`;
    this.timeoutMs = options.timeoutMs ?? 15_000;
  }

  async publish(
    document: ExportDocument,
    existingId: string | null,
  ): Promise<PublishedPage> {
    const body = {
      representation: 'storage',
      value: toConfluenceStorage(document.blocks),
    };
    if (existingId) {
      const updated = await this.update(existingId, document.title, body);
      if (updated) return { ...this.pageOf(updated), created: false };
    }
    const created = await this.call<ContentResponse>('POST', '/content', {
      type: 'page',
      title: document.title,
      space: { key: this.options.spaceKey },
      ...(this.options.parentPageId
        ? { ancestors: [{ id: this.options.parentPageId }] }
        : {}),
      body: { storage: body },
    });
    return { ...this.pageOf(created), created: true };
  }

  /** The updated page, or undefined when it no longer exists. */
  private async update(
    id: string,
    title: string,
    storage: { representation: string; value: string },
  ): Promise<ContentResponse | undefined> {
    const path = `/content/${encodeURIComponent(id)}`;
    try {
      // Someone may have edited the page in Confluence since: the update
      // must name the version after the current one, not after ours.
      const current = await this.call<ContentResponse>(
        'GET',
        `${path}?expand=version`,
      );
      return await this.call<ContentResponse>('PUT', path, {
        id,
        type: 'page',
        title,
        version: {
          number: (current.version?.number ?? 0) + 1,
          message: 'Exported from Backstage post-mortems',
        },
        body: { storage },
      });
    } catch (error) {
      if (
        error instanceof RemoteServiceError &&
        error.failure === 'not_found'
      ) {
        return undefined;
      }
      throw error;
    }
  }

  private pageOf(content: ContentResponse): Omit<PublishedPage, 'created'> {
    const links = content._links;
    const url =
      links?.webui !== undefined
        ? `${links.base ?? this.siteUrl}${links.webui}`
        : `${this.siteUrl}/pages/viewpage.action?pageId=${content.id}`;
    return { externalId: String(content.id), url };
  }

  private async call<T>(
    method: string,
    path: string,
    body?: unknown,
  ): Promise<T> {
    try {
      return await retryRateLimited(
        () => this.send<T>(method, path, body),
        rateLimitedWait,
        { maxRetries: this.options.maxRetries },
      );
    } catch (error) {
      if (error instanceof HttpStatusError) {
        const failure = failureOfStatus(error.status);
        const messages: Record<RemoteFailure, string> = {
          unauthorized: `Confluence refused ${this.who} (HTTP ${error.status})`,
          rate_limited:
            'Confluence is rate-limiting requests; try the export again later',
          not_found: `Confluence answered ${method} ${
            path.split('?')[0]
          } with HTTP 404: ${error.message}`,
          failed: `Confluence answered ${method} ${
            path.split('?')[0]
          } with HTTP ${error.status}: ${error.message}`,
        };
        throw new RemoteServiceError(
          'export',
          failure,
          messages[failure],
          error.status,
        );
      }
      throw new RemoteServiceError(
        'export',
        'failed',
        describeNoAnswer('Confluence', error, this.timeoutMs),
      );
    }
  }

  private send<T>(method: string, path: string, body?: unknown): Promise<T> {
    return authorizedJson<T>({
      url: `${this.apiUrl}${path}`,
      method,
      body,
      authorization: this.authorization,
      timeoutMs: this.timeoutMs,
      describe: messageOf,
    });
  }
}

/** Confluence's error body names the problem in `message`. */
function messageOf(text: string): string {
  try {
    const message = (JSON.parse(text) as { message?: unknown }).message;
    if (typeof message === 'string') return message.slice(0, 300);
  } catch {
    // not JSON: a proxy's page
  }
  return text.slice(0, 200) || 'no details';
}
