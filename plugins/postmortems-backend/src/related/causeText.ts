import { PostmortemSection } from '@postmortems-oss/backstage-plugin-postmortems-common';

/*
 * Cause similarity without a search engine: the words of a post-mortem's
 * root cause and contributing factors as a compact term vector, weighed by
 * TF-IDF over the published post-mortems and compared by cosine. Works the
 * same on every database, in process.
 */

/** The sections whose words describe a cause. */
export const CAUSE_SECTIONS = ['root_cause', 'contributing_factors'];

/** How many of a document's most frequent terms its vector keeps. */
const MAX_TERMS = 64;

/** A document's terms and how often each occurs, most frequent first. */
export type TermVector = ReadonlyArray<readonly [term: string, count: number]>;

const STOP_WORDS = new Set(
  `a about above after again against all also am an and any are as at be
because been before being below between both but by can could did do does
doing down during each few for from further had has have having he her here
hers him his how i if in into is it its itself just me more most my no nor
not now of off on once only or other our ours out over own same she should so
some such than that the their theirs them then there these they this those
through to too under until up very was we were what when where which while
who whom why will with would you your yours yet via per did didn't don't
see also
wasn't weren't isn't aren't won't couldn't shouldn't cannot get got
one two three new old use used using made make makes within without
incident incidents cause causes caused root contributing factor factors
issue issues problem problems team teams time minutes hours service services
question questions answer template what's`.split(/\s+/),
);

/**
 * The words of a text as terms: lower-cased, Markdown and links dropped,
 * stop words and one- or two-letter words left out, a plural `s` taken off.
 */
export function tokenize(text: string): string[] {
  const plain = text
    .toLowerCase()
    .replace(/```[\s\S]*?```/g, ' ')
    .replace(/\]\([^)]*\)/g, ' ')
    .replace(/https?:\/\/\S+/g, ' ');
  const terms: string[] = [];
  for (const word of plain.split(/[^a-z0-9]+/)) {
    if (word.length < 3 || /^\d+$/.test(word) || STOP_WORDS.has(word)) {
      continue;
    }
    terms.push(stem(word));
  }
  return terms;
}

/** Light stemming: plurals only (`certificates` → `certificate`, `retries` → `retry`). */
function stem(word: string): string {
  if (word.length > 4 && word.endsWith('ies')) return `${word.slice(0, -3)}y`;
  if (
    word.length > 3 &&
    word.endsWith('s') &&
    !word.endsWith('ss') &&
    !word.endsWith('us') &&
    !word.endsWith('is')
  ) {
    return word.slice(0, -1);
  }
  return word;
}

/** A template's guiding question as a blank draft carries it: `- _Why did it happen?_`. */
const GUIDING_QUESTION = /^\s*-\s+_[^_\n]+_\s*$/gm;

/**
 * The text of a post-mortem's cause sections, without the template's
 * guiding questions a blank draft starts with (they say nothing of the cause).
 */
export function causeText(sections: PostmortemSection[]): string {
  return sections
    .filter(section => CAUSE_SECTIONS.includes(section.key))
    .map(section => section.markdown.replace(GUIDING_QUESTION, ''))
    .join('\n');
}

/** A text's term vector: its most frequent terms and their counts. */
export function termVector(text: string): TermVector {
  const counts = new Map<string, number>();
  for (const term of tokenize(text)) {
    counts.set(term, (counts.get(term) ?? 0) + 1);
  }
  return [...counts.entries()]
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .slice(0, MAX_TERMS);
}

/** How many documents of a corpus hold each term, and how many there are. */
export class DocumentFrequencies {
  /** Each term's number, in the order first seen: its count is `counts[n]`. */
  private readonly terms = new Map<string, number>();
  private readonly counts: number[] = [];
  private documents = 0;

  /** Counts a document's terms; returns their numbers, in the vector's order. */
  add(vector: TermVector): number[] {
    this.documents += 1;
    const numbers: number[] = [];
    for (const [term] of vector) {
      let n = this.terms.get(term);
      if (n === undefined) {
        n = this.counts.length;
        this.terms.set(term, n);
        this.counts.push(1);
      } else {
        this.counts[n] += 1;
      }
      numbers.push(n);
    }
    return numbers;
  }

  /** Smoothed inverse document frequency; a term in every document still counts a little. */
  idf(term: string): number {
    const n = this.terms.get(term);
    return this.idfOf(n === undefined ? 0 : this.counts[n]);
  }

  /** The idf of term number n (as idf of the term, without looking it up). */
  idfOfNumber(n: number): number {
    return this.idfOf(this.counts[n]);
  }

  private idfOf(df: number): number {
    return Math.log((1 + this.documents) / (1 + df)) + 1;
  }

  /** A term's number (0 to termCount - 1), if any document holds it. */
  termNumber(term: string): number | undefined {
    return this.terms.get(term);
  }

  /** How many distinct terms the documents hold. */
  get termCount(): number {
    return this.counts.length;
  }
}

/** A term vector weighed by TF-IDF and normalised to length 1. */
export type WeightedVector = Map<string, number>;

/**
 * `numbers`, when given, are the numbers of the vector's terms in
 * `frequencies` (as its `add` returned them): the same weights, without
 * looking each term up.
 */
export function weigh(
  vector: TermVector,
  frequencies: DocumentFrequencies,
  numbers?: ReadonlyArray<number>,
): WeightedVector {
  const weights = new Map<string, number>();
  let norm = 0;
  for (let i = 0; i < vector.length; i++) {
    const [term, count] = vector[i];
    const idf = numbers
      ? frequencies.idfOfNumber(numbers[i])
      : frequencies.idf(term);
    const weight = (1 + Math.log(count)) * idf;
    weights.set(term, weight);
    norm += weight * weight;
  }
  norm = Math.sqrt(norm);
  if (norm > 0) {
    for (const [term, weight] of weights) weights.set(term, weight / norm);
  }
  return weights;
}

/** Cosine similarity of two weighed vectors (no allocation: it runs per candidate). */
export function cosine(query: WeightedVector, other: WeightedVector): number {
  const [small, large] =
    query.size <= other.size ? [query, other] : [other, query];
  let score = 0;
  for (const [term, weight] of small) {
    const otherWeight = large.get(term);
    if (otherWeight !== undefined) score += weight * otherWeight;
  }
  return Math.min(1, score);
}

/** Cosine similarity of two weighed vectors, and the shared terms that weigh most. */
export function similarity(
  query: WeightedVector,
  other: WeightedVector,
  topTerms = 3,
): { score: number; terms: string[] } {
  const [small, large] =
    query.size <= other.size ? [query, other] : [other, query];
  const shared: Array<[string, number]> = [];
  let score = 0;
  for (const [term, weight] of small) {
    const otherWeight = large.get(term);
    if (otherWeight !== undefined) {
      const product = weight * otherWeight;
      score += product;
      shared.push([term, product]);
    }
  }
  shared.sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  return {
    score: Math.min(1, score),
    terms: shared.slice(0, topTerms).map(([term]) => term),
  };
}
