#!/usr/bin/env bash
# tests/cli/demo.sh - `crest demo` builds a realistic workspace, deterministically.
. "$(dirname "$0")/lib.sh"
DB=$(new_db demo)
export CREST_DB="$DB"

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
for t in post post_metric comment campaign campaign_kpi partnership web_session shop_order lead \
    mention; do
    v=$(echo "$stats" | json_num "$t")
    [ "${v:-0}" -gt 0 ] && ok || fail "demo left $t empty"
done
expect_eq "one campaign per goal type" 5 "$(echo "$stats" | json_num campaign)"
goals=$("$CREST" campaign list --json | grep -o '"primary_goal": "[a-z]*"' | cut -d'"' -f4 | sort | tr '\n' ' ')
expect_eq "the five goal types" "awareness engagement leads sales traffic " "$goals"
# campaign progress shows each of them with measured KPIs
for id in 1 2 3 4 5; do
    p=$("$CREST" campaign progress "$id" --json)
    n=$(echo "$p" | grep -c '"status": "\(on-track\|at-risk\|off-track\)"')
    [ "$n" -ge 1 ] && ok || fail "campaign $id: no KPI measured against a target: $p"
done
expect_contains "demo admin account" '"email": "admin@demo.example"' "$("$CREST" user list --json)"
expect_contains "demo prints how to log in" "admin@demo.example / crest-demo-admin" "$out"
js=$("$CREST" demo --json)
expect_contains "demo admin in json" '"password": "crest-demo-admin"' "$js"
spiked=$(echo "$js" | json_num spiked_creators)
[ "${spiked:-0}" -gt 0 ] && ok || fail "no creator with a bought-follower spike"
# same seed, same workspace: a second run changes nothing
before=$(db_digest "$DB")
"$CREST" -q demo >/dev/null
expect_eq "demo is idempotent" "$before" "$(db_digest "$DB")"
# a different seed into another file gives different data
other=$(new_db other)
"$CREST" -q demo --seed 7 --db "$other" >/dev/null
[ "$(db_digest "$other")" != "$before" ] && ok || fail "--seed has no effect"
# baselines from the brands' history, then the traffic campaign's progress uses them
b=$("$CREST" baseline compute 3 --json)
expect_contains "baseline from history" '"filled": true' "$b"
expect_contains "progress with a baseline" '"baseline": ' "$("$CREST" campaign progress 3 --json | grep -v null)"
finish
