#!/usr/bin/env bash
# tools/checksrc.sh - source rules a compiler does not check (curl's checksrc idea):
#  - raw allocation and unbounded string functions are banned outside src/util/alloc.c
#    (everything allocates through cr_malloc & co., so tests can make it fail);
#  - every C file opens with the SPDX header;
#  - C files are clang-formatted (.clang-format), when clang-format is installed.
# Usage: tools/checksrc.sh [ROOT]
set -uo pipefail
cd "${1:-$(dirname "$0")/..}"
bad=0
files=$(git ls-files 'src/*.c' 'src/*.h' 'include/*.h' 'tests/*.c' 'bench/*.c' 2>/dev/null ||
    find src include tests bench -name '*.[ch]')
for f in $files; do
    [ -f "$f" ] || continue
    if ! head -1 "$f" | grep -q 'SPDX-License-Identifier'; then
        echo "$f:1: missing the SPDX header line"
        bad=1
    fi
    case "$f" in src/util/alloc.c | bench/* | tests/*) continue ;; esac
    if grep -nE '(^|[^_a-z])(malloc|calloc|realloc|strdup|strndup)\(|(^|[^a-z_])(strcpy|strcat|sprintf|vsprintf|atoi|atol|strtok|gets)\(' "$f" |
        grep -vE 'cr_(malloc|calloc|realloc|strdup|strndup)\(|snprintf|vsnprintf' |
        grep -v 'checksrc: allow'; then
        echo "$f: banned function (use cr_malloc/cr_strdup/snprintf/strtol; see docs/conventions.md)"
        bad=1
    fi
done
if command -v clang-format >/dev/null 2>&1; then
    for f in $files; do
        [ -f "$f" ] || continue
        if ! clang-format --dry-run -Werror "$f" >/dev/null 2>&1; then
            echo "$f: not clang-formatted (run clang-format -i $f)"
            bad=1
        fi
    done
fi
[ $bad -eq 0 ] && echo "checksrc: ok"
exit $bad
