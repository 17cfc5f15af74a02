#!/usr/bin/env bash
# `npm start`: set up what is missing, then run the server (PORT defaults to 3000; DATA_DIR to .data/).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export PORT="${PORT:-3000}"
exec npx tsx server/main.ts
