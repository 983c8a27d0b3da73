import { IssueFacts } from './TrackerClient';

/**
 * What an action item's issue says, the same in every tracker: the item,
 * then the facts that tie it to its incident, with a link back to the
 * post-mortem in Backstage.
 */

const TITLE_LIMIT = 250;

/**
 * The issue title: the item's first line, shortened to what trackers take.
 *
 * @public
 */
export function issueTitle(description: string): string {
  const line = description.split('\n')[0].trim() || 'Post-mortem action item';
  return line.length <= TITLE_LIMIT
    ? line
    : `${line.slice(0, TITLE_LIMIT - 1).trimEnd()}\u2026`;
}

/**
 * Label and value lines under the description.
 *
 * @public
 */
export function factLines(
  facts: IssueFacts,
): Array<{ label: string; value: string; href?: string }> {
  return [
    {
      label: 'Post-mortem',
      value: `${facts.incidentReference} ${facts.incidentTitle}`,
      href: facts.postmortemUrl,
    },
    { label: 'Severity', value: facts.severity },
    { label: 'Due', value: facts.dueDate ?? 'no due date' },
    { label: 'Category', value: facts.category ?? 'none' },
    { label: 'Owner in Backstage', value: facts.owner ?? 'unassigned' },
  ];
}

const FOOTER =
  'Created from a Backstage post-mortem. Closing this issue marks the action item done there; reopening it reopens the item.';

/**
 * GitHub-flavoured Markdown.
 *
 * @public
 */
export function markdownBody(facts: IssueFacts): string {
  const lines = factLines(facts).map(({ label, value, href }) =>
    href
      ? `- **${label}:** [${escapeMarkdown(value)}](${href})`
      : `- **${label}:** ${escapeMarkdown(value)}`,
  );
  return [
    facts.description,
    '',
    `Action item of the post-mortem of incident ${facts.incidentReference}.`,
    '',
    ...lines,
    '',
    '---',
    `_${FOOTER}_`,
  ].join('\n');
}

/**
 * Atlassian Document Format, which Jira Cloud's REST v3 takes for descriptions.
 *
 * @public
 */
export function adfBody(facts: IssueFacts): object {
  const text = (value: string, marks?: object[]) => ({
    type: 'text',
    text: value,
    ...(marks ? { marks } : {}),
  });
  const paragraph = (...content: object[]) => ({ type: 'paragraph', content });
  return {
    type: 'doc',
    version: 1,
    content: [
      ...facts.description
        .split(/\n{2,}/)
        .filter(p => p.trim())
        .map(p => paragraph(text(p))),
      paragraph(
        text(
          `Action item of the post-mortem of incident ${facts.incidentReference}.`,
        ),
      ),
      {
        type: 'bulletList',
        content: factLines(facts).map(({ label, value, href }) => ({
          type: 'listItem',
          content: [
            paragraph(
              text(`${label}: `, [{ type: 'strong' }]),
              text(
                value,
                href ? [{ type: 'link', attrs: { href } }] : undefined,
              ),
            ),
          ],
        })),
      },
      paragraph(text(FOOTER, [{ type: 'em' }])),
    ],
  };
}

function escapeMarkdown(text: string): string {
  return text.replace(/([\\`*_[\]<>#|])/g, '\\$1');
}

/**
 * Escapes with a backslash what Jira's wiki markup reads as formatting: emphasis,
 * links, macros, images, tables, lists, `??citation??`, and a `-` that could
 * strike text through or make a dash. A `-` inside a word or number (INC-7,
 * 2026-12-20) stays as written, so the text reads the same when edited in
 * Jira's wiki editor. A backslash stays too: doubled it would be a line
 * break.
 */
function escapeWikiMarkup(text: string): string {
  return text
    .replace(/[*_+^~|{}[\]!#]|\?\?/g, m => m.replace(/./g, '\\$&'))
    .replace(/(?<![\p{L}\p{N}])-|-(?![\p{L}\p{N}])/gu, '\\-');
}

/**
 * Jira wiki markup, which Jira Data Center's REST v2 takes for descriptions
 * (it has no Atlassian Document Format).
 *
 * @public
 */
export function wikiMarkupBody(facts: IssueFacts): string {
  const lines = factLines(facts).map(({ label, value, href }) =>
    href
      ? `* *${label}:* [${escapeWikiMarkup(value)}|${href}]`
      : `* *${label}:* ${escapeWikiMarkup(value)}`,
  );
  return [
    escapeWikiMarkup(facts.description),
    '',
    `Action item of the post-mortem of incident ${facts.incidentReference}.`,
    '',
    ...lines,
    '',
    '----',
    `_${FOOTER}_`,
  ].join('\n');
}
