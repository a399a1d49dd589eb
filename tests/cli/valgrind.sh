#!/usr/bin/env bash
# tests/cli/valgrind.sh - run CLI end-to-end tests with every crest command under valgrind
# memcheck: a wrapper takes the place of the binary, so each test script runs as it is.
# Any memory error and any leak (definite, indirect or possible) makes that crest run exit
# 99, which fails the test; the logs of the runs that failed are printed.
#
# Usage: tests/cli/valgrind.sh PATH/TO/crest TEST... (names of tests/cli/*.sh: import db ...)
# The PostgreSQL variants run when CR_TEST_BACKEND=pg and scripts/test's cluster is up.
set -uo pipefail
CREST=${1:?usage: $0 PATH/TO/crest TEST...}
shift
case "$CREST" in /*) ;; *) CREST="$PWD/$CREST" ;; esac
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
command -v valgrind >/dev/null 2>&1 || { echo "valgrind.sh: valgrind is not installed"; exit 77; }
WORK=$(mktemp -d "${TMPDIR:-/tmp}/crest-vg.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
mkdir "$WORK/logs"
cat >"$WORK/crest" <<EOF
#!/bin/sh
exec valgrind -q --tool=memcheck --error-exitcode=99 --leak-check=full \\
    --show-leak-kinds=definite,indirect,possible --errors-for-leak-kinds=definite,indirect,possible \\
    --log-file="$WORK/logs/%p.log" "$CREST" "\$@"
EOF
chmod +x "$WORK/crest"
# tests that look next to the binary for its build (cli.sh: was PostgreSQL built in?) find it
[ -e "$(dirname "$CREST")/CMakeCache.txt" ] && ln -s "$(dirname "$CREST")/CMakeCache.txt" "$WORK/"

passed=0 failed=0 runs=0
for t in "$@"; do
    s=$(date +%s)
    if bash "$HERE/$t.sh" "$WORK/crest" >"$WORK/$t.out" 2>&1; then
        passed=$((passed + 1))
        echo "valgrind: $t: passed in $(($(date +%s) - s))s"
    else
        rc=$?
        if [ "$rc" -eq 77 ]; then
            echo "valgrind: $t: skipped"
            continue
        fi
        failed=$((failed + 1))
        echo "valgrind: $t: FAILED (exit $rc) in $(($(date +%s) - s))s"
        tail -20 "$WORK/$t.out"
    fi
done
# every crest run left a log; a non-empty one holds a finding
for l in "$WORK"/logs/*.log; do
    [ -e "$l" ] || continue
    runs=$((runs + 1))
    if [ -s "$l" ]; then
        echo "valgrind: findings in $(basename "$l"):"
        head -60 "$l"
        failed=$((failed + 1))
    fi
done
echo "valgrind: $passed tests passed, $failed failed; $runs crest runs checked"
[ "$failed" -eq 0 ]
