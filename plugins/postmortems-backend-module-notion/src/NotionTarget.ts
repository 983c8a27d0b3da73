import {
  APIErrorCode,
  BlockObjectRequest,
  Client,
  isHTTPResponseError,
  isNotionClientError,
  LogLevel,
} from '@notionhq/client';
import { countBlocks, NotionBlock, toNotionBlocks } from './notionBlocks';
import {
  describeNoAnswer,
  ExportDocument,
  failureOfStatus,
  fetchWithTimeout,
  PageTarget,
  parseRetryAfter,
  PublishedPage,
  RemoteFailure,
  RemoteServiceError,
  retryRateLimited,
} from '@postmortems-oss/backstage-plugin-postmortems-node';

/**
 * Where {@link NotionTarget} writes, and as which integration.
 *
 * @public
 */
export interface NotionTargetOptions {
  /** An internal integration's secret; the parent page must be shared with it. */
  token: string;
  /** The page new post-mortem pages are created under. */
  parentPageId: string;
  /** The API, for tests; Notion's by default. */
  baseUrl?: string;
  /** Per request, in milliseconds (default 15,000). */
  timeoutMs?: number;
  /** Retries of a rate-limited request (default 2). */
  maxRetries?: number;
}

/** Per append request: 100 blocks in the children array, 1,000 in all (nested ones counted). */
const BATCH_BLOCKS = 100;
const BATCH_TOTAL = 1000;

/**
 * Notion pages through the official client. Exporting again keeps the page
 * (its id, URL, comments and place in the workspace) and replaces what is on
 * it: the old blocks are deleted, the new ones appended in batches that fit
 * Notion's request limits. A page that was deleted or moved to the trash is
 * created again.
 *
 * @public
 */
export class NotionTarget implements PageTarget {
  private readonly client: Client;
  private readonly timeoutMs: number;

  constructor(private readonly options: NotionTargetOptions) {
    this.timeoutMs = options.timeoutMs ?? 15_000;
    this.client = new Client({
      auth: options.token,
      baseUrl: options.baseUrl,
      timeoutMs: this.timeoutMs,
      fetch: fetchWithTimeout(this.timeoutMs),
      // Rate limits are retried by `call`, with the same bounds as the
      // other targets; the client's own retries would multiply them.
      retry: false,
      logLevel: LogLevel.ERROR,
    });
  }

  async publish(
    document: ExportDocument,
    existingId: string | null,
  ): Promise<PublishedPage> {
    const blocks = toNotionBlocks(document.blocks);
    const title = [
      {
        type: 'text' as const,
        text: { content: document.title.slice(0, 2000) },
      },
    ];
    if (existingId && (await this.isLive(existingId))) {
      const page = await this.call(() =>
        this.client.pages.update({
          page_id: existingId,
          properties: { title: { title } },
        }),
      );
      await this.clear(existingId);
      await this.append(existingId, blocks);
      return {
        externalId: existingId,
        url: (page as { url?: string }).url ?? null,
        created: false,
      };
    }
    const [first, ...rest] = batches(blocks);
    const page = await this.call(() =>
      this.client.pages.create({
        parent: { page_id: this.options.parentPageId },
        properties: { title: { title } },
        children: (first ?? []) as BlockObjectRequest[],
      }),
    );
    for (const batch of rest) {
      await this.appendBatch(page.id, batch);
    }
    return {
      externalId: page.id,
      url: (page as { url?: string }).url ?? null,
      created: true,
    };
  }

  /** Whether the page still exists outside the trash. */
  private async isLive(pageId: string): Promise<boolean> {
    try {
      const page = (await this.call(() =>
        this.client.pages.retrieve({ page_id: pageId }),
      )) as { archived?: boolean; in_trash?: boolean };
      return !page.archived && !page.in_trash;
    } catch (error) {
      if (
        error instanceof RemoteServiceError &&
        error.failure === 'not_found'
      ) {
        return false;
      }
      throw error;
    }
  }

  /** Deletes every block on the page (listing first: deleting while paging skips some). */
  private async clear(pageId: string) {
    const ids: string[] = [];
    let cursor: string | undefined;
    do {
      const startCursor = cursor;
      const page = await this.call(() =>
        this.client.blocks.children.list({
          block_id: pageId,
          page_size: 100,
          start_cursor: startCursor,
        }),
      );
      ids.push(...page.results.map(block => block.id));
      cursor = page.has_more ? page.next_cursor ?? undefined : undefined;
    } while (cursor);
    for (const id of ids) {
      try {
        await this.call(() => this.client.blocks.delete({ block_id: id }));
      } catch (error) {
        // Deleted by someone else meanwhile: gone either way.
        if (
          !(
            error instanceof RemoteServiceError && error.failure === 'not_found'
          )
        ) {
          throw error;
        }
      }
    }
  }

  private async append(pageId: string, blocks: NotionBlock[]) {
    for (const batch of batches(blocks)) {
      await this.appendBatch(pageId, batch);
    }
  }

  private async appendBatch(pageId: string, batch: NotionBlock[]) {
    await this.call(() =>
      this.client.blocks.children.append({
        block_id: pageId,
        children: batch as BlockObjectRequest[],
      }),
    );
  }

  private async call<T>(request: () => Promise<T>): Promise<T> {
    try {
      return await retryRateLimited(
        request,
        error =>
          isHTTPResponseError(error) &&
          (error.status === 429 || error.code === APIErrorCode.RateLimited)
            ? parseRetryAfter(retryAfterOf(error.headers))
            : undefined,
        { maxRetries: this.options.maxRetries },
      );
    } catch (error) {
      if (isHTTPResponseError(error)) {
        let failure = failureOfStatus(error.status);
        if (error.code === APIErrorCode.ObjectNotFound) failure = 'not_found';
        if (error.code === APIErrorCode.RateLimited) failure = 'rate_limited';
        const messages: Record<RemoteFailure, string> = {
          unauthorized: `Notion refused the integration token (HTTP ${error.status}: ${error.message})`,
          rate_limited:
            'Notion is rate-limiting requests; try the export again later',
          not_found: `Notion cannot find the page (is it shared with the integration?): ${error.message}`,
          failed: `Notion answered HTTP ${error.status}: ${error.message}`,
        };
        throw new RemoteServiceError(
          'export',
          failure,
          messages[failure],
          error.status,
        );
      }
      if (isNotionClientError(error) || error instanceof Error) {
        throw new RemoteServiceError(
          'export',
          'failed',
          describeNoAnswer('Notion', error, this.timeoutMs),
        );
      }
      throw error;
    }
  }
}

/**
 * Splits blocks into append requests: at most 100 top-level blocks and 1,000
 * blocks counting nested ones, in order.
 */
export function batches(blocks: NotionBlock[]): NotionBlock[][] {
  const out: NotionBlock[][] = [];
  let current: NotionBlock[] = [];
  let total = 0;
  for (const block of blocks) {
    const size = countBlocks([block]);
    if (
      current.length > 0 &&
      (current.length >= BATCH_BLOCKS || total + size > BATCH_TOTAL)
    ) {
      out.push(current);
      current = [];
      total = 0;
    }
    current.push(block);
    total += size;
  }
  if (current.length) out.push(current);
  return out;
}

function retryAfterOf(headers: unknown): string | null {
  if (headers && typeof (headers as Headers).get === 'function') {
    return (headers as Headers).get('retry-after');
  }
  const value = (headers as Record<string, unknown> | undefined)?.[
    'retry-after'
  ];
  return typeof value === 'string' ? value : null;
}
