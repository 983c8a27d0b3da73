// Checks each built package under plugins/ against what it ships: every
// package its dist (code and type declarations) or another shipped file
// imports must be a dependency or peer dependency, and every dependency must
// be imported by something shipped. knip (yarn deps:check) reads the sources;
// this reads what is published, where a type-only import or a dependency of a
// test helper has disappeared.
// Usage: node scripts/check-dist-deps.mjs [plugin-dir...]  (after a build)
import { builtinModules } from 'node:module';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const ROOT = new URL('..', import.meta.url).pathname;
const dirs = process.argv.slice(2).length
  ? process.argv.slice(2)
  : readdirSync(join(ROOT, 'plugins')).map(d => join('plugins', d));

function walk(path) {
  if (!existsSync(path)) return [];
  if (statSync(path).isFile()) return [path];
  return readdirSync(path).flatMap(name => walk(join(path, name)));
}

function packageName(specifier) {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

function importsOf(file) {
  // Comments hold JSDoc types such as import('knex').Knex, which load nothing.
  const code = readFileSync(file, 'utf8')
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/^\s*\/\/.*$/gm, '');
  const found = new Set();
  const patterns = [
    /\brequire\(\s*['"]([^'"]+)['"]\s*\)/g,
    /\bimport\(\s*['"]([^'"]+)['"]\s*\)/g,
    /^\s*(?:import|export)\b[^;'"]*?\bfrom\s+['"]([^'"]+)['"]/gm,
    /^\s*import\s+['"]([^'"]+)['"]/gm,
  ];
  for (const pattern of patterns) {
    for (const m of code.matchAll(pattern)) {
      const spec = m[1];
      if (!/^(@[\w.~-]+\/)?[\w.~-]+(\/.*)?$/.test(spec)) continue;
      if (spec.startsWith('.') || spec.startsWith('/') || spec.startsWith('node:')) continue;
      if (builtinModules.includes(packageName(spec))) continue;
      found.add(packageName(spec));
    }
  }
  return found;
}

// Accepted findings (scripts/publish-exceptions.json), printed, not failed.
const exceptions = JSON.parse(readFileSync(join(ROOT, 'scripts/publish-exceptions.json'), 'utf8'));
let problems = 0;
let checked = 0;
for (const dir of dirs) {
  const pkgFile = join(ROOT, dir, 'package.json');
  if (!existsSync(pkgFile)) continue;
  const pkg = JSON.parse(readFileSync(pkgFile, 'utf8'));
  if (pkg.private) continue;
  if (!existsSync(join(ROOT, dir, 'dist'))) {
    console.error(`${dir}: no dist/ (build it first: yarn tsc && yarn build:all)`);
    problems++;
    continue;
  }
  checked++;
  const shipped = (pkg.files ?? ['dist'])
    .flatMap(entry => walk(join(ROOT, dir, entry)))
    .filter(f => /\.(c|m)?js$|\.d\.ts$/.test(f) && !f.endsWith('.map'));
  const imported = new Map();
  for (const file of shipped) {
    for (const name of importsOf(file)) {
      if (!imported.has(name)) imported.set(name, relative(join(ROOT, dir), file));
    }
  }
  const declared = new Set([
    ...Object.keys(pkg.dependencies ?? {}),
    ...Object.keys(pkg.peerDependencies ?? {}),
  ]);
  for (const [name, file] of imported) {
    if (name === pkg.name || declared.has(name)) continue;
    console.error(`${dir}: ${file} imports ${name}, which is not a dependency`);
    problems++;
  }
  for (const name of Object.keys(pkg.dependencies ?? {})) {
    if (!imported.has(name) && exceptions[dir]?.unusedDependencies?.includes(name)) {
      console.log(`${dir}: dependency ${name} is imported by nothing it ships (accepted in scripts/publish-exceptions.json)`);
    } else if (!imported.has(name)) {
      console.error(`${dir}: dependency ${name} is imported by nothing it ships`);
      problems++;
    }
  }
}
console.log(`dist dependencies: ${checked} packages checked, ${problems} problems`);
process.exit(problems ? 1 : 0);
