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

/**
 * Capitalised words that are not people's names: sentence openers, months
 * and days, section titles, tools and common system nouns. Used to tell a
 * name from a capitalised word, in word pairs ("Jennifer Smithson") and in
 * the blameless check ("Kenji broke …" but not "Terraform broke …").
 */
const NOT_NAMES = new Set(
  [
    // Sentence openers, pronouns and other function words.
    'The A An And Or But If When While After Before During Since Until Then This That These Those We Our Us It Its I You He She They Their His Her Them',
    'Because Had Has Have Also However Meanwhile Later Earlier Once Although Though Instead Without With From For To In On At By As Of There Here Thanks Blame Only Even Still Both Either Neither Not Nothing Nobody Someone Somebody Everyone Anyone Everything Human Operator Please Note See Per Did Do Does Will Would Should Could Can May Might Must',
    'No Yes Next First Last New Old All Some Most Each Every One Two Three Why What How Who Where Which Is Was Were Are',
    // Section titles and incident vocabulary.
    'Root Cause Contributing Factors Action Items Detection Resolution Summary Timeline Impact Customer Customers Incident Post Mortem Status Severity High Low Medium Critical Alert Deploy Release Rollback Retry Cache Checkout Payments Payment Staging Production Prod Traffic Config Database Replica Primary Canary Pipeline Runbook Script Cluster Node Nodes Queue Queues Service Services Version Team Guest Chat Event Who Time Replicas Backups Retries Metrics Logs Ops',
    // Dates.
    'Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March April May June July August September October November December UTC',
    // Tools and products.
    'API APIs Slack Prometheus Datadog PagerDuty Grafana Kubernetes Postgres PostgreSQL Redis AWS GCP Azure Jira GitHub Alertmanager Opsgenie Terraform Helm Kafka Jenkins Argo Envoy Nginx Vault Consul Istio Linux Docker Cloudflare Fastly Stripe Sentry Elasticsearch Splunk Lambda',
  ]
    .join(' ')
    .split(' '),
);

/*
 * The blameless check. A sentence blames when it puts a failure on a person
 * rather than on what allowed it. It works in two steps:
 *
 * 1. Every mention of a person in the sentence becomes PERSON: names the
 *    evidence knows, other capitalised names, @handles and user refs, roles
 *    ("the database engineer", "an inexperienced contractor", "the SRE on
 *    call") and he/she/someone. "We" stays as it is: a team describing its
 *    own process gaps is what blameless writing asks for.
 * 2. The sentence is matched against BLAME_RULES, each a small pattern over
 *    the marked text. Systems may fail, miss and break ("The canary missed
 *    the regression"); people doing so is blame.
 */

/** What a person mention becomes before the rules run; no text contains it. */
const PERSON = '\u27e8person\u27e9';

/** Nouns naming someone by their job or part in the incident. */
const ROLE_NOUNS =
  '(?:engineer|developer|dev|operator|sre|admin|administrator|dba|deployer|reviewer|approver|on-?call(?:er)?|intern|contractor|hire|employee|teammate|colleague|responder|manager|lead|person)s?';

/**
 * A role with up to three qualifiers: "the on-call engineer", "the senior
 * backend engineer", "an overworked SRE", "the SRE on call". Qualifiers may
 * not be words that end a noun phrase, so "the page woke the engineer" is
 * one role ("the engineer"), not a phrase starting at "the page".
 */
const ROLE = new RegExp(
  `\\b(?:the|an?|our|their|that|this|one)\\s+(?:(?!(?:the|an?|and|or|was|were|is|are|had|has|who|which|that|to|of|by|for|on|in|at)(?![\\w-]))[a-z][\\w-]*\\s+){0,3}${ROLE_NOUNS}\\b(?:\\s+on[ -]call\\b)?`,
  'gi',
);

/**
 * Pronouns and indefinites that stand for a person. "Nobody" names no one;
 * the judging words catch "Nobody bothered to …".
 */
const PERSON_WORDS = /\b(?:he|she|someone|somebody)\b/gi;

/** @handles and user refs. */
const HANDLE_OR_USER_REF =
  /(?<![\w.])@[a-z0-9][\w.-]{1,40}|\buser:(?:[a-z0-9_.-]+\/)?[a-z0-9_-]+(?:\.[a-z0-9_-]+)*/gi;

/**
 * A capitalised word shaped like a common noun rather than a name:
 * "Autoscaling", "Production", "Retries", "Deploys", "Memcached".
 */
const COMMON_NOUN_SHAPE =
  /(?:ing|tion|sion|ment|ness|ity|ies|ism)$|[^aeiouy's]s$|(?<=\w{5})ed$/;

/** A Markdown link: its text is what the sentence says ("[Frank Li](/catalog/…)"). */
const LINK = /\[((?:\\.|[^\]\\])*)\]\([^)]*\)/g;

/** Quoted text (alert titles, chat) is evidence, not the draft's claim. */
const QUOTED = /"[^"\n]*"|“[^”\n]*”/g;

/** Words that may sit between a person and what they did: "Bob, the on-call engineer, then missed …". */
const BETWEEN = `(?:,[^,]{1,60},)?(?:\\s+(?:then|also|just|simply|again|apparently|clearly|obviously|had|has|have|must|probably))*\\s+`;

/**
 * What only a person can be faulted for, after a person: forgetting,
 * ignoring, skipping, botching, "should have", "failed to", "didn't check".
 * "didn't" counts unless it says what the person could not help
 * ("did not receive the page").
 */
const FAULT_VERBS = [
  'forgot',
  'forgotten',
  'neglected',
  'ignored',
  'ignoring',
  'overlooked',
  'skipped',
  'skimmed',
  'bypassed',
  'disregarded',
  'screwed up',
  'messed up',
  'botched',
  'fat-fingered',
  // mistyped, misconfigured, misread, misjudged …
  'mis[a-z]+ed',
  'misread',
  'broke',
  'caused',
  'missed',
  'failed to',
  'made an? (?:mistake|error)',
  "should(?: not|n[’']t)? have",
  'ought to have',
  "(?:did not|didn[’']t|never)\\s+(?!(?:receive|get|have|know|see|hear|need|exist)\\b)\\w+",
].join('|');

/** Manner that faults whoever acted: "mistakenly", "by accident", "without checking". */
const FAULT_MANNER =
  '(?:mistakenly|carelessly|accidentally|inadvertently|recklessly|negligently|hastily|blindly|wrongly|sloppily|lazily|by mistake|by accident|without (?:checking|testing|reading|asking|reviewing|looking|telling|(?:a )?review))';

/** Verbs whose passive with "by <person>" puts damage on the person. */
const PASSIVE_FAULTS =
  '(?:caused|broken|deleted|dropped|removed|wiped|overwritten|truncated|corrupted|introduced|disabled|ignored|missed|overlooked|skipped|botched|mis[a-z]+ed)';

/** Nouns of fault: "Marcus's mistake", "a mistake by the new hire". */
const FAULT_NOUNS =
  '(?:mistake|fault|error|oversight|carelessness|negligence|blunder|screw-up|doing)';

/** Changes described by their defect, as something a person did: "pushed an untested change". */
const BAD_CHANGE =
  '(?:push|merg|deploy|ship|appl|commit|releas)\\w*\\s+(?:an?\\s+|the\\s+)?(?:untested|unreviewed|broken|bad|faulty|buggy|unapproved)';

/** Each rule with the reason it blames. Patterns see the marked sentence. */
const BLAME_RULES: Array<{ why: string; pattern: RegExp }> = [
  {
    why: 'a person as the subject of a fault: "Bob forgot …", "The operator failed to …"',
    pattern: new RegExp(`${PERSON}${BETWEEN}(?:${FAULT_VERBS})\\b`, 'i'),
  },
  {
    why: 'a person who did something and then a fault: "… disabled the alert and never turned it back on"',
    pattern: new RegExp(
      `${PERSON}[^.;:!?]{0,80}?\\band\\s+(?:then\\s+)?(?:${FAULT_VERBS})\\b`,
      'i',
    ),
  },
  {
    why: 'a person acting mistakenly, carelessly or without checking',
    pattern: new RegExp(`${PERSON}[^;:]*?\\b${FAULT_MANNER}\\b`, 'i'),
  },
  {
    why: 'a person shipping a change described by its defect: "pushed an untested change"',
    pattern: new RegExp(`${PERSON}${BETWEEN}${BAD_CHANGE}`, 'i'),
  },
  {
    why: 'damage done "by <person>" in the passive: "The index was dropped by the database engineer"',
    pattern: new RegExp(
      `\\b(?:was|were|been|got|is|are)\\s+(?:\\w+ly\\s+)?${PASSIVE_FAULTS}\\b[^;:]*?\\bby\\s+${PERSON}|\\bcaused by\\s+${PERSON}`,
      'i',
    ),
  },
  {
    why: 'a person as the cause: "The root cause was Alice pushing …", "due to Jonas pushing …", "The outage is on Alice"',
    pattern: new RegExp(
      `\\b(?:cause|culprit|problem|reason|trigger)(?:\\s+of\\s+[\\w\\s-]{1,30}?)?\\s+(?:was|is)\\s+(?:that\\s+)?${PERSON}|\\b(?:due to|because of)\\s+${PERSON}(?!['’]s)|\\b(?:outage|incident|failure)\\s+(?:was|is)\\s+(?:on\\s+)?${PERSON}`,
      'i',
    ),
  },
  {
    why: 'a person\'s fault or mistake: "Marcus\'s mistake", "a mistake by the new hire", "her fault"',
    pattern: new RegExp(
      `${PERSON}['’]s\\s+(?:own\\s+)?${FAULT_NOUNS}|\\b${FAULT_NOUNS}\\s+(?:by|of|on the part of)\\s+${PERSON}|\\b(?:his|her)\\s+${FAULT_NOUNS}`,
      'i',
    ),
  },
  {
    why: 'a person found at fault: "Bob was at fault"',
    pattern: new RegExp(
      `${PERSON}\\s+(?:was|is|were)\\s+(?:\\w+\\s+)?at fault\\b`,
      'i',
    ),
  },
  {
    why: 'error put on people: "human error", "operator error"',
    pattern:
      /\b(?:human|operator|user|pilot|engineer|people|personnel)\s+error\b|\bPEBKAC\b/i,
  },
  {
    why: 'a counterfactual on a person: "If Erin had waited …", "Had Sam read the runbook …"',
    pattern: new RegExp(
      `\\bif\\s+${PERSON}\\s+had\\b|\\bhad\\s+${PERSON}\\s+(?!been\\b)[a-z]+`,
      'i',
    ),
  },
  {
    why: 'words that judge people, whoever the subject: "careless", "negligent", "should have known", "blame for … lies with"',
    pattern:
      /\b(?:careless(?:ly|ness)?|negligen(?:t|tly|ce)|sloppy|sloppily|lazy|lazily|laziness|incompeten(?:t|ce)|reckless(?:ly)?|irresponsibl[ey]|rookie mistake|should have known|asleep at the wheel|dropped the ball|blame (?:for|lies|rests|falls|goes)|blamed|to blame)\b|\b(?:not|n[’']t) paying attention\b|\b(?:nobody|no one|never|not|n[’']t) bother(?:ed)? to\b/i,
  },
];

/** How many checked sections an EvidenceCheck remembers. */
const CHECKED_SECTIONS_KEPT = 64;

/**
 * Checks a draft (AI or human) against its evidence before publication:
 * every time it states must appear in the evidence, every person it names
 * must be one the evidence names, sentences must not blame people, and the
 * template's required sections must be written.
 */
export class EvidenceCheck {
  private readonly times = new Set<string>();
  private readonly corpus: string;
  /** People the evidence names, as prose writes them: "Frank Li", "Frank". */
  private readonly names: string[];
  /** Findings of sections already checked, by key and words (oldest first). */
  private readonly checked = new Map<string, EvidenceFinding[]>();

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
      // Drafts name services and people by their catalog titles
      // ("Web Storefront"); those are names the evidence gives.
      ...Object.values(evidence.entities ?? {}).map(e => e.title),
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
    const names = new Set<string>();
    for (const person of evidence.people) {
      const name = displayName(person);
      // Bots and shared accounts ("pagerduty", "Guest") are not people to blame.
      if (!/^[A-Z]/.test(name) || NOT_NAMES.has(name)) continue;
      names.add(name);
      // The first name alone, even one that is also a word ("May"): the
      // evidence says it is a person here.
      names.add(name.split(' ')[0]);
    }
    this.names = [...names];
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
      findings.push(...this.checkSection(section));
    }
    findings.push(...this.checkWritten(sections, context.actionItems ?? []));
    return findings;
  }

  /**
   * A section's own findings. The same words against the same evidence
   * find the same things, so a section saved unchanged is not checked again
   * (a check kept with evidence in memory serves many saves of one draft).
   */
  private checkSection(section: PostmortemSection): EvidenceFinding[] {
    const key = `${section.key}\0${section.markdown}`;
    const known = this.checked.get(key);
    if (known) return known;
    const found = [
      ...this.checkTimes(section),
      ...this.checkPeople(section),
      ...this.checkBlame(section),
    ];
    if (this.checked.size >= CHECKED_SECTIONS_KEPT) {
      this.checked.delete(this.checked.keys().next().value!);
    }
    this.checked.set(key, found);
    return found;
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
    return blamingSentences(prose(section.markdown), this.names).map(sentence =>
      finding(
        'blame',
        section.key,
        sentence,
        'This sentence puts the failure on a person.',
        'Describe what allowed it instead: e.g. "Nothing in the deploy pipeline checked …" or "The runbook did not say …".',
      ),
    );
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

/** A person as prose names them: "user:default/frank.li" reads "Frank Li". */
function displayName(person: string): string {
  const ref = /^user:(?:[^/]+\/)?(.+)$/.exec(person);
  if (!ref) return person.trim();
  return ref[1]
    .split(/[._-]+/)
    .filter(Boolean)
    .map(w => w[0].toUpperCase() + w.slice(1))
    .join(' ');
}

/**
 * The sentences of a text, each a finding's excerpt: split at sentence ends,
 * at line breaks and at table cells. A cell that quotes chat ("Chat: …", as
 * the Timeline table does) is the record's words, not the draft's.
 */
function sentencesOf(text: string): string[] {
  return text
    .split(/\n+|\s*\|\s*/)
    .filter(cell => !/^Chat:/.test(cell))
    .flatMap(line => line.split(/(?<=[.!?])\s+(?=[A-Z"“(\d])/))
    .map(s =>
      s
        .replace(/^[\s>*_#-]+|[\s*_]+$/g, '')
        .replace(/[.!?]+$/, '')
        .trim(),
    )
    .filter(s => /[a-z]/i.test(s));
}

/** A sentence with each mention of a person replaced by PERSON (see BLAME_RULES). */
function markPeople(sentence: string, known: RegExp | null): string {
  let text = sentence.replace(LINK, '$1').replace(QUOTED, '""');
  if (known) text = text.replace(known, PERSON);
  text = text
    .replace(HANDLE_OR_USER_REF, PERSON)
    .replace(ROLE, PERSON)
    .replace(PERSON_WORDS, PERSON)
    .replace(/(?<![\w'’-])[A-Z][a-z]+(?![\w-])/g, word =>
      NOT_NAMES.has(word) || COMMON_NOUN_SHAPE.test(word) ? word : PERSON,
    );
  // "Bob Okafor" is one person.
  return text.replace(new RegExp(`${PERSON}(?: ${PERSON})+`, 'g'), PERSON);
}

/**
 * The sentences of a text that blame a person, as written. `names` are the
 * people the evidence knows; other capitalised names count as people too.
 */
export function blamingSentences(text: string, names: string[] = []): string[] {
  const known = names.length
    ? new RegExp(
        `(?<![\\w-])(?:${[...names]
          .sort((a, b) => b.length - a.length)
          .map(escapeRegex)
          .join('|')})(?![\\w-])`,
        'g',
      )
    : null;
  return sentencesOf(text).filter(sentence => {
    const marked = markPeople(sentence, known);
    return BLAME_RULES.some(rule => rule.pattern.test(marked));
  });
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
