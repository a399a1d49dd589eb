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

# The backend the store tests run on: sqlite (default) or pg (CR_TEST_BACKEND=pg, with the
# cluster scripts/test started: CR_TEST_PG_HOST, CR_TEST_PG_PORT, CR_TEST_PG_USER).
BACKEND=${CR_TEST_BACKEND:-sqlite}
PG_DBS=()
if [ "$BACKEND" = pg ]; then
    if [ -z "${CR_TEST_PG_HOST:-}" ]; then
        echo "$(basename "$0"): no PostgreSQL test cluster (run through scripts/test)" >&2
        exit 77
    fi
    trap 'for d in "${PG_DBS[@]}"; do psql -q -h "$CR_TEST_PG_HOST" -p "$CR_TEST_PG_PORT" \
        -U "$CR_TEST_PG_USER" -d postgres -c "DROP DATABASE IF EXISTS $d" >/dev/null 2>&1; done;
        rm -rf "$WORK"' EXIT
fi

# new_db NAME: the URL of a new, empty store for this test.
new_db() {
    if [ "$BACKEND" = pg ]; then
        local d="crest_t_$$_$1"
        psql -q -h "$CR_TEST_PG_HOST" -p "$CR_TEST_PG_PORT" -U "$CR_TEST_PG_USER" -d postgres \
            -c "CREATE DATABASE $d" >/dev/null
        PG_DBS+=("$d")
        echo "postgres://$CR_TEST_PG_USER@/$d?host=$CR_TEST_PG_HOST&port=$CR_TEST_PG_PORT"
    else
        echo "sqlite:$WORK/$1.db"
    fi
}

# A digest of every table of a store (crest db checksum: typed values in key order, the same
# on every backend), to prove that a command changed nothing.
db_digest() {
    "$CREST" --db "$1" db checksum | sha256sum | cut -d' ' -f1
}

# JSON field of a flat object printed by crest --json (no jq on a fresh machine).
json_num() {
    grep -o "\"$1\": *[0-9.]*" | head -1 | sed 's/.*: *//'
}

# expect_serve_refuses OPTION MESSAGE VALUE...: `crest serve OPTION VALUE` exits 3 before
# anything listens, its message holding MESSAGE (uses $DB)
expect_serve_refuses() {
    local opt=$1 msg=$2 bad out rc
    shift 2
    for bad in "$@"; do
        set +e
        out=$("$CREST" --db "$DB" serve --listen 127.0.0.1:0 "$opt" "$bad" 2>&1)
        rc=$?
        set -e
        expect_eq "$opt '$bad' exit code" 3 "$rc"
        expect_contains "$opt '$bad' message" "$msg" "$out"
    done
}

finish() {
    if [ "$FAILS" -ne 0 ]; then
        echo "$(basename "$0"): $FAILS of $((CHECKS + FAILS)) checks failed" >&2
        exit 1
    fi
    echo "$(basename "$0"): all $CHECKS checks passed"
    exit 0 # the end of the test, wherever it is called (model.sh stops early under ASan)
}
