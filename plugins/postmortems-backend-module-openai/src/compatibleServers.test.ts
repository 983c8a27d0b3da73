import {
  completion,
  FakeChatAsk,
  FakeOpenAICompatible,
  FakeOpenAICompatibleOptions,
  FakeReply,
  openAIError,
  OpenAIPersona,
  RecordedRequest,
  responseFormatOf,
} from '@internal/postmortems-test-utils';
// Fixtures of the real core plugin, for tests only.
// eslint-disable-next-line @backstage/no-mixed-plugin-imports
import {
  demoIncidents,
  evidenceFromDocument,
} from '@postmortems-oss/backstage-plugin-postmortems-backend/testUtils';
import { GenerationError } from '@postmortems-oss/backstage-plugin-postmortems-node';
import { OpenAIProvider, OpenAIProviderOptions } from './OpenAIProvider';
import { readMarkdownAnswer } from './markdownAnswer';

jest.setTimeout(60_000);

const evidence = evidenceFromDocument(demoIncidents[0]);
const keys = evidence.template.sections.map(s => s.key);
const titles = new Map(evidence.template.sections.map(s => [s.key, s.title]));
const [e1, e2] = evidence.entries.map(e => e.id);

/**
 * The fake's model: writes what the request asks for (the sections named in
 * the prompt, the action items when asked), as JSON when the server
 * enforces JSON and as Markdown under headings when it does not. The
 * Markdown is written the loose way models write it: one heading without
 * its key, bold "Evidence:" labels.
 */
function write(ask: FakeChatAsk): string {
  const user: string = ask.body.messages[1].content;
  const asked = [...user.matchAll(/- key "([^"]+)"/g)].map(m => m[1]);
  const wantsItems =
    user.startsWith('Write these sections') ||
    user.startsWith('Write no sections');
  const item = {
    description: 'Fail startup when the CA bundle is missing',
    category: 'prevention',
    owner_hint: 'Bob Okafor',
    due_in_days: 14,
    evidence: [`#${e2}`],
  };
  if (ask.format !== 'text') {
    return JSON.stringify({
      sections: asked.map(key => ({
        key,
        markdown: `Text of ${key}.`,
        evidence: [`#${e1}`, 'not-an-entry'],
      })),
      action_items: wantsItems ? [item] : [],
    });
  }
  const parts = asked.map((key, i) =>
    [
      i === 1 ? `## ${titles.get(key)}` : `## [${key}] ${titles.get(key)}`,
      '',
      `Text of ${key}.`,
      '',
      i % 2 ? `**Evidence:** #${e1}, #not-an-entry` : `Evidence: #${e1}`,
    ].join('\n'),
  );
  if (wantsItems) {
    parts.push(
      [
        '## [proposed_action_items] Proposed action items',
        `- ${item.description} | category: prevention | owner: Bob Okafor | due in days: 14 | evidence: #${e2}`,
      ].join('\n'),
    );
  }
  return parts.join('\n\n');
}

const formats = (requests: RecordedRequest[]) => requests.map(responseFormatOf);

interface Started {
  fake: FakeOpenAICompatible;
  url: string;
}
const started: FakeOpenAICompatible[] = [];

async function start(
  persona: OpenAIPersona,
  options: Partial<FakeOpenAICompatibleOptions> = {},
): Promise<Started> {
  const fake = new FakeOpenAICompatible(persona, {
    apiKey: 'sk-self-hosted',
    write,
    ...options,
  });
  started.push(fake);
  return { fake, url: await fake.start() };
}

afterAll(async () => {
  await Promise.all(started.map(f => f.stop()));
});

function provider(
  at: Started,
  options: Partial<OpenAIProviderOptions> = {},
): OpenAIProvider {
  return new OpenAIProvider({
    apiKey: 'sk-self-hosted',
    model: 'llama-3.1-8b-instruct',
    baseUrl: `${at.url}/v1`,
    timeoutMs: 2_000,
    maxRetries: 2,
    deadlineMs: 30_000,
    evidenceBudgetTokens: 12_000,
    maxOutputTokens: 4_000,
    ...options,
  });
}

function expectFullDraft(draft: Awaited<ReturnType<OpenAIProvider['draft']>>) {
  expect(draft.generatedBy).toBe('ai');
  expect(draft.sections.map(s => s.key)).toEqual(keys);
  for (const section of draft.sections) {
    expect(section.title).toBe(titles.get(section.key));
    // The whole text, and nothing of the format around it.
    expect(section.markdown).toBe(`Text of ${section.key}.`);
    // Evidence ids kept ("#" dropped), unknown ones left out.
    expect(section.evidence).toEqual([e1]);
  }
  expect(draft.actionItems).toEqual([
    {
      description: 'Fail startup when the CA bundle is missing',
      category: 'prevention',
      ownerHint: 'Bob Okafor',
      dueInDays: 14,
      evidence: [e2],
    },
  ]);
}

describe('OpenAIProvider against OpenAI-compatible servers', () => {
  it.each<[OpenAIPersona, string[], string[]]>([
    // The first draft walks the ladder, the second starts where it ended.
    ['openai', ['json_schema'], ['json_schema']],
    ['vllm', ['json_schema', 'json_object'], ['json_object']],
    ['llamacpp', ['json_schema', 'json_object'], ['json_object']],
    ['litellm', ['json_schema', 'json_object', 'none'], ['none']],
    ['ollama', ['json_schema', 'json_object', 'none'], ['none']],
  ])(
    'drafts in full through a %s-like server, walking the ladder once',
    async (persona, first, second) => {
      const at = await start(persona);
      const drafts = provider(at);

      expectFullDraft(await drafts.draft({ evidence, mode: 'draft' }));
      // No retry of a refused or ignored mode (llama.cpp's refusal is a
      // 500, which is not retried as a server fault either).
      expect(formats(at.fake.requests)).toEqual(first);
      expect(drafts.outputMode).toBe(first.at(-1)!.replace('none', 'markdown'));

      at.fake.requests.length = 0;
      expectFullDraft(await drafts.draft({ evidence, mode: 'draft' }));
      expect(formats(at.fake.requests)).toEqual(second);
    },
  );

  it('asks JSON mode with the schema in the prompt, and Markdown by headings', async () => {
    const at = await start('litellm');
    await provider(at).draft({ evidence, mode: 'draft' });
    const system = at.fake.requests.map(
      r => JSON.parse(r.body).messages[0].content as string,
    );
    expect(system[0]).not.toContain('Answer format');
    expect(system[1]).toContain('one JSON object and nothing else');
    expect(system[1]).toContain('"action_items"');
    expect(system[2]).toContain('"## [key] Title"');
    expect(JSON.parse(at.fake.requests[2].body)).not.toHaveProperty(
      'response_format',
    );
  });

  it('talks to Azure OpenAI at its deployment path with the api-key header', async () => {
    const at = await start('azure', { deployment: 'postmortem-drafts' });
    const drafts = provider(at, {
      baseUrl: undefined,
      azure: {
        endpoint: at.url,
        deployment: 'postmortem-drafts',
        apiVersion: '2024-10-21',
      },
    });
    expectFullDraft(await drafts.draft({ evidence, mode: 'draft' }));
    const [request] = at.fake.requests;
    expect(at.fake.requests).toHaveLength(1);
    expect(request.path).toBe(
      '/openai/deployments/postmortem-drafts/chat/completions?api-version=2024-10-21',
    );
    expect(request.headers['api-key']).toBe('sk-self-hosted');
    expect(request.headers.authorization).toBeUndefined();
    expect(responseFormatOf(request)).toBe('json_schema');
    expect(drafts.status().base_url).toBe(new URL(at.url).host);
  });

  it('falls back to JSON mode on an Azure API version without structured output', async () => {
    const at = await start('azure');
    const azure = {
      endpoint: at.url,
      deployment: 'drafts',
      apiVersion: '2024-06-01',
    };
    const drafts = provider(at, { baseUrl: undefined, azure });
    expectFullDraft(await drafts.draft({ evidence, mode: 'draft' }));
    expect(formats(at.fake.requests)).toEqual(['json_schema', 'json_object']);

    // A wrong key or deployment is reported, not stepped around.
    at.fake.requests.length = 0;
    const wrongKey = provider(at, {
      baseUrl: undefined,
      azure,
      apiKey: 'sk-wrong',
    });
    await expect(wrongKey.draft({ evidence, mode: 'draft' })).rejects.toThrow(
      /rejected the API key \(401\)/,
    );
    const wrongDeployment = provider(at, {
      baseUrl: undefined,
      azure: { ...azure, deployment: 'nope' },
    });
    await expect(
      wrongDeployment.draft({ evidence, mode: 'draft' }),
    ).rejects.toThrow(/has no deployment "nope" \(404\)/);
    expect(formats(at.fake.requests)).toEqual(['json_schema', 'json_schema']);
  });

  it('respects a pinned mode', async () => {
    const vllm = await start('vllm');
    const jsonMode = provider(vllm, { outputMode: 'json_object' });
    expectFullDraft(await jsonMode.draft({ evidence, mode: 'draft' }));
    expect(formats(vllm.fake.requests)).toEqual(['json_object']);

    // Pinned to a mode the server refuses: said in words (vLLM's own), without
    // a step down.
    vllm.fake.requests.length = 0;
    const error = await provider(vllm, { outputMode: 'json_schema' })
      .draft({ evidence, mode: 'draft' })
      .catch(e => e);
    expect(error).toBeInstanceOf(GenerationError);
    expect(error.message).toMatch(
      /does not take the output mode postmortems\.openai\.outputMode pins \("json_schema"\).*Unrecognized response_format type 'json_schema'/,
    );
    expect(formats(vllm.fake.requests)).toEqual(['json_schema']);

    const openai = await start('openai');
    const markdown = provider(openai, { outputMode: 'markdown' });
    expectFullDraft(await markdown.draft({ evidence, mode: 'draft' }));
    expect(formats(openai.fake.requests)).toEqual(['none']);
  });

  it('steps down after malformed JSON twice, and not after once', async () => {
    let malformed = 0;
    const at = await start('openai', {
      intercept: (_req, body) =>
        body.response_format?.type === 'json_schema' && malformed-- > 0
          ? { body: completion('{"sections": [') }
          : undefined,
    });
    malformed = 1;
    const drafts = provider(at);
    expectFullDraft(await drafts.draft({ evidence, mode: 'draft' }));
    expect(formats(at.fake.requests)).toEqual(['json_schema', 'json_schema']);

    at.fake.requests.length = 0;
    malformed = 2;
    expectFullDraft(await drafts.draft({ evidence, mode: 'draft' }));
    expect(formats(at.fake.requests)).toEqual([
      'json_schema',
      'json_schema',
      'json_object',
    ]);
    expect(drafts.outputMode).toBe('json_object');
  });

  describe('never steps down on rate limits, server errors or timeouts', () => {
    it('retries a 429 with Retry-After in the same mode', async () => {
      let limited = 1;
      const at = await start('openai', {
        intercept: () =>
          limited-- > 0
            ? {
                status: 429,
                headers: { 'retry-after': '1' },
                body: openAIError('Rate limit reached', 'rate_limit_exceeded'),
              }
            : undefined,
      });
      const began = Date.now();
      expectFullDraft(await provider(at).draft({ evidence, mode: 'draft' }));
      expect(Date.now() - began).toBeGreaterThanOrEqual(900);
      expect(formats(at.fake.requests)).toEqual(['json_schema', 'json_schema']);
    });

    it('reports persistent 500s and keeps the mode for the next draft', async () => {
      let failing = true;
      const at = await start('openai', {
        intercept: (): FakeReply | undefined =>
          failing
            ? {
                status: 500,
                headers: { 'retry-after-ms': '10' },
                body: openAIError('The server had an error'),
              }
            : undefined,
      });
      const drafts = provider(at);
      await expect(drafts.draft({ evidence, mode: 'draft' })).rejects.toThrow(
        /internal error \(HTTP 500\), still after 2 retries/,
      );
      expect(formats(at.fake.requests)).toEqual([
        'json_schema',
        'json_schema',
        'json_schema',
      ]);
      failing = false;
      at.fake.requests.length = 0;
      expectFullDraft(await drafts.draft({ evidence, mode: 'draft' }));
      expect(formats(at.fake.requests)).toEqual(['json_schema']);
    });

    it('reports a 400 about something else without stepping down', async () => {
      const at = await start('openai', {
        intercept: () => ({
          status: 400,
          body: openAIError(
            "This model's maximum context length is 8192 tokens.",
            'invalid_request_error',
          ),
        }),
      });
      await expect(
        provider(at).draft({ evidence, mode: 'draft' }),
      ).rejects.toThrow(/refused the request \(HTTP 400\).*maximum context/);
      expect(formats(at.fake.requests)).toEqual(['json_schema']);
    });

    it('reports a timeout in the mode it asked in', async () => {
      const at = await start('vllm', { intercept: () => ({ hang: true }) });
      const error = await provider(at, { timeoutMs: 300, maxRetries: 1 })
        .draft({ evidence, mode: 'draft' })
        .catch(e => e);
      expect(error.message).toMatch(/did not answer within 0 s/);
      expect(formats(at.fake.requests)).toEqual(['json_schema', 'json_schema']);
    });
  });

  it('with parallel sections, walks the ladder with one call and then runs the rest in parallel', async () => {
    let inFlight = 0;
    let most = 0;
    const at = await start('vllm', {
      intercept: () => {
        inFlight += 1;
        most = Math.max(most, inFlight);
        setTimeout(() => {
          inFlight -= 1;
        }, 150);
        return undefined;
      },
    });
    const drafts = provider(at, { strategy: 'sections', parallelism: 8 });
    const draft = await drafts.draft({ evidence, mode: 'draft' });
    expect(draft.sections.map(s => s.key)).toEqual(keys);
    expect(draft.sections.every(s => s.markdown === `Text of ${s.key}.`)).toBe(
      true,
    );
    expect(draft.actionItems).toHaveLength(1);
    expect(formats(at.fake.requests)).toEqual([
      'json_schema',
      ...Array(keys.length + 1).fill('json_object'),
    ]);
    expect(most).toBeGreaterThan(1);
  });

  it('streams Markdown sections as they are written', async () => {
    const at = await start('litellm');
    const drafts = provider(at, {
      strategy: 'sections',
      outputMode: 'markdown',
    });
    const seen = new Map<string, string[]>();
    const draft = await drafts.draft({
      evidence,
      mode: 'draft',
      onSectionText: s => {
        seen.set(s.key, [...(seen.get(s.key) ?? []), s.markdown]);
      },
    });
    expect(draft.sections[1].markdown).toBe(`Text of ${keys[1]}.`);
    const texts = seen.get(keys[2])!;
    expect(texts.length).toBeGreaterThan(1);
    // Growing prefixes of the section's text, never the heading or the
    // evidence line.
    for (const text of texts) {
      expect(`Text of ${keys[2]}.`.startsWith(text.trim())).toBe(true);
    }
    expect(
      at.fake.requests.filter(r => JSON.parse(r.body).stream),
    ).toHaveLength(keys.length);
  });
});

describe('readMarkdownAnswer', () => {
  it('reads sections by their headings, not by headings in code or text', () => {
    const answer = readMarkdownAnswer(
      [
        'Here is the draft.',
        '## [summary] Summary',
        'The checkout failed.',
        '```',
        '## [root_cause] not a heading inside a fence',
        '```',
        '### Details',
        'More.',
        'Evidence: none',
        '## Root cause',
        'A missing CA bundle. #e1',
        '*Evidence*: #e1 #e2.',
        '## [proposed_action_items] Proposed action items',
        '1. Add a canary | category: none | owner: none | due in days: soon',
      ].join('\n'),
      'stop',
      [
        { key: 'summary', title: 'Summary' },
        { key: 'root_cause', title: 'Root cause' },
      ],
    );
    expect(answer.sections).toEqual([
      {
        key: 'summary',
        markdown:
          'The checkout failed.\n```\n## [root_cause] not a heading inside a fence\n```\n### Details\nMore.',
        evidence: [],
      },
      {
        key: 'root_cause',
        markdown: 'A missing CA bundle. #e1',
        evidence: ['e1', 'e2'],
      },
    ]);
    expect(answer.action_items).toEqual([
      {
        description: 'Add a canary',
        category: null,
        owner_hint: null,
        due_in_days: null,
        evidence: [],
      },
    ]);
  });

  it('refuses an answer without any section heading', () => {
    expect(() =>
      readMarkdownAnswer('Just prose.', 'stop', [
        { key: 'summary', title: 'Summary' },
      ]),
    ).toThrow(/did not have the requested section headings/);
  });
});
