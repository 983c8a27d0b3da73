import {
  Block,
  Inline,
  ListItem,
} from '@postmortems-oss/backstage-plugin-postmortems-node';

/**
 * Confluence's storage format (XHTML with `ac:` macros) for a document.
 * Every piece of text goes through {@link escapeXml}; the only markup is what
 * this module writes, so HTML or script in a post-mortem shows as text.
 */
export function toConfluenceStorage(blocks: Block[]): string {
  return blocks.map(renderBlock).join('');
}

export function escapeXml(text: string): string {
  return stripInvalidXml(text)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** Languages the code macro highlights; others are shown as plain text. */
const CODE_LANGUAGES = new Set([
  'bash',
  'c#',
  'cpp',
  'css',
  'diff',
  'go',
  'html',
  'java',
  'javascript',
  'json',
  'kotlin',
  'python',
  'ruby',
  'scala',
  'sql',
  'typescript',
  'xml',
  'yaml',
]);
const LANGUAGE_ALIASES: Record<string, string> = {
  sh: 'bash',
  shell: 'bash',
  js: 'javascript',
  ts: 'typescript',
  py: 'python',
  yml: 'yaml',
  golang: 'go',
};

function renderBlock(block: Block): string {
  switch (block.kind) {
    case 'heading': {
      const level = Math.min(Math.max(block.level, 1), 6);
      return `<h${level}>${renderInline(block.content)}</h${level}>`;
    }
    case 'paragraph':
      return `<p>${renderInline(block.content)}</p>`;
    case 'list': {
      const tag = block.ordered ? 'ol' : 'ul';
      const start =
        block.ordered && block.start !== 1 ? ` start="${block.start}"` : '';
      return `<${tag}${start}>${block.items.map(renderItem).join('')}</${tag}>`;
    }
    case 'code':
      return codeMacro(block.language, block.text);
    case 'quote':
      return `<blockquote>${block.blocks
        .map(renderBlock)
        .join('')}</blockquote>`;
    case 'table':
      return `<table><tbody><tr>${block.header
        .map(cell => `<th><p>${renderInline(cell)}</p></th>`)
        .join('')}</tr>${block.rows
        .map(
          row =>
            `<tr>${row
              .map(cell => `<td><p>${renderInline(cell)}</p></td>`)
              .join('')}</tr>`,
        )
        .join('')}</tbody></table>`;
    case 'rule':
      return '<hr />';
    default:
      return '';
  }
}

function renderItem(item: ListItem): string {
  return `<li>${escapeXml(checkbox(item.checked))}${renderInline(
    item.content,
  )}${item.children.map(renderBlock).join('')}</li>`;
}

function codeMacro(language: string, text: string): string {
  const lang = LANGUAGE_ALIASES[language] ?? language;
  const parameter = CODE_LANGUAGES.has(lang)
    ? `<ac:parameter ac:name="language">${escapeXml(lang)}</ac:parameter>`
    : '';
  // CDATA ends at the first `]]>`; a code block containing one is split
  // into two CDATA sections around it.
  const cdata = stripInvalidXml(text).replace(/]]>/g, ']]]]><![CDATA[>');
  return `<ac:structured-macro ac:name="code">${parameter}<ac:plain-text-body><![CDATA[${cdata}]]></ac:plain-text-body></ac:structured-macro>`;
}

/** Characters XML 1.0 cannot hold at all; Confluence would reject the page. */
// eslint-disable-next-line no-control-regex
const INVALID_XML = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g;

function stripInvalidXml(text: string): string {
  return text.replace(INVALID_XML, '');
}

/** A task list item's box, as a character. */
function checkbox(checked: boolean | undefined): string {
  if (checked === undefined) return '';
  return checked ? '\u2611 ' : '\u2610 ';
}

function renderInline(content: Inline[]): string {
  return content.map(renderRun).join('');
}

function renderRun(run: Inline): string {
  let html = escapeXml(run.text).replace(/\n/g, '<br />');
  if (run.code) html = `<code>${html}</code>`;
  if (run.strike) html = `<del>${html}</del>`;
  if (run.italic) html = `<em>${html}</em>`;
  if (run.bold) html = `<strong>${html}</strong>`;
  if (run.href) html = `<a href="${escapeXml(run.href)}">${html}</a>`;
  return html;
}
