import {
  EvidenceEntry,
  formatTime,
} from '@postmortems-oss/backstage-plugin-postmortems-node';
import { estimateTokens, TokenCounter } from './tokens';

/** Entry types that always stay in the prompt: the skeleton of the incident. */
const KEY_TYPES = new Set([
  'incident_created',
  'status_changed',
  'severity_changed',
  'commander_assigned',
  'alert_linked',
  'alert_acknowledged',
  'deploy',
]);
const HEAD = 15;
const TAIL = 25;
const MAX_LINE_CHARS = 600;

export interface BudgetedTimeline {
  /** The timeline as prompt lines, omissions folded into notes. */
  text: string;
  keptIds: Set<string>;
  omitted: number;
  tokens: number;
}

/**
 * Fits a timeline into a token budget without losing what a post-mortem
 * needs: the start, the end (the resolution), every status, severity,
 * commander, alert and deploy event. Runs of chat left out are folded into
 * one line that says how many messages, when, and from whom, so the model
 * knows what it has not seen.
 */
export class TimelineBudget {
  constructor(
    private readonly budgetTokens: number,
    private readonly counter: TokenCounter,
  ) {}

  fit(entries: EvidenceEntry[]): BudgetedTimeline {
    const lines = entries.map(renderLine);
    const costs = lines.map(estimateTokens);
    const total = costs.reduce((a, b) => a + b, 0);

    let optionalShare = 1;
    let result = this.select(
      entries,
      lines,
      costs,
      total <= this.budgetTokens ? Infinity : this.budgetTokens,
    );
    // The estimate is an upper bound most of the time; check with the real
    // tokenizer and tighten if the model's count is higher.
    for (let attempt = 0; attempt < 4; attempt++) {
      const tokens = this.counter.count(result.text);
      if (tokens <= this.budgetTokens) {
        return { ...result, tokens };
      }
      optionalShare *= (this.budgetTokens / tokens) * 0.9;
      result = this.select(
        entries,
        lines,
        costs,
        this.budgetTokens * optionalShare,
      );
    }
    return { ...result, tokens: this.counter.count(result.text) };
  }

  private select(
    entries: EvidenceEntry[],
    lines: string[],
    costs: number[],
    budget: number,
  ): Omit<BudgetedTimeline, 'tokens'> {
    const n = entries.length;
    const keep = new Uint8Array(n);
    if (budget === Infinity) {
      keep.fill(1);
    } else {
      let used = 0;
      const must: number[] = [];
      for (let i = 0; i < n; i++) {
        if (i < HEAD || i >= n - TAIL || KEY_TYPES.has(entries[i].type)) {
          must.push(i);
        }
      }
      // If even the skeleton does not fit, keep its ends and thin its middle.
      const skeletonCost = (step: number) =>
        must
          .filter((i, k) => i < HEAD || i >= n - TAIL || k % step === 0)
          .reduce((sum, i) => sum + costs[i], 0);
      let stride = 1;
      while (skeletonCost(stride) > budget * 0.8 && stride < n) {
        stride *= 2;
      }
      must.forEach((i, k) => {
        if (stride === 1 || i < HEAD || i >= n - TAIL || k % stride === 0) {
          keep[i] = 1;
          used += costs[i];
        }
      });
      // Chatter fills what is left, spread evenly over the incident.
      const optional: number[] = [];
      let optionalCost = 0;
      for (let i = 0; i < n; i++) {
        if (!keep[i]) {
          optional.push(i);
          optionalCost += costs[i];
        }
      }
      const room = budget - used - 64 * 8;
      if (room > 0 && optional.length) {
        const step = Math.max(1, optionalCost / room);
        for (let k = 0; k < optional.length; k += step) {
          const i = optional[Math.floor(k)];
          if (used + costs[i] > budget) break;
          keep[i] = 1;
          used += costs[i];
        }
      }
    }

    const out: string[] = [];
    const keptIds = new Set<string>();
    let omitted = 0;
    let run: EvidenceEntry[] = [];
    const flush = () => {
      if (run.length) {
        out.push(omissionLine(run));
        omitted += run.length;
        run = [];
      }
    };
    for (let i = 0; i < n; i++) {
      if (keep[i]) {
        flush();
        out.push(lines[i]);
        keptIds.add(entries[i].id);
      } else {
        run.push(entries[i]);
      }
    }
    flush();
    return { text: out.join('\n'), keptIds, omitted };
  }
}

function renderLine(entry: EvidenceEntry): string {
  const text =
    entry.text.length > MAX_LINE_CHARS
      ? `${entry.text.slice(0, MAX_LINE_CHARS)}… [truncated]`
      : entry.text;
  const actor = entry.actor ? ` ${entry.actor}` : '';
  return `[${formatTime(entry.at)}] #${entry.id} ${
    entry.type
  }${actor}: ${text.replace(/\s+/g, ' ')}`;
}

function omissionLine(run: EvidenceEntry[]): string {
  const who = [...new Set(run.map(e => e.actor).filter(Boolean))];
  const names =
    who.slice(0, 3).join(', ') +
    (who.length > 3 ? `, +${who.length - 3} more` : '');
  return `[${run.length} entr${
    run.length === 1 ? 'y' : 'ies'
  } from ${formatTime(run[0].at)} to ${formatTime(
    run[run.length - 1].at,
  )} left out for length${names ? `; from ${names}` : ''}]`;
}
