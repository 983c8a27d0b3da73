import {
  EvidenceEntry,
  formatTime,
} from '@postmortems-oss/backstage-plugin-postmortems-node';
import { EntityNamer } from './entityNames';
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
  /** Entries left out for length. */
  omitted: number;
  /** Entries the authors hid (or the noise rule did, and nobody showed). */
  hidden: number;
  tokens: number;
}

/**
 * Fits a timeline into a token budget without losing what a post-mortem
 * needs: the start, the end (the resolution), every status, severity,
 * commander, alert and deploy event, and every entry the authors pinned or
 * marked as a key moment. Runs of chat left out are folded into one line
 * that says how many messages, when, and from whom, so the model knows what
 * it has not seen.
 *
 * The authors' curation decides what the model sees at all: entries they hid
 * (and chatter the noise rule hides until someone shows it) are not sent, as
 * they are not in the Timeline section either; key moments are marked on
 * their line.
 */
export class TimelineBudget {
  constructor(
    private readonly budgetTokens: number,
    private readonly counter: TokenCounter,
    private readonly names: EntityNamer = text => text,
  ) {}

  fit(all: EvidenceEntry[]): BudgetedTimeline {
    const entries = all.filter(e => !e.curation?.hidden);
    const hidden = all.length - entries.length;
    const lines = entries.map(e => renderLine(e, this.names));
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
        return { ...result, hidden, tokens };
      }
      optionalShare *= (this.budgetTokens / tokens) * 0.9;
      result = this.select(
        entries,
        lines,
        costs,
        this.budgetTokens * optionalShare,
      );
    }
    return { ...result, hidden, tokens: this.counter.count(result.text) };
  }

  private select(
    entries: EvidenceEntry[],
    lines: string[],
    costs: number[],
    budget: number,
  ): Omit<BudgetedTimeline, 'tokens' | 'hidden'> {
    const n = entries.length;
    const keep = new Uint8Array(n);
    if (budget === Infinity) {
      keep.fill(1);
    } else {
      let used = 0;
      const must: number[] = [];
      for (let i = 0; i < n; i++) {
        if (i < HEAD || i >= n - TAIL || mustKeep(entries[i])) {
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
        out.push(omissionLine(run, this.names));
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

/** The skeleton of the incident, and what its authors singled out. */
function mustKeep(entry: EvidenceEntry): boolean {
  return (
    KEY_TYPES.has(entry.type) ||
    Boolean(entry.curation?.pinned || entry.curation?.key_moment)
  );
}

function renderLine(entry: EvidenceEntry, names: EntityNamer): string {
  const named = names(entry.text);
  const text =
    named.length > MAX_LINE_CHARS
      ? `${named.slice(0, MAX_LINE_CHARS)}… [truncated]`
      : named;
  const actor = entry.actor ? ` ${names(entry.actor)}` : '';
  const moment = entry.curation?.key_moment;
  const marked = moment ? ` [key moment: ${moment}]` : '';
  return `[${formatTime(entry.at)}] #${entry.id} ${
    entry.type
  }${marked}${actor}: ${text.replace(/\s+/g, ' ')}`;
}

function omissionLine(run: EvidenceEntry[], names: EntityNamer): string {
  const who = [...new Set(run.flatMap(e => (e.actor ? [names(e.actor)] : [])))];
  const people =
    who.slice(0, 3).join(', ') +
    (who.length > 3 ? `, +${who.length - 3} more` : '');
  return `[${run.length} entr${
    run.length === 1 ? 'y' : 'ies'
  } from ${formatTime(run[0].at)} to ${formatTime(
    run[run.length - 1].at,
  )} left out for length${people ? `; from ${people}` : ''}]`;
}
