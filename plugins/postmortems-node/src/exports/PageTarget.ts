import { Block } from './markdownDocument';

/**
 * A post-mortem ready to be written to a page.
 *
 * @public
 */
export interface ExportDocument {
  /** The page title: the post-mortem's `# ` title. */
  title: string;
  /** The rest of the post-mortem Markdown, parsed. */
  blocks: Block[];
}

/** @public */
export interface PublishedPage {
  externalId: string;
  url: string | null;
  /** True when a new page was made (first export, or the old page was deleted). */
  created: boolean;
}

/**
 * A wiki that holds one page per post-mortem (Confluence, Notion). Failures
 * are thrown as RemoteServiceError with area `export`.
 *
 * @public
 */
export interface PageTarget {
  /**
   * Writes the document to the page `existingId` (the one made by an earlier
   * export), or to a new page when there is none or it was deleted.
   */
  publish(
    document: ExportDocument,
    existingId: string | null,
  ): Promise<PublishedPage>;
}
