import bidiFactory from 'bidi-js';
import { FallbackFont, FallbackFonts } from './fonts';

/*
 * Text as pdfkit can draw it: pieces of one font each, in the order they
 * appear on the line. Characters the standard fonts show keep them (and with
 * them bold and italic); a word with any other character is drawn in the
 * fallback font of each of its characters, so that a name like "Łódź" is not
 * split between two families. Right-to-left runs are placed by the Unicode
 * bidirectional algorithm; inside a run of Arabic or Hebrew, fontkit shapes
 * the letters and lays the glyphs out from right to left itself.
 */

/** What an emoji is drawn as: the fonts embedded have no colour glyphs. */
export const EMOJI_PLACEHOLDER = '[emoji]';

/** A piece of text in one font, with the style of the run it came from. */
export interface Piece<T> {
  text: string;
  /** A standard font name, or the fallback font to register and use. */
  font: string | FallbackFont;
  style: T;
}

/** Characters the standard fonts' WinAnsi encoding can show. */
const WIN_ANSI_EXTRA = new Set(Array.from('€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ'));

function isWinAnsi(ch: string): boolean {
  const code = ch.codePointAt(0)!;
  return (
    (code >= 0x20 && code <= 0x7e) ||
    (code >= 0xa0 && code <= 0xff) ||
    WIN_ANSI_EXTRA.has(ch) ||
    ch === '\n' ||
    ch === '\t'
  );
}

// A pictograph with its variation selector, skin tone and joined parts
// (👩‍💻 is one), or a pair of regional indicators (a flag).
const EMOJI =
  /(?:\p{Extended_Pictographic}(?:\uFE0F|\p{Emoji_Modifier})?(?:\u200D\p{Extended_Pictographic}(?:\uFE0F|\p{Emoji_Modifier})?)*|\p{Regional_Indicator}{2})/gu;

/** Emoji as the placeholder, control characters dropped. */
export function drawableText(text: string): string {
  return (
    text
      .replace(EMOJI, match =>
        // ©, ®, ™ and the like are pictographs only with U+FE0F.
        /^[\u00a9\u00ae\u2122]$/.test(match) ? match : EMOJI_PLACEHOLDER,
      )
      // eslint-disable-next-line no-control-regex
      .replace(/[\u0000-\u0008\u000b-\u001f\u007f\uFE0F\u200D]/g, '')
  );
}

const RTL_SCRIPT = /[\p{Script=Arabic}\p{Script=Hebrew}]/u;
const REPLACEMENT = '\uFFFD';

let bidi: ReturnType<typeof bidiFactory> | undefined;

/** Splits runs into pieces of one font each, in logical order. */
function fontPieces<T extends { text: string }>(
  runs: T[],
  standardFont: (run: T) => string,
  fonts: FallbackFonts,
): Piece<T>[] {
  const pieces: Piece<T>[] = [];
  const push = (text: string, font: Piece<T>['font'], style: T) => {
    const last = pieces[pieces.length - 1];
    if (last && last.style === style && last.font === font) last.text += text;
    else pieces.push({ text, font, style });
  };
  for (const run of runs) {
    const standard = standardFont(run);
    for (const token of drawableText(run.text).match(/\s+|\S+/g) ?? []) {
      const chars = Array.from(token);
      if (chars.every(isWinAnsi)) {
        push(token, standard, run);
        continue;
      }
      for (const ch of chars) {
        const font = fonts.fontFor(ch.codePointAt(0)!);
        if (font) push(ch, font, run);
        else push(REPLACEMENT, fonts.fontFor(0xfffd) ?? standard, run);
      }
    }
  }
  return pieces;
}

/**
 * The runs of a paragraph as pieces in visual order; the paragraph's
 * direction is its first strong character's.
 */
export function visualPieces<T extends { text: string }>(
  runs: T[],
  standardFont: (run: T) => string,
  fonts: FallbackFonts,
): { pieces: Piece<T>[] } {
  const logical = fontPieces(runs, standardFont, fonts);
  const text = logical.map(p => p.text).join('');
  // Without a character from the right-to-left blocks there is nothing to move.
  if (
    !/[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc\u{10800}-\u{10fff}\u{1e800}-\u{1efff}]/u.test(
      text,
    )
  ) {
    return { pieces: logical };
  }
  bidi ??= bidiFactory();
  const { levels } = bidi.getEmbeddingLevels(text, 'auto');

  // Pieces split where the embedding level changes.
  const leveled: Array<Piece<T> & { level: number }> = [];
  let offset = 0;
  for (const piece of logical) {
    let start = 0;
    for (let i = 1; i <= piece.text.length; i++) {
      const at = offset + i;
      if (i === piece.text.length || levels[at] !== levels[at - 1]) {
        leveled.push({
          ...piece,
          text: piece.text.slice(start, i),
          level: levels[offset + start],
        });
        start = i;
      }
    }
    offset += piece.text.length;
  }

  // Rule L2: from the highest level down to the lowest odd one, reverse
  // every sequence of pieces at that level or above.
  const max = Math.max(...leveled.map(p => p.level));
  const minOdd = Math.min(...leveled.map(p => p.level | 1));
  for (let level = max; level >= minOdd; level--) {
    for (let i = 0; i < leveled.length; i++) {
      if (leveled[i].level < level) continue;
      let end = i;
      while (end + 1 < leveled.length && leveled[end + 1].level >= level) end++;
      const reversed = leveled.slice(i, end + 1).reverse();
      leveled.splice(i, reversed.length, ...reversed);
      i = end;
    }
  }

  const pieces = leveled.map(({ level, ...piece }) => {
    // fontkit reverses a run in a right-to-left script; neutral characters
    // on their own (spaces, brackets between Hebrew words) are turned here.
    if (level % 2 === 1 && !RTL_SCRIPT.test(piece.text)) {
      return {
        ...piece,
        text: Array.from(piece.text)
          .reverse()
          .map(ch => bidi!.getMirroredCharacter(ch) ?? ch)
          .join(''),
      };
    }
    return piece;
  });
  return { pieces };
}
