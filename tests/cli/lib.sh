# tests/cli/lib.sh - helpers for the CLI end-to-end tests (sourced, not run).
# Each test script gets the crest binary as $1 and works in a temp dir removed at exit.
set -euo pipefail

CREST=${1:?usage: $0 PATH/TO/crest}
case "$CREST" in /*) ;; *) CREST="$PWD/$CREST" ;; esac
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
FIX="$HERE/fixtures"
WORK=$(mktemp -d "${TMPDIR:-/tmp}/crest-cli.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
trap '[[ $- == *e* ]] && echo "FAIL: $(basename "$0"):$LINENO: command failed: $BASH_COMMAND" >&2' ERR
FAILS=0
CHECKS=0

fail() {
    echo "FAIL: $*" >&2
    FAILS=$((FAILS + 1))
}

ok() {
    CHECKS=$((CHECKS + 1))
}

# expect_eq WHAT EXPECTED ACTUAL
expect_eq() {
    if [ "$2" == "$3" ]; then ok; else fail "$1: expected [$2], got [$3]"; fi
}

# expect_contains WHAT NEEDLE HAYSTACK
expect_contains() {
    case "$3" in *"$2"*) ok ;; *) fail "$1: expected to find [$2] in [$3]" ;; esac
}

# A digest of everything in an SQLite store, to prove that a command changed nothing.
db_digest() {
    sqlite3 "$1" .dump | sha256sum | cut -d' ' -f1
}

# JSON field of a flat object printed by crest --json (no jq on a fresh machine).
json_num() {
    grep -o "\"$1\": *[0-9.]*" | head -1 | sed 's/.*: *//'
}

finish() {
    if [ "$FAILS" -ne 0 ]; then
        echo "$(basename "$0"): $FAILS of $((CHECKS + FAILS)) checks failed" >&2
        exit 1
    fi
    echo "$(basename "$0"): all $CHECKS checks passed"
}
