import { RelatedReason } from '@postmortems-oss/backstage-plugin-postmortems-common';
import { RelatedService } from './catalogRelations';
import { CauseIndex } from './causeIndex';
import { cosine, similarity, WeightedVector } from './causeText';

/** What each kind of match adds to a post-mortem's score. */
export const RELATED_WEIGHTS = {
  /** A service both incidents affected (each further one adds a tenth). */
  sameService: 3,
  /** A service related to one of the incident's in the catalog (each further one a tenth). */
  relatedService: 1.5,
  /** Times the cosine similarity of the causes (0 to 1). */
  similarCause: 1,
};

/** Below this cosine similarity, causes are not called similar. */
export const MIN_CAUSE_SIMILARITY = 0.12;

/** A published post-mortem that may be related, keyed by its incident. */
export interface RelatedCandidate {
  incidentId: string;
  /** Its incident's services, lower-cased refs. */
  services: string[];
  /** Its cause, weighed with the corpus' document frequencies. */
  cause?: WeightedVector;
  /** Breaks ties of score: more recent first. */
  triggeredAt: string;
}

/** A candidate's score and why. */
export interface RankedCandidate {
  incidentId: string;
  score: number;
  reasons: RelatedReason[];
}

/**
 * Scores candidates against an incident: a weighted sum of the services
 * both affected, the services related to the incident's in the catalog,
 * and the similarity of the causes. Returns those that match at all, most
 * related first.
 */
export function rankRelated(options: {
  /** The incident's services, lower-cased refs. */
  services: string[];
  related: RelatedService[];
  cause: WeightedVector;
  candidates: RelatedCandidate[];
  /** Only the best this many (all when left out). */
  limit?: number;
}): RankedCandidate[] {
  const own = new Set(options.services);
  const ranked: Ranked[] = [];
  for (const candidate of options.candidates) {
    const reasons: RelatedReason[] = [];
    let score = 0;
    const shared = candidate.services.filter(s => own.has(s));
    shared.forEach((service, index) => {
      reasons.push({ kind: 'same_service', service });
      score +=
        index === 0
          ? RELATED_WEIGHTS.sameService
          : RELATED_WEIGHTS.sameService / 10;
    });
    let first = shared.length === 0;
    for (const relation of options.related) {
      if (!candidate.services.includes(relation.service)) continue;
      reasons.push({
        kind: 'related_service',
        service: relation.service,
        relation: relation.relation,
        via: relation.via,
        ...(relation.system ? { system: relation.system } : {}),
      });
      score += first
        ? RELATED_WEIGHTS.relatedService
        : RELATED_WEIGHTS.relatedService / 10;
      first = false;
    }
    // Only the score here: which terms the causes share is worked out for
    // the few that are returned, not for every match.
    const causeScore =
      candidate.cause && options.cause.size
        ? cosine(options.cause, candidate.cause)
        : 0;
    const similar =
      causeScore >= MIN_CAUSE_SIMILARITY ? candidate.cause : undefined;
    if (similar) score += causeScore * RELATED_WEIGHTS.similarCause;
    if (reasons.length || similar) {
      const entry: Ranked = {
        incidentId: candidate.incidentId,
        score: round(score),
        reasons,
        triggeredAt: candidate.triggeredAt,
        similar,
      };
      // With a limit only the best few are kept, in order: among tens of
      // thousands of matches, sorting them all is most of the cost.
      if (options.limit === undefined) ranked.push(entry);
      else keepBest(ranked, entry, options.limit);
    }
  }
  if (options.limit === undefined) ranked.sort(byRank);
  return ranked.map(({ triggeredAt: _, similar, ...rest }) => {
    if (!similar) return rest;
    const shared = similarity(options.cause, similar);
    return {
      ...rest,
      reasons: [
        ...rest.reasons,
        {
          kind: 'similar_cause' as const,
          terms: shared.terms,
          score: round(shared.score),
        },
      ],
    };
  });
}

/**
 * The ranking of rankRelated over every candidate, without scoring each:
 * the candidates matched by a service are all scored (there are few: those
 * of the incident's services, looked up in SQL), and of the others, which
 * can only match by cause, only those the cause index says may be similar
 * enough to count (a cosine of MIN_CAUSE_SIMILARITY) and, once the services
 * alone fill the limit, to outrank the last of those. Every candidate left
 * out would not have been returned, so the result is the same.
 */
export function rankRelatedIndexed(options: {
  services: string[];
  related: RelatedService[];
  cause: WeightedVector;
  /**
   * Every candidate with one of the incident's services or a related one
   * (others among them are harmless).
   */
  matched: RelatedCandidate[];
  /** The causes of all candidates, each a document of the index. */
  index: CauseIndex;
  /** The candidate a document of the index is, if it is one. */
  candidate: (document: number) => RelatedCandidate | undefined;
  limit?: number;
}): RankedCandidate[] {
  const { services, related, cause, matched, limit } = options;
  const rank = (candidates: RelatedCandidate[]) =>
    rankRelated({ services, related, cause, candidates, limit });
  if (cause.size === 0) return rank(matched);
  let threshold = MIN_CAUSE_SIMILARITY;
  if (limit !== undefined) {
    const best = rank(matched);
    if (best.length === limit) {
      // A candidate matched by its cause alone scores its cosine, rounded:
      // to tie with the last of these it needs at least that score less
      // half a unit of the rounding (less a little more, for the rounding).
      threshold = Math.max(threshold, best[limit - 1].score - 0.0005 - 1e-6);
      // A cosine is at most 1, a service match scores 1.5 or more.
      if (threshold > 1) return best;
    }
  }
  const seen = new Set(matched.map(candidate => candidate.incidentId));
  const candidates = [...matched];
  for (const document of options.index.candidates(cause, threshold)) {
    const candidate = options.candidate(document);
    if (candidate && !seen.has(candidate.incidentId)) {
      seen.add(candidate.incidentId);
      candidates.push(candidate);
    }
  }
  return rank(candidates);
}

type Ranked = RankedCandidate & {
  triggeredAt: string;
  /** The candidate's cause, when it is similar enough to say why. */
  similar?: WeightedVector;
};

/**
 * Higher score first, then the more recent incident, then by id. Timestamps
 * are ISO strings and ids plain ASCII, so code-point order is enough.
 */
function byRank(a: Ranked, b: Ranked): number {
  if (a.score !== b.score) return b.score - a.score;
  if (a.triggeredAt !== b.triggeredAt) {
    return a.triggeredAt < b.triggeredAt ? 1 : -1;
  }
  if (a.incidentId === b.incidentId) return 0;
  return a.incidentId < b.incidentId ? -1 : 1;
}

/** Inserts `entry` into the sorted `best` if it ranks among the first `limit`. */
function keepBest(best: Ranked[], entry: Ranked, limit: number) {
  if (best.length === limit && byRank(entry, best[limit - 1]) >= 0) return;
  let i = best.length;
  while (i > 0 && byRank(entry, best[i - 1]) < 0) i--;
  best.splice(i, 0, entry);
  if (best.length > limit) best.pop();
}

export function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}
