import { z } from 'zod';
import { GenerationError } from '@postmortems-oss/backstage-plugin-postmortems-node';

/** What the model is asked to answer (draftResponseSchema), as it is checked. */
export const responseShape = z.object({
  sections: z.array(
    z.object({
      key: z.string().min(1),
      markdown: z.string(),
      evidence: z.array(z.string()).default([]),
    }),
  ),
  action_items: z
    .array(
      z.object({
        description: z.string().min(1),
        category: z.string().nullable().default(null),
        owner_hint: z.string().nullable().default(null),
        due_in_days: z.number().int().nullable().default(null),
        evidence: z.array(z.string()).default([]),
      }),
    )
    .default([]),
});

/**
 * Why an answer cannot be used: cut off at the output limit, not JSON at all
 * (the server ignored the asked-for format), JSON of the wrong shape, or
 * without a section it was asked for.
 */
export type UnusableKind =
  | 'truncated'
  | 'not-json'
  | 'malformed'
  | 'incomplete';

/** A model answer that cannot be used; one more attempt may succeed. */
export class UnusableAnswer extends Error {
  constructor(message: string, readonly kind: UnusableKind = 'malformed') {
    super(message);
  }
}

export type ModelAnswer = z.infer<typeof responseShape>;

/** A finished answer, whole or streamed, as the structure asked for. */
export function checkAnswer(
  content: string | null | undefined,
  finishReason: string | null | undefined,
  refusal: string | null | undefined,
): ModelAnswer {
  if (refusal) {
    throw new GenerationError(
      `The model refused to write the draft: "${refusal}". Nothing was saved.`,
    );
  }
  checkFinish(finishReason);
  const text = withoutCodeFence(content ?? '');
  if (!text.startsWith('{')) {
    throw new UnusableAnswer(
      'The model’s answer was not valid JSON.',
      'not-json',
    );
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new UnusableAnswer('The model’s answer was not valid JSON.');
  }
  const result = responseShape.safeParse(parsed);
  if (!result.success) {
    throw new UnusableAnswer(
      'The model’s answer did not have the requested structure.',
    );
  }
  return result.data;
}

/** Throws for an answer the model did not finish or the provider stopped. */
export function checkFinish(finishReason: string | null | undefined) {
  if (finishReason === 'length') {
    throw new UnusableAnswer(
      'The model’s answer was cut off at its output limit (postmortems.openai.maxOutputTokens).',
      'truncated',
    );
  }
  if (finishReason === 'content_filter') {
    throw new GenerationError(
      'The model provider’s content filter stopped the answer. Nothing was saved.',
    );
  }
}

/** The text inside a Markdown code fence around the whole answer, if any. */
function withoutCodeFence(content: string): string {
  const text = content.trim();
  const fenced = /^```[a-zA-Z]*\s*\n([\s\S]*?)\n?```$/.exec(text);
  return fenced ? fenced[1].trim() : text;
}

/**
 * The Markdown of the first section in a JSON answer that is still being
 * written (`{"sections":[{"key":"…","markdown":"…`), as far as it has come;
 * undefined until its markdown has begun.
 */
export function partialMarkdown(jsonSoFar: string): string | undefined {
  const start = /"markdown"\s*:\s*"/.exec(jsonSoFar);
  if (!start) return undefined;
  let text = '';
  for (let i = start.index + start[0].length; i < jsonSoFar.length; i++) {
    const c = jsonSoFar[i];
    if (c === '"') break;
    if (c !== '\\') {
      text += c;
      continue;
    }
    const next = jsonSoFar[i + 1];
    if (next === undefined) break; // an escape cut in half: wait for more
    if (next === 'u') {
      const hex = jsonSoFar.slice(i + 2, i + 6);
      if (hex.length < 4) break;
      text += String.fromCharCode(parseInt(hex, 16));
      i += 5;
      continue;
    }
    text += { n: '\n', t: '\t', r: '\r', b: '\b', f: '\f' }[next] ?? next;
    i += 1;
  }
  return text;
}
