import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/*
 * Fonts for text the PDF's standard fonts cannot show: Noto Sans from the
 * Fontsource packages, one family per script group. Fontsource splits each
 * family into subsets (Latin, Greek, Cyrillic, ... or numbered slices of
 * CJK) and says in unicode.json which characters each holds, so only the
 * slices a document uses are read, and pdfkit embeds only the glyphs drawn.
 */

/** A font file of one subset, as pdfkit registers it. */
export interface FallbackFont {
  /** pdfkit's name for it, e.g. `noto-sans-arabic-arabic`. */
  name: string;
  path: string;
}

interface Family {
  packageName: string;
  id: string;
  /** The file of a subset's regular weight, under the package's files/. */
  file(subset: string): string;
}

// Variable fonts are one file per subset, a tenth of the static weights'
// size. Noto Sans and Noto Sans Arabic are read from their static WOFF (not
// WOFF2) files because fontkit cannot subset the composite glyphs of a
// WOFF2 (Ł, ź, Greek tonos, whole Arabic letters).
const staticWoff = (packageName: string, id: string): Family => ({
  packageName,
  id,
  file: subset => `${id}-${subset}-400-normal.woff`,
});
const variable = (packageName: string, id: string): Family => ({
  packageName,
  id,
  // The variable font's default instance is the regular weight.
  file: subset => `${id}-${subset}-wght-normal.woff2`,
});

// In the order they are tried: a character is drawn in the first family
// whose subset holds it.
const FAMILIES: Family[] = [
  // Latin, Latin Extended, Greek, Cyrillic, Vietnamese and Devanagari.
  staticWoff('@fontsource/noto-sans', 'noto-sans'),
  staticWoff('@fontsource/noto-sans-arabic', 'noto-sans-arabic'),
  variable('@fontsource-variable/noto-sans-hebrew', 'noto-sans-hebrew'),
  // Chinese with Japanese kana; Korean is tried first for Hangul (below).
  variable('@fontsource-variable/noto-sans-sc', 'noto-sans-sc'),
  variable('@fontsource-variable/noto-sans-kr', 'noto-sans-kr'),
];

interface Subset {
  font: FallbackFont;
  ranges: Array<[number, number]>;
}

/** `U+0000-00FF,U+0131` as code point ranges. */
export function parseUnicodeRanges(text: string): Array<[number, number]> {
  return text
    .split(',')
    .map(part => part.trim().replace(/^U\+/i, ''))
    .filter(Boolean)
    .map(part => {
      const [from, to = from] = part.split('-');
      return [parseInt(from, 16), parseInt(to, 16)] as [number, number];
    });
}

function subsetsOf(family: Family): Subset[] {
  const unicodeJson = require.resolve(`${family.packageName}/unicode.json`);
  const ranges: Record<string, string> = JSON.parse(
    readFileSync(unicodeJson, 'utf8'),
  );
  return Object.entries(ranges).map(([subset, text]) => {
    // Numbered CJK slices are named `[12]` in unicode.json and `12` in files.
    const name = subset.replace(/^\[(\d+)\]$/, '$1');
    return {
      font: {
        name: `${family.id}-${name}`,
        path: join(dirname(unicodeJson), 'files', family.file(name)),
      },
      ranges: parseUnicodeRanges(text),
    };
  });
}

const isHangul = (cp: number) =>
  (cp >= 0x1100 && cp <= 0x11ff) ||
  (cp >= 0x3130 && cp <= 0x318f) ||
  (cp >= 0xa960 && cp <= 0xa97f) ||
  (cp >= 0xac00 && cp <= 0xd7af) ||
  (cp >= 0xd7b0 && cp <= 0xd7ff);

/** Finds the font for a character among the families, in their order. */
export class FallbackFonts {
  private families?: Subset[][];
  private readonly cache = new Map<number, FallbackFont | null>();

  /** The font to draw `codePoint` in, or undefined when none has it. */
  fontFor(codePoint: number): FallbackFont | undefined {
    let font = this.cache.get(codePoint);
    if (font === undefined) {
      font = this.find(codePoint) ?? null;
      this.cache.set(codePoint, font);
    }
    return font ?? undefined;
  }

  private find(codePoint: number): FallbackFont | undefined {
    this.families ??= FAMILIES.map(subsetsOf);
    const order = isHangul(codePoint)
      ? [...this.families].reverse()
      : this.families;
    for (const subsets of order) {
      for (const subset of subsets) {
        if (subset.ranges.some(([a, b]) => codePoint >= a && codePoint <= b)) {
          return subset.font;
        }
      }
    }
    return undefined;
  }
}
