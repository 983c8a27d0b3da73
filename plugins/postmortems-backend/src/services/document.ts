import {
  Incident,
  PostmortemSection,
  TemplateSection,
} from '@postmortems-oss/backstage-plugin-postmortems-common';

/**
 * A post-mortem is kept both as ordered sections (for the editor, generation
 * and search) and as one Markdown document (Regen's `content`). These two
 * functions convert between them: a `## ` heading starts a section.
 */

/** A stable key for a section title: "Root cause" -> "root_cause". */
export function sectionKey(title: string): string {
  const key = title
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
  return key || 'section';
}

/** The document title line for an incident. */
export function documentTitle(incident: Incident): string {
  return `Post-mortem: ${incident.reference} ${incident.title}`;
}

export function renderDocument(
  title: string,
  sections: PostmortemSection[],
): string {
  const parts = [`# ${title}`];
  for (const section of sections) {
    parts.push(`## ${section.title}`);
    if (section.markdown.trim()) {
      parts.push(section.markdown.trim());
    }
  }
  return `${parts.join('\n\n')}\n`;
}

/**
 * Splits a Markdown document into sections at its `## ` headings. Text before
 * the first heading (other than the `# ` title) becomes an "Overview" section
 * so that nothing typed is dropped. Headings inside fenced code are not
 * section breaks.
 */
export function parseDocument(
  content: string,
  templateSections: TemplateSection[] = [],
): PostmortemSection[] {
  const keyByTitle = new Map(
    templateSections.map(s => [s.title.trim().toLowerCase(), s.key]),
  );
  const sections: PostmortemSection[] = [];
  const preamble: string[] = [];
  let current: { title: string; lines: string[] } | undefined;
  let inFence = false;

  for (const line of content.replace(/\r\n/g, '\n').split('\n')) {
    if (/^\s*(```|~~~)/.test(line)) {
      inFence = !inFence;
    }
    const heading = !inFence && /^##\s+(.+?)\s*#*\s*$/.exec(line);
    if (heading) {
      if (current) sections.push(finish(current));
      current = { title: heading[1], lines: [] };
    } else if (current) {
      current.lines.push(line);
    } else if (!/^#\s+/.test(line) || inFence) {
      preamble.push(line);
    }
  }
  if (current) sections.push(finish(current));

  const intro = preamble.join('\n').trim();
  if (intro) {
    sections.unshift({ key: 'overview', title: 'Overview', markdown: intro });
  }
  return dedupeKeys(sections);

  function finish(section: { title: string; lines: string[] }) {
    const title = section.title.trim();
    return {
      key: keyByTitle.get(title.toLowerCase()) ?? sectionKey(title),
      title,
      markdown: section.lines.join('\n').trim(),
    };
  }
}

/** The `# ` title line of a document, if it has one. */
export function parseTitle(content: string): string | undefined {
  const match = /^#\s+(.+?)\s*$/m.exec(content);
  return match?.[1];
}

/** Two sections with the same title get distinct keys (`notes`, `notes_2`). */
function dedupeKeys(sections: PostmortemSection[]): PostmortemSection[] {
  const seen = new Map<string, number>();
  return sections.map(section => {
    const count = (seen.get(section.key) ?? 0) + 1;
    seen.set(section.key, count);
    return count === 1
      ? section
      : { ...section, key: `${section.key}_${count}` };
  });
}

/** The sections of a blank draft: the template's headings and its questions. */
export function blankSections(
  templateSections: TemplateSection[],
): PostmortemSection[] {
  return templateSections.map(section => ({
    key: section.key,
    title: section.title,
    markdown: section.guiding_questions.length
      ? section.guiding_questions.map(q => `- _${q}_`).join('\n')
      : '',
  }));
}
