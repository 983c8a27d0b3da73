import {
  Block,
  Inline,
  ListItem,
  plainText,
} from '@postmortems-oss/backstage-plugin-postmortems-node';

/**
 * A document as Notion blocks, within the API's limits: at most 2,000
 * characters per rich text object, 100 rich text objects per block, 100
 * rows per table's children, and children nested at most two levels below
 * the block that is appended (deeper list levels are lifted to the deepest
 * allowed one, keeping their order).
 */

export const NOTION_TEXT_LIMIT = 2000;
export const NOTION_RICH_TEXT_ITEMS = 100;
export const NOTION_CHILDREN_LIMIT = 100;
const NOTION_URL_LIMIT = 2000;
/** Children of children: one level of nesting below an appended block's own. */
const MAX_NESTING = 2;

export interface RichText {
  type: 'text';
  text: { content: string; link: { url: string } | null };
  annotations: {
    bold: boolean;
    italic: boolean;
    strikethrough: boolean;
    underline: boolean;
    code: boolean;
    color: 'default';
  };
}

/** A block as the API takes it: `{type: 'paragraph', paragraph: {...}}`. */
export interface NotionBlock {
  object: 'block';
  type: string;
  [content: string]: unknown;
}

/** Notion's code block languages that Markdown fences commonly name. */
const LANGUAGES: Record<string, string> = {
  bash: 'bash',
  sh: 'shell',
  shell: 'shell',
  c: 'c',
  cpp: 'c++',
  'c++': 'c++',
  csharp: 'c#',
  cs: 'c#',
  css: 'css',
  diff: 'diff',
  docker: 'docker',
  dockerfile: 'docker',
  go: 'go',
  graphql: 'graphql',
  hcl: 'hcl',
  terraform: 'hcl',
  html: 'html',
  java: 'java',
  javascript: 'javascript',
  js: 'javascript',
  json: 'json',
  kotlin: 'kotlin',
  markdown: 'markdown',
  md: 'markdown',
  php: 'php',
  powershell: 'powershell',
  python: 'python',
  py: 'python',
  ruby: 'ruby',
  rust: 'rust',
  scala: 'scala',
  sql: 'sql',
  swift: 'swift',
  toml: 'toml',
  typescript: 'typescript',
  ts: 'typescript',
  xml: 'xml',
  yaml: 'yaml',
  yml: 'yaml',
};

export function toNotionBlocks(blocks: Block[]): NotionBlock[] {
  return blocks.flatMap(block => renderBlock(block, 0));
}

/**
 * Rich text for inline content: long runs split at 2,000 characters (never
 * inside a character a reader sees), links kept only when Notion accepts the
 * URL.
 */
export function toRichText(content: Inline[]): RichText[] {
  const out: RichText[] = [];
  for (const run of content) {
    const href =
      run.href && run.href.length <= NOTION_URL_LIMIT ? run.href : undefined;
    for (const chunk of chunks(run.text, NOTION_TEXT_LIMIT)) {
      out.push({
        type: 'text',
        text: { content: chunk, link: href ? { url: href } : null },
        annotations: {
          bold: Boolean(run.bold),
          italic: Boolean(run.italic),
          strikethrough: Boolean(run.strike),
          underline: false,
          code: Boolean(run.code),
          color: 'default',
        },
      });
    }
  }
  return out;
}

/** How many blocks an append request carries for these: each one and its descendants. */
export function countBlocks(blocks: NotionBlock[]): number {
  let count = 0;
  for (const block of blocks) {
    count += 1;
    const children = (block[block.type] as { children?: NotionBlock[] })
      ?.children;
    if (children) count += countBlocks(children);
  }
  return count;
}

function renderBlock(block: Block, depth: number): NotionBlock[] {
  switch (block.kind) {
    case 'heading': {
      const type = `heading_${Math.min(Math.max(block.level, 1), 3)}`;
      return textBlocks(type, toRichText(block.content));
    }
    case 'paragraph':
      return textBlocks('paragraph', toRichText(block.content));
    case 'list':
      return block.items.flatMap(item =>
        renderItem(item, block.ordered, depth),
      );
    case 'code':
      // Code longer than one block holds continues in the next one.
      return textBlocks('code', toRichText([{ text: block.text }])).map(
        code => {
          (code.code as Record<string, unknown>).language =
            LANGUAGES[block.language] ?? 'plain text';
          return code;
        },
      );
    case 'quote':
      return textBlocks(
        'quote',
        toRichText(
          block.blocks.flatMap((b, i) => [
            ...(i > 0 ? [{ text: '\n' }] : []),
            ...inlineOfBlock(b),
          ]),
        ),
      );
    case 'table':
      return renderTable(block.header, block.rows);
    case 'rule':
      return [{ object: 'block', type: 'divider', divider: {} }];
    default:
      return [];
  }
}

function renderItem(
  item: ListItem,
  ordered: boolean,
  depth: number,
): NotionBlock[] {
  let type = ordered ? 'numbered_list_item' : 'bulleted_list_item';
  if (item.checked !== undefined) type = 'to_do';
  const nested = item.children.flatMap(child =>
    renderBlock(child, Math.min(depth + 1, MAX_NESTING)),
  );
  const [first, ...more] = textBlocks(type, toRichText(item.content));
  const own = first[type] as Record<string, unknown>;
  if (item.checked !== undefined) own.checked = item.checked;
  if (depth < MAX_NESTING) {
    if (nested.length) own.children = nested;
    return [first, ...more];
  }
  // Too deep to nest in one request: the item's children follow it.
  return [first, ...more, ...nested];
}

/** Tables of up to 99 rows under their header; longer ones continue in another table. */
function renderTable(header: Inline[][], rows: Inline[][][]): NotionBlock[] {
  const width = Math.max(header.length, ...rows.map(r => r.length), 1);
  const row = (cells: Inline[][]): NotionBlock => ({
    object: 'block',
    type: 'table_row',
    table_row: {
      cells: Array.from({ length: width }, (_, i) =>
        toRichText(cells[i] ?? []).slice(0, NOTION_RICH_TEXT_ITEMS),
      ),
    },
  });
  const tables: NotionBlock[] = [];
  const perTable = NOTION_CHILDREN_LIMIT - 1;
  for (let i = 0; i === 0 || i < rows.length; i += perTable) {
    tables.push({
      object: 'block',
      type: 'table',
      table: {
        table_width: width,
        has_column_header: true,
        has_row_header: false,
        children: [header, ...rows.slice(i, i + perTable)].map(row),
      },
    });
  }
  return tables;
}

/** One block of `type`, or several when the text needs more than 100 rich text objects. */
function textBlocks(type: string, richText: RichText[]): NotionBlock[] {
  const blocks: NotionBlock[] = [];
  for (let i = 0; i === 0 || i < richText.length; i += NOTION_RICH_TEXT_ITEMS) {
    blocks.push({
      object: 'block',
      type,
      [type]: { rich_text: richText.slice(i, i + NOTION_RICH_TEXT_ITEMS) },
    });
  }
  return blocks;
}

function inlineOfBlock(block: Block): Inline[] {
  switch (block.kind) {
    case 'heading':
    case 'paragraph':
      return block.content;
    case 'code':
      return [{ text: block.text, code: true }];
    case 'list':
      return block.items.map((item, i) => ({
        text: `${i > 0 ? '\n' : ''}${
          block.ordered ? `${block.start + i}.` : '•'
        } ${plainText(item.content)}`,
      }));
    case 'quote':
      return block.blocks.flatMap(inlineOfBlock);
    default:
      return [];
  }
}

const graphemes = new Intl.Segmenter('und', { granularity: 'grapheme' });

/**
 * `text` in pieces of at most `size` UTF-16 units, cut only between the
 * characters a reader sees (grapheme clusters): a flag, an emoji sequence
 * or a letter with its marks stays in one rich text object, where Notion
 * shapes it whole. Only a cluster longer than a piece is cut, between code
 * points.
 */
function chunks(text: string, size: number): string[] {
  if (text.length <= size) return text ? [text] : [];
  const out: string[] = [];
  let piece = '';
  const add = (part: string) => {
    if (piece.length + part.length > size && piece) {
      out.push(piece);
      piece = '';
    }
    piece += part;
  };
  for (const { segment } of graphemes.segment(text)) {
    if (segment.length <= size) add(segment);
    else for (const codePoint of segment) add(codePoint);
  }
  if (piece) out.push(piece);
  return out;
}
