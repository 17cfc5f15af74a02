#!/usr/bin/env bash
# `npm test`: set up what is missing, then run every test (engine, io, CLI, server on SQLite and
# PostgreSQL, dashboard and add-ins in headless Chromium, documents through LibreOffice).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
if [ -z "${TEST_DATABASE_URL:-}" ]; then
  TEST_DATABASE_URL="$(bash scripts/pg-test.sh || true)"
  export TEST_DATABASE_URL
fi
[ -n "$TEST_DATABASE_URL" ] && echo "tests: PostgreSQL at ${TEST_DATABASE_URL%%@*}@…" || echo "tests: no PostgreSQL; its tests are skipped"
# Types per layer (tsconfig.json lists the projects; the engine has no DOM or Node types).
npm run --silent typecheck
# The CLI and server tests run the built bundles as users do.
node scripts/build-runtime.mjs --if-stale
npm run --silent lint
npx vitest run "$@"
