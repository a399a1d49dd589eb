#!/usr/bin/env bash
# tests/cli/import.sh - the five generic kinds end to end: import the fixtures, read them back
# through the CLI, re-import (nothing changes), --force, --partial with a rejects file, stdin.
. "$(dirname "$0")/lib.sh"
DB=$(new_db t)
export CREST_DB="$DB"

out=$("$CREST" init)
expect_contains "init" "schema version 10" "$out"
for k in creators snapshots posts metrics comments; do
    out=$("$CREST" -q import "$k" "$FIX/$k.csv")
    expect_contains "import $k" "imported" "$out"
done

counts=$("$CREST" db stats --json)
expect_eq "creators" 5 "$(echo "$counts" | json_num creator)"
expect_eq "snapshots" 5 "$(echo "$counts" | json_num creator_snapshot)"
expect_eq "posts" 4 "$(echo "$counts" | json_num post)"
expect_eq "metrics" 5 "$(echo "$counts" | json_num post_metric)"
expect_eq "comments" 3 "$(echo "$counts" | json_num comment)"
expect_eq "imports recorded" 5 "$(echo "$counts" | json_num import)"

# values as parsed: "48,200" -> 48200, "12.5K" -> 12500, "1.2M" -> 1200000, @Leo.Cooks -> leo.cooks
list=$("$CREST" creators list --json)
expect_contains "comma count" '"followers": 48200' "$list"
expect_contains "K count" '"followers": 12500' "$list"
expect_contains "M count" '"followers": 1200000' "$list"
expect_contains "handle normalised" '"handle": "leo.cooks"' "$list"
expect_contains "niches normalised" '"niches": "running,fitness"' "$list"
expect_eq "largest first" "leo.cooks" "$(echo "$list" | grep -o '"handle": "[^"]*"' | head -1 | cut -d'"' -f4)"

show=$("$CREST" creators show instagram/maya.runs --json)
expect_contains "show: posts" '"posts": 2' "$show"
# latest metrics only: ig_1001 at day 8 (19.9K reach, 1502+80+41+120) + ig_1002 (7600, 402+12+3+40)
expect_contains "show: reach of latest metrics" '"reach": 27500' "$show"
expect_contains "show: engagements" '"engagements": 2200' "$show"
expect_contains "show: growth" '"follower_growth": 0.02335456' "$show"
human=$("$CREST" creators show @maya.runs)
expect_contains "show by @handle" "instagram/maya.runs" "$human"
expect_contains "ER by reach" "ER by reach   8.00%" "$human"

posts=$("$CREST" posts list --creator instagram/maya.runs --json)
expect_contains "latest metric is the later capture" '"captured_at": "2026-07-08T07:30:00Z"' "$posts"
expect_contains "quoted caption with newline" 'Tempo Tuesday: 8 x 400 m.\nShoes: Acme Swift' "$posts"
tt=$("$CREST" posts list --platform tiktok --json)
expect_contains "offset converted to UTC" '"posted_at": "2026-07-01T10:00:00Z"' "$tt"
expect_contains "K counts in metrics" '"reach": 480000' "$tt"

# re-import: nothing changes, and says so
before=$(db_digest "$DB")
out=$("$CREST" import creators "$FIX/creators.csv")
expect_contains "re-import" "already imported as import #1" "$out"
expect_eq "re-import changes nothing" "$before" "$(db_digest "$DB")"
# --force goes through the upserts: rows identical, one more import recorded
"$CREST" -q import metrics "$FIX/metrics.csv" --force >/dev/null
expect_eq "--force keeps metrics" 5 "$("$CREST" db stats --json | json_num post_metric)"
expect_eq "--force records the import" 6 "$("$CREST" db stats --json | json_num import)"

# --partial: valid rows in, the bad one to FILE.rejects.csv with its line and reason
cp "$FIX/creators.csv" "$WORK/more.csv"
printf 'instagram,new.one,900,,,,,,,,\ninstagram,bad one,1000,,,,,,,,\ninstagram,new.two,2K,,,,,,,,\n' >>"$WORK/more.csv"
set +e
"$CREST" -q import creators "$WORK/more.csv" --partial >/dev/null 2>"$WORK/err"
code=$?
set -e
expect_eq "--partial exit code with rejects" 3 "$code"
expect_eq "--partial imported the valid rows" 7 "$("$CREST" db stats --json | json_num creator)"
rej=$(cat "$WORK/more.csv.rejects.csv")
expect_contains "rejects header" 'line,reason,"platform","handle","followers"' "$rej"
expect_contains "rejects row" '8,"' "$rej"
expect_contains "rejects reason" "handle: expected a handle" "$rej"
# fixing the rejects file and importing it works: its line and reason columns are ignored
sed -i 's/bad one/bad.one/g' "$WORK/more.csv.rejects.csv"
out=$("$CREST" import creators "$WORK/more.csv.rejects.csv" 2>&1)
expect_contains "rejects re-import" "imported 1 creators rows" "$out"
expect_contains "extra columns reported" "column 'line' is not part of creators" "$out"

# standard input, semicolons, JSON summary
printf 'handle;platform;followers\nsemi.colon;youtube;1.5K\n' | "$CREST" import creators - --json >"$WORK/j"
expect_contains "stdin json" '"rows_imported": 1' "$(cat "$WORK/j")"
expect_contains "stdin json ok" '"ok": true' "$(cat "$WORK/j")"

# errors that are not about the file's contents
set +e
"$CREST" import creators "$WORK/nope.csv" 2>"$WORK/err"; code=$?
expect_eq "missing file exit" 4 "$code"
expect_contains "missing file message" "nope.csv: cannot open: No such file or directory" "$(cat "$WORK/err")"
"$CREST" import widgets "$FIX/creators.csv" 2>"$WORK/err"; code=$?
expect_eq "unknown kind exit" 2 "$code"
"$CREST" creators show instagram/nobody 2>"$WORK/err"; code=$?
expect_eq "unknown creator exit" 4 "$code"
expect_contains "unknown creator message" "no creator instagram/nobody" "$(cat "$WORK/err")"
"$CREST" creators show nobody --json >"$WORK/out" 2>/dev/null; code=$?
expect_eq "json error exit" 4 "$code"
expect_contains "json error body" '"code": "not_found"' "$(cat "$WORK/out")"
if [ "$BACKEND" = sqlite ]; then
    "$CREST" --db "sqlite:$WORK" creators list 2>"$WORK/err"; code=$?
    expect_eq "db is a directory" 1 "$code"
fi
set -e
finish
