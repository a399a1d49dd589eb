#!/usr/bin/env bash
# tests/cli/cli.sh - the command surface: --help and exit codes for every command.
. "$(dirname "$0")/lib.sh"
CREST_DB=$(new_db t)
export CREST_DB

expect_contains "--version" "crest " "$("$CREST" --version)"
expect_contains "version --json" '"crest":' "$("$CREST" version --json)"
expect_contains "help lists import" "import" "$("$CREST" --help)"
for c in "init" "import" "creators" "creators list" "creators show" "posts" "posts list" "demo" \
    "db" "db stats" "version" "help"; do
    set +e
    out=$("$CREST" $c --help 2>&1)
    code=$?
    set -e
    expect_eq "$c --help exit" 0 "$code"
    expect_contains "$c --help usage" "usage: crest" "$out"
    expect_contains "$c help command" "usage: crest" "$("$CREST" help $c)"
done
set +e
"$CREST" >/dev/null 2>&1; expect_eq "no command" 2 $?
"$CREST" frobnicate >/dev/null 2>&1; expect_eq "unknown command" 2 $?
"$CREST" creators >/dev/null 2>&1; expect_eq "group without subcommand" 2 $?
"$CREST" creators list --bogus >/dev/null 2>&1; expect_eq "unknown option" 2 $?
"$CREST" creators list --min-followers lots >/dev/null 2>&1; expect_eq "bad option value" 2 $?
"$CREST" creators list --sort size >/dev/null 2>&1; expect_eq "bad sort" 2 $?
"$CREST" posts list --since yesterday >/dev/null 2>&1; expect_eq "bad date option" 2 $?
"$CREST" import creators >/dev/null 2>&1; expect_eq "missing FILE" 2 $?
if grep -q '^CREST_HAVE_POSTGRES:INTERNAL=1' "$(dirname "$CREST")/CMakeCache.txt" 2>/dev/null; then
    "$CREST" --db "postgres://nobody:secret@/x?host=/nonexistent" creators list >/dev/null 2>"$WORK/err"
    expect_eq "unreachable PostgreSQL" 1 $?
    case "$(cat "$WORK/err")" in *secret*) fail "the password is shown: $(cat "$WORK/err")" ;; *) ok ;; esac
else
    "$CREST" --db "postgres://localhost/x" creators list >/dev/null 2>&1; expect_eq "no pg backend" 3 $?
fi
set -e
kinds=$("$CREST" import --kinds)
for k in creators snapshots posts metrics comments; do
    expect_contains "kinds lists $k" "$k:" "$kinds"
done
expect_contains "kinds json" '"required": true' "$("$CREST" import --kinds --json)"
# a store from a newer crest is refused, and opening an up-to-date one takes no write lock
# (a reader may open it while another process holds the write lock)
if [ "${CR_TEST_BACKEND:-sqlite}" = sqlite ] && command -v sqlite3 >/dev/null; then
    newer="$WORK/newer.db"
    "$CREST" --db "sqlite:$newer" init >/dev/null
    sqlite3 "$newer" "INSERT INTO schema_migrations VALUES (999, 'migration 999', 0)"
    set +e
    "$CREST" --db "sqlite:$newer" creators list >/dev/null 2>"$WORK/err"
    expect_eq "newer schema refused" 1 $?
    set -e
    expect_contains "newer schema message" "schema version 999, newer than this crest knows" \
        "$(cat "$WORK/err")"
    locked="$WORK/locked.db"
    "$CREST" --db "sqlite:$locked" init >/dev/null
    # sqlite3 holds the write lock for longer than crest's busy timeout (10 s): an open that
    # wanted the lock would fail with "database is locked"; a read-only open goes through
    (printf 'BEGIN IMMEDIATE;\nCREATE TABLE hold (x);\n.shell sleep 30\nCOMMIT;\n' |
        sqlite3 "$locked" >/dev/null 2>&1) &
    sleep 1
    set +e
    out=$("$CREST" --db "sqlite:$locked" creators list --json 2>&1)
    expect_eq "open beside a writer" 0 $?
    set -e
    expect_eq "open beside a writer lists" "[]" "$(printf '%s' "$out" | tr -d ' \n')"
    pkill -f "sqlite3 $locked" || true
    wait
fi
finish
