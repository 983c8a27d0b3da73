import { CauseIndex } from './causeIndex';
import {
  cosine,
  DocumentFrequencies,
  termVector,
  TermVector,
  weigh,
  WeightedVector,
} from './causeText';
import {
  MIN_CAUSE_SIMILARITY,
  RelatedCandidate,
  rankRelated,
  rankRelatedIndexed,
} from './ranking';
import { RelatedService } from './catalogRelations';

/** A seeded generator (mulberry32): the same corpus on every run. */
function random(seed: number) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A corpus of causes in words drawn from a skewed vocabulary (a few words in
 * most causes, many rare ones), so that cosines spread from none to near 1,
 * with some causes copied or nearly copied (ties, and scores at the
 * similarity threshold).
 */
function corpus(seed: number, size: number, vocabulary: number) {
  const next = random(seed);
  const words = Array.from(
    { length: vocabulary },
    (_, i) => `word${i.toString(36)}x`,
  );
  const text = () => {
    const length = 1 + Math.floor(next() * 40);
    return Array.from(
      { length },
      // Squaring skews the draw towards the first words.
      () => words[Math.floor(next() ** 2.5 * vocabulary)],
    ).join(' ');
  };
  const texts: string[] = [];
  for (let i = 0; i < size; i++) {
    const r = next();
    if (r < 0.05) texts.push('');
    else if (r < 0.15 && texts.length) {
      // A near copy of an earlier cause.
      const earlier = texts[Math.floor(next() * texts.length)];
      texts.push(next() < 0.5 ? earlier : `${earlier} ${text()}`);
    } else texts.push(text());
  }
  const vectors: TermVector[] = texts.map(termVector);
  const frequencies = new DocumentFrequencies();
  const numbers = vectors.map(v => frequencies.add(v));
  const weighed = vectors.map(v =>
    v.length ? weigh(v, frequencies) : undefined,
  );
  return { next, text, texts, vectors, numbers, frequencies, weighed };
}

const SERVICES = Array.from(
  { length: 12 },
  (_, i) => `component:default/service-${i}`,
);

describe('weigh with term numbers', () => {
  it('gives the very weights of looking each term up', () => {
    const { vectors, numbers, frequencies, weighed } = corpus(5, 400, 150);
    const byNumber = vectors.map((v, i) =>
      v.length ? weigh(v, frequencies, numbers[i]) : undefined,
    );
    // toEqual compares numbers with Object.is: the same doubles, in order.
    expect(byNumber.map(v => v && [...v])).toEqual(
      weighed.map(v => v && [...v]),
    );
  });
});

describe('CauseIndex', () => {
  it('leaves out only documents whose cosine is below the threshold', () => {
    const { next, text, texts, frequencies, weighed } = corpus(7, 600, 300);
    const index = new CauseIndex(weighed, frequencies);
    for (let q = 0; q < 200; q++) {
      const query = weigh(
        termVector(
          q % 3 === 0 ? texts[Math.floor(next() * texts.length)] : text(),
        ),
        frequencies,
      );
      const threshold = [0.01, 0.05, MIN_CAUSE_SIMILARITY, 0.3, 0.6, 0.99, 1.5][
        q % 7
      ];
      const found = index.candidates(query, threshold);
      const kept = new Set(found);
      const missed = weighed.filter(
        (vector, document) =>
          vector && cosine(query, vector) >= threshold && !kept.has(document),
      );
      expect(missed).toEqual([]);
      // Pruning does prune: never a document sharing no term.
      const unrelated = found.filter(
        document =>
          ![...query.keys()].some(term => weighed[document]?.has(term)),
      );
      expect(unrelated).toEqual([]);
    }
  });

  it('finds nothing for an empty query or an empty corpus', () => {
    const { frequencies, weighed } = corpus(3, 50, 40);
    expect(
      new CauseIndex(weighed, frequencies).candidates(new Map(), 0.1),
    ).toEqual([]);
    expect(
      new CauseIndex([], frequencies).candidates(
        weigh(termVector('certificate expired'), frequencies),
        0.1,
      ),
    ).toEqual([]);
  });
});

describe('rankRelatedIndexed', () => {
  it('ranks a random corpus exactly as scoring every candidate does', () => {
    let causeOnly = 0;
    for (const seed of [1, 2]) {
      const { next, text, texts, numbers, frequencies, weighed } = corpus(
        seed,
        500,
        200,
      );
      // Built from the terms' numbers, or looking each up: the same index.
      const index = new CauseIndex(
        weighed,
        frequencies,
        seed === 2 ? numbers : undefined,
      );
      const candidates: RelatedCandidate[] = weighed.map((cause, i) => ({
        incidentId: `incident-${String(i).padStart(4, '0')}`,
        services: SERVICES.filter(() => next() < 0.08),
        cause,
        // Many share a time: ties fall to the score, then the id.
        triggeredAt: new Date(
          Date.UTC(2026, 0, 1 + Math.floor(next() * 60)),
        ).toISOString(),
      }));
      for (let q = 0; q < 100; q++) {
        const services = SERVICES.filter(() => next() < 0.1);
        const related: RelatedService[] =
          q % 4 === 0
            ? [
                {
                  service: SERVICES[Math.floor(next() * SERVICES.length)],
                  relation: 'depends_on',
                  via: services[0] ?? SERVICES[0],
                },
              ]
            : [];
        const cause: WeightedVector = weigh(
          termVector(
            q % 2 === 0 ? texts[Math.floor(next() * texts.length)] : text(),
          ),
          frequencies,
        );
        // Some candidates are not readable, or are the incident itself.
        const excluded = new Set(
          candidates.filter(() => next() < 0.1).map(c => c.incidentId),
        );
        const allowed = candidates.filter(c => !excluded.has(c.incidentId));
        const wanted = new Set([...services, ...related.map(r => r.service)]);
        for (const limit of [1, 3, 20, undefined]) {
          const expected = rankRelated({
            services,
            related,
            cause,
            candidates: allowed,
            limit,
          });
          const actual = rankRelatedIndexed({
            services,
            related,
            cause,
            matched: allowed.filter(c => c.services.some(s => wanted.has(s))),
            index,
            candidate: document =>
              excluded.has(candidates[document].incidentId)
                ? undefined
                : candidates[document],
            limit,
          });
          expect(actual).toEqual(expected);
          causeOnly += expected.filter(r =>
            r.reasons.every(reason => reason.kind === 'similar_cause'),
          ).length;
        }
      }
    }
    // The corpus does exercise the index: many rank by their cause alone.
    expect(causeOnly).toBeGreaterThan(100);
  });

  it('ranks causes alone when no candidate shares a service', () => {
    const { frequencies, texts, weighed } = corpus(11, 300, 120);
    const index = new CauseIndex(weighed, frequencies);
    const candidates: RelatedCandidate[] = weighed.map((cause, i) => ({
      incidentId: `incident-${i}`,
      services: [],
      cause,
      triggeredAt: '2026-01-01T00:00:00.000Z',
    }));
    for (const text of texts.slice(0, 60)) {
      const cause = weigh(termVector(text), frequencies);
      const expected = rankRelated({
        services: [],
        related: [],
        cause,
        candidates,
        limit: 3,
      });
      expect(
        rankRelatedIndexed({
          services: [],
          related: [],
          cause,
          matched: [],
          index,
          candidate: document => candidates[document],
          limit: 3,
        }),
      ).toEqual(expected);
    }
  });
});
