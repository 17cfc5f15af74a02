#!/usr/bin/env bash
# Starts the local PostgreSQL (Debian package) and prints a DATABASE_URL for a fresh test database.
# Prints nothing when PostgreSQL is not installed (the PostgreSQL tests then report themselves skipped).
set -uo pipefail
command -v pg_ctlcluster >/dev/null 2>&1 || exit 0
if ! pg_lsclusters -h 2>/dev/null | grep -q online; then
  (service postgresql start || pg_ctlcluster 15 main start) >/dev/null 2>&1 || true
fi
for _ in $(seq 1 30); do pg_isready -q 2>/dev/null && break; sleep 1; done
pg_isready -q 2>/dev/null || exit 0
SU="su postgres -c"; [ "$(id -u)" -ne 0 ] && SU="sudo -u postgres sh -c"
$SU "psql -qtc \"DO \\\$\\\$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname='phuluc') THEN CREATE ROLE phuluc LOGIN PASSWORD 'phuluc' CREATEDB; END IF; END \\\$\\\$;\"" >/dev/null 2>&1
$SU "dropdb --if-exists phuluc_test" >/dev/null 2>&1
$SU "createdb -O phuluc phuluc_test" >/dev/null 2>&1
echo "postgres://phuluc:phuluc@127.0.0.1:5432/phuluc_test"
