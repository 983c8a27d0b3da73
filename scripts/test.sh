#!/usr/bin/env bash
# Runs the whole test suite: type check, lint, every package's unit and
# integration tests (backend tests on SQLite and on a real PostgreSQL server),
# the end-to-end test in headless Chromium, the publishing checks (package
# metadata, API reports, dependencies) and the adoption test (the packed
# packages installed into a fresh create-app portal as their READMEs say).
# Ends with one summary line.
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

# Metadata, API reports and declared dependencies of the published packages;
# the type check above wrote the declarations the API reports read.
echo "== publishing checks"
publish_status=0
yarn backstage-cli repo fix --publish --check || publish_status=$?
node scripts/check-package-metadata.mjs || publish_status=$?
yarn build:api-reports:only --ci || publish_status=$?
yarn deps:check || publish_status=$?

echo "== unit and integration tests"
unit_status=0
yarn backstage-cli repo test --json --outputFile="$REPORTS/jest.json" || unit_status=$?

echo "== end-to-end tests"
e2e_status=0
bash scripts/e2e.sh "$REPORTS/e2e.tap" || e2e_status=$?

echo "== adoption test"
adoption_status=0
bash scripts/adoption-test.sh || adoption_status=$?
# The packs above built every dist: check what each one imports.
node scripts/check-dist-deps.mjs || publish_status=$?

[ "$publish_status" = 0 ] && echo "publishing checks: passed" || echo "publishing checks: FAILED"
[ "$adoption_status" = 0 ] && echo "adoption test: passed" || echo "adoption test: FAILED"
node scripts/test-summary.mjs "$REPORTS/jest.json" "$REPORTS/e2e.tap"
[ "$unit_status" = 0 ] && [ "$e2e_status" = 0 ] && [ "$publish_status" = 0 ] && [ "$adoption_status" = 0 ]
