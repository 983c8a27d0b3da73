/*
 * Runs the deterministic drafter on the demo incidents and prints, per
 * incident: sections filled, timeline events covered, and times in the draft
 * that the evidence does not contain (must be 0). Exits non-zero otherwise.
 *
 *   yarn workspace @postmortems-oss/backstage-plugin-postmortems-backend evaluate
 */
import { demoIncidents } from '../src/demo/demoIncidents';
import { EvidenceCheck } from '../src/generation/EvidenceCheck';
import { evidenceFromDocument } from '../src/generation/offline';
import { DeterministicProvider } from '../src/generation/providers/DeterministicProvider';

async function main() {
  const provider = new DeterministicProvider();
  const rows: string[][] = [
    [
      'incident',
      'sections filled',
      'events covered',
      'unsupported times',
      'unknown people',
      'blame',
    ],
  ];
  let failures = 0;
  for (const [k, doc] of demoIncidents.entries()) {
    const evidence = evidenceFromDocument(doc);
    const draft = await provider.draft({ evidence, mode: 'draft' });
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
    failures += count('unsupported_timestamp');
    rows.push([
      `INC-${doc.incident.number ?? k + 1} ${doc.incident.status}`,
      `${filled}/${draft.sections.length}`,
      `${covered}/${evidence.entries.length}`,
      String(count('unsupported_timestamp')),
      String(count('unknown_person')),
      String(count('blame')),
    ]);
  }
  const widths = rows[0].map((_, c) => Math.max(...rows.map(r => r[c].length)));
  for (const row of rows) {
    process.stdout.write(
      `${row.map((cell, c) => cell.padEnd(widths[c])).join('  ')}\n`,
    );
  }
  process.stdout.write(
    failures
      ? `FAIL: ${failures} unsupported times\n`
      : 'OK: every time in every draft is in its evidence\n',
  );
  process.exit(failures ? 1 : 0);
}

main();
