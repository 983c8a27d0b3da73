import { createHash } from 'node:crypto';
import {
  ActionItem,
  EvidenceFinding,
  FindingKind,
  PostmortemSection,
} from '@postmortems-oss/backstage-plugin-postmortems-common';
import { EvidenceBundle } from '@postmortems-oss/backstage-plugin-postmortems-node';

/** The template section whose prose structured action items stand for. */
const ACTION_ITEMS_KEY = 'action_items';

/** Words that start capitalised word pairs without naming a person. */
const NOT_NAMES = new Set(
  'The A An And Or But If When While After Before During Since Until Then This That These Those We Our Us Root Cause Contributing Factors Action Items Detection Resolution Summary Timeline Impact Customer Customers Incident Post Mortem Status Severity High Low Medium Critical Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March April May June July August September October November December UTC API APIs Slack Prometheus Datadog PagerDuty Grafana Kubernetes Postgres PostgreSQL Redis AWS GCP Azure Jira GitHub No Yes Next First Last New Old All Some Most Each Every Both One Two Three Why What How Who Where Which Is Was Were Are It Its'.split(
    ' ',
  ),
);
const PERSON_NOUNS =
  '(?:the|an?|our) (?:engineer|developer|on-call(?: engineer)?|operator|sre|admin|deployer|reviewer)|someone|somebody';
const BLAME_VERBS =
  "forgot|failed to|neglected|didn't|did not|should have|carelessly|mistakenly|accidentally|ignored|missed|screwed up|messed up|broke|was careless|was negligent";

/**
 * Checks a draft (AI or human) against its evidence before publication:
 * every time it states must appear in the evidence, every person it names
 * must be one the evidence names, sentences must not blame people, and the
 * template's required sections must be written.
 */
export class EvidenceCheck {
  private readonly times = new Set<string>();
  private readonly corpus: string;
  private readonly firstNames = new Set<string>();

  constructor(private readonly evidence: EvidenceBundle) {
    const stamps = [
      evidence.incident.triggered_at,
      evidence.incident.acknowledged_at,
      evidence.incident.resolved_at,
      evidence.incident.canceled_at,
      ...evidence.entries.map(e => e.at),
      ...evidence.alerts.flatMap(a => [
        a.fired_at,
        a.acknowledged_at,
        a.resolved_at,
      ]),
    ].filter((s): s is string => Boolean(s));
    for (const stamp of stamps) {
      const iso = new Date(stamp).toISOString();
      this.times.add(iso.slice(11, 16)); // HH:MM
      this.times.add(`${iso.slice(0, 10)} ${iso.slice(11, 16)}`); // date and minute
    }
    // Times written inside messages ("at 10:42 we rolled back") count as evidence too.
    const texts = evidence.entries.map(e => e.text);
    for (const text of texts) {
      for (const match of text.matchAll(/\b([01]?\d|2[0-3]):([0-5]\d)\b/g)) {
        this.times.add(`${match[1].padStart(2, '0')}:${match[2]}`);
      }
    }
    this.corpus = [
      evidence.incident.title,
      evidence.incident.description ?? '',
      evidence.incident.summary ?? '',
      ...evidence.incident.services,
      ...evidence.people,
      ...texts,
      ...evidence.entries.map(e => e.actor ?? ''),
      ...evidence.alerts.map(a => a.title),
      ...evidence.template.sections.flatMap(s => [
        s.title,
        ...s.guiding_questions,
      ]),
    ]
      .join('\n')
      .toLowerCase();
    for (const person of evidence.people) {
      const name = person.replace(/^user:(?:[^/]+\/)?/, '');
      const first = name.split(/[\s._-]+/)[0];
      if (first) this.firstNames.add(first.toLowerCase());
    }
  }

  /**
   * `actionItems` are the post-mortem's structured items: when one has an
   * owner and a due date, the Action items section needs no prose.
   */
  check(
    sections: PostmortemSection[],
    context: { actionItems?: StructuredActionItem[] } = {},
  ): EvidenceFinding[] {
    const findings: EvidenceFinding[] = [];
    for (const section of sections) {
      findings.push(
        ...this.checkTimes(section),
        ...this.checkPeople(section),
        ...this.checkBlame(section),
      );
    }
    findings.push(...this.checkWritten(sections, context.actionItems ?? []));
    return findings;
  }

  private checkTimes(section: PostmortemSection): EvidenceFinding[] {
    const found: EvidenceFinding[] = [];
    const pattern =
      /\b(?:(\d{4}-\d{2}-\d{2})[T ])?([01]?\d|2[0-3]):([0-5]\d)(?::[0-5]\d)?(?:\.\d+)?Z?\b/g;
    for (const match of prose(section.markdown).matchAll(pattern)) {
      const minute = `${match[2].padStart(2, '0')}:${match[3]}`;
      const key = match[1] ? `${match[1]} ${minute}` : minute;
      if (!this.times.has(key)) {
        found.push(
          finding(
            'unsupported_timestamp',
            section.key,
            match[0],
            `The time ${match[0]} does not appear in the incident's timeline, alerts or chat.`,
            'Use a time from the timeline, or remove it.',
          ),
        );
      }
    }
    return found;
  }

  private checkPeople(section: PostmortemSection): EvidenceFinding[] {
    const found: EvidenceFinding[] = [];
    const text = prose(section.markdown);
    for (const match of text.matchAll(
      /\buser:(?:[a-z0-9_.-]+\/)?[a-z0-9_-]+(?:\.[a-z0-9_-]+)*/gi,
    )) {
      if (!this.corpus.includes(match[0].toLowerCase())) {
        found.push(
          finding(
            'unknown_person',
            section.key,
            match[0],
            `${match[0]} is not named anywhere in the evidence.`,
            'Name only people the timeline names.',
          ),
        );
      }
    }
    for (const match of text.matchAll(/(?<![\w.])@([a-z0-9][\w.-]{1,40})/gi)) {
      if (!this.corpus.includes(match[1].toLowerCase())) {
        found.push(
          finding(
            'unknown_person',
            section.key,
            match[0],
            `${match[0]} is not named anywhere in the evidence.`,
            'Name only people the timeline names.',
          ),
        );
      }
    }
    for (const match of text.matchAll(
      /(?<![\w`/-])([A-Z][a-z]{1,15}) ([A-Z][a-z]{1,20})(?![\w`/-])/g,
    )) {
      const [pair, first, last] = match;
      if (NOT_NAMES.has(first) || NOT_NAMES.has(last)) continue;
      if (this.corpus.includes(pair.toLowerCase())) continue;
      found.push(
        finding(
          'unknown_person',
          section.key,
          pair,
          `"${pair}" reads like a person's name but the evidence does not mention it.`,
          'If this is a person, use the name the timeline gives; otherwise ignore this finding.',
        ),
      );
    }
    return found;
  }

  private checkBlame(section: PostmortemSection): EvidenceFinding[] {
    const found: EvidenceFinding[] = [];
    const text = prose(section.markdown);
    const names = [...this.firstNames].map(escapeRegex).join('|');
    const subject = names
      ? `(?:\\b(?:${names})(?: [a-z]+)?|${PERSON_NOUNS})`
      : `(?:${PERSON_NOUNS})`;
    const pattern = new RegExp(
      `(${subject})\\s+(?:${BLAME_VERBS})\\b[^.!?\\n]*`,
      'gi',
    );
    for (const match of text.matchAll(pattern)) {
      found.push(
        finding(
          'blame',
          section.key,
          match[0].trim(),
          'This sentence puts the failure on a person.',
          'Describe what allowed it instead: e.g. "Nothing in the deploy pipeline checked …" or "The runbook did not say …".',
        ),
      );
    }
    return found;
  }

  /**
   * Every section must be written before publishing: a required one may not
   * be empty, and no section may still hold only the template's questions or
   * the skeleton's note, nor keep those prompts next to the author's text.
   * Structured action items with an owner and a due date stand for the
   * Action items section, so its prose is not asked for twice.
   */
  private checkWritten(
    sections: PostmortemSection[],
    actionItems: StructuredActionItem[],
  ): EvidenceFinding[] {
    const tracked = actionItems.some(
      item =>
        (item.source !== 'ai' || item.accepted) &&
        Boolean(item.owner) &&
        Boolean(item.due_date),
    );
    const found: EvidenceFinding[] = [];
    for (const templateSection of this.evidence.template.sections) {
      if (tracked && templateSection.key === ACTION_ITEMS_KEY) continue;
      const section = sections.find(s => s.key === templateSection.key);
      const state = section
        ? writingState(section.markdown, templateSection.guiding_questions)
        : 'empty';
      if (state === 'written') continue;
      if (state === 'empty' && !templateSection.required) continue;
      const title = templateSection.title;
      const message = {
        empty: `The required section "${title}" is not written yet.`,
        prompts: `The section "${title}" holds only the template's questions or the automatic skeleton's note; it is not written yet.`,
        'prompts left': `The section "${title}" still holds the template's questions or the automatic skeleton's note; answer them in your own words and remove them.`,
      }[state];
      found.push(
        finding(
          'missing_section',
          templateSection.key,
          title,
          message,
          templateSection.guiding_questions[0] ?? null,
        ),
      );
    }
    return found;
  }
}

/** What the check needs to know of a structured action item. */
export type StructuredActionItem = Pick<
  ActionItem,
  'owner' | 'due_date' | 'source' | 'accepted'
>;

/** Lines that only prompt the author: the skeleton's note and questions. */
function isPrompt(line: string, questions: string[]): boolean {
  const text = line
    .replace(/^>\s*/, '')
    .replace(/^[-*]\s+/, '')
    .trim();
  if (/^_Automatic skeleton\b/.test(text)) return true;
  if (/Configure a model for a written draft/.test(text)) return true;
  // The drafter writes questions in italics; a template question in any form.
  if (/^_[^_]+_$/.test(text) || /^\*[^*]+\*$/.test(text)) return true;
  const plain = text.replace(/[_*]/g, '').trim().toLowerCase();
  return questions.some(q => q.trim().toLowerCase() === plain);
}

/**
 * `empty`: nothing in it; `prompts`: only questions and the skeleton's note
 * (and the drafter's headings over them); `prompts left`: the author's text
 * with prompts still in it; `written`: the author's text alone.
 */
function writingState(
  markdown: string,
  questions: string[],
): 'empty' | 'prompts' | 'prompts left' | 'written' {
  const lines = markdown
    .split('\n')
    .map(l => l.trim())
    .filter(l => l && l !== '>');
  if (!lines.length || lines.every(l => l === '_To be written by the author._'))
    return 'empty';
  const prompts = lines.filter(l => isPrompt(l, questions));
  if (!prompts.length) return 'written';
  return prompts.length === lines.length ? 'prompts' : 'prompts left';
}

/** The draft's own words: quotes of chat and code spans are evidence, not claims. */
function prose(markdown: string): string {
  return markdown
    .split('\n')
    .filter(line => !/^\s*>/.test(line))
    .join('\n')
    .replace(/`[^`\n]*`/g, '');
}

function finding(
  kind: FindingKind,
  sectionKey: string | null,
  excerpt: string,
  message: string,
  hint: string | null,
): EvidenceFinding {
  const id = createHash('sha1')
    .update(`${kind}\0${sectionKey}\0${excerpt}`)
    .digest('hex')
    .slice(0, 12);
  return { id, kind, section_key: sectionKey, excerpt, message, hint };
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
