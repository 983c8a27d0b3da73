#!/usr/bin/env bash
# Adoption test: packs every publishable package under plugins/ into a tarball,
# copies the committed create-app portal (e2e/adoption/portal) to a temporary
# folder, installs the tarballs and wires them in exactly as each package
# README's adopt:* steps say (e2e/adoption/adopt.mjs), type-checks and builds
# the portal, boots its backend (SQLite, guest sign-in) and drives it through
# the HTTP API, Search and the browser (e2e/adoption/drive.mjs).
# Prints the installed size of node_modules before and after the plugins.
# ADOPTION_PORT picks the port (default: a free one); ADOPTION_KEEP=1 keeps the
# portal's node_modules after the run.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$PWD"
source scripts/node-env.sh

if [ ! -x "${CHROMIUM_PATH:-/usr/bin/chromium}" ]; then
  echo "[adoption] installing Debian's chromium" >&2
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo
  $SUDO apt-get update -qq && $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi

START=$SECONDS
log() { echo "[adoption $((SECONDS - START))s] $*" >&2; }
RUN="$(mktemp -d -t postmortems-adoption.XXXXXX)"
# A free port of this machine unless one is given: other test runs may hold
# the usual ones, and a health check answered by their backend would pass.
PORT="${ADOPTION_PORT:-$(node -e 'const s = require("net").createServer().listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close(); })')}"
BASE_URL="http://localhost:$PORT"
BACKEND_PID=""
cleanup() {
  if [ -n "$BACKEND_PID" ]; then
    kill -- "-$BACKEND_PID" 2>/dev/null || kill "$BACKEND_PID" 2>/dev/null || true
  fi
  # The portal's node_modules is large and of no use after the run; the
  # screenshot and logs stay.
  if [ "${ADOPTION_KEEP:-0}" != 1 ]; then rm -rf "$RUN/portal"; fi
}
trap cleanup EXIT
log "run folder: $RUN"

# 1. Pack. Each package's prepack builds its dist, whose type declarations
# come from the repository's type check.
log "type check (declarations for the packages' builds)"
yarn tsc
mkdir -p "$RUN/tarballs" "$RUN/logs"
PACKAGE_LIST="$(node e2e/adoption/adopt.mjs packages all)"
mapfile -t PACKAGES <<<"$PACKAGE_LIST"
pack() { # plugin dir, tarball path
  local logfile="$RUN/logs/pack-${1#plugins/}.log"
  log "yarn pack $1"
  if ! (cd "$1" && yarn pack --out "$2") >"$logfile" 2>&1; then
    cat "$logfile" >&2
    log "yarn pack failed in $1"
    return 1
  fi
}
# Two at a time: a build is mostly one core's work.
running=0
for dir in "${PACKAGES[@]}"; do
  tarball="$RUN/tarballs/$(node -p "const p=require('./$dir/package.json'); p.name.replace('@','').replace('/','-') + '-' + p.version + '.tgz'")"
  echo "$(node -p "require('./$dir/package.json').name") $tarball" >>"$RUN/tarballs.txt"
  pack "$dir" "$tarball" &
  running=$((running + 1))
  if [ "$running" -ge 2 ]; then wait -n; running=$((running - 1)); fi
done
while [ "$running" -gt 0 ]; do wait -n; running=$((running - 1)); done
ls -l "$RUN/tarballs" >&2
# Tests, their helpers and fakes stay in the repository.
for tarball in "$RUN"/tarballs/*.tgz; do
  if tar tzf "$tarball" | grep -E '\.test\.|__testUtils__|/__fixtures__/|/fakes?/|/dev/' >&2; then
    log "$(basename "$tarball") ships the test files above"
    exit 1
  fi
done

# 2. The portal: the committed create-app scaffold, nothing from this
# repository's node_modules. Its lockfile is seeded with the repository's, so
# that what the packages add resolves to the versions they are tested with.
cp -a e2e/adoption/portal "$RUN/portal"
PORTAL="$RUN/portal"
# The portal's installs write its lockfile (seeded below, then the tarballs are
# added), as a team's own installs would; under CI=true Yarn would refuse to.
export YARN_ENABLE_IMMUTABLE_INSTALLS=false
node e2e/adoption/seed-lockfile.mjs "$PORTAL/yarn.lock" "$ROOT/yarn.lock" >&2
# Our packages are on no registry: every dependency on one of them (the
# backend's on -common and -node, say) resolves to its tarball.
node -e '
  const fs = require("fs"), path = require("path");
  const [portal, list] = process.argv.slice(1);
  const file = path.join(portal, "package.json");
  const pkg = JSON.parse(fs.readFileSync(file, "utf8"));
  for (const line of fs.readFileSync(list, "utf8").trim().split("\n")) {
    const [name, tarball] = line.split(" ");
    pkg.resolutions[name] = "file:" + tarball;
  }
  fs.writeFileSync(file, JSON.stringify(pkg, null, 2) + "\n");
' "$PORTAL" "$RUN/tarballs.txt"

size() { du -sm "$PORTAL/node_modules" "$PORTAL"/packages/*/node_modules 2>/dev/null | awk '{s+=$1} END {print s}'; }
log "yarn install (the portal as create-app made it)"
(cd "$PORTAL" && yarn install) >"$RUN/logs/install-portal.log" 2>&1 || { tail -40 "$RUN/logs/install-portal.log" >&2; exit 1; }
SIZE_PORTAL="$(size)"

# 3. The README steps. Each README's install line is run as written, with our
# package names pointing at their tarballs; the lines of one workspace and one
# group run as one `yarn add`, which installs the same as running them in turn.
yarn_add() { # workspace group
  local out
  out="$(node e2e/adoption/adopt.mjs install "$1" "$2" "$RUN/tarballs.txt")"
  [ -n "$out" ] || return 0
  mapfile -t args <<<"$out"
  log "yarn --cwd packages/$1 add ${args[*]//*\/tarballs\//<tarball>/}"
  (cd "$PORTAL" && yarn --cwd "packages/$1" add "${args[@]}") >"$RUN/logs/add-$1-$2.log" 2>&1 ||
    { tail -40 "$RUN/logs/add-$1-$2.log" >&2; exit 1; }
}
yarn_add app core
yarn_add backend core
node e2e/adoption/adopt.mjs wire "$PORTAL" core "$RUN/tarballs.txt" >&2
SIZE_CORE="$(size)"
yarn_add backend integrations
node e2e/adoption/adopt.mjs wire "$PORTAL" integrations "$RUN/tarballs.txt" >&2
SIZE_ALL="$(size)"
log "installed size of node_modules: portal ${SIZE_PORTAL} MB; with the core plugins ${SIZE_CORE} MB (+$((SIZE_CORE - SIZE_PORTAL))); with every integration module too ${SIZE_ALL} MB (+$((SIZE_ALL - SIZE_CORE)))"

# The same @backstage package twice means a package of ours asked for a
# version range the portal's release does not satisfy.
node -e '
  const lock = require("fs").readFileSync(process.argv[1], "utf8");
  const seen = new Map();
  for (const m of lock.matchAll(/^  resolution: "(@backstage\/[^@"]+)@npm:([^"]+)"$/gm)) {
    seen.set(m[1], [...(seen.get(m[1]) ?? []), m[2]]);
  }
  const dupes = [...seen].filter(([, v]) => v.length > 1);
  for (const [name, versions] of dupes) console.error(`[adoption] ${name} is installed twice: ${versions.join(", ")}`);
  process.exit(dupes.length ? 1 : 0);
' "$PORTAL/yarn.lock"

log "portal backend/src/index.ts after the README steps:"
grep -n "backend.add\|backend.start" "$PORTAL/packages/backend/src/index.ts" >&2

# 4. Type check and build, as the portal's own scripts do.
log "yarn tsc (portal)"
(cd "$PORTAL" && yarn tsc) >"$RUN/logs/tsc.log" 2>&1 || { cat "$RUN/logs/tsc.log" >&2; exit 1; }
log "yarn build (portal app)"
(cd "$PORTAL" && yarn --cwd packages/app build) >"$RUN/logs/build-app.log" 2>&1 || { tail -60 "$RUN/logs/build-app.log" >&2; exit 1; }

# 5. Boot. Only what this run needs on top of the portal's app-config.yaml:
# its port, and the collator schedule key the search module's README documents,
# made short so that a publication is searchable within seconds.
cat >"$RUN/app-config.adoption.yaml" <<YAML
app:
  baseUrl: $BASE_URL
backend:
  baseUrl: $BASE_URL
  listen:
    port: $PORT
  cors:
    origin: $BASE_URL
search:
  collators:
    postmortems:
      schedule:
        frequency: { seconds: 5 }
        timeout: { minutes: 2 }
        initialDelay: { seconds: 2 }
YAML
log "starting the portal's backend (log: $RUN/logs/backend.log)"
# In a session of its own, so that stopping it stops the children it starts;
# the session leader writes its pid, which is also the group to stop.
(cd "$PORTAL/packages/backend" &&
  exec setsid bash -c 'echo $$ >"$0"; exec node "$1" package start --config ../../app-config.yaml --config "$2"' \
    "$RUN/backend.pid" "$PORTAL/node_modules/.bin/backstage-cli" "$RUN/app-config.adoption.yaml") >"$RUN/logs/backend.log" 2>&1 &
for i in $(seq 1 50); do [ -s "$RUN/backend.pid" ] && break; sleep 0.1; done
BACKEND_PID="$(cat "$RUN/backend.pid")"
for i in $(seq 1 180); do
  if grep -q EADDRINUSE "$RUN/logs/backend.log"; then log "port $PORT is taken"; exit 1; fi
  if curl -fsS "$BASE_URL/api/postmortems/health" >/dev/null 2>&1 && curl -fsS "$BASE_URL/" >/dev/null 2>&1; then
    log "backend ready after ${i}s"
    break
  fi
  if ! kill -0 "$BACKEND_PID" 2>/dev/null; then
    tail -60 "$RUN/logs/backend.log" >&2
    log "the portal's backend exited"
    exit 1
  fi
  if [ "$i" = 180 ]; then tail -60 "$RUN/logs/backend.log" >&2; log "backend not ready after 180 s"; exit 1; fi
  sleep 1
done

# 6. Drive it.
node e2e/adoption/drive.mjs "$BASE_URL" "$RUN/screenshots" || {
  tail -80 "$RUN/logs/backend.log" >&2
  log "adoption test failed"
  exit 1
}
log "adoption test passed in $((SECONDS - START)) s; screenshot: $RUN/screenshots/adopted-postmortem.png"
