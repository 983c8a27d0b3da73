import { DocumentFrequencies, WeightedVector } from './causeText';

/**
 * Slack on every bound: the cosine itself sums the same products in another
 * order, so it may differ from a bound by a few units in the last place.
 */
const EPSILON = 1e-9;

/**
 * An inverted index of weighed cause vectors: for each term, the documents
 * holding it and its weight there. It tells which documents may have a
 * cosine with a query of at least some threshold without computing the
 * cosine of every document (MaxScore pruning): each query term bounds what
 * it can add by its weight times its largest weight in any document; the
 * terms whose bounds together stay below the threshold cannot lift a
 * document there alone, so only documents holding one of the other terms
 * are looked at, and of those only the ones whose partial sum plus the
 * bound of the rest reaches the threshold are kept. Every document left
 * out has a lower cosine: the ranking over what is kept is the ranking over
 * all. Weights are never negative (TF-IDF), which is what makes it exact.
 *
 * The postings of all terms are laid end to end in two typed arrays, found
 * by the terms' numbers in the corpus' document frequencies (most terms of
 * a large corpus occur once: an array or a map entry more for each would
 * cost more than the postings).
 */
export class CauseIndex {
  /** Term n's postings are `start[n]` to `start[n + 1]`. */
  private readonly start: Int32Array;
  private readonly documents: Int32Array;
  private readonly weights: Float64Array;
  /** Each term's largest weight in any document. */
  private readonly max: Float64Array;
  /** Partial sums per document, reused from one query to the next. */
  private readonly scores: Float64Array;
  private readonly seen: Uint8Array;

  /**
   * `vectors[i]` is document i's cause (those without one are left out),
   * weighed with `frequencies`, which count every term of them; `numbers[i]`,
   * when given, are the numbers of its terms in `frequencies`, in the order
   * of the vector (else each term is looked up).
   */
  constructor(
    vectors: ReadonlyArray<WeightedVector | undefined>,
    private readonly frequencies: DocumentFrequencies,
    numbers?: ReadonlyArray<ReadonlyArray<number> | undefined>,
  ) {
    const termCount = frequencies.termCount;
    // Each posting's term, in the order of the documents and their terms.
    let postings = 0;
    for (const vector of vectors) postings += vector?.size ?? 0;
    const termOf = new Int32Array(postings);
    const counts = new Int32Array(termCount);
    let at = 0;
    vectors.forEach((vector, document) => {
      if (!vector) return;
      const known = numbers?.[document];
      let i = 0;
      for (const term of vector.keys()) {
        const n = known ? known[i++] : frequencies.termNumber(term);
        if (n === undefined) {
          throw new Error(`The document frequencies do not count '${term}'`);
        }
        termOf[at++] = n;
        counts[n]++;
      }
    });
    this.start = new Int32Array(termCount + 1);
    for (let n = 0; n < termCount; n++) {
      this.start[n + 1] = this.start[n] + counts[n];
    }
    // Filled from each term's start on; `next[n]` is where its next goes.
    const next = this.start.slice(0, termCount);
    this.documents = new Int32Array(postings);
    this.weights = new Float64Array(postings);
    this.max = new Float64Array(termCount);
    at = 0;
    vectors.forEach((vector, document) => {
      if (!vector) return;
      for (const weight of vector.values()) {
        const n = termOf[at++];
        const to = next[n]++;
        this.documents[to] = document;
        this.weights[to] = weight;
        if (weight > this.max[n]) this.max[n] = weight;
      }
    });
    this.scores = new Float64Array(vectors.length);
    this.seen = new Uint8Array(vectors.length);
  }

  /**
   * The documents (their indices, in no particular order) whose cosine with
   * `query` may be `threshold` (more than 0) or more; every other
   * document's is lower.
   */
  candidates(query: WeightedVector, threshold: number): number[] {
    const terms: Array<{ n: number; weight: number; bound: number }> = [];
    for (const [term, weight] of query) {
      const n = this.frequencies.termNumber(term);
      if (n !== undefined && weight > 0) {
        terms.push({ n, weight, bound: weight * this.max[n] });
      }
    }
    // The weakest terms first: while their bounds add up to less than the
    // threshold, a document holding only those cannot reach it.
    terms.sort((a, b) => a.bound - b.bound);
    const target = threshold - EPSILON;
    let rest = 0;
    let essential = 0;
    while (
      essential < terms.length &&
      rest + terms[essential].bound + EPSILON < target
    ) {
      rest += terms[essential].bound;
      essential++;
    }
    const touched: number[] = [];
    for (let t = essential; t < terms.length; t++) {
      const { n, weight } = terms[t];
      for (let i = this.start[n]; i < this.start[n + 1]; i++) {
        const document = this.documents[i];
        if (this.seen[document] === 0) {
          this.seen[document] = 1;
          this.scores[document] = 0;
          touched.push(document);
        }
        this.scores[document] += weight * this.weights[i];
      }
    }
    const found: number[] = [];
    for (const document of touched) {
      if (this.scores[document] + rest + EPSILON >= target) {
        found.push(document);
      }
      this.seen[document] = 0;
    }
    return found;
  }
}
