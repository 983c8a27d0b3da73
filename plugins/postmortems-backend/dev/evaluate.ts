/*
 * Evaluates the drafter and the checks without a model or a database.
 *
 * 1. Runs the deterministic drafter on the demo incidents and prints, per
 *    incident: sections filled, timeline events covered, times the evidence
 *    does not contain, raw entity refs in the draft's visible text, and
 *    timeline entries whose text the draft does not carry whole. Unsupported
 *    times, raw refs and damaged entries must all be 0.
 * 2. Measures the blameless check on the labelled sentences of
 *    blameSentences.ts: recall (blaming sentences flagged) must be at least
 *    95% and the false-alarm rate (neutral sentences flagged) at most 5%, on
 *    the whole set and on its held-out part.
 *
 * Exits non-zero when any of these fails.
 *
 *   yarn workspace @postmortems-oss/backstage-plugin-postmortems-backend evaluate
 */
import { EvidenceBundle } from '@postmortems-oss/backstage-plugin-postmortems-node';
import { demoIncidents } from '../src/demo/demoIncidents';
import { EvidenceCheck } from '../src/generation/EvidenceCheck';
import {
  ENTITY_REF_PATTERN,
  nameOf,
} from '../src/generation/evidence/entityNames';
import { evidenceFromDocument } from '../src/generation/offline';
import { DeterministicProvider } from '../src/generation/providers/DeterministicProvider';
import {
  BlameScore,
  allBlameSamples,
  blameCheckOf,
  heldOut,
  scoreBlame,
  tuning,
} from './blameSentences';

const MIN_RECALL = 0.95;
const MAX_FALSE_ALARM_RATE = 0.05;

/** An entity ref as written in a record: `user:default/frank.li`, `component:checkout-api`. */
const RAW_REF =
  /\b(?:component|user|group|system|resource|api|domain):(?:[a-z0-9-_.]+\/)?[a-z0-9-_.]+/gi;

/** Link targets may carry refs (catalog URLs); the text a reader sees may not. */
function visibleText(markdown: string): string {
  return markdown.replace(/\]\([^)\s]*\)/g, ']').replace(/<https?:[^>]*>/g, '');
}

function rawRefs(markdown: string): string[] {
  // A trailing dot ends the sentence, not the ref.
  return [...visibleText(markdown).matchAll(RAW_REF)].map(m =>
    m[0].replace(/\.+$/, ''),
  );
}

/**
 * Markdown as a reader sees it, for comparing with the record: link text
 * without its target, escapes and code backticks dropped, whitespace folded.
 */
function asRead(markdown: string): string {
  return markdown
    .replace(/\[((?:\\.|[^\]\\])*)\]\([^)]*\)/g, '$1')
    .replace(/\\([\\`*_{}[\]()#+\-.!|<>~])/g, '$1')
    .replace(/`/g, '')
    .replace(/\s+/g, ' ');
}

/** An entry's text as the draft should carry it: refs by their names, whitespace folded. */
function entryAsRead(text: string, evidence: EvidenceBundle): string {
  return text
    .replace(ENTITY_REF_PATTERN, ref => nameOf(ref, evidence.entities).title)
    .replace(/`/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}

function printTable(rows: string[][]) {
  const widths = rows[0].map((_, c) => Math.max(...rows.map(r => r[c].length)));
  for (const row of rows) {
    process.stdout.write(
      `${row
        .map((cell, c) => cell.padEnd(widths[c]))
        .join('  ')
        .trimEnd()}\n`,
    );
  }
}

const percent = (x: number) => `${(100 * x).toFixed(1)}%`;

async function evaluateDrafts(): Promise<string[]> {
  const provider = new DeterministicProvider();
  const rows: string[][] = [
    [
      'incident',
      'sections filled',
      'events covered',
      'unsupported times',
      'unknown people',
      'blame',
      'raw refs',
      'entries whole',
    ],
  ];
  const problems: string[] = [];
  for (const [k, doc] of demoIncidents.entries()) {
    const evidence = evidenceFromDocument(doc);
    const draft = await provider.draft({ evidence, mode: 'draft' });
    const reference = `INC-${doc.incident.number ?? k + 1}`;
    const findings = new EvidenceCheck(evidence).check(draft.sections);
    const filled = draft.sections.filter(
      s =>
        !findings.some(
          f => f.kind === 'missing_section' && f.section_key === s.key,
        ),
    ).length;
    const cited = new Set(draft.sections.flatMap(s => s.evidence));
    const covered = evidence.entries.filter(e => cited.has(e.id)).length;
    const count = (kind: string) =>
      findings.filter(f => f.kind === kind).length;
    for (const f of findings.filter(x => x.kind === 'unsupported_timestamp')) {
      problems.push(`${reference}: unsupported time ${f.excerpt}`);
    }

    let refs = 0;
    for (const section of draft.sections) {
      for (const ref of rawRefs(section.markdown)) {
        refs++;
        problems.push(`${reference} ${section.key}: raw entity ref ${ref}`);
      }
    }

    const read = asRead(draft.sections.map(s => s.markdown).join('\n\n'));
    let whole = 0;
    for (const entry of evidence.entries) {
      const text = entryAsRead(entry.text, evidence);
      if (read.includes(text)) whole++;
      else
        problems.push(
          `${reference}: timeline entry ${entry.id} is not in the draft whole: ${text}`,
        );
    }

    rows.push([
      `${reference} ${doc.incident.status}`,
      `${filled}/${draft.sections.length}`,
      `${covered}/${evidence.entries.length}`,
      String(count('unsupported_timestamp')),
      String(count('unknown_person')),
      String(count('blame')),
      String(refs),
      `${whole}/${evidence.entries.length}`,
    ]);
  }
  printTable(rows);
  return problems;
}

function evaluateBlame(): string[] {
  // The people the check knows are those of a demo incident; the sentences
  // name some of them and some people it does not know.
  const flags = blameCheckOf(evidenceFromDocument(demoIncidents[0]));
  const sets: Array<[string, BlameScore]> = [
    ['all', scoreBlame(allBlameSamples, flags)],
    ['tuning', scoreBlame(tuning, flags)],
    ['held-out', scoreBlame(heldOut, flags)],
  ];
  process.stdout.write('\nBlameless check on the labelled sentences\n');
  printTable([
    ['set', 'blaming flagged', 'recall', 'neutral flagged', 'false alarms'],
    ...sets.map(([name, s]) => [
      name,
      `${s.caught}/${s.blaming}`,
      percent(s.recall),
      `${s.falseAlarms}/${s.neutral}`,
      percent(s.falseAlarmRate),
    ]),
  ]);
  const all = sets[0][1];
  for (const text of all.missed) process.stdout.write(`  missed: ${text}\n`);
  for (const text of all.wronglyFlagged)
    process.stdout.write(`  false alarm: ${text}\n`);

  const problems: string[] = [];
  for (const [name, s] of sets) {
    if (name === 'tuning') continue;
    if (s.recall < MIN_RECALL)
      problems.push(
        `blameless check: recall on ${name} ${percent(
          s.recall,
        )} is below ${percent(MIN_RECALL)}`,
      );
    if (s.falseAlarmRate > MAX_FALSE_ALARM_RATE)
      problems.push(
        `blameless check: false alarms on ${name} ${percent(
          s.falseAlarmRate,
        )} are above ${percent(MAX_FALSE_ALARM_RATE)}`,
      );
  }
  return problems;
}

/** The draft checks must catch what they look for: a planted ref and a cut entry. */
function checkTheChecks(): string[] {
  const problems: string[] = [];
  const refs = rawRefs(
    'By [Frank Li](/catalog/default/user/frank.li), updated by user:default/guest on component:checkout-api.',
  );
  if (refs.join() !== 'user:default/guest,component:checkout-api')
    problems.push(`raw-ref check finds ${JSON.stringify(refs)}`);
  const cut = asRead('| 09:24 | Chat: the secret is mounted u | Bob |');
  if (cut.includes('the secret is mounted under /etc/ssl'))
    problems.push('whole-entry check accepts a cut entry');
  return problems;
}

async function main() {
  const problems = [
    ...checkTheChecks(),
    ...(await evaluateDrafts()),
    ...evaluateBlame(),
  ];
  process.stdout.write('\n');
  if (problems.length) {
    for (const problem of problems) process.stdout.write(`FAIL: ${problem}\n`);
    process.exit(1);
  }
  process.stdout.write(
    'OK: every time in every draft is in its evidence; no raw entity ref in any draft; every timeline entry whole; ' +
      `blameless check at or above ${percent(
        MIN_RECALL,
      )} recall and at or below ${percent(
        MAX_FALSE_ALARM_RATE,
      )} false alarms, on all sentences and on the held-out ones\n`,
  );
  process.exit(0);
}

main();
