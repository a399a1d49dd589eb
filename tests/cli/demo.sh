#!/usr/bin/env bash
# tests/cli/demo.sh - `crest demo` builds a realistic workspace, deterministically.
. "$(dirname "$0")/lib.sh"
DB="$WORK/demo.db"
export CREST_DB="sqlite:$DB"

out=$("$CREST" demo)
expect_contains "demo summary" "creators" "$out"
expect_contains "demo next steps" "crest creators list" "$out"
list=$("$CREST" creators list --json)
n=$(echo "$list" | grep -c '"handle":')
[ "$n" -ge 300 ] && ok || fail "demo has $n creators, expected >= 300"
for p in instagram tiktok youtube; do
    expect_contains "platform $p" "\"platform\": \"$p\"" "$list"
done
for t in nano micro mid macro mega; do
    expect_contains "tier $t" "\"tier\": \"$t\"" "$list"
done
stats=$("$CREST" db stats --json)
snaps=$(echo "$stats" | json_num creator_snapshot)
[ "$snaps" -ge $((300 * 90)) ] && ok || fail "only $snaps snapshots for 90 days"
for t in post post_metric comment campaign campaign_kpi partnership; do
    v=$(echo "$stats" | json_num "$t")
    [ "${v:-0}" -gt 0 ] && ok || fail "demo left $t empty"
done
expect_eq "one campaign per goal type" 5 "$(echo "$stats" | json_num campaign)"
js=$("$CREST" demo --json)
spiked=$(echo "$js" | json_num spiked_creators)
[ "${spiked:-0}" -gt 0 ] && ok || fail "no creator with a bought-follower spike"
# same seed, same workspace: a second run changes nothing
before=$(db_digest "$DB")
"$CREST" -q demo >/dev/null
expect_eq "demo is idempotent" "$before" "$(db_digest "$DB")"
# a different seed into another file gives different data
"$CREST" -q demo --seed 7 --db "sqlite:$WORK/other.db" >/dev/null
[ "$(db_digest "$WORK/other.db")" != "$before" ] && ok || fail "--seed has no effect"
finish
