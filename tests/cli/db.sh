#!/usr/bin/env bash
# tests/cli/db.sh - `crest db`: stats, check, checksum and copy. The demo workspace makes a
# round trip through another store (PostgreSQL when the test cluster is up, SQLite otherwise)
# and back, with every table's row count and digest equal at each step.
. "$(dirname "$0")/lib.sh"
A=$(new_db a)
"$CREST" -q demo --db "$A" >/dev/null
expect_contains "check" "ok (integrity and references)" "$("$CREST" db check --db "$A")"
expect_contains "checksum json" '"post_metric": {' "$("$CREST" db checksum --db "$A" --json)"

if [ -n "${CR_TEST_PG_HOST:-}" ]; then
    saved=$BACKEND; BACKEND=pg; MID=$(new_db mid); BACKEND=$saved
else
    MID="sqlite:$WORK/mid.db"
fi
BACK="sqlite:$WORK/back.db"
out=$("$CREST" -q db copy --from "$A" --to "$MID")
expect_contains "copy out verified" "copy verified" "$out"
out=$("$CREST" -q db copy --from "$MID" --to "$BACK" --json)
expect_contains "copy back verified" '"verified": true' "$out"
expect_eq "round trip: same digests" "$(db_digest "$A")" "$(db_digest "$BACK")"
expect_eq "round trip: same campaign progress" "$("$CREST" campaign progress 3 --db "$A" --json)" \
    "$("$CREST" campaign progress 3 --db "$BACK" --json)"
# the copy keeps ids, and new rows continue after them
"$CREST" -q campaign create --db "$MID" --name "After copy" --goal traffic \
    --kpi ctr:primary:1% --kpi referral_sessions:primary:100 --period 2027-Q1 >/dev/null 2>&1 || true
expect_contains "ids continue after a copy" '"id": 6' "$("$CREST" campaign show "After copy" --db "$MID" --json)"
set +e
"$CREST" db copy --from "$A" --to "$BACK" >/dev/null 2>"$WORK/err"; code=$?
set -e
expect_eq "copy into a store with data" 1 "$code"
expect_contains "copy refuses" "already holds data" "$(cat "$WORK/err")"
finish
