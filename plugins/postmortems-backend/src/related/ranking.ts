import { RelatedReason } from '@postmortems-oss/backstage-plugin-postmortems-common';
import { RelatedService } from './catalogRelations';
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
}): RankedCandidate[] {
  const own = new Set(options.services);
  const ranked: Array<RankedCandidate & { triggeredAt: string }> = [];
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
    // The shared terms are worked out only for causes similar enough.
    if (
      candidate.cause &&
      options.cause.size &&
      cosine(options.cause, candidate.cause) >= MIN_CAUSE_SIMILARITY
    ) {
      const similar = similarity(options.cause, candidate.cause);
      reasons.push({
        kind: 'similar_cause',
        terms: similar.terms,
        score: round(similar.score),
      });
      score += similar.score * RELATED_WEIGHTS.similarCause;
    }
    if (reasons.length) {
      ranked.push({
        incidentId: candidate.incidentId,
        score: round(score),
        reasons,
        triggeredAt: candidate.triggeredAt,
      });
    }
  }
  return ranked
    .sort(
      (a, b) =>
        b.score - a.score ||
        b.triggeredAt.localeCompare(a.triggeredAt) ||
        a.incidentId.localeCompare(b.incidentId),
    )
    .map(({ triggeredAt: _, ...rest }) => rest);
}

export function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}
