/*
 * Generation: time to the first visible section and to the complete draft,
 * one call for the whole document versus one call per section in parallel,
 * through the real OpenAIProvider (official SDK) against a local
 * OpenAI-compatible server that answers at a model's pace: the first token
 * after ~1 s, then ~50 tokens/s.
 *
 *   node --require @backstage/cli/config/nodeTransform.cjs bench/generation.bench.ts
 */
import { createServer, IncomingMessage, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import {
  demoIncidents,
  evidenceFromDocument,
} from '@postmortems-oss/backstage-plugin-postmortems-backend/testUtils';
import { OpenAIProvider } from '@postmortems-oss/backstage-plugin-postmortems-backend-module-openai';

const FIRST_TOKEN_MS = 1_000;
const TOKENS_PER_SECOND = 50;
/** What a section of a real draft weighs, in tokens (~4 characters each). */
const SECTION_TOKENS = 180;
const ITEMS_TOKENS = 150;
const RUNS = Number(process.env.BENCH_GENERATION_RUNS ?? 2);

const evidence = evidenceFromDocument(demoIncidents[0]);
const keys = evidence.template.sections.map(s => s.key);
const cite = evidence.entries[0].id;

function words(tokens: number): string {
  return Array.from({ length: tokens }, (_, i) => `word${i % 10}`).join(' ');
}

/** The answer to one request, from what its prompt asks for. */
function answerFor(user: string) {
  const asked = [...user.matchAll(/- key "([^"]+)"/g)].map(m => m[1]);
  const itemsOnly = user.startsWith('Write no sections');
  const sectionsOnly = user.startsWith('Write only these sections');
  const sections = itemsOnly
    ? []
    : asked.map(key => ({
        key,
        markdown: words(SECTION_TOKENS),
        evidence: [cite],
      }));
  const items = sectionsOnly
    ? []
    : [
        {
          description: words(ITEMS_TOKENS / 3),
          category: null,
          owner_hint: null,
          due_in_days: 14,
          evidence: [cite],
        },
      ];
  const tokens =
    sections.length * SECTION_TOKENS + (items.length ? ITEMS_TOKENS : 0);
  return { body: { sections, action_items: items }, tokens };
}

/**
 * Answers at a model's pace: a whole answer after the time it takes to write
 * it, or (asked to stream) its first token after FIRST_TOKEN_MS and then
 * TOKENS_PER_SECOND tokens, a token being ~4 characters.
 */
function startFakeModel(): Promise<{ url: string; close: () => void }> {
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let raw = '';
    req.on('data', c => (raw += c));
    req.on('end', () => {
      const request = JSON.parse(raw);
      const { body, tokens } = answerFor(request.messages[1].content);
      const content = JSON.stringify(body);
      const envelope = (extra: object) =>
        JSON.stringify({
          id: 'bench',
          created: 0,
          model: request.model,
          ...extra,
        });
      if (!request.stream) {
        const delay = FIRST_TOKEN_MS + (tokens / TOKENS_PER_SECOND) * 1000;
        setTimeout(() => {
          res.writeHead(200, { 'Content-Type': 'application/json' });
          res.end(
            envelope({
              object: 'chat.completion',
              choices: [
                {
                  index: 0,
                  finish_reason: 'stop',
                  message: { role: 'assistant', content, refusal: null },
                },
              ],
              usage: {
                prompt_tokens: 0,
                completion_tokens: tokens,
                total_tokens: tokens,
              },
            }),
          );
        }, delay);
        return;
      }
      res.writeHead(200, { 'Content-Type': 'text/event-stream' });
      const send = (delta: object, finish: string | null = null) =>
        res.write(
          `data: ${envelope({
            object: 'chat.completion.chunk',
            choices: [{ index: 0, delta, finish_reason: finish }],
          })}\n\n`,
        );
      // Five tokens every 100 ms is 50 tokens/s.
      const perTick = 5 * Math.ceil(content.length / tokens);
      let sent = 0;
      setTimeout(function tick() {
        if (res.destroyed) return;
        send({ content: content.slice(sent, sent + perTick) });
        sent += perTick;
        if (sent < content.length) {
          setTimeout(tick, 100);
          return;
        }
        send({}, 'stop');
        res.end('data: [DONE]\n\n');
      }, FIRST_TOKEN_MS);
    });
  });
  return new Promise(resolve =>
    server.listen(0, '127.0.0.1', () =>
      resolve({
        url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`,
        close: () => server.close(),
      }),
    ),
  );
}

async function measure(
  baseUrl: string,
  strategy: 'document' | 'sections',
): Promise<{ text: number; first: number; total: number; calls: number }> {
  const provider = new OpenAIProvider({
    apiKey: 'sk-bench',
    model: 'gpt-4o-mini',
    baseUrl,
    timeoutMs: 120_000,
    maxRetries: 0,
    deadlineMs: 300_000,
    evidenceBudgetTokens: 12_000,
    maxOutputTokens: 4_000,
    strategy,
  });
  const started = performance.now();
  let text = 0;
  let first = 0;
  const draft = await provider.draft({
    evidence,
    mode: 'draft',
    // What the generation job records for the progress view.
    onSectionText: () => {
      text ||= performance.now() - started;
    },
    onSection: () => {
      first ||= performance.now() - started;
    },
  });
  if (draft.sections.length !== keys.length)
    throw new Error('incomplete draft');
  return {
    text: text || first,
    first,
    total: performance.now() - started,
    calls: strategy === 'document' ? 1 : keys.length + 1,
  };
}

const median = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

async function main() {
  const model = await startFakeModel();
  try {
    type Runs = {
      text: number[];
      first: number[];
      total: number[];
      calls: number;
    };
    const results: Record<string, Runs> = {};
    for (const strategy of ['document', 'sections'] as const) {
      const runs: Runs = { text: [], first: [], total: [], calls: 0 };
      for (let run = 0; run < RUNS; run++) {
        const r = await measure(model.url, strategy);
        runs.text.push(r.text);
        runs.first.push(r.first);
        runs.total.push(r.total);
        runs.calls = r.calls;
      }
      results[strategy] = runs;
    }
    const doc = median(results.document.total);
    const par = median(results.sections.total);
    const textPar = median(results.sections.text);
    console.log(
      `### Generation (${keys.length} sections of ~${SECTION_TOKENS} tokens, first token ${FIRST_TOKEN_MS} ms, ${TOKENS_PER_SECOND} tokens/s, median of ${RUNS})`,
    );
    console.log('');
    console.log(
      '| strategy | model calls | first section text visible | first section complete | complete draft |',
    );
    console.log('|---|---|---|---|---|');
    for (const [strategy, r] of Object.entries(results)) {
      console.log(
        `| ${strategy} | ${r.calls} | ${seconds(median(r.text))} | ${seconds(
          median(r.first),
        )} | ${seconds(median(r.total))} |`,
      );
    }
    console.log('');
    console.log(
      `Complete draft: sections in parallel are ${(doc / par).toFixed(
        1,
      )}x faster (target ≥ 3x: ${
        doc / par >= 3 ? 'met' : 'missed'
      }); first section visible after ${seconds(
        textPar,
      )}, streamed as it is written (target < 3 s: ${
        textPar < 3000 ? 'met' : 'missed'
      }).`,
    );
  } finally {
    model.close();
  }
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
