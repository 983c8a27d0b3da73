/**
 * Fake Confluence, Notion, GitHub and Jira servers for a browser e2e run.
 *
 * Usage (from plugins/postmortems-backend):
 *
 *   node --require @backstage/cli/config/nodeTransform.cjs \
 *     src/__testUtils__/runDestinationFakes.ts /tmp/destinations.yaml
 *
 * It starts the four fakes on loopback, writes a config snippet
 * (`postmortems.exports.{confluence,notion,markdown,pdf}` and
 * `postmortems.trackers.{github,jira}` pointing at them) to the path given as
 * the first argument, prints `READY` and keeps running until stdin closes or
 * it is killed. Pass the snippet to the backend with `--config`.
 *
 * Commands on stdin, one per line:
 *
 *   close github acme/payments#1   close an issue "in the tracker"
 *   close jira OPS-1
 *   reopen github 1                reopen one
 *   state                          print pages and issues as JSON
 *
 * Each command answers `OK` (or `ERROR <message>`) on stdout. The webhook
 * secrets of the config are in FAKE_DESTINATIONS (destinationFakes.ts).
 */
import { writeFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { startDestinationFakes } from './destinationFakes';

async function main() {
  const target = process.argv[2];
  if (!target) {
    process.stderr.write(
      'usage: runDestinationFakes.ts <config-snippet.yaml>\n',
    );
    process.exit(2);
  }
  const fakes = await startDestinationFakes();
  // Scheduled syncs would race a test's own Sync presses.
  writeFileSync(
    target,
    toYaml({ postmortems: fakes.config({ syncFrequency: { hours: 24 } }) }),
  );
  process.stdout.write('READY\n');

  const lines = createInterface({ input: process.stdin });
  lines.on('line', line => {
    const [command, tracker, key] = line.trim().split(/\s+/);
    try {
      if (command === 'close' || command === 'reopen') {
        if (tracker !== 'github' && tracker !== 'jira') {
          throw new Error(`unknown tracker "${tracker}"`);
        }
        if (!key) throw new Error('an issue key is needed');
        if (command === 'close') fakes.closeIssue(tracker, key);
        else fakes.reopenIssue(tracker, key);
        process.stdout.write('OK\n');
      } else if (command === 'state') {
        process.stdout.write(
          `${JSON.stringify({
            confluence: [...fakes.confluence.pages.values()],
            notion: [...fakes.notion.pages.values()].map(p => ({
              ...p,
              blocks: p.blocks.length,
            })),
            github: [...fakes.github.issues.values()],
            jira: [...fakes.jira.issues.values()],
          })}\n`,
        );
      } else if (command) {
        throw new Error(`unknown command "${command}"`);
      }
    } catch (error) {
      process.stdout.write(`ERROR ${(error as Error).message}\n`);
    }
  });
  const stop = async () => {
    await fakes.stop();
    process.exit(0);
  };
  lines.on('close', stop);
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

/** YAML for plain config: objects, arrays of strings, strings, numbers. */
function toYaml(value: unknown, indent = ''): string {
  if (Array.isArray(value)) {
    return value.map(v => `${indent}- ${JSON.stringify(v)}\n`).join('');
  }
  return Object.entries(value as Record<string, unknown>)
    .map(([key, v]) =>
      v !== null && typeof v === 'object'
        ? `${indent}${key}:\n${toYaml(v, `${indent}  `)}`
        : `${indent}${key}: ${JSON.stringify(v)}\n`,
    )
    .join('');
}

main().catch(error => {
  process.stderr.write(`${error?.stack ?? error}\n`);
  process.exit(1);
});
