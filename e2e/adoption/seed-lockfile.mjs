// Adds to a portal's yarn.lock the entries of a seed lockfile that it does not
// have yet, as @backstage/create-app does with its seed lockfile: yarn reuses
// a seeded resolution for any descriptor it already lists and drops the rest
// at install. The seed is the repository's own yarn.lock, resolved on the
// Backstage release the plugins are tested on, so that what a portal adds
// resolves to those versions and not to whatever the registry's age gate
// lets through on the day of the run.
// Usage: node seed-lockfile.mjs <portal/yarn.lock> <seed/yarn.lock>
import { readFileSync, writeFileSync } from 'node:fs';

const [target, seed] = process.argv.slice(2);
if (!target || !seed) {
  throw new Error('usage: seed-lockfile.mjs <target yarn.lock> <seed yarn.lock>');
}

function entries(text) {
  return text
    .split(/\n\n+/)
    .map(block => block.trim())
    .filter(block => block && !block.startsWith('#'))
    .map(block => {
      const keyLine = block.split('\n', 1)[0];
      const descriptors = keyLine
        .replace(/:$/, '')
        .split(', ')
        .map(d => d.replace(/^"|"$/g, ''));
      return { block, descriptors };
    });
}

const targetText = readFileSync(target, 'utf8');
const known = new Set(entries(targetText).flatMap(e => e.descriptors));
const added = entries(readFileSync(seed, 'utf8')).filter(
  e =>
    !e.descriptors.includes('__metadata') &&
    // The seed's own workspaces mean nothing to the portal.
    !/\n {2}resolution: "[^"]*@workspace:/.test(e.block) &&
    !e.descriptors.some(d => known.has(d)),
);
writeFileSync(
  target,
  `${targetText.trimEnd()}\n\n${added.map(e => e.block).join('\n\n')}\n`,
);
console.log(`seeded ${added.length} lockfile entries from ${seed}`);
