#!/usr/bin/env bash
# `npm start`: set up what is missing, then run the server (PORT defaults to 3000; DATA_DIR to .data/).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export PORT="${PORT:-3000}"
# The task pane is served from dist/addin: build it when missing or older than its sources.
if [ ! -f dist/addin/taskpane.js ] || [ -n "$(find addin engine templates data -newer dist/addin/taskpane.js -name '*.ts' -o -newer dist/addin/taskpane.js -name '*.json' 2>/dev/null | head -1)" ]; then
  npm run --silent build:addin
fi
# The dashboard is served from dist/dashboard: rebuilt when older than server/dashboard.
npx tsx scripts/build-dashboard.ts --if-stale
# The server runs from its esbuild bundle (dist/runtime/server.mjs), rebuilt when older than its sources.
node scripts/build-runtime.mjs --if-stale
exec node dist/runtime/server.mjs
