/*
 * Drafts a post-mortem from an incident JSON file (the import format) without
 * a running backend, and prints it. For operators trying templates, prompts
 * or a model before turning them on.
 *
 *   yarn workspace @postmortems-oss/backstage-plugin-postmortems-backend dry-run incident.json \
 *     [--provider deterministic|openai] [--format markdown|json] [--template Standard]
 *
 * With --provider openai: OPENAI_API_KEY, and optionally OPENAI_MODEL and OPENAI_BASE_URL.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { EvidenceCheck } from '../src/generation/EvidenceCheck';
import {
  builtinTemplate,
  evidenceFromDocument,
  incidentFromDocument,
} from '../src/generation/offline';
import { DeterministicProvider } from '../src/generation/providers/DeterministicProvider';
import { OpenAIProvider } from '@postmortems-oss/backstage-plugin-postmortems-backend-module-openai';
import { DraftProvider } from '@postmortems-oss/backstage-plugin-postmortems-node';
import { incidentImportBody } from '../src/router/validation';
import { documentTitle, renderDocument } from '../src/services/document';

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      provider: { type: 'string', default: 'deterministic' },
      format: { type: 'string', default: 'markdown' },
      template: { type: 'string', default: 'Standard' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help || positionals.length !== 1) {
    process.stderr.write(
      'usage: dry-run <incident.json> [--provider deterministic|openai] [--format markdown|json] [--template NAME]\n',
    );
    return values.help ? 0 : 2;
  }

  const parsed = incidentImportBody.safeParse(
    JSON.parse(readFileSync(positionals[0], 'utf8')),
  );
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      process.stderr.write(
        `${issue.path.join('.') || '(document)'}: ${issue.message}\n`,
      );
    }
    return 2;
  }
  const template = builtinTemplate(values.template);
  const evidence = evidenceFromDocument(parsed.data, template);
  const provider = providerFor(values.provider!);
  const draft = await provider.draft({ evidence, mode: 'draft' });
  const sections = draft.sections.map(({ key, title, markdown }) => ({
    key,
    title,
    markdown,
  }));
  const findings = new EvidenceCheck(evidence).check(sections);
  const { incident } = incidentFromDocument(parsed.data);

  if (values.format === 'json') {
    process.stdout.write(
      `${JSON.stringify(
        {
          generated_by: draft.generatedBy,
          sections: draft.sections,
          action_items: draft.actionItems,
          findings,
        },
        null,
        2,
      )}\n`,
    );
  } else {
    process.stdout.write(renderDocument(documentTitle(incident), sections));
    if (draft.actionItems.length) {
      process.stdout.write(
        `\n## Proposed action items\n\n${draft.actionItems
          .map(
            a =>
              `- [${a.category ?? 'uncategorised'}] ${a.description}${
                a.ownerHint ? ` (owner: ${a.ownerHint})` : ''
              }`,
          )
          .join('\n')}\n`,
      );
    }
    for (const f of findings) {
      process.stderr.write(
        `finding ${f.kind} in ${f.section_key}: ${f.message}\n`,
      );
    }
  }
  return 0;
}

function providerFor(name: string): DraftProvider {
  if (name === 'deterministic') return new DeterministicProvider();
  if (name === 'openai') {
    const apiKey = process.env.OPENAI_API_KEY;
    if (!apiKey) throw new Error('Set OPENAI_API_KEY to use --provider openai');
    return new OpenAIProvider({
      apiKey,
      model: process.env.OPENAI_MODEL ?? 'gpt-4o-mini',
      baseUrl: process.env.OPENAI_BASE_URL,
      timeoutMs: 60_000,
      maxRetries: 3,
      deadlineMs: 180_000,
      evidenceBudgetTokens: 12_000,
      maxOutputTokens: 4_000,
    });
  }
  throw new Error(`Unknown provider "${name}"; use deterministic or openai`);
}

main(process.argv.slice(2)).then(
  code => process.exit(code),
  error => {
    process.stderr.write(`${error.message ?? error}\n`);
    process.exit(1);
  },
);
