import {
  EvidenceEntry,
  formatTime,
} from '@postmortems-oss/backstage-plugin-postmortems-node';
import { EntityNamer } from './entityNames';
import { estimateTokensOfLength, TokenCounter } from './tokens';

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

/** Runs of white space other than a single space, which a line collapses. */
const COLLAPSIBLE_SPACE = /[^\S ]|\s\s/;

/**
 * The prompt lines of a timeline: each line's length without writing it,
 * and each line written once, when a selection keeps it. The entity namer
 * is asked once per distinct actor (a handful of people write 100,000
 * messages), and per text only for its length. Exported for its tests,
 * not from the package.
 */
export class TimelineLines {
  private readonly written: Array<string | undefined>;
  /** Each entry's actor, as an index into `actorNames`; -1 for none. */
  private readonly actorOf: Int32Array;
  /** The distinct actors, as named. */
  private readonly actorNames: string[] = [];
  /** Which omission note last listed each actor, to list it once per note. */
  private readonly listedIn: Int32Array;
  private notes = 0;

  constructor(
    readonly entries: EvidenceEntry[],
    private readonly names: EntityNamer,
  ) {
    this.written = new Array(entries.length);
    this.actorOf = new Int32Array(entries.length).fill(-1);
    const byActor = new Map<string, number>();
    const byName = new Map<string, number>();
    for (let i = 0; i < entries.length; i++) {
      const { actor } = entries[i];
      if (!actor) continue;
      let index = byActor.get(actor);
      if (index === undefined) {
        // Two refs may read as one name; notes list the name once.
        const named = names(actor);
        index = byName.get(named);
        if (index === undefined) {
          index = this.actorNames.push(named) - 1;
          byName.set(named, index);
        }
        byActor.set(actor, index);
      }
      this.actorOf[i] = index;
    }
    this.listedIn = new Int32Array(this.actorNames.length);
  }

  /** The entry's actor as named, or null. */
  private actor(i: number): string | null {
    const index = this.actorOf[i];
    return index < 0 ? null : this.actorNames[index];
  }

  /** The line's text before white space is collapsed. */
  private text(entry: EvidenceEntry): string {
    const named = this.names(entry.text);
    return named.length > MAX_LINE_CHARS
      ? `${named.slice(0, MAX_LINE_CHARS)}… [truncated]`
      : named;
  }

  /** `line(i).length`, computed from the parts' lengths. */
  length(i: number): number {
    const entry = this.entries[i];
    const text = this.text(entry);
    const actor = this.actor(i);
    const moment = entry.curation?.key_moment;
    return (
      '[] # : '.length +
      formattedTimeLength(entry.at) +
      entry.id.length +
      entry.type.length +
      (moment ? ' [key moment: ]'.length + moment.length : 0) +
      (actor === null ? 0 : 1 + actor.length) +
      (COLLAPSIBLE_SPACE.test(text)
        ? text.replace(/\s+/g, ' ').length
        : text.length)
    );
  }

  line(i: number): string {
    let line = this.written[i];
    if (line === undefined) {
      const entry = this.entries[i];
      const actor = this.actor(i);
      line = renderLine(
        entry,
        this.text(entry),
        actor === null ? '' : ` ${actor}`,
      );
      this.written[i] = line;
    }
    return line;
  }

  /**
   * The note that stands for entries `start` to `end` (excluded), left out:
   * its people in the order they first wrote, found by marking rather than
   * with a set, as a note may stand for 100,000 entries.
   */
  omission(start: number, end: number): string {
    const note = ++this.notes;
    const who: string[] = [];
    for (let i = start; i < end; i++) {
      const index = this.actorOf[i];
      if (index >= 0 && this.listedIn[index] !== note) {
        this.listedIn[index] = note;
        who.push(this.actorNames[index]);
      }
    }
    return omissionLine(
      end - start,
      this.entries[start].at,
      this.entries[end - 1].at,
      who,
    );
  }
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
    // Each line's cost comes from its length alone, so lines are measured
    // here and written only for the entries a selection keeps (a few hundred
    // of 100,000): writing every line was most of the time fitting took.
    const lines = new TimelineLines(entries, this.names);
    const costs = new Float64Array(entries.length);
    let total = 0;
    for (let i = 0; i < entries.length; i++) {
      costs[i] = estimateTokensOfLength(lines.length(i));
      total += costs[i];
    }
    // The skeleton does not depend on the budget: found once for every try.
    const must: number[] = [];
    for (let i = 0; i < entries.length; i++) {
      if (i < HEAD || i >= entries.length - TAIL || mustKeep(entries[i])) {
        must.push(i);
      }
    }

    let optionalShare = 1;
    let result = this.select(
      lines,
      costs,
      must,
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
        lines,
        costs,
        must,
        this.budgetTokens * optionalShare,
      );
    }
    return { ...result, hidden, tokens: this.counter.count(result.text) };
  }

  private select(
    lines: TimelineLines,
    costs: Float64Array,
    must: number[],
    budget: number,
  ): Omit<BudgetedTimeline, 'tokens' | 'hidden'> {
    const { entries } = lines;
    const n = entries.length;
    const keep = new Uint8Array(n);
    if (budget === Infinity) {
      keep.fill(1);
    } else {
      let used = 0;
      const ends = (i: number) => i < HEAD || i >= n - TAIL;
      // If even the skeleton does not fit, keep its ends and thin its middle.
      const skeletonCost = (step: number) => {
        let sum = 0;
        for (let k = 0; k < must.length; k++) {
          if (ends(must[k]) || k % step === 0) sum += costs[must[k]];
        }
        return sum;
      };
      let stride = 1;
      while (skeletonCost(stride) > budget * 0.8 && stride < n) {
        stride *= 2;
      }
      let kept = 0;
      for (let k = 0; k < must.length; k++) {
        const i = must[k];
        if (stride === 1 || ends(i) || k % stride === 0) {
          keep[i] = 1;
          used += costs[i];
          kept++;
        }
      }
      // Chatter fills what is left, spread evenly over the incident: every
      // step-th entry of those not kept yet, in order. They are walked to
      // rather than listed, which would be an array as long as the timeline
      // for every try; what they cost together is what the kept ones do not.
      const optionalCount = n - kept;
      let optionalCost = 0;
      for (let i = 0; i < n; i++) optionalCost += costs[i];
      optionalCost -= used;
      const room = budget - used - 64 * 8;
      if (room > 0 && optionalCount) {
        const step = Math.max(1, optionalCost / room);
        let rank = -1;
        let i = -1;
        for (let k = 0; k < optionalCount; k += step) {
          // The Math.floor(k)-th entry not kept before this loop began.
          const target = Math.floor(k);
          while (rank < target) {
            i++;
            if (!keep[i]) rank++;
          }
          if (used + costs[i] > budget) break;
          keep[i] = 1;
          used += costs[i];
        }
      }
    }

    const out: string[] = [];
    const keptIds = new Set<string>();
    let omitted = 0;
    let runStart = -1;
    const flush = (end: number) => {
      if (runStart >= 0) {
        out.push(lines.omission(runStart, end));
        omitted += end - runStart;
        runStart = -1;
      }
    };
    for (let i = 0; i < n; i++) {
      if (keep[i]) {
        flush(i);
        out.push(lines.line(i));
        keptIds.add(entries[i].id);
      } else if (runStart < 0) {
        runStart = i;
      }
    }
    flush(n);
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

/** `formatTime(iso).length`. */
function formattedTimeLength(iso: string): number {
  const { length } = iso;
  return Math.min(10, length) + 1 + Math.max(0, Math.min(19, length) - 11) + 4;
}

function renderLine(entry: EvidenceEntry, text: string, actor: string): string {
  const moment = entry.curation?.key_moment;
  const marked = moment ? ` [key moment: ${moment}]` : '';
  return `[${formatTime(entry.at)}] #${entry.id} ${
    entry.type
  }${marked}${actor}: ${text.replace(/\s+/g, ' ')}`;
}

function omissionLine(
  count: number,
  from: string,
  to: string,
  who: string[],
): string {
  const people =
    who.slice(0, 3).join(', ') +
    (who.length > 3 ? `, +${who.length - 3} more` : '');
  return `[${count} entr${count === 1 ? 'y' : 'ies'} from ${formatTime(
    from,
  )} to ${formatTime(to)} left out for length${
    people ? `; from ${people}` : ''
  }]`;
}
