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
      .map(s => `${s.title}\n${markdownToPlainText(s.markdown)}`)
      .join('\n\n'),
    location: `/postmortems/incidents/${reference}`,
    incident_reference: reference,
    severity: incident?.severity ?? '',
    services: incident?.services ?? [],
    published_at: postmortem.published_at,
    root_cause: markdownToPlainText(rootCause?.markdown ?? '').slice(0, 300),
    authorization: { resourceRef: postmortem.incident_id },
  };
}

/** ASCII punctuation, which Markdown lets a backslash escape. */
const ESCAPABLE = /\\([!-/:-@[-`{-~])/g;
/** Escaped characters wait here while the syntax is taken away. */
const HELD = /\uE000(\d+)\uE001/g;

/**
 * Markdown to the plain text a reader sees, for the index and its snippets:
 * the words of links, images, emphasis, code, quotes, lists and tables stay;
 * their syntax, link targets and HTML tags go; escaped characters
 * (`\[`, `\|`, `\*`) are the characters themselves, without the backslash.
 */
export function markdownToPlainText(markdown: string): string {
  const held: string[] = [];
  const hold = (text: string) => `\uE000${held.push(text) - 1}\uE001`;
  let text = markdown.replace(/\r\n?/g, '\n');
  // Code keeps its text as written, escapes and all.
  text = text.replace(
    /^ {0,3}(`{3,}|~{3,})[^\n]*\n([\s\S]*?)(?:\n {0,3}\1[`~]*[ \t]*(?=\n|$)|$)/gm,
    (_m, _fence, code: string) => hold(code),
  );
  text = text.replace(/(`+)([^`]|[^`][\s\S]*?[^`])\1(?!`)/g, (_m, _t, code) =>
    hold(code.trim()),
  );
  text = text.replace(ESCAPABLE, (_m, char: string) => hold(char));
  text = text
    // Autolinks keep their address, other tags go.
    .replace(/<((?:https?|mailto):[^\s>]+)>/gi, (_m, url) => hold(url))
    .replace(/<!--[\s\S]*?-->/g, ' ')
    .replace(/<\/?[a-z][^>]*>/gi, ' ')
    // Images and links keep their words.
    .replace(/!\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/\[([^\]]*)\]\((?:[^()]|\([^)]*\))*\)/g, '$1')
    .replace(/\[([^\]]*)\]\[[^\]]*\]/g, '$1')
    .replace(/^ {0,3}\[[^\]]+\]:\s+\S+.*$/gm, ' ')
    // Block syntax at the start of a line.
    .replace(/^ {0,3}(?:[-*_][ \t]*){3,}$/gm, ' ')
    .replace(
      /^ {0,3}\|?[ \t]*:?-{2,}:?[ \t]*(?:\|[ \t]*:?-{2,}:?[ \t]*)*\|?[ \t]*$/gm,
      ' ',
    )
    .replace(/^[ \t]*(?:>[ \t]?)+/gm, '')
    .replace(/^ {0,3}#{1,6}[ \t]+|[ \t]+#+[ \t]*$/gm, '')
    .replace(/^[ \t]*(?:[-*+]|\d{1,9}[.)])[ \t]+(?:\[[ xX]\][ \t]+)?/gm, '')
    .replace(/^ {0,3}(?:=+|-+)[ \t]*$/gm, ' ')
    // Table cells.
    .replace(/\|/g, ' ')
    // Emphasis and strike-through, not the _ of snake_case or the * of 2 * 3.
    .replace(/(^|[^\p{L}\p{N}])(\*{1,3}|_{1,3}|~~)(?=\S)/gu, '$1')
    .replace(/(\S)(\*{1,3}|_{1,3}|~~)(?=$|[^\p{L}\p{N}])/gmu, '$1');
  return text
    .replace(HELD, (_m, index: string) => held[Number(index)])
    .replace(/\s+/g, ' ')
    .trim();
}
