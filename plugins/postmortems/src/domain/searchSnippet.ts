/** A piece of text, marked when it is one of the searched words. */
export interface TextPart {
  text: string;
  match: boolean;
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * The words of a search term as a pattern matching them at the start of a
 * word, case-insensitively; a plural's `s` is optional (search engines stem).
 * Undefined for a term without words.
 */
function patternOf(term: string): RegExp | undefined {
  const words = [
    ...new Set(
      term
        .toLocaleLowerCase()
        .split(/[^\p{L}\p{N}_-]+/u)
        .filter(word => word.length > 1)
        .map(word => (word.length > 3 ? word.replace(/e?s$/, '') : word)),
    ),
  ].sort((a, b) => b.length - a.length);
  if (!words.length) return undefined;
  return new RegExp(
    `(?<![\\p{L}\\p{N}])(?:${words
      .map(escapeRegExp)
      .join('|')})[\\p{L}\\p{N}]*`,
    'giu',
  );
}

/** `text` cut into parts, the words of `term` marked. */
export function markWords(text: string, term: string): TextPart[] {
  const pattern = patternOf(term);
  if (!pattern) return text ? [{ text, match: false }] : [];
  const parts: TextPart[] = [];
  let last = 0;
  for (const found of text.matchAll(pattern)) {
    const at = found.index ?? 0;
    if (at > last) parts.push({ text: text.slice(last, at), match: false });
    parts.push({ text: found[0], match: true });
    last = at + found[0].length;
  }
  if (last < text.length) parts.push({ text: text.slice(last), match: false });
  return parts;
}

/**
 * A search engine's highlighted text (the matches between `preTag` and
 * `postTag`) as parts; tags are read as delimiters, never as markup.
 */
export function partsOfHighlight(
  text: string,
  preTag: string,
  postTag: string,
): TextPart[] {
  const parts: TextPart[] = [];
  let rest = text;
  while (rest) {
    const open = rest.indexOf(preTag);
    if (open < 0) break;
    const close = rest.indexOf(postTag, open + preTag.length);
    if (close < 0) break;
    if (open > 0) parts.push({ text: rest.slice(0, open), match: false });
    parts.push({ text: rest.slice(open + preTag.length, close), match: true });
    rest = rest.slice(close + postTag.length);
  }
  if (rest) parts.push({ text: rest, match: false });
  return parts;
}

/**
 * About `length` characters of marked text around its first match, cut at
 * word boundaries, with `…` where it is cut; undefined without a match.
 */
export function windowAround(
  parts: TextPart[],
  length = 240,
): TextPart[] | undefined {
  const text = parts.map(p => p.text).join('');
  let at = -1;
  let matchEnd = 0;
  let offset = 0;
  for (const part of parts) {
    if (part.match && at < 0) {
      at = offset;
      matchEnd = offset + part.text.length;
    }
    offset += part.text.length;
  }
  if (at < 0) return undefined;
  // Some context before the match, most of the room after it.
  let start = Math.max(0, at - Math.floor(length / 4));
  let end = Math.min(text.length, start + length);
  start = Math.max(0, Math.min(start, end - length));
  if (start > 0) {
    const space = text.indexOf(' ', start);
    start = space >= 0 && space < at ? space + 1 : start;
  }
  if (end < text.length) {
    const space = text.lastIndexOf(' ', end);
    end = space > matchEnd ? space : end;
  }
  const window: TextPart[] = [];
  offset = 0;
  for (const part of parts) {
    const from = Math.max(start, offset);
    const to = Math.min(end, offset + part.text.length);
    if (from < to) {
      window.push({
        text: part.text.slice(from - offset, to - offset),
        match: part.match,
      });
    }
    offset += part.text.length;
  }
  if (start > 0) window.unshift({ text: '…', match: false });
  if (end < text.length) window.push({ text: '…', match: false });
  return window;
}

/**
 * A snippet of `text` around the first of the searched words, about `length`
 * characters cut at word boundaries, with `…` where it is cut, every searched
 * word marked; undefined when no word of the term is in the text.
 */
export function snippetAround(
  text: string,
  term: string,
  length = 240,
): TextPart[] | undefined {
  return windowAround(markWords(text, term), length);
}
