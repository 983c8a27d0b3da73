#!/usr/bin/env bash
# Regenerates e2e/adoption/portal: a fresh @backstage/create-app portal with the
# template's demo integrations trimmed (trim-template.mjs) and a yarn.lock
# resolved on the Backstage release the repository is on. See README.md here.
# Usage: bash e2e/adoption/regenerate.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT="$PWD"
source scripts/node-env.sh

CREATE_APP_VERSION=0.9.2 # writes backstage.json 1.55.0
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

# create-app asks for the app's name on stdin; its seed yarn.lock download may
# fail (it is then resolved below instead).
echo portal | npx -y "@backstage/create-app@$CREATE_APP_VERSION" --skip-install --path "$WORK/portal"
rm -rf "$WORK/portal/.git"
node e2e/adoption/trim-template.mjs "$WORK/portal"

# The template pre-approves @backstage/* past a 3-day age gate, which resolves the
# newest (incomplete) wave of @backstage packages; a 65-day gate with no
# pre-approval resolves the 1.55.0 set, as the repository's own .yarnrc.yml does.
cat >"$WORK/portal/.yarnrc.yml" <<'YAML'
nodeLinker: node-modules

# The adoption test installs with this lockfile; the age gate only applies to what
# it adds (the packed plugins' own dependencies). @backstage/* is not pre-approved
# so that no package of a newer wave is mixed in.
npmMinimalAgeGate: 65d

yarnPath: .yarn/releases/yarn-4.13.0.cjs
YAML

# create-app seeds yarn.lock with a lockfile of the release it installs, which it
# downloads (unreachable here); the repository's own lockfile is resolved on the
# same release and serves as that seed. Without it, the age gate alone lets in
# packages published after the release (e.g. a broken @yarnpkg/core 4.9.2).
node e2e/adoption/seed-lockfile.mjs "$WORK/portal/yarn.lock" "$ROOT/yarn.lock"
# Resolve and fetch only: the lockfile is what we keep.
(cd "$WORK/portal" && yarn install --mode=skip-build)
grep -q '^"@backstage/backend-defaults@npm:' "$WORK/portal/yarn.lock"
node -e '
  const lock = require("fs").readFileSync(process.argv[1], "utf8");
  const v = /^"@backstage\/backend-plugin-api@npm:[^\n]*\n  version: (\S+)/m.exec(lock)[1];
  if (!v.startsWith("1.10.")) { console.error("backend-plugin-api resolved to " + v + ", not the 1.55.0 wave"); process.exit(1); }
' "$WORK/portal/yarn.lock"
rm -rf "$WORK/portal/node_modules" "$WORK/portal/.yarn/install-state.gz" "$WORK/portal"/packages/*/node_modules

rm -rf "$ROOT/e2e/adoption/portal"
cp -a "$WORK/portal" "$ROOT/e2e/adoption/portal"
echo "regenerated e2e/adoption/portal"
