import { Readable } from 'node:stream';
import { AuthService, DiscoveryService } from '@backstage/backend-plugin-api';
import { ResourcePermission } from '@backstage/plugin-permission-common';
import {
  DocumentCollatorFactory,
  IndexableDocument,
} from '@backstage/plugin-search-common';
import {
  Postmortem,
  POSTMORTEM_RESOURCE_TYPE,
  PostmortemsServiceClient,
} from '@postmortems-oss/backstage-plugin-postmortems-common';

/** A published post-mortem as Backstage Search indexes it. @public */
export interface PostmortemDocument extends IndexableDocument {
  incident_reference: string;
  severity: string;
  services: string[];
  published_at: string | null;
  /** The start of the Root cause section, for result snippets. */
  root_cause: string;
  /** Post-mortem permissions are keyed by incident id. */
  authorization: { resourceRef: string };
}

const PAGE_SIZE = 100;

/**
 * Feeds published post-mortems (never drafts) into Backstage Search. It reads
 * them page by page from the post-mortems backend and streams them, so memory
 * stays flat however many there are.
 *
 * Each document names its incident as the resource to authorize, so that with
 * a `visibilityPermission` the search backend shows a result only to those the
 * permission policy allows for that incident.
 *
 * @public
 */
export class PostmortemCollatorFactory implements DocumentCollatorFactory {
  readonly type = 'postmortem';
  readonly visibilityPermission?: ResourcePermission<
    typeof POSTMORTEM_RESOURCE_TYPE
  >;

  private readonly postmortems: PostmortemsServiceClient;

  constructor(deps: {
    auth: AuthService;
    discovery: DiscoveryService;
    visibilityPermission?: ResourcePermission<typeof POSTMORTEM_RESOURCE_TYPE>;
  }) {
    this.visibilityPermission = deps.visibilityPermission;
    this.postmortems = new PostmortemsServiceClient({
      auth: deps.auth,
      discovery: deps.discovery,
    });
  }

  async getCollator(): Promise<Readable> {
    return Readable.from(this.documents());
  }

  private async *documents(): AsyncGenerator<PostmortemDocument> {
    for (let page = 1; ; page++) {
      const body = await this.postmortems.listPostmortems({
        status: ['published'],
        include: ['content'],
        limit: PAGE_SIZE,
        page,
      });
      for (const postmortem of body.data) {
        if (postmortem.status === 'published') {
          yield toDocument(postmortem);
        }
      }
      if (body.data.length < PAGE_SIZE || page * PAGE_SIZE >= body.total) {
        return;
      }
    }
  }
}

/**
 * One search document: the whole text of the post-mortem, and facts to filter and show.
 *
 * @public
 */
export function toDocument(postmortem: Postmortem): PostmortemDocument {
  const incident = postmortem.incident;
  const reference = incident?.reference ?? postmortem.incident_id;
  const rootCause = postmortem.sections.find(s => s.key === 'root_cause');
  return {
    title: `${reference} ${incident?.title ?? ''}`.trim(),
    text: postmortem.sections
      .map(s => `${s.title}\n${plain(s.markdown)}`)
      .join('\n\n'),
    location: `/postmortems/incidents/${reference}`,
    incident_reference: reference,
    severity: incident?.severity ?? '',
    services: incident?.services ?? [],
    published_at: postmortem.published_at,
    root_cause: plain(rootCause?.markdown ?? '').slice(0, 300),
    authorization: { resourceRef: postmortem.incident_id },
  };
}

/** Markdown to plain words for the index. */
function plain(markdown: string): string {
  return markdown
    .replace(/`{3}[\s\S]*?`{3}/g, ' ')
    .replace(/[#>*_`|[\]()-]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}
