#!/usr/bin/env bash
# Idempotent set-up for a fresh Debian machine: system packages, npm dependencies, PostgreSQL for tests.
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v pg_ctlcluster >/dev/null 2>&1 || need+=(postgresql)
command -v soffice >/dev/null 2>&1 || need+=(libreoffice-writer-nogui libreoffice-calc-nogui)
command -v pdftotext >/dev/null 2>&1 || need+=(poppler-utils)
# Liberation 2.x: Times New Roman metrics WITH Vietnamese glyphs (1.x lacks them and LibreOffice falls back to DejaVu)
fc-list : file 2>/dev/null | grep -q liberation2 || need+=(fonts-liberation2)
# The benchmark's comparison script runs on Debian's python3 (a python3 earlier on PATH may be another build).
/usr/bin/python3 -c "import pandas, openpyxl" >/dev/null 2>&1 || need+=(python3-pandas python3-openpyxl)
if [ ${#need[@]} -gt 0 ]; then
  echo "setup: installing Debian packages: ${need[*]}"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "setup: installing npm packages"
  npm ci --no-audit --no-fund
fi
