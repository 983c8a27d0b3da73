#!/usr/bin/env bash
# Starts the product locally: the Backstage app on http://localhost:3000 and the
# backend on http://localhost:7007, on the embedded SQLite database with demo
# incidents. Sign in as guest. No API keys needed.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/node-env.sh
yarn install --immutable
exec yarn start "$@"
