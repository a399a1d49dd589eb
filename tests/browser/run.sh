#!/usr/bin/env bash
# tests/browser/run.sh - run ui.test.js (CTest browser.ui) or CR_BROWSER_TEST; exit 77 (skipped) when node,
# Debian's chromium or tests/browser/node_modules/playwright-core (scripts/setup) is missing.
# Usage: tests/browser/run.sh CREST_BINARY ARTIFACTS_DIR
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
chromium=${CR_CHROMIUM:-/usr/bin/chromium}
command -v node >/dev/null || { echo "browser.ui: node is not installed (scripts/setup)" >&2; exit 77; }
[ -x "$chromium" ] || { echo "browser.ui: $chromium is not installed (scripts/setup)" >&2; exit 77; }
[ -d "$here/node_modules/playwright-core" ] ||
    { echo "browser.ui: run npm ci --prefix tests/browser (scripts/setup)" >&2; exit 77; }
# CR_TEST_BACKEND=pg (browser.*.pg): the same test on a new database of the PostgreSQL test
# cluster of scripts/test (CR_TEST_PG_HOST, _PORT, _USER), dropped afterwards
if [ "${CR_TEST_BACKEND:-sqlite}" = pg ]; then
    [ -n "${CR_TEST_PG_HOST:-}" ] ||
        { echo "browser: no PostgreSQL test cluster (scripts/test starts one)" >&2; exit 77; }
    pgdb="crest_browser_$$"
    psql=(psql -q -h "$CR_TEST_PG_HOST" -p "$CR_TEST_PG_PORT" -U "$CR_TEST_PG_USER" -d postgres)
    "${psql[@]}" -c "CREATE DATABASE $pgdb" >/dev/null || exit 1
    export CR_BROWSER_DB="postgres://$CR_TEST_PG_USER@/$pgdb?host=$CR_TEST_PG_HOST&port=$CR_TEST_PG_PORT"
    node "$here/${CR_BROWSER_TEST:-ui.test.js}" "$@"
    rc=$?
    "${psql[@]}" -c "DROP DATABASE IF EXISTS $pgdb WITH (FORCE)" >/dev/null
    exit $rc
fi
exec node "$here/${CR_BROWSER_TEST:-ui.test.js}" "$@"
