// Reads the adoption steps out of each package README and applies them to a
// fresh portal, exactly as a person following the README would.
//
// A README marks each step with an HTML comment; the fenced block that follows
// it (blank lines may sit between) is the step:
//   <!-- adopt:install-app -->     ```sh  yarn --cwd packages/app add <pkgs>
//   <!-- adopt:install-backend --> ```sh  yarn --cwd packages/backend add <pkgs>
//   <!-- adopt:backend -->         ```ts  backend.add(import('...')) lines, added
//                                         before backend.start()
//   <!-- adopt:backend-remove -->  ```ts  backend.add(import('...')) lines the
//                                         README says to remove (e.g. a second
//                                         permission policy)
//   <!-- adopt:app-config -->      ```yaml deep-merged into app-config.yaml
//
// Usage (from the repository root):
//   node e2e/adoption/adopt.mjs packages <group>       package dirs of a group, one a line
//   node e2e/adoption/adopt.mjs install <app|backend> <group> <tarball-list>
//       prints the yarn add arguments of that workspace's install steps, with
//       each of our packages mapped to its packed tarball
//   node e2e/adoption/adopt.mjs wire <portal> <group> <tarball-list>
//       applies the backend and app-config steps to the portal
// install and wire only consider the packages in <tarball-list> (`<name>
// <tarball path>` lines), the ones this run packed.
// <group> is `core` (everything but the integration modules), `integrations`
// (plugins/postmortems-backend-module-*) or `all`.
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const ROOT = new URL('../..', import.meta.url).pathname;
const SCOPE = '@postmortems-oss/';

/** Every publishable package under plugins/, with its README's steps. */
function publishablePackages() {
  return readdirSync(join(ROOT, 'plugins'), { withFileTypes: true })
    .filter(d => d.isDirectory())
    .map(d => join('plugins', d.name))
    .filter(dir => existsSync(join(ROOT, dir, 'package.json')))
    .map(dir => {
      const pkg = JSON.parse(readFileSync(join(ROOT, dir, 'package.json'), 'utf8'));
      const readmePath = join(ROOT, dir, 'README.md');
      const readme = existsSync(readmePath) ? readFileSync(readmePath, 'utf8') : '';
      return { dir, name: pkg.name, role: pkg.backstage?.role, private: pkg.private === true, ...readSteps(readme) };
    })
    .filter(p => !p.private)
    .sort((a, b) => a.dir.localeCompare(b.dir));
}

function isIntegration(p) {
  return /^plugins\/postmortems-backend-module-/.test(p.dir);
}

function inGroup(p, group) {
  if (group === 'all') return true;
  if (group === 'integrations') return isIntegration(p);
  if (group === 'core') return !isIntegration(p);
  throw new Error(`unknown group ${group}`);
}

function readSteps(readme) {
  const steps = [];
  const marker = /<!--\s*adopt:([a-z-]+)\s*-->\s*\n(?:\s*\n)*```(\w*)\n([\s\S]*?)\n```/g;
  for (const m of readme.matchAll(marker)) {
    steps.push({ kind: m[1], lang: m[2], body: m[3] });
  }
  if (steps.length === 0) return { steps: unmarkedSteps(readme), marked: false };
  const known = ['install-app', 'install-backend', 'backend', 'backend-remove', 'app-config'];
  for (const step of steps) {
    if (!known.includes(step.kind)) throw new Error(`unknown README marker adopt:${step.kind}`);
  }
  return { steps, marked: true };
}

/**
 * A README without markers: its install lines and backend.add blocks, as a
 * reader would pick them out (no config: which block is needed is prose).
 * Reported, so that the README gets its markers.
 */
function unmarkedSteps(readme) {
  const steps = [];
  for (const m of readme.matchAll(/```(\w*)\n([\s\S]*?)\n```/g)) {
    const [, lang, body] = m;
    const install = /^\s*yarn\s+--cwd\s+packages\/(app|backend)\s+add\s/m.exec(body);
    if (lang === 'sh' && install) steps.push({ kind: `install-${install[1]}`, lang, body });
    else if (lang === 'ts' && /backend\.add\(\s*import\(/.test(body)) steps.push({ kind: 'backend', lang, body });
  }
  return steps;
}

/** `yarn --cwd packages/<ws> add a b` lines of a sh block -> [a, b]. */
function installedPackages(body, workspace) {
  const names = [];
  for (const line of body.split('\n')) {
    const m = /^\s*yarn\s+--cwd\s+(\S+)\s+add\s+(.+?)\s*$/.exec(line);
    if (!m) continue;
    if (m[1] !== `packages/${workspace}`) {
      throw new Error(`install line for ${m[1]} in an adopt:install-${workspace} block: ${line}`);
    }
    names.push(...m[2].split(/\s+/).filter(a => !a.startsWith('-')));
  }
  if (names.length === 0) throw new Error(`no yarn add line in block:\n${body}`);
  return names;
}

/** The module specifiers of the backend.add(import('...')) statements of a ts block. */
function addedModules(body) {
  const specs = [...body.matchAll(/backend\.add\(\s*import\(\s*'([^']+)'\s*,?\s*\)\s*,?\s*\)/g)].map(m => m[1]);
  if (specs.length === 0) throw new Error(`no backend.add(import('...')) in block:\n${body}`);
  return specs;
}

function statementFor(spec) {
  const escaped = spec.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  return new RegExp(`backend\\.add\\(\\s*import\\(\\s*'${escaped}'\\s*,?\\s*\\)\\s*,?\\s*\\);?[ \\t]*\\n`, 'g');
}

/** `<name> <tarball path>` lines, as the adoption test writes them while packing. */
function tarballFor(name, tarballList) {
  const line = readFileSync(tarballList, 'utf8')
    .split('\n')
    .find(l => l.startsWith(`${name} `));
  if (!line) throw new Error(`no packed tarball for ${name} in ${tarballList}`);
  return line.slice(name.length + 1);
}

/** The packages of a group that this run packed (plugins/ may gain one meanwhile). */
function packedPackages(group, tarballList) {
  const packed = readFileSync(tarballList, 'utf8').split('\n').map(l => l.split(' ')[0]);
  return publishablePackages().filter(p => inGroup(p, group) && packed.includes(p.name));
}

function install(workspace, group, tarballList) {
  const args = [];
  for (const p of packedPackages(group, tarballList)) {
    for (const step of p.steps.filter(s => s.kind === `install-${workspace}`)) {
      for (const name of installedPackages(step.body, workspace)) {
        // Our packages are not on the registry: the packed tarball stands in.
        const arg = name.startsWith(SCOPE) ? `${name}@file:${tarballFor(name, tarballList)}` : name;
        if (!args.includes(arg)) args.push(arg);
      }
    }
  }
  console.log(args.join('\n'));
}

function mergeInto(doc, path, value) {
  const isMap = v => v && typeof v === 'object' && !Array.isArray(v);
  const existing = doc.getIn(path);
  const existingJs = existing?.toJSON ? existing.toJSON() : existing;
  if (isMap(value) && (existing === undefined || isMap(existingJs))) {
    for (const [k, v] of Object.entries(value)) mergeInto(doc, [...path, k], v);
  } else if (Array.isArray(value) && Array.isArray(existingJs)) {
    for (const item of value) {
      if (!existingJs.some(e => JSON.stringify(e) === JSON.stringify(item))) doc.addIn(path, item);
    }
  } else {
    doc.setIn(path, value);
  }
}

function wire(portal, group, tarballList) {
  const indexFile = join(portal, 'packages/backend/src/index.ts');
  const configFile = join(portal, 'app-config.yaml');
  // The portal's own yaml package: none of this repository's node_modules.
  const YAML = createRequire(join(portal, 'package.json'))('yaml');
  let index = readFileSync(indexFile, 'utf8');
  const config = YAML.parseDocument(readFileSync(configFile, 'utf8'));

  for (const p of packedPackages(group, tarballList)) {
    for (const step of p.steps) {
      if (step.kind === 'backend-remove') {
        for (const spec of addedModules(step.body)) {
          const before = index;
          index = index.replace(statementFor(spec), '');
          if (index === before) {
            throw new Error(`${p.dir}/README.md says to remove ${spec}, which the portal's backend does not add`);
          }
          console.log(`[adopt] ${p.name}: removed backend.add(import('${spec}'))`);
        }
      } else if (step.kind === 'backend') {
        for (const spec of addedModules(step.body)) {
          if (statementFor(spec).test(index)) {
            console.log(`[adopt] ${p.name}: backend already adds ${spec}`);
            continue;
          }
          const start = index.lastIndexOf('backend.start();');
          if (start < 0) throw new Error('no backend.start() in packages/backend/src/index.ts');
          index = `${index.slice(0, start)}backend.add(import('${spec}'));\n${index.slice(start)}`;
          console.log(`[adopt] ${p.name}: added backend.add(import('${spec}'))`);
        }
      } else if (step.kind === 'app-config') {
        const snippet = YAML.parse(step.body);
        mergeInto(config, [], snippet);
        console.log(`[adopt] ${p.name}: merged into app-config.yaml: ${Object.keys(snippet ?? {}).join(', ')}`);
      }
    }
  }
  writeFileSync(indexFile, index);
  writeFileSync(configFile, config.toString());
}

function packages(group) {
  const selected = publishablePackages().filter(p => inGroup(p, group));
  for (const p of selected) {
    // Libraries come in as dependencies of the plugins; they have no step.
    const library = ['common-library', 'node-library', 'web-library'].includes(p.role);
    if (!p.marked && !library) {
      console.error(
        `[adopt] WARNING: ${p.dir}/README.md has no adopt:* markers; ` +
          (p.steps.length ? `using its unmarked ${p.steps.map(s => s.kind).join(', ')} blocks` : 'nothing to apply'),
      );
    }
  }
  console.log(selected.map(p => p.dir).join('\n'));
}

const [command, ...args] = process.argv.slice(2);
if (command === 'packages') packages(args[0] ?? 'all');
else if (command === 'install') install(args[0], args[1], args[2]);
else if (command === 'wire') wire(args[0], args[1], args[2]);
else {
  console.error('usage: adopt.mjs packages <group> | install <app|backend> <group> <tarball-list> | wire <portal> <group>');
  process.exit(2);
}
