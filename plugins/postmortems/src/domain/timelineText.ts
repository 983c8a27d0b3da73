import type { TimelineEntry } from '@postmortems-oss/backstage-plugin-postmortems-common';

/** Catalog refs as incident tools write them into events: `user:default/frank.li`. */
const ENTITY_REF =
  /\b(?:user|group|component|system|resource|api|domain|incident):(?:[a-z0-9_.-]+\/)?[a-z0-9_-]+(?:\.[a-z0-9_-]+)*/gi;

/** A piece of an entry's line: words as written, or an entity it names. */
export type TextPart = { text: string } | { ref: string };

/** One line for a timeline entry, from its typed content. */
export function entryText(
  entry: Pick<TimelineEntry, 'type' | 'content'>,
): string {
  const c = entry.content as Record<string, unknown>;
  const str = (v: unknown) => (typeof v === 'string' ? v : '');
  switch (entry.type) {
    case 'status_changed':
      return `Status changed from ${str(c.from)} to ${str(c.to)}`;
    case 'severity_changed':
      return `Severity changed from ${str(c.from)} to ${str(c.to)}`;
    case 'commander_assigned':
      return `Incident commander: ${str(c.commander)}`;
    case 'incident_created':
      return `Incident declared: ${str(c.title)}`;
    case 'deploy':
      return `Deploy of ${str(c.service) || 'a service'} ${str(c.version)}${
        c.description ? `: ${str(c.description)}` : ''
      }`.trim();
    case 'postmortem_created':
      return 'Post-mortem started';
    case 'postmortem_published':
      return 'Post-mortem published';
    default: {
      const text =
        c.text ?? c.alert_title ?? c.title ?? c.description ?? entry.type;
      return str(text) || entry.type.replace(/_/g, ' ');
    }
  }
}

/** The line cut at the entity refs it names, so they can read as names. */
export function textParts(text: string): TextPart[] {
  const parts: TextPart[] = [];
  let last = 0;
  for (const match of text.matchAll(ENTITY_REF)) {
    if (match.index! > last)
      parts.push({ text: text.slice(last, match.index) });
    parts.push({ ref: match[0] });
    last = match.index! + match[0].length;
  }
  if (last < text.length) parts.push({ text: text.slice(last) });
  return parts;
}

/**
 * The line as plain words, for labels: a ref reads as its name
 * (`user:default/frank.li` → `frank.li`), as a screen reader should say it.
 */
export function entryLabelText(text: string): string {
  return text.replace(ENTITY_REF, ref => ref.replace(/^.*[:/]/, ''));
}
