#!/usr/bin/env bash
# tests/browser/run.sh - run ui.test.js (CTest browser.ui); exit 77 (skipped) when node,
# Debian's chromium or tests/browser/node_modules/playwright-core (scripts/setup) is missing.
# Usage: tests/browser/run.sh CREST_BINARY ARTIFACTS_DIR
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
chromium=${CR_CHROMIUM:-/usr/bin/chromium}
command -v node >/dev/null || { echo "browser.ui: node is not installed (scripts/setup)" >&2; exit 77; }
[ -x "$chromium" ] || { echo "browser.ui: $chromium is not installed (scripts/setup)" >&2; exit 77; }
[ -d "$here/node_modules/playwright-core" ] ||
    { echo "browser.ui: run npm ci --prefix tests/browser (scripts/setup)" >&2; exit 77; }
exec node "$here/${CR_BROWSER_TEST:-ui.test.js}" "$@"
