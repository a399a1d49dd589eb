#!/usr/bin/env bash
# tests/cli/bad_input.sh - every malformed file in bad-input/ gives exactly the error in its
# .expect file (exit code on the first line, then stderr) and leaves the store unchanged.
# Run with --update to rewrite the .expect files (then read every diff before committing).
. "$(dirname "$0")/lib.sh"
UPDATE=${2:-}

base=$(new_db base)
"$CREST" --db "$base" -q import creators "$FIX/creators.csv" >/dev/null
"$CREST" --db "$base" -q import posts "$FIX/posts.csv" >/dev/null
cd "$HERE/bad-input"
n=0
for csv in *.csv; do
    name=${csv%.csv}
    kind=$(cat "$name.kind")
    db=$(new_db "c${name%%-*}")
    "$CREST" -q db copy --from "$base" --to "$db" >/dev/null
    before=$(db_digest "$db")
    set +e
    err=$("$CREST" --db "$db" import "$kind" "$csv" 2>&1 >/dev/null)
    code=$?
    set -e
    actual=$(printf '%s\n%s\n' "exit $code" "$err")
    if [ "$UPDATE" == "--update" ]; then
        printf '%s\n' "$actual" >"$name.expect"
    else
        expect_eq "$name: message" "$(cat "$name.expect")" "$actual"
    fi
    expect_eq "$name: store unchanged" "$before" "$(db_digest "$db")"
    [ "$code" -ne 0 ] && ok || fail "$name: exit code 0 for a bad file"
    [ ! -e "$csv.rejects.csv" ] && ok || fail "$name: a rejects file without --partial"
    n=$((n + 1))
done
[ "$n" -ge 15 ] && ok || fail "only $n bad-input cases"
finish
