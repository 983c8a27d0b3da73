import { EvidenceBundle } from '@postmortems-oss/backstage-plugin-postmortems-node';
import { EvidenceCheck } from '../EvidenceCheck';
import { EvidenceIndex, evidenceIndex } from './evidenceLinks';

/** An incident's evidence, ready to check drafts against and cite from. */
export interface PreparedEvidence {
  bundle: EvidenceBundle;
  check: EvidenceCheck;
  index: EvidenceIndex;
}

export function prepareEvidence(bundle: EvidenceBundle): PreparedEvidence {
  return {
    bundle,
    check: new EvidenceCheck(bundle),
    index: evidenceIndex(bundle),
  };
}

interface Slot {
  key: string;
  evidence: Promise<PreparedEvidence>;
  size: number;
  at: number;
}

/**
 * Prepared evidence of recently edited incidents, kept in memory so that a
 * save does not read and assemble the whole timeline again. An entry is
 * used only under the key it was made for (the incident's evidence version
 * and its template), which every write to the incident's evidence moves in
 * the database, on any replica. Names from the catalog are part of the
 * evidence but not of that version, so entries also expire after `ttlMs`.
 * The least recently used go first once the kept entries hold more than
 * `maxEntries` timeline entries between them.
 */
export class EvidenceCache {
  private readonly slots = new Map<string, Slot>();
  private held = 0;

  constructor(
    private readonly options: {
      maxEntries: number;
      ttlMs: number;
      now?: () => number;
    },
  ) {}

  /**
   * The prepared evidence of an incident under `key`, made with `prepare`
   * when there is none yet (concurrent callers share one preparation).
   */
  get(
    incidentId: string,
    key: string,
    prepare: () => Promise<PreparedEvidence>,
  ): Promise<PreparedEvidence> {
    const now = (this.options.now ?? Date.now)();
    const slot = this.slots.get(incidentId);
    if (slot && slot.key === key && now - slot.at < this.options.ttlMs) {
      // Most recently used last, so eviction takes from the front.
      this.slots.delete(incidentId);
      this.slots.set(incidentId, slot);
      return slot.evidence;
    }
    if (slot) this.drop(incidentId, slot);
    const fresh: Slot = { key, evidence: prepare(), size: 1, at: now };
    this.slots.set(incidentId, fresh);
    this.held += fresh.size;
    fresh.evidence.then(
      prepared => {
        if (this.slots.get(incidentId) !== fresh) return;
        this.held += prepared.bundle.entries.length;
        fresh.size += prepared.bundle.entries.length;
        this.evict();
      },
      () => {
        // A failed preparation is not kept: the next save tries again.
        if (this.slots.get(incidentId) === fresh) this.drop(incidentId, fresh);
      },
    );
    return fresh.evidence;
  }

  /** How many timeline entries the kept evidence holds (for tests and metrics). */
  get size(): number {
    return this.held;
  }

  private evict() {
    for (const [incidentId, slot] of this.slots) {
      if (this.held <= this.options.maxEntries) return;
      this.drop(incidentId, slot);
    }
  }

  private drop(incidentId: string, slot: Slot) {
    this.slots.delete(incidentId);
    this.held -= slot.size;
  }
}
