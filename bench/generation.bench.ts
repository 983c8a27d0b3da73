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
import { demoIncidents } from '../plugins/postmortems-backend/src/demo/demoIncidents';
import { evidenceFromDocument } from '../plugins/postmortems-backend/src/generation/offline';
import { OpenAIProvider } from '../plugins/postmortems-backend/src/generation/providers/OpenAIProvider';

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

/** Answers after the time a model would take to write the answer. */
function startFakeModel(): Promise<{ url: string; close: () => void }> {
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let raw = '';
    req.on('data', c => (raw += c));
    req.on('end', () => {
      const request = JSON.parse(raw);
      const { body, tokens } = answerFor(request.messages[1].content);
      const delay = FIRST_TOKEN_MS + (tokens / TOKENS_PER_SECOND) * 1000;
      setTimeout(() => {
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.end(
          JSON.stringify({
            id: 'bench',
            object: 'chat.completion',
            created: 0,
            model: request.model,
            choices: [
              {
                index: 0,
                finish_reason: 'stop',
                message: {
                  role: 'assistant',
                  content: JSON.stringify(body),
                  refusal: null,
                },
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
): Promise<{ first: number; total: number; calls: number }> {
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
  let first = 0;
  const draft = await provider.draft({
    evidence,
    mode: 'draft',
    onSection: () => {
      first ||= performance.now() - started;
    },
  });
  if (draft.sections.length !== keys.length)
    throw new Error('incomplete draft');
  return {
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
    const results: Record<
      string,
      { first: number[]; total: number[]; calls: number }
    > = {};
    for (const strategy of ['document', 'sections'] as const) {
      results[strategy] = { first: [], total: [], calls: 0 };
      for (let run = 0; run < RUNS; run++) {
        const r = await measure(model.url, strategy);
        results[strategy].first.push(r.first);
        results[strategy].total.push(r.total);
        results[strategy].calls = r.calls;
      }
    }
    const doc = median(results.document.total);
    const par = median(results.sections.total);
    const firstPar = median(results.sections.first);
    console.log(
      `### Generation (${keys.length} sections of ~${SECTION_TOKENS} tokens, first token ${FIRST_TOKEN_MS} ms, ${TOKENS_PER_SECOND} tokens/s, median of ${RUNS})`,
    );
    console.log('');
    console.log(
      '| strategy | model calls | first section visible | complete draft |',
    );
    console.log('|---|---|---|---|');
    for (const [strategy, r] of Object.entries(results)) {
      console.log(
        `| ${strategy} | ${r.calls} | ${seconds(median(r.first))} | ${seconds(
          median(r.total),
        )} |`,
      );
    }
    console.log('');
    console.log(
      `Complete draft: sections in parallel are ${(doc / par).toFixed(
        1,
      )}x faster (target ≥ 3x: ${
        doc / par >= 3 ? 'met' : 'missed'
      }); first section ${seconds(firstPar)} (target < 3 s: ${
        firstPar < 3000 ? 'met' : 'missed'
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
