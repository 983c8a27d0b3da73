import { checkFinish, ModelAnswer, UnusableAnswer } from './modelAnswer';

/** The heading under which the model lists its action items in Markdown. */
const ITEMS_KEY = 'proposed_action_items';

/**
 * How to answer when the server enforces no JSON: every section under a
 * heading naming its key, its evidence on a last line, and the action items
 * as one line each under a heading of their own.
 */
export const MARKDOWN_INSTRUCTIONS = `Answer format: plain Markdown, not JSON.
- Start each section you are asked to write with a heading line "## [key] Title", the key in square brackets exactly as given, e.g. "## [summary] Summary". Use no other level-2 headings.
- End each section with one line "Evidence: #id, #id" listing the timeline entries it relies on, or "Evidence: none".
- If you are asked for action items, put them last, under the heading "## [${ITEMS_KEY}] Proposed action items", one line each:
  - description | category: <one of the allowed categories, or none> | owner: <owner hint, or none> | due in days: <number, or none> | evidence: #id, #id`;

interface Heading {
  key: string;
  line: number;
}

const headingLine = /^#{1,3}\s+(.*?)\s*#*\s*$/;

/**
 * Reads a Markdown answer written to MARKDOWN_INSTRUCTIONS: sections are
 * found by their headings (the bracketed key, or failing that the title of
 * an asked-for section), evidence by the last "Evidence:" line.
 */
export function readMarkdownAnswer(
  content: string | null | undefined,
  finishReason: string | null | undefined,
  asked: { key: string; title: string }[],
): ModelAnswer {
  checkFinish(finishReason);
  const lines = (content ?? '').replace(/\r\n/g, '\n').split('\n');
  const keyOf = (text: string): string | undefined => {
    const bracketed = /^\[([A-Za-z0-9_.-]+)\]/.exec(text)?.[1];
    if (bracketed) return bracketed;
    const plain = normalise(text);
    if (plain === normalise('Proposed action items')) return ITEMS_KEY;
    return asked.find(s => normalise(s.title) === plain)?.key;
  };
  const headings: Heading[] = [];
  let fenced = false;
  lines.forEach((line, index) => {
    if (/^\s*```/.test(line)) fenced = !fenced;
    const text = fenced ? undefined : headingLine.exec(line)?.[1];
    const key = text === undefined ? undefined : keyOf(text);
    if (key) headings.push({ key, line: index });
  });
  if (!headings.length) {
    throw new UnusableAnswer(
      'The model’s answer did not have the requested section headings.',
    );
  }
  const answer: ModelAnswer = { sections: [], action_items: [] };
  headings.forEach((heading, i) => {
    const body = lines.slice(heading.line + 1, headings[i + 1]?.line);
    if (heading.key === ITEMS_KEY) {
      answer.action_items = body.flatMap(actionItem);
    } else if (!answer.sections.some(s => s.key === heading.key)) {
      answer.sections.push({ key: heading.key, ...sectionBody(body) });
    }
  });
  return answer;
}

/**
 * The text of the section being written in a streamed Markdown answer, as
 * far as it has come; undefined until its heading is complete.
 */
export function partialMarkdownSection(textSoFar: string): string | undefined {
  const start = /^#{1,3}[^\n]*\n/m.exec(textSoFar);
  if (!start) return undefined;
  const rest = textSoFar.slice(start.index + start[0].length);
  const end = /^(?:[*_]*evidence[*_]*\s*:|#{1,2}\s)/im.exec(rest);
  let text = end ? rest.slice(0, end.index) : rest;
  // A last line still being written that may turn out to be the evidence
  // line or the next heading is held back, so the text never shrinks.
  const last = text.slice(text.lastIndexOf('\n') + 1);
  const bare = last.replace(/^[*_]+/, '').toLowerCase();
  if (!end && (last.startsWith('#') || 'evidence:'.startsWith(bare))) {
    text = text.slice(0, text.length - last.length);
  }
  return text.replace(/^\n+/, '');
}

function sectionBody(body: string[]): { markdown: string; evidence: string[] } {
  const evidenceLine = /^\s*[*_]*evidence[*_]*\s*:[*_]*\s*(.*)$/i;
  let evidence: string[] = [];
  const kept: string[] = [];
  for (const line of body) {
    const match = evidenceLine.exec(line);
    if (match) evidence = ids(match[1]);
    else kept.push(line);
  }
  return { markdown: kept.join('\n').trim(), evidence };
}

function actionItem(line: string): ModelAnswer['action_items'] {
  const item = /^\s*(?:[-*+]|\d+[.)])\s+(.*)$/.exec(line)?.[1];
  if (!item?.trim()) return [];
  const [description, ...fields] = item.split('|').map(f => f.trim());
  if (!description) return [];
  const field = (name: RegExp) => {
    const found = fields.find(f => name.test(f));
    const value = found?.replace(/^[^:]*:\s*/, '').trim();
    return value && !/^(none|null|n\/a|-)$/i.test(value) ? value : null;
  };
  const due = Number.parseInt(field(/^due/i) ?? '', 10);
  return [
    {
      description: description.replace(/^\*\*(.*)\*\*$/, '$1'),
      category: field(/^category/i),
      owner_hint: field(/^owner/i),
      due_in_days: Number.isFinite(due) ? due : null,
      evidence: ids(field(/^evidence/i) ?? ''),
    },
  ];
}

function ids(list: string): string[] {
  if (/^\s*(none|n\/a|-)?\s*$/i.test(list)) return [];
  return list
    .split(/[\s,;]+/)
    .map(id => id.replace(/^[#`[(]+|[`\]).]+$/g, ''))
    .filter(Boolean);
}

function normalise(text: string): string {
  return text
    .replace(/[*_`#]/g, '')
    .replace(/^\d+[.)]\s*/, '')
    .trim()
    .toLowerCase();
}
