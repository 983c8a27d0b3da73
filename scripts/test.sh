#!/usr/bin/env bash
# Runs the whole test suite: type check, lint, every package's unit and
# integration tests (backend tests on SQLite and on a real PostgreSQL server),
# and the end-to-end test in headless Chromium. Ends with one summary line.
set -euo pipefail
cd "$(dirname "$0")/.."
export CI=true
source scripts/node-env.sh
yarn install --immutable

source scripts/ensure-postgres.sh
export BACKSTAGE_TEST_DISABLE_DOCKER=1
# Backend tests must not silently skip PostgreSQL when the variable above is missing.
export POSTMORTEMS_REQUIRE_POSTGRES=1

REPORTS="$(mktemp -d)"
trap 'rm -rf "$REPORTS"' EXIT

echo "== type check"
yarn tsc

echo "== lint"
yarn backstage-cli repo lint

echo "== unit and integration tests"
unit_status=0
yarn backstage-cli repo test --json --outputFile="$REPORTS/jest.json" || unit_status=$?

echo "== end-to-end tests"
e2e_status=0
bash scripts/e2e.sh "$REPORTS/e2e.tap" || e2e_status=$?

node scripts/test-summary.mjs "$REPORTS/jest.json" "$REPORTS/e2e.tap"
[ "$unit_status" = 0 ] && [ "$e2e_status" = 0 ]
