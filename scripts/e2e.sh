#!/usr/bin/env bash
# Builds the app, starts the backend serving it (embedded SQLite, demo data) and
# runs the end-to-end tests in headless Chromium. Usage: e2e.sh [TAP_REPORT_FILE]
# E2E_PORT (default 7107) picks the port, so that several runs can share a machine;
# E2E_TESTS (default every e2e/*.test.mjs) picks the test files.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$PWD"
TAP_REPORT="${1:-/dev/null}"
source scripts/node-env.sh

if [ ! -x /usr/bin/chromium ]; then
  echo "[e2e] installing Debian's chromium" >&2
  if [ "$(id -u)" = "0" ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  fi
fi

CONFIG=(--config "$ROOT/app-config.yaml" --config "$ROOT/e2e/app-config.e2e.yaml")
PORT="${E2E_PORT:-7107}"
BASE_URL="http://localhost:$PORT"

echo "[e2e] building the app" >&2
yarn workspace app build "${CONFIG[@]}" >/dev/null

# The port lives in a config file of this run only: the backend injects it into
# the built app at start-up, and its unique path lets cleanup stop this run's
# backend and no other.
PORT_CONFIG="$(mktemp --suffix=.e2e-port.yaml)"
cat >"$PORT_CONFIG" <<YAML
app:
  baseUrl: $BASE_URL
backend:
  baseUrl: $BASE_URL
  listen:
    port: $PORT
  cors:
    origin: $BASE_URL
YAML
CONFIG+=(--config "$PORT_CONFIG")

# Fake Confluence, Notion, GitHub and Jira (e2e/destinationFakes.mjs): the
# backend exports and opens issues there, and the tests act "in the tracker"
# through the control URL it prints.
DESTINATIONS_CONFIG="$(mktemp --suffix=.e2e-destinations.yaml)"
DESTINATIONS_LOG="$(mktemp)"
node e2e/destinationFakes.mjs "$DESTINATIONS_CONFIG" >"$DESTINATIONS_LOG" 2>&1 &
FAKES_PID=$!
trap 'kill "$FAKES_PID" 2>/dev/null || true; rm -f "$PORT_CONFIG" "$DESTINATIONS_CONFIG"' EXIT
for i in $(seq 1 60); do
  grep -q '^CONTROL ' "$DESTINATIONS_LOG" && break
  if ! kill -0 "$FAKES_PID" 2>/dev/null; then
    echo "[e2e] destination fakes exited:" >&2; cat "$DESTINATIONS_LOG" >&2; exit 1
  fi
  sleep 1
done
E2E_DESTINATIONS_URL="$(sed -n 's/^CONTROL //p' "$DESTINATIONS_LOG")"
export E2E_DESTINATIONS_URL
[ -n "$E2E_DESTINATIONS_URL" ] || { echo "[e2e] destination fakes did not start:" >&2; cat "$DESTINATIONS_LOG" >&2; exit 1; }
CONFIG+=(--config "$DESTINATIONS_CONFIG")

LOG="$(mktemp)"
echo "[e2e] starting the backend (log: $LOG)" >&2
(cd packages/backend && exec node "$ROOT/node_modules/.bin/backstage-cli" package start "${CONFIG[@]}") >"$LOG" 2>&1 &
BACKEND_PID=$!
cleanup() {
  kill -- "-$BACKEND_PID" 2>/dev/null || kill "$BACKEND_PID" 2>/dev/null || true
  pkill -f "$PORT_CONFIG" 2>/dev/null || true
  kill "$FAKES_PID" 2>/dev/null || true
  rm -f "$PORT_CONFIG" "$DESTINATIONS_CONFIG"
}
trap cleanup EXIT

for i in $(seq 1 180); do
  if curl -fsS "$BASE_URL/api/postmortems/health" >/dev/null 2>&1 && curl -fsS "$BASE_URL/" >/dev/null 2>&1; then
    echo "[e2e] backend ready after ${i}s" >&2
    break
  fi
  if ! kill -0 "$BACKEND_PID" 2>/dev/null; then
    echo "[e2e] backend exited:" >&2; tail -50 "$LOG" >&2; exit 1
  fi
  sleep 1
done

# Lunr answers 500 until each search index has been built once; the tests
# search, so they start after the first indexing of both document types.
for i in $(seq 1 120); do
  if grep -q 'Collating documents for postmortem succeeded' "$LOG" &&
    grep -q 'Collating documents for software-catalog succeeded' "$LOG"; then
    echo "[e2e] search indexes built after ${i}s more" >&2
    break
  fi
  sleep 1
done

E2E_BASE_URL="$BASE_URL" node --test \
  --test-reporter=spec --test-reporter-destination=stdout \
  --test-reporter=tap --test-reporter-destination="$TAP_REPORT" \
  ${E2E_TESTS:-e2e/*.test.mjs}
