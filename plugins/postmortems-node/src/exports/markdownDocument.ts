import { marked, Token, Tokens } from 'marked';

/**
 * A post-mortem's Markdown as a small document model that every export
 * renders from (Confluence storage, Notion blocks, PDF). Parsing happens once,
 * with marked; the renderers only see these shapes.
 *
 * Safety is decided here: raw HTML in the Markdown becomes literal text, never
 * markup, and only http(s) and mailto links survive. Post-mortems quote logs,
 * chat threads and AI drafts; none of that may turn into script on a wiki.
 */

/**
 * A run of text with one set of marks. `\n` inside text is a hard line break.
 *
 * @public
 */
export interface Inline {
  text: string;
  bold?: boolean;
  italic?: boolean;
  code?: boolean;
  strike?: boolean;
  href?: string;
}

/** @public */
export interface ListItem {
  /** For task list items (`- [ ]`, `- [x]`). */
  checked?: boolean;
  content: Inline[];
  /** Nested lists and further paragraphs of the item. */
  children: Block[];
}

/** @public */
export type Block =
  | { kind: 'heading'; level: number; content: Inline[] }
  | { kind: 'paragraph'; content: Inline[] }
  | { kind: 'list'; ordered: boolean; start: number; items: ListItem[] }
  | { kind: 'code'; language: string; text: string }
  | { kind: 'quote'; blocks: Block[] }
  | { kind: 'table'; header: Inline[][]; rows: Inline[][][] }
  | { kind: 'rule' };

const SAFE_LINK = /^(https?:\/\/|mailto:)/i;

/**
 * The blocks of a Markdown document.
 *
 * @public
 */
export function parseMarkdown(markdown: string): Block[] {
  return blocksOf(marked.lexer(markdown, { gfm: true }));
}

/**
 * The plain text of inline content, marks dropped.
 *
 * @public
 */
export function plainText(content: Inline[]): string {
  return content.map(i => i.text).join('');
}

/**
 * Splits a document's leading `# ` title from its body: page targets carry
 * the title as the page title, so it is not repeated as a heading.
 *
 * @public
 */
export function splitTitle(blocks: Block[]): {
  title?: string;
  body: Block[];
} {
  const [first, ...rest] = blocks;
  if (first?.kind === 'heading' && first.level === 1) {
    return { title: plainText(first.content).trim(), body: rest };
  }
  return { body: blocks };
}

function blocksOf(tokens: Token[]): Block[] {
  const blocks: Block[] = [];
  for (const token of tokens) {
    const block = blockOf(token);
    if (block) blocks.push(block);
  }
  return blocks;
}

function blockOf(token: Token): Block | undefined {
  switch (token.type) {
    case 'heading': {
      const t = token as Tokens.Heading;
      return { kind: 'heading', level: t.depth, content: inlineOf(t.tokens) };
    }
    case 'paragraph':
      return {
        kind: 'paragraph',
        content: inlineOf((token as Tokens.Paragraph).tokens),
      };
    case 'text': {
      // Block-level text: the content of a tight list item.
      const t = token as Tokens.Text;
      return {
        kind: 'paragraph',
        content: t.tokens ? inlineOf(t.tokens) : [{ text: t.text }],
      };
    }
    case 'list': {
      const t = token as Tokens.List;
      return {
        kind: 'list',
        ordered: t.ordered,
        start: typeof t.start === 'number' ? t.start : 1,
        items: t.items.map(listItemOf),
      };
    }
    case 'code': {
      const t = token as Tokens.Code;
      return {
        kind: 'code',
        language: (t.lang ?? '').split(/\s/)[0].toLowerCase(),
        text: t.text,
      };
    }
    case 'blockquote':
      return {
        kind: 'quote',
        blocks: blocksOf((token as Tokens.Blockquote).tokens),
      };
    case 'table': {
      const t = token as Tokens.Table;
      return {
        kind: 'table',
        header: t.header.map(cell => inlineOf(cell.tokens)),
        rows: t.rows.map(row => row.map(cell => inlineOf(cell.tokens))),
      };
    }
    case 'hr':
      return { kind: 'rule' };
    case 'html': {
      // Block HTML is shown as the text it is, not interpreted.
      const text = (token as Tokens.HTML).text.trimEnd();
      return text ? { kind: 'paragraph', content: [{ text }] } : undefined;
    }
    default:
      // `space` and link definitions carry no content of their own.
      return undefined;
  }
}

function listItemOf(item: Tokens.ListItem): ListItem {
  const tokens = item.tokens.filter(t => t.type !== 'checkbox');
  const [first, ...rest] = tokens;
  const leads = first && (first.type === 'text' || first.type === 'paragraph');
  const lead = leads ? blockOf(first) : undefined;
  return {
    checked: item.task ? Boolean(item.checked) : undefined,
    content: lead?.kind === 'paragraph' ? lead.content : [],
    children: blocksOf(leads ? rest : tokens),
  };
}

type Marks = Omit<Inline, 'text'>;

function inlineOf(tokens: Token[] | undefined, marks: Marks = {}): Inline[] {
  const out: Inline[] = [];
  const push = (text: string, extra: Marks = {}) => {
    if (text) out.push({ text, ...marks, ...extra });
  };
  for (const token of tokens ?? []) {
    switch (token.type) {
      case 'strong':
        out.push(
          ...inlineOf((token as Tokens.Strong).tokens, {
            ...marks,
            bold: true,
          }),
        );
        break;
      case 'em':
        out.push(
          ...inlineOf((token as Tokens.Em).tokens, { ...marks, italic: true }),
        );
        break;
      case 'del':
        out.push(
          ...inlineOf((token as Tokens.Del).tokens, { ...marks, strike: true }),
        );
        break;
      case 'codespan':
        push((token as Tokens.Codespan).text, { code: true });
        break;
      case 'br':
        push('\n');
        break;
      case 'link': {
        const t = token as Tokens.Link;
        const href = SAFE_LINK.test(t.href) ? t.href : undefined;
        out.push(...inlineOf(t.tokens, { ...marks, href }));
        break;
      }
      case 'image': {
        // Images are not fetched into targets; they become a link to them.
        const t = token as Tokens.Image;
        const href = SAFE_LINK.test(t.href) ? t.href : undefined;
        push(t.text || t.href, { href });
        break;
      }
      case 'text': {
        const t = token as Tokens.Text;
        if (t.tokens?.length) out.push(...inlineOf(t.tokens, marks));
        else push(t.text);
        break;
      }
      default:
        // `escape` (its character), inline `html` (its literal text) and
        // anything newer marked may add: shown as text.
        push((token as { text?: string }).text ?? token.raw);
    }
  }
  return out;
}

/**
 * A post-mortem's Markdown export as a titled document for a page or a PDF.
 *
 * @public
 */
export function exportDocument(markdown: string): {
  title: string;
  blocks: Block[];
} {
  const { title, body } = splitTitle(parseMarkdown(markdown));
  return { title: title || 'Post-mortem', blocks: body };
}
