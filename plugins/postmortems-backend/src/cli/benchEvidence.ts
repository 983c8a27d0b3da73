/*
 * Benchmark of evidence assembly (scrubbing included) and the token budget
 * for long incidents. Prints time, peak memory growth and prompt tokens
 * versus the budget for 1k, 10k and 100k timeline entries.
 *
 *   yarn workspace @postmortems-oss/backstage-plugin-postmortems-backend bench:evidence
 */
import { IncidentImportDocument } from '@postmortems-oss/backstage-plugin-postmortems-common';
import { TimelineBudget } from '../generation/evidence/TimelineBudget';
import { TokenCounter } from '../generation/evidence/tokens';
import { evidenceFromDocument } from '../generation/offline';

const BUDGET = 12_000;

function incident(count: number): IncidentImportDocument {
  const start = Date.parse('2026-10-01T00:00:00Z');
  const step = Math.floor((24 * 3_600_000) / count);
  const at = (k: number) => new Date(start + k * step).toISOString();
  const timeline: IncidentImportDocument['timeline'] = [];
  for (let k = 0; k < count; k++) {
    if (k === 0)
      timeline.push({
        type: 'incident_created',
        timestamp: at(k),
        content: { title: 'Long outage' },
      });
    else if (k % 997 === 0)
      timeline.push({
        type: 'deploy',
        timestamp: at(k),
        content: { service: 'checkout-api', version: `1.${k}` },
      });
    else if (k === count - 1)
      timeline.push({
        type: 'status_changed',
        timestamp: at(k),
        content: { from: 'acknowledged', to: 'resolved' },
      });
    else
      timeline.push({
        type: 'slack_message',
        actor: `Person ${k % 23}`,
        timestamp: at(k),
        content: {
          text: `message ${k}: error rate still at ${k % 90}% on 10.0.${
            k % 250
          }.4, checking the pool (owner ops@example.com)`,
        },
      });
  }
  return {
    incident: {
      title: 'Long outage',
      severity: 'high',
      status: 'resolved',
      triggered_at: at(0),
      resolved_at: at(count - 1),
      services: ['component:default/checkout-api'],
    },
    timeline,
  };
}

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
    const doc = incident(count);
    global.gc?.();
    const heapBefore = process.memoryUsage().heapUsed;
    let peak = heapBefore;
    const sample = setInterval(() => {
      peak = Math.max(peak, process.memoryUsage().heapUsed);
    }, 5);
    const t0 = performance.now();
    const evidence = evidenceFromDocument(doc);
    const t1 = performance.now();
    const fitted = new TimelineBudget(BUDGET, counter).fit(evidence.entries);
    const t2 = performance.now();
    peak = Math.max(peak, process.memoryUsage().heapUsed);
    clearInterval(sample);
    rows.push([
      String(count),
      (t1 - t0).toFixed(0),
      (t2 - t1).toFixed(0),
      (t2 - t0).toFixed(0),
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
