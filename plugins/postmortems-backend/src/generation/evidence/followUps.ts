import {
  EvidenceBundle,
  ProposedActionItem,
} from '@postmortems-oss/backstage-plugin-postmortems-node';

/** Chat that announces work to do after the incident. */
const FOLLOW_UP =
  /\b(?:follow[- ]?ups?|we should|we need to|we must|todo|to-do|action items?)\b\s*:?\s*/i;

const MAX_ITEMS = 8;

function sentenceCase(text: string): string {
  const trimmed = text.trim().replace(/[\s.;,]+$/, '');
  return trimmed ? trimmed[0].toUpperCase() + trimmed.slice(1) : trimmed;
}

/**
 * Action item candidates from what people said they would do: the rest of a
 * sentence after "follow-up(s)", "we should", "TODO" and the like; a list
 * after a colon ("Follow-ups: a, b, c") gives one candidate per entry. They
 * are proposals for the author to accept, edit or drop, never assigned.
 */
export function followUpCandidates(
  evidence: EvidenceBundle,
): ProposedActionItem[] {
  const items: ProposedActionItem[] = [];
  const seen = new Set<string>();
  for (const entry of evidence.entries) {
    if (entry.type !== 'message' && entry.type !== 'slack_message') continue;
    for (const sentence of entry.text.split(/(?<=[.!?])\s+/)) {
      const match = FOLLOW_UP.exec(sentence);
      if (!match) continue;
      const rest = sentence.slice(match.index + match[0].length);
      const listed =
        /^\s*[^,;]+[,;]/.test(rest) && /:\s*$/.test(match[0])
          ? rest.split(/\s*[,;]\s*(?:and\s+)?/)
          : [rest];
      for (const part of listed) {
        const description = sentenceCase(part);
        if (description.split(/\s+/).length < 3) continue;
        const key = description.toLowerCase();
        if (seen.has(key)) continue;
        seen.add(key);
        items.push({
          description,
          category: null,
          ownerHint: null,
          dueInDays: null,
          evidence: [entry.id],
        });
      }
    }
  }
  return items.slice(0, MAX_ITEMS);
}
