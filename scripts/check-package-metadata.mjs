// Publishing rules for the packages under plugins/ that `backstage-cli repo
// fix --publish --check` does not cover. Run by scripts/test.sh.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = new URL('..', import.meta.url).pathname;
const problems = [];
// Accepted findings (scripts/publish-exceptions.json), printed, not failed.
const exceptions = JSON.parse(readFileSync(join(ROOT, 'scripts/publish-exceptions.json'), 'utf8'));

for (const name of readdirSync(join(ROOT, 'plugins'))) {
  const dir = join('plugins', name);
  const file = join(ROOT, dir, 'package.json');
  if (!existsSync(file)) continue;
  const pkg = JSON.parse(readFileSync(file, 'utf8'));
  const say = msg => problems.push(`${dir}/package.json: ${msg}`);
  if (pkg.private) continue;

  if (pkg.publishConfig?.access !== 'public') say('publishConfig.access must be "public" (a scoped package is private on npm otherwise)');
  if (!pkg.license) say('no license');
  if (pkg.repository?.directory !== dir) say(`repository.directory must be "${dir}"`);
  // yarn pack and yarn npm publish run prepack only: it has to build dist.
  if (!/backstage-cli package build\b.*&&.*backstage-cli package prepack/.test(pkg.scripts?.prepack ?? '')) {
    say('scripts.prepack must build before it prepacks: "backstage-cli package build && backstage-cli package prepack"');
  }
  if (!pkg.scripts?.postpack) say('no scripts.postpack (it restores package.json after packing)');
  for (const entry of pkg.files ?? []) {
    if (!['dist', 'migrations', 'config.d.ts'].includes(entry)) {
      say(`files lists "${entry}": only dist, migrations and config.d.ts are published`);
    }
  }
  if (!pkg.files?.includes('dist')) say('files must list dist');
  // An exact @backstage version installs a second copy in every portal that is
  // on another release of the same wave.
  for (const field of ['dependencies', 'peerDependencies']) {
    for (const [dep, range] of Object.entries(pkg[field] ?? {})) {
      if (dep.startsWith('@backstage/') && !range.startsWith('^')) {
        if (field === 'dependencies' && exceptions[dir]?.exactBackstageRanges?.includes(dep)) {
          console.log(`${dir}/package.json: ${field}.${dep} is "${range}" (accepted in scripts/publish-exceptions.json)`);
        } else {
          say(`${field}.${dep} is "${range}": use a caret range`);
        }
      }
    }
  }
}

for (const p of problems) console.error(p);
console.log(`package metadata: ${problems.length} problems`);
process.exit(problems.length ? 1 : 0);
