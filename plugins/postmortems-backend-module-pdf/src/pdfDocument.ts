import PDFDocument from 'pdfkit';
import {
  Block,
  Inline,
  ListItem,
  plainText,
} from '@postmortems-oss/backstage-plugin-postmortems-node';

const BODY_SIZE = 10.5;
const HEADING_SIZES = [20, 16, 13, 12, 11, 11];
const INDENT = 16;

/** Characters the standard fonts' WinAnsi encoding can show. */
const WIN_ANSI_EXTRA = new Set(Array.from('€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ'));

function printable(text: string): string {
  return Array.from(text, ch => {
    const code = ch.codePointAt(0)!;
    if (ch === '\n' || ch === '\t') return ch;
    if (code < 0x20) return '';
    if (code <= 0x7e || (code >= 0xa0 && code <= 0xff)) return ch;
    if (WIN_ANSI_EXTRA.has(ch)) return ch;
    // Common typography with a Latin-1 stand-in.
    if (ch === '\u2192') return '->';
    if (ch === '\u2190') return '<-';
    if (ch === '\u2611' || ch === '\u2612') return '[x]';
    if (ch === '\u2610') return '[ ]';
    return '?';
  }).join('');
}

class Layout {
  private readonly left: number;
  private readonly width: number;

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
        this.doc
          .font('Courier')
          .fontSize(9)
          .fillColor('#333333')
          .text(
            printable(block.text),
            this.left + level * INDENT + 8,
            undefined,
            {
              width: this.width - level * INDENT - 8,
            },
          )
          .fillColor('black')
          .moveDown(0.5);
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
    this.doc
      .moveDown(level <= 2 ? 0.6 : 0.3)
      .font('Helvetica-Bold')
      .fontSize(HEADING_SIZES[Math.min(level, 6) - 1])
      .text(printable(plainText(content)), this.left, undefined, {
        width: this.width,
      })
      .moveDown(0.3);
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
    const runs = content.filter(run => run.text);
    if (runs.length === 0) return;
    const width = this.width - (x - this.left);
    runs.forEach((run, i) => {
      this.doc
        .font(fontOf(run))
        .fontSize(run.code ? BODY_SIZE - 1 : BODY_SIZE)
        .fillColor(run.href ? '#1a4fa0' : 'black');
      const options = {
        width,
        continued: i < runs.length - 1,
        link: run.href ?? null,
        underline: Boolean(run.href),
        strike: Boolean(run.strike),
      };
      if (i === 0) this.doc.text(printable(run.text), x, undefined, options);
      else this.doc.text(printable(run.text), options);
    });
    this.doc.fillColor('black');
  }

  /** A grid with equal columns; rows move to the next page whole. */
  private table(header: Inline[][], rows: Inline[][][]) {
    const doc = this.doc;
    const columns = Math.max(header.length, ...rows.map(r => r.length), 1);
    const columnWidth = this.width / columns;
    const pad = 3;
    doc.moveDown(0.3);
    for (const [index, row] of [header, ...rows].entries()) {
      const font = index === 0 ? 'Helvetica-Bold' : 'Helvetica';
      doc.font(font).fontSize(BODY_SIZE - 1.5);
      const texts = Array.from({ length: columns }, (_, i) =>
        printable(plainText(row[i] ?? [])),
      );
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
        doc.text(text, x + pad, top + pad, { width: columnWidth - 2 * pad });
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
 * The PDF's built-in fonts (Helvetica, Courier) cover Latin-1 and a few
 * more characters; others are replaced by `?` rather than dropped silently,
 * so that no embedded font has to ship with the plugin.
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
