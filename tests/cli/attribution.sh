#!/usr/bin/env bash
# tests/cli/attribution.sh - post-level attribution end to end: the profile fixtures of
# tests/fixtures/exports/ (GA4 sessions, Shopify orders, form leads) against a campaign with
# three partnerships and one post carrying a tracking link, under a 7-day and then a 30-day
# window; `crest attribution` read back and checked against values worked out by hand; the
# kept-up rollups equal a rebuild (`crest db refresh`); a store migrated with data gets its
# rollups at the next open.
. "$(dirname "$0")/lib.sh"
EXP="$HERE/../fixtures/exports"
DB=$(new_db t)
export CREST_DB="$DB"

"$CREST" -q init >/dev/null
"$CREST" -q import creators "$FIX/creators.csv" >/dev/null
cat >"$WORK/spring.yaml" <<'YAML'
name: Spring launch
brand: Acme Running
period: { start: 2026-03-01, end: 2026-03-31 }
budget: 20000 USD
primary_goal: sales
attribution_window: 7 days
objective: Sell the Acme Swift to runners through three creators' codes and links in March
kpis:
  - { code: attributed_revenue, role: primary, target: 2000 USD }
  - { code: roas, role: primary, target: 1.5x }
partnerships:
  - { creator: instagram/maya.runs, fee: 3000 USD, promo_code: MAYA15, utm_content: maya_spring }
  - { creator: tiktok/leo.cooks, fee: 5000 USD, promo_code: LEO10, utm_content: leo_spring }
  - { creator: youtube/techwithtara, fee: 4000 USD, utm_content: tara_spring }
YAML
"$CREST" -q campaign create "$WORK/spring.yaml" >/dev/null
expect_contains "window saved" '"attribution_window_days": 7' "$("$CREST" campaign show 1 --json)"
# maya's post with her tracking link, 2026-03-01 08:00 UTC
cat >"$WORK/posts.csv" <<'CSV'
platform,post_id,handle,posted_at,url,utm_content
instagram,ig_spring_1,maya.runs,2026-03-01T08:00:00Z,https://www.instagram.com/p/spring1/,maya_spring
CSV
"$CREST" -q import posts "$WORK/posts.csv" >/dev/null
for k in ga4 shopify leads; do
    "$CREST" -q import "$k" "$EXP/$k.csv" >/dev/null
done

# field FILTER: a value out of `crest attribution --json` (python3 is on every Debian).
field() {
    python3 -c "import json,sys; d=json.load(sys.stdin); print($1)"
}
P='[p for p in d["partnerships"] if p["creator"]=="instagram/maya.runs"][0]'
L='[p for p in d["partnerships"] if p["creator"]=="tiktok/leo.cooks"][0]'
T='[p for p in d["partnerships"] if p["creator"]=="youtube/techwithtara"][0]'

a=$("$CREST" attribution "Spring launch" --json)
# the days: 2026-03-01 .. end + 7 days = 2026-04-07
expect_eq "days from" "2026-03-01" "$(echo "$a" | field 'd["since"]')"
expect_eq "days to" "2026-04-07" "$(echo "$a" | field 'd["until"]')"
# maya: sessions 03-02 (1,204) in her post's 7 days -> the post; 03-10 (300) after them ->
# the partnership; lead sub_01 (03-02 12:00) -> the post, sub_05 (03-09) -> the partnership;
# order #1001 (code MAYA15, 03-02 15:15 UTC, 134.60) -> the post, by code
expect_eq "maya sessions to the post" 1204 "$(echo "$a" | field "$P['sessions']['to_posts']")"
expect_eq "maya sessions to the partnership" 300 \
    "$(echo "$a" | field "$P['sessions']['to_partnership']")"
expect_eq "maya leads to the post" 1 "$(echo "$a" | field "$P['leads']['to_posts']")"
expect_eq "maya leads to the partnership" 1 "$(echo "$a" | field "$P['leads']['to_partnership']")"
expect_eq "maya orders to the post" 1 "$(echo "$a" | field "$P['orders']['to_posts']")"
expect_eq "maya revenue" 13460 "$(echo "$a" | field "$P['revenue_minor']")"
# leo: no post with his link before them: sessions 03-03 (950), leads sub_02 and sub_03, order
# #1002 (first of "LEO10, FREESHIP", 1,249.99) all go to the partnership
expect_eq "leo sessions" 950 "$(echo "$a" | field "$L['sessions']['to_partnership']")"
expect_eq "leo leads" 2 "$(echo "$a" | field "$L['leads']['to_partnership']")"
expect_eq "leo orders" 1 "$(echo "$a" | field "$L['orders']['to_partnership']")"
expect_eq "leo revenue" 124999 "$(echo "$a" | field "$L['revenue_minor']")"
# tara: sessions 03-04 (400); order #1003 by its landing page's utm_content (80.00)
expect_eq "tara sessions" 400 "$(echo "$a" | field "$T['sessions']['to_partnership']")"
expect_eq "tara orders" 1 "$(echo "$a" | field "$T['orders']['to_partnership']")"
expect_eq "tara revenue" 8000 "$(echo "$a" | field "$T['revenue_minor']")"
# methods: sessions 1,204 + 300 + 950 + 400 = 2,854 by link; orders 2 by code, 1 by landing
expect_eq "sessions by link" 2854 "$(echo "$a" | field 'd["by_method"]["sessions"]["utm"]')"
expect_eq "orders by code" 2 "$(echo "$a" | field 'd["by_method"]["orders"]["code"]')"
expect_eq "orders by landing" 1 "$(echo "$a" | field 'd["by_method"]["orders"]["landing_utm"]')"
expect_eq "leads by link" 4 "$(echo "$a" | field 'd["by_method"]["leads"]["utm"]')"
# unattributed, with why: google/organic 3,100 + direct 1,500 sessions; lead sub_04; order
# #1004 with WELCOME5, nobody's code (45.50)
U='{(u["kind"],u["reason"]):(u["units"],u["value_minor"]) for u in d["unattributed"]}'
expect_eq "unattributed sessions" "(4600, 0)" \
    "$(echo "$a" | field "$U[('sessions','no utm_content')]")"
expect_eq "unattributed lead" "(1, 0)" "$(echo "$a" | field "$U[('leads','no utm_content')]")"
expect_eq "unattributed order" "(1, 4550)" \
    "$(echo "$a" | field "$U[('orders','unknown discount code')]")"
human=$("$CREST" attribution 1)
expect_contains "human: a partnership" "instagram/maya.runs" "$human"
expect_contains "human: the reason" "unknown discount code" "$human"

# a 30-day window: the 03-10 sessions and sub_05 now fall in the post's window
"$CREST" -q campaign edit "Spring launch" --attribution-window 30 >/dev/null
a=$("$CREST" attribution "Spring launch" --json)
expect_eq "30 days: maya sessions to the post" 1504 \
    "$(echo "$a" | field "$P['sessions']['to_posts']")"
expect_eq "30 days: none to the partnership" 0 \
    "$(echo "$a" | field "$P['sessions']['to_partnership']")"
expect_eq "30 days: leads to the post" 2 "$(echo "$a" | field "$P['leads']['to_posts']")"
expect_eq "30 days: days to" "2026-04-30" "$(echo "$a" | field 'd["until"]')"

# bad input
set +e
err=$("$CREST" campaign edit 1 --attribution-window 0 2>&1)
code=$?
set -e
expect_eq "window 0: usage" 2 "$code"
expect_contains "window 0: says why" "expected a number of days from 1 to 365" "$err"

# the rows kept up at import equal a rebuild from the raw rows
if [ "$BACKEND" != pg ]; then
    F="${DB#sqlite:}"
    dump() {
        sqlite3 "$F" "SELECT * FROM post_rollup ORDER BY post_id; SELECT * FROM metric_day
            ORDER BY post_id, date; SELECT id, post_id, partnership_id, attribution, unattributed
            FROM web_session ORDER BY id; SELECT id, post_id, partnership_id, attribution,
            unattributed FROM shop_order ORDER BY id;"
    }
    "$CREST" -q import posts "$FIX/posts.csv" >/dev/null
    "$CREST" -q import metrics "$FIX/metrics.csv" >/dev/null
    expect_eq "day rows kept up" 1 "$(sqlite3 "$F" "SELECT count(*) > 0 FROM metric_day")"
    before=$(dump)
    out=$("$CREST" db refresh)
    expect_contains "refresh says what it did" "re-derived" "$out"
    expect_eq "kept-up rows equal a rebuild" "$before" "$(dump)"
    # a store migrated with data (migration 4 leaves this setting) is re-derived when opened
    sqlite3 "$F" "DELETE FROM post_rollup; DELETE FROM metric_day; INSERT INTO setting
        (workspace_id, key, value, updated_at) VALUES (1, 'track.refresh', 'migration 4', 0);"
    "$CREST" -q db stats >/dev/null
    expect_eq "migrated store re-derived" "$before" "$(dump)"
    expect_eq "the request is gone" 0 \
        "$(sqlite3 "$F" "SELECT count(*) FROM setting WHERE key = 'track.refresh'")"
fi
finish
