import { EntityName } from '@postmortems-oss/backstage-plugin-postmortems-node';
import { ENTITY_REF_PATTERN, nameOf } from '../evidence/entityNames';

/*
 * Incident text (titles, chat, alert names, actors) is data in a draft: it
 * must read as it was written and must not add links, images, HTML, emphasis
 * or table cells. Only the characters that would change the meaning are
 * escaped, so plain-text readers (search, exports) see few backslashes; code
 * spans the author typed stay code; entity refs become names.
 */

type Entities = Record<string, EntityName> | undefined;

/** Escapes what Markdown would read as markup, outside code spans. */
function escapeText(text: string, inTable: boolean): string {
  let out = text
    .replace(/[\\*[\]<`]/g, '\\$&')
    // An underscore inside a word is never emphasis (GFM); at its edges it may be.
    .replace(/(?<![A-Za-z0-9])_|_(?![A-Za-z0-9])/g, '\\_')
    // At the start of a line these would make a quote or a heading.
    .replace(/^[>#]/, '\\$&');
  // One tilde is "about"; two or more may strike text through.
  if ((out.match(/~/g) ?? []).length > 1) out = out.replace(/~/g, '\\~');
  if (inTable) out = out.replace(/\|/g, '\\|');
  return out;
}

/** A name as Markdown: a link to its catalog page when the catalog knows it. */
export function entityLink(ref: string, entities: Entities): string {
  const name = nameOf(ref, entities);
  const title = escapeText(name.title, true);
  return name.link ? `[${title}](${name.link})` : title;
}

/** Plain text with entity refs replaced by names, then escaped. */
function textWithNames(
  text: string,
  entities: Entities,
  inTable: boolean,
): string {
  let out = '';
  let last = 0;
  for (const match of text.matchAll(ENTITY_REF_PATTERN)) {
    out += escapeText(text.slice(last, match.index), inTable);
    out += entityLink(match[0], entities);
    last = match.index! + match[0].length;
  }
  return out + escapeText(text.slice(last), inTable);
}

/**
 * One line of incident text as inline Markdown. Line breaks are folded,
 * since every use is inline; `inTable` also escapes cell separators.
 */
export function inline(
  text: string,
  entities: Entities,
  options: { inTable?: boolean } = {},
): string {
  const inTable = options.inTable ?? false;
  const folded = text.replace(/\s+/g, ' ').trim();
  let out = '';
  let last = 0;
  // Balanced single-backtick spans are the author's code: kept as code.
  for (const match of folded.matchAll(/`([^`]+)`/g)) {
    out += textWithNames(folded.slice(last, match.index), entities, inTable);
    const code = inTable ? match[1].replace(/\|/g, '\\|') : match[1];
    out += `\`${code}\``;
    last = match.index! + match[0].length;
  }
  return out + textWithNames(folded.slice(last), entities, inTable);
}

/**
 * The first words of a text, never cut inside a word, with an ellipsis when
 * anything was left out.
 */
export function firstWords(text: string, maxChars: number): string {
  const folded = text.replace(/\s+/g, ' ').trim();
  if (folded.length <= maxChars) return folded;
  const cut = folded.slice(0, maxChars + 1);
  const space = cut.lastIndexOf(' ');
  return `${(space > 0 ? cut.slice(0, space) : cut.slice(0, maxChars)).replace(
    /[\s,;:.-]+$/,
    '',
  )}…`;
}

/**
 * How Markdown reads as plain text, backticks left out: for checks that
 * compare a draft with the text it was made from.
 */
export function plainText(markdown: string): string {
  return markdown
    .replace(/\[((?:\\.|[^\]\\])*)\]\([^)]*\)/g, '$1')
    .replace(/\\([\\`*_{}[\]()#+\-.!|<>~])/g, '$1')
    .replace(/`/g, '')
    .replace(/\s+/g, ' ');
}
