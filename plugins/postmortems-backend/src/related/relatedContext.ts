import {
  PostmortemSection,
  RelatedPostmortem,
  relatedReasonText,
} from '@postmortems-oss/backstage-plugin-postmortems-common';
import { RelatedEvidence } from '@postmortems-oss/backstage-plugin-postmortems-node';
import { plainText } from '../generation/providers/draftMarkdown';

/** Enough of an earlier post-mortem to tell whether it bears on this one. */
const SUMMARY_CHARS = 400;
const ROOT_CAUSE_CHARS = 400;

/**
 * A related post-mortem as a draft's context: its reference, title, page,
 * why it was matched and the start of what it concluded. Lines that only
 * prompt an author (the skeleton's note, template questions in italics)
 * are not conclusions and are left out.
 */
export function relatedEvidenceOf(
  related: RelatedPostmortem & { sections: PostmortemSection[] },
): RelatedEvidence {
  const text = (key: string, chars: number) =>
    cut(
      plainText(
        (related.sections.find(s => s.key === key)?.markdown ?? '')
          .split('\n')
          .filter(line => !isPrompt(line))
          .join('\n'),
      ).trim(),
      chars,
    );
  const summary = text('summary', SUMMARY_CHARS);
  const rootCause = text('root_cause', ROOT_CAUSE_CHARS);
  return {
    reference: related.reference,
    title: related.title,
    link: `/postmortems/incidents/${encodeURIComponent(related.reference)}`,
    published_at: related.published_at,
    why: related.reasons.map(relatedReasonText),
    summary: [summary, rootCause && `Root cause: ${rootCause}`]
      .filter(Boolean)
      .join(' '),
  };
}

function isPrompt(line: string): boolean {
  const text = line.replace(/^\s*(?:>|[-*])\s*/, '').trim();
  return /^_[^_]+_$/.test(text) || /Automatic skeleton/.test(text);
}

function cut(text: string, chars: number): string {
  if (text.length <= chars) return text;
  const end = text.lastIndexOf(' ', chars);
  return `${text.slice(0, end > chars / 2 ? end : chars)}…`;
}
