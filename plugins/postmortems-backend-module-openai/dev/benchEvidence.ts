/*
 * Benchmark of evidence assembly (scrubbing included) and the token budget
 * for long incidents. Prints time, peak memory growth and prompt tokens
 * versus the budget for 1k, 10k and 100k timeline entries.
 *
 *   yarn workspace @postmortems-oss/backstage-plugin-postmortems-backend-module-openai bench:evidence
 */
// Fixtures and the real core plugin, for tests and dev scripts only.
// eslint-disable-next-line @backstage/no-mixed-plugin-imports
import {
  evidenceFromDocument,
  longIncident,
} from '@postmortems-oss/backstage-plugin-postmortems-backend/testUtils';
import { TimelineBudget } from '../src/TimelineBudget';
import { TokenCounter } from '../src/tokens';

const BUDGET = 12_000;

function main() {
  const counter = new TokenCounter('gpt-4o-mini');
  const rows = [
    [
      'entries',
      'assemble ms',
      'budget ms',
      'total ms',
      'peak heap +MB',
      'prompt tokens',
      'budget',
      'left out',
    ],
  ];
  for (const count of [1_000, 10_000, 100_000]) {
    const doc = longIncident(count);
    global.gc?.();
    const heapBefore = process.memoryUsage().heapUsed;
    // The heap is read after each step: both are synchronous, so a timer
    // sampling it (as this bench once did) never fires while they run. It
    // is a lower bound of the true peak (garbage collected inside a step is
    // not seen), read outside the timed spans.
    const t0 = performance.now();
    const evidence = evidenceFromDocument(doc);
    const t1 = performance.now();
    const assembled = process.memoryUsage().heapUsed;
    const t2 = performance.now();
    const fitted = new TimelineBudget(BUDGET, counter).fit(evidence.entries);
    const t3 = performance.now();
    const peak = Math.max(assembled, process.memoryUsage().heapUsed);
    rows.push([
      String(count),
      (t1 - t0).toFixed(0),
      (t3 - t2).toFixed(0),
      (t1 - t0 + (t3 - t2)).toFixed(0),
      ((peak - heapBefore) / 1_048_576).toFixed(1),
      String(fitted.tokens),
      String(BUDGET),
      String(fitted.omitted),
    ]);
  }
  const widths = rows[0].map((_, c) => Math.max(...rows.map(r => r[c].length)));
  for (const row of rows)
    process.stdout.write(
      `${row.map((cell, c) => cell.padStart(widths[c])).join('  ')}\n`,
    );
}

main();
