// Removes from a freshly generated create-app portal the template's demo
// integrations that the product does not use and that only cost install time
// (GitHub scaffolder module, Kubernetes, TechDocs with its Docker generator).
// Everything else stays as @backstage/create-app wrote it.
// Usage: node trim-template.mjs <portal-dir>
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const portal = process.argv[2];
if (!portal) throw new Error('usage: trim-template.mjs <portal-dir>');

const dropped = [
  '@backstage/plugin-scaffolder-backend-module-github',
  '@backstage/plugin-kubernetes-backend',
  '@backstage/plugin-kubernetes',
  '@backstage/plugin-techdocs-backend',
  '@backstage/plugin-techdocs',
  '@backstage/plugin-techdocs-module-addons-contrib',
  '@backstage/plugin-search-backend-module-techdocs',
];

for (const pkg of ['packages/app/package.json', 'packages/backend/package.json']) {
  const file = join(portal, pkg);
  const json = JSON.parse(readFileSync(file, 'utf8'));
  for (const name of dropped) delete json.dependencies[name];
  writeFileSync(file, `${JSON.stringify(json, null, 2)}\n`);
}

// backend.add(import('x')) may span three lines after prettier; drop whole
// statements that name a dropped package, and the comment line that heads a
// block left empty.
const indexFile = join(portal, 'packages/backend/src/index.ts');
let index = readFileSync(indexFile, 'utf8');
for (const name of dropped) {
  const statement = new RegExp(
    `backend\\.add\\(\\s*import\\('${name.replace(/[/.]/g, '\\$&')}'\\),?\\s*\\);\\n`,
    'g',
  );
  index = index.replace(statement, '');
}
index = index
  .replace(/\/\/ techdocs plugin\n\n/, '')
  .replace(/\/\/ kubernetes plugin\n\n/, '');
writeFileSync(indexFile, index);

// Top-level sections of app-config.yaml, with the comment block right above.
const configFile = join(portal, 'app-config.yaml');
const lines = readFileSync(configFile, 'utf8').split('\n');
const out = [];
for (let i = 0; i < lines.length; i++) {
  const key = /^([a-zA-Z]+):/.exec(lines[i])?.[1];
  if (key === 'techdocs' || key === 'kubernetes') {
    while (out.length && out[out.length - 1].startsWith('#')) out.pop();
    i++;
    while (i < lines.length && !/^[a-zA-Z#]/.test(lines[i])) i++;
    i--;
    continue;
  }
  out.push(lines[i]);
}
writeFileSync(configFile, out.join('\n'));

for (const name of dropped) {
  if (readFileSync(indexFile, 'utf8').includes(name)) {
    throw new Error(`${name} is still in packages/backend/src/index.ts`);
  }
}
