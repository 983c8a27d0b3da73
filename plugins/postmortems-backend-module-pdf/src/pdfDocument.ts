import PDFDocument from 'pdfkit';
import {
  Block,
  Inline,
  ListItem,
  plainText,
} from '@postmortems-oss/backstage-plugin-postmortems-node';
import { FallbackFonts } from './fonts';
import { Piece, visualPieces } from './scriptRuns';

const BODY_SIZE = 10.5;
const HEADING_SIZES = [20, 16, 13, 12, 11, 11];
const INDENT = 16;

// fontkit takes features to turn off as {tag: false}; pdfkit's type only
// knows the list of tags to turn on, and passes either through.
const NO_GLYPH_DECOMPOSITION = {
  ccmp: false,
} as unknown as PDFKit.Mixins.OpenTypeFeatures[];

/** Fonts are read once per process; each document embeds what it draws. */
const fallbackFonts = new FallbackFonts();

class Layout {
  private readonly left: number;
  private readonly width: number;
  private readonly registered = new Set<string>();

  constructor(private readonly doc: PDFKit.PDFDocument) {
    this.left = doc.page.margins.left;
    this.width =
      doc.page.width - doc.page.margins.left - doc.page.margins.right;
  }

  block(block: Block, level: number) {
    switch (block.kind) {
      case 'heading':
        this.heading(block.level, block.content);
        break;
      case 'paragraph':
        this.paragraph(block.content, level);
        break;
      case 'list':
        block.items.forEach((item, i) =>
          this.item(
            item,
            block.ordered ? `${block.start + i}.` : '\u2022',
            level,
          ),
        );
        this.doc.moveDown(0.3);
        break;
      case 'code':
        this.doc.fillColor('#333333');
        this.write(
          [{ text: block.text, code: true }],
          this.left + level * INDENT + 8,
          { size: 9 },
        );
        this.doc.fillColor('black').moveDown(0.5);
        break;
      case 'quote':
        for (const inner of block.blocks) this.block(inner, level + 1);
        break;
      case 'table':
        this.table(block.header, block.rows);
        break;
      case 'rule': {
        const y = this.doc.y + 4;
        this.doc
          .moveTo(this.left, y)
          .lineTo(this.left + this.width, y)
          .strokeColor('#999999')
          .stroke()
          .moveDown(0.8);
        break;
      }
      default:
        break;
    }
  }

  heading(level: number, content: Inline[]) {
    this.doc.moveDown(level <= 2 ? 0.6 : 0.3);
    this.write([{ text: plainText(content), bold: true }], this.left, {
      size: HEADING_SIZES[Math.min(level, 6) - 1],
    });
    this.doc.moveDown(0.3);
  }

  private paragraph(content: Inline[], level: number, prefix = '') {
    this.runs(
      prefix ? [{ text: `${prefix} ` }, ...content] : content,
      this.left + level * INDENT,
    );
    this.doc.moveDown(0.4);
  }

  private item(item: ListItem, marker: string, level: number) {
    let box = '';
    if (item.checked !== undefined) box = item.checked ? ' [x]' : ' [ ]';
    this.runs(
      [{ text: `${marker}${box} ` }, ...item.content],
      this.left + level * INDENT + 6,
    );
    this.doc.moveDown(0.15);
    for (const child of item.children) this.block(child, level + 1);
  }

  /** Text runs in their fonts, flowing as one paragraph from `x`. */
  private runs(content: Inline[], x: number) {
    this.write(content, x, {});
  }

  /**
   * Runs as one paragraph from `x` (and `y`, else the current line), in the
   * fonts that can show them and in visual order. (Right-to-left paragraphs
   * stay aligned left: pdfkit misplaces continued text aligned right.)
   */
  private write(
    content: Inline[],
    x: number,
    options: { size?: number; y?: number; width?: number },
  ) {
    const { pieces } = visualPieces(
      content.filter(run => run.text),
      fontOf,
      fallbackFonts,
    );
    if (pieces.length === 0) return;
    const width = options.width ?? this.width - (x - this.left);
    pieces.forEach((piece, i) => {
      const run = piece.style;
      this.useFont(piece);
      this.doc.fontSize(options.size ?? (run.code ? BODY_SIZE - 1 : BODY_SIZE));
      if (run.href) this.doc.fillColor('#1a4fa0');
      const pieceOptions = {
        width,
        continued: i < pieces.length - 1,
        link: run.href ?? null,
        underline: Boolean(run.href),
        strike: Boolean(run.strike),
        // Noto Sans Arabic splits letters into skeleton and dots (ccmp);
        // the dots' glyphs map to no character, so text copied or
        // searched in the PDF would have gaps. The whole letters look the same.
        ...(typeof piece.font !== 'string' &&
        piece.font.name.startsWith('noto-sans-arabic')
          ? { features: NO_GLYPH_DECOMPOSITION }
          : {}),
      };
      if (i === 0) this.doc.text(piece.text, x, options.y, pieceOptions);
      else this.doc.text(piece.text, pieceOptions);
      if (run.href) this.doc.fillColor('black');
    });
  }

  private useFont(piece: Piece<Inline>) {
    if (typeof piece.font === 'string') {
      this.doc.font(piece.font);
      return;
    }
    if (!this.registered.has(piece.font.name)) {
      this.doc.registerFont(piece.font.name, piece.font.path);
      this.registered.add(piece.font.name);
    }
    this.doc.font(piece.font.name);
  }

  /** A grid with equal columns; rows move to the next page whole. */
  private table(header: Inline[][], rows: Inline[][][]) {
    const doc = this.doc;
    const columns = Math.max(header.length, ...rows.map(r => r.length), 1);
    const columnWidth = this.width / columns;
    const pad = 3;
    doc.moveDown(0.3);
    for (const [index, row] of [header, ...rows].entries()) {
      const bold = index === 0;
      doc.font(bold ? 'Helvetica-Bold' : 'Helvetica').fontSize(BODY_SIZE - 1.5);
      const texts = Array.from({ length: columns }, (_, i) =>
        plainText(row[i] ?? []),
      );
      // Measured in the standard font: close enough for the row's height
      // when some characters are drawn in a fallback font.
      const height =
        Math.max(
          ...texts.map(text =>
            doc.heightOfString(text || ' ', { width: columnWidth - 2 * pad }),
          ),
        ) +
        2 * pad;
      if (doc.y + height > doc.page.height - doc.page.margins.bottom) {
        doc.addPage();
      }
      const top = doc.y;
      texts.forEach((text, i) => {
        const x = this.left + i * columnWidth;
        doc.rect(x, top, columnWidth, height).strokeColor('#999999').stroke();
        this.write([{ text, bold }], x + pad, {
          y: top + pad,
          width: columnWidth - 2 * pad,
          size: BODY_SIZE - 1.5,
        });
      });
      doc.x = this.left;
      doc.y = top + height;
    }
    doc.moveDown(0.6);
  }
}

function fontOf(run: Inline): string {
  if (run.code) return 'Courier';
  if (run.bold && run.italic) return 'Helvetica-BoldOblique';
  if (run.bold) return 'Helvetica-Bold';
  if (run.italic) return 'Helvetica-Oblique';
  return 'Helvetica';
}

/**
 * A post-mortem as a PDF, laid out from the same Markdown as the Markdown
 * export: headings, paragraphs with bold, italic, code and links, lists,
 * code blocks, quotes and tables (the action items).
 *
 * Text the built-in fonts (Helvetica, Courier) can show stays in them;
 * other scripts are drawn in embedded Noto Sans fonts (Latin Extended,
 * Greek, Cyrillic, Devanagari, Arabic, Hebrew, Chinese, Japanese kana,
 * Korean), right-to-left text in visual order, and emoji as `[emoji]`.
 *
 * @public
 */
export async function renderPdf(options: {
  title: string;
  blocks: Block[];
  author?: string;
}): Promise<Buffer> {
  const doc = new PDFDocument({
    size: 'A4',
    margin: 50,
    info: {
      Title: options.title,
      Author: options.author,
      Creator: 'Backstage post-mortems',
    },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<void>((resolve, reject) => {
    doc.on('end', () => resolve());
    doc.on('error', reject);
  });
  const layout = new Layout(doc);
  layout.heading(1, [{ text: options.title }]);
  for (const block of options.blocks) layout.block(block, 0);
  doc.end();
  await done;
  return Buffer.concat(chunks);
}
