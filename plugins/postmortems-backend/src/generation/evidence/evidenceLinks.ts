import {
  EvidenceBundle,
  EvidenceEntry,
} from '@postmortems-oss/backstage-plugin-postmortems-node';
import { PostmortemSection } from '@postmortems-oss/backstage-plugin-postmortems-common';

/** Links of one section, enough to follow its account; more is noise. */
const MAX_LINKS = 20;
/** At one minute, a busy channel may have many lines; a time cites a few. */
const MAX_PER_MINUTE = 3;
/** Shorter quotes ("ok", "done") match too much to cite anything. */
const MIN_QUOTE_CHARS = 12;
/** Shorter alert titles are words, not names. */
const MIN_ALERT_TITLE_CHARS = 6;

const TIME =
  /\b(?:(\d{4}-\d{2}-\d{2})[T ])?([01]?\d|2[0-3]):([0-5]\d)(?::[0-5]\d)?\b/g;
const QUOTE = /"([^"\n]+)"|“([^”\n]+)”|^\s*>\s?(.+)$/gm;
/** `4.17.3`, `v2.1`: how deploys are told apart. */
const VERSION = /\bv?(\d+\.\d+(?:\.\d+)*)\b/g;
/** `#e12`, `#slack:1789.01`; a full stop after the id ends the sentence. */
const ENTRY_ID = /#([\w:-]+(?:\.[\w:-]+)*)/g;

/** What a section's words point at in the incident's record. */
export interface EvidenceIndex {
  /** Entry ids cited by a section's Markdown, in timeline order. */
  linksOf(markdown: string): string[];
}

const minuteOf = (iso: string) => new Date(iso).toISOString().slice(0, 16);
const isChat = (e: EvidenceEntry) =>
  e.type === 'message' || e.type === 'slack_message';

/**
 * The entries of the timeline a section relies on, from what it says: the
 * ids it names (`#e12`), the times it gives (entries at that minute, events
 * before chat), the alerts it names, the versions it names (the deploys of
 * them) and the lines it quotes. A model lists its evidence as it writes; an
 * author who rewrites a section does not, so the links are derived again
 * from the new text and never outlive the words that cited them.
 */
export function evidenceIndex(evidence: EvidenceBundle): EvidenceIndex {
  const entries = evidence.entries;
  const order = new Map(entries.map((e, i) => [e.id, i]));
  const byMinute = new Map<string, EvidenceEntry[]>();
  const byClock = new Map<string, EvidenceEntry[]>();
  for (const entry of entries) {
    const minute = minuteOf(entry.at);
    push(byMinute, minute, entry);
    push(byClock, minute.slice(11), entry);
  }
  const alerts = evidence.alerts
    .map(a => a.title)
    .filter(title => title.length >= MIN_ALERT_TITLE_CHARS);
  const lowerTexts = entries.map(e => e.text.toLowerCase());

  const atMinute = (found: EvidenceEntry[] | undefined) =>
    [...(found ?? [])]
      // Events say what happened at that time more surely than chat does.
      .sort((a, b) => Number(isChat(a)) - Number(isChat(b)))
      .slice(0, MAX_PER_MINUTE);

  return {
    linksOf(markdown) {
      const cited = new Set<string>();
      const cite = (entry: EvidenceEntry) => cited.add(entry.id);
      for (const match of markdown.matchAll(ENTRY_ID)) {
        if (order.has(match[1])) cited.add(match[1]);
      }
      for (const match of markdown.matchAll(TIME)) {
        const clock = `${match[2].padStart(2, '0')}:${match[3]}`;
        const found = match[1]
          ? byMinute.get(`${match[1]}T${clock}`)
          : byClock.get(clock);
        atMinute(found).forEach(cite);
      }
      const lower = markdown.toLowerCase();
      for (const title of alerts) {
        if (!lower.includes(title.toLowerCase())) continue;
        const linked = entries.find(
          e => e.type.startsWith('alert_') && e.text.includes(title),
        );
        if (linked) cite(linked);
      }
      for (const match of markdown.matchAll(VERSION)) {
        const version = new RegExp(`\\b${match[1].replace(/\./g, '\\.')}\\b`);
        // The deploy of that version, not a rollback that names it.
        entries
          .filter(e => e.type === 'deploy' && version.test(deployed(e)))
          .forEach(cite);
      }
      for (const match of markdown.matchAll(QUOTE)) {
        const quote = (match[1] ?? match[2] ?? match[3]).trim().toLowerCase();
        if (quote.length < MIN_QUOTE_CHARS) continue;
        const i = lowerTexts.findIndex(text => text.includes(quote));
        if (i >= 0) cite(entries[i]);
      }
      return [...cited]
        .sort((a, b) => order.get(a)! - order.get(b)!)
        .slice(0, MAX_LINKS);
    },
  };
}

/**
 * The evidence of each section after an edit: a section whose text is as
 * before keeps its links (a model's citations stay); a rewritten or new one
 * is cited from its words.
 */
export function evidenceAfterEdit(
  index: EvidenceIndex,
  sections: PostmortemSection[],
  previous: {
    sections: PostmortemSection[];
    evidence: Record<string, string[]>;
  } = { sections: [], evidence: {} },
): Record<string, string[]> {
  const before = new Map(previous.sections.map(s => [s.key, s.markdown]));
  const evidence: Record<string, string[]> = {};
  for (const section of sections) {
    const kept = previous.evidence[section.key];
    const links =
      before.get(section.key) === section.markdown && kept
        ? kept
        : index.linksOf(section.markdown);
    if (links.length) evidence[section.key] = links;
  }
  return evidence;
}

/** "Deploy of payments-service 4.18.0: …" -> what was deployed, before its description. */
function deployed(entry: EvidenceEntry): string {
  const colon = entry.text.indexOf(': ');
  return colon < 0 ? entry.text : entry.text.slice(0, colon);
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V) {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
