import { getEncoding, Tiktoken } from 'js-tiktoken';

const encoders = new Map<string, Tiktoken>();

/**
 * Counts tokens with the tokenizer of the model family: o200k for GPT-4o and
 * newer, cl100k for GPT-4 / GPT-3.5 and (as the best general estimate) for
 * other OpenAI-compatible models.
 */
export class TokenCounter {
  private readonly encoder: Tiktoken;

  constructor(model: string) {
    const encoding = /^(gpt-4o|gpt-4\.1|gpt-5|o\d)/i.test(model)
      ? 'o200k_base'
      : 'cl100k_base';
    let encoder = encoders.get(encoding);
    if (!encoder) {
      encoder = getEncoding(encoding);
      encoders.set(encoding, encoder);
    }
    this.encoder = encoder;
  }

  count(text: string): number {
    return this.encoder.encode(text).length;
  }
}

/** A fast upper-bound estimate (about 3 characters a token) for selection. */
export function estimateTokens(text: string): number {
  return estimateTokensOfLength(text.length);
}

/**
 * The estimate for a text of this length, for a text that need not be
 * written to be measured (a timeline line left out of the prompt).
 */
export function estimateTokensOfLength(length: number): number {
  return Math.ceil(length / 3);
}
