#!/usr/bin/env bash
# tests/cli/profiles.sh - the import profiles of real exports end to end: creators and a
# campaign with three partnerships first, then each fixture of tests/fixtures/exports/ (kind
# detected from the header, or named), then the totals read back through `crest posts`,
# `crest db stats` and the campaign's KPIs. Every expected value is worked out by hand from
# the fixtures in the comment above its check.
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
evaluation: 2026-04-30
budget: 20000 USD
primary_goal: sales
objective: Sell the Acme Swift to runners through three creators' codes and links in March
kpis:
  - { code: attributed_revenue, role: primary, target: 2000 USD }
  - { code: roas, role: primary, target: 1.5x }
  - { code: aov, role: primary, target: 60 USD }
  - { code: orders, role: contextual }
  - { code: referral_sessions, role: contextual }
  - { code: session_duration, role: contextual }
  - { code: bounce_rate, role: contextual }
  - { code: form_completions, role: contextual }
  - { code: lead_quality, role: contextual }
  - { code: mentions, role: contextual }
  - { code: share_of_voice, role: contextual }
  - { code: views, role: contextual }
  - { code: engagements, role: contextual }
partnerships:
  - { creator: instagram/maya.runs, fee: 3000 USD, product_cost: 200 USD, promo_code: MAYA15, utm_content: maya_spring }
  - { creator: tiktok/leo.cooks, fee: 5000 USD, promo_code: LEO10, utm_content: leo_spring }
  - { creator: youtube/techwithtara, fee: 4000 USD, utm_content: tara_spring }
YAML
"$CREST" -q campaign create "$WORK/spring.yaml" >/dev/null

# ---- detection: each fixture without a kind names the kind it picked ----------------------
for k in instagram tiktok ga4 shopify leads mentions; do
    out=$("$CREST" -q import "$EXP/$k.csv")
    expect_contains "$k: detected" "$k.csv: detected kind $k from the header" "$out"
done
j=$("$CREST" import auto "$EXP/youtube.csv" --creator @techwithtara --captured-at 2026-03-31T12:00:00Z --json)
expect_contains "youtube: detected in json" '"detected": true' "$j"
expect_contains "youtube: kind in json" '"kind": "youtube"' "$j"
# the Total row is read and skipped: 3 rows read, 2 videos
expect_contains "youtube: rows read" '"rows_read": 3' "$j"
expect_contains "youtube: total row skipped" '"rows_skipped": 1' "$j"
expect_contains "youtube: unknown column reported" '"Impressions click-through rate (%)"' "$j"

counts=$("$CREST" db stats --json)
# posts: 3 instagram + 3 tiktok + 2 youtube; one snapshot each
expect_eq "posts" 8 "$(echo "$counts" | json_num post)"
expect_eq "metric snapshots" 8 "$(echo "$counts" | json_num post_metric)"
# ga4: 6 rows (the preamble is not data); shopify: #1001..#1004, their line items not again
expect_eq "web sessions" 6 "$(echo "$counts" | json_num web_session)"
expect_eq "orders" 4 "$(echo "$counts" | json_num shop_order)"
expect_eq "leads" 5 "$(echo "$counts" | json_num lead)"
expect_eq "mentions" 6 "$(echo "$counts" | json_num mention)"
# creators + 7 exports
expect_eq "imports" 8 "$(echo "$counts" | json_num import)"

# ---- platform exports: values as parsed -----------------------------------------------------
ig=$("$CREST" posts list --platform instagram --json)
expect_contains "ig: MM/DD/YYYY time" '"posted_at": "2026-03-02T09:15:00Z"' "$ig"
expect_contains "ig: post type IG reel" '"format": "reel"' "$ig"
expect_contains "ig: thousands" '"views": 21004' "$ig"
expect_contains "ig: quoted caption" 'two gels, one \"wall\"' "$ig"
# Views 12,480 + 7,305 + 21,004 = 40,789; Reach 9,120 + 5,010 + 15,880 = 30,010
expect_eq "ig: views total" 40789 "$(echo "$ig" | grep -o '"views": [0-9]*' | awk '{s+=$2} END {print s}')"
expect_eq "ig: reach total" 30010 "$(echo "$ig" | grep -o '"reach": [0-9]*' | awk '{s+=$2} END {print s}')"
# Comments 41 + (empty: unknown) + 95 = 136, the empty cell stays null
expect_eq "ig: comments total" 136 "$(echo "$ig" | grep -o '"comments": [0-9]*' | awk '{s+=$2} END {print s}')"
expect_contains "ig: empty cell unknown" '"comments": null' "$ig"

tt=$("$CREST" posts list --platform tiktok --json)
expect_contains "tt: id from the link" '"post_id": "7340000000000000002"' "$tt"
expect_contains "tt: handle from the link" '"handle": "leo.cooks"' "$tt"
expect_contains "tt: utm_content from the link" '"utm_content": "leo_spring"' "$tt"
expect_contains "tt: month-name date" '"posted_at": "2026-03-10T00:00:00Z"' "$tt"
# Total views 482,900 + 61,870 + 12.5K = 557,270
expect_eq "tt: views total" 557270 "$(echo "$tt" | grep -o '"views": [0-9]*' | awk '{s+=$2} END {print s}')"
# Total play time 2h 15m 30s = 8,130 s and 45:10 = 2,710 s; the third is empty
expect_eq "tt: watch seconds" 10840 "$(echo "$tt" | grep -o '"watch_seconds": [0-9]*' | awk '{s+=$2} END {print s}')"

yt=$("$CREST" posts list --platform youtube --json)
# Watch time (hours) 3,810.25 x 3600 = 13,716,900 and 1,400.15 x 3600 = 5,040,540
expect_contains "yt: watch hours to seconds" '"watch_seconds": 13716900' "$yt"
expect_contains "yt: watch hours to seconds" '"watch_seconds": 5040540' "$yt"
expect_contains "yt: --captured-at" '"captured_at": "2026-03-31T12:00:00Z"' "$yt"
expect_contains "yt: url from the id" '"url": "https://www.youtube.com/watch?v=aB3dE5fG7h1"' "$yt"
# Impressions 902,000 + 348,000 = 1,250,000 (the Total row says the same and is not counted)
expect_eq "yt: impressions" 1250000 "$(echo "$yt" | grep -o '"impressions": [0-9]*' | awk '{s+=$2} END {print s}')"

# ---- the campaign's KPIs over what was imported ------------------------------------------
prog=$("$CREST" campaign progress "Spring launch" --as-of 2026-03-31 --json)
kpi() { echo "$prog" | grep -A4 "\"code\": \"$1\"" | grep -o '"actual": [-0-9.e]*' | sed 's/.*: //'; }
# orders by code or landing utm: #1001 MAYA15 134.60, #1002 "LEO10, FREESHIP" -> LEO10 1,249.99,
# #1003 landing ?utm_content=tara_spring 80.00; #1004 WELCOME5 is nobody's
# revenue 13,460 + 124,999 + 8,000 = 146,459 minor
expect_eq "attributed revenue" "146459.0" "$(kpi attributed_revenue)"
expect_eq "attributed orders" "3.0" "$(kpi orders)"
# AOV 146,459 / 3 = 48,819.67
expect_eq "aov" "48819.66667" "$(kpi aov)"
# spend 3,000 + 200 + 5,000 + 4,000 USD = 1,220,000 minor; ROAS 146,459 / 1,220,000
expect_eq "roas" "0.1200483607" "$(kpi roas)"
# sessions with a partner's utm_content: 1,204 + 950 + 400 + 300 = 2,854
expect_eq "referral sessions" "2854.0" "$(kpi referral_sessions)"
# engaged 802 + 610 + 330 + 200 = 1,942; bounce 1 - 1,942 / 2,854
expect_eq "bounce rate" "0.3195515067" "$(kpi bounce_rate)"
# duration = avg engagement x sessions: 52.5 x 1,204 + 65 (1m 05s) x 950 + 95.25 x 400 + 45 x 300
# = 63,210 + 61,750 + 38,100 + 13,500 = 176,560 s; / 2,854 sessions
expect_eq "session duration" "61.86405046" "$(kpi session_duration)"
# leads with a partner's utm_content: sub_01, 02, 03, 05; qualified: yes (01), TRUE (03)
expect_eq "form completions" "4.0" "$(kpi form_completions)"
expect_eq "lead quality" "0.5" "$(kpi lead_quality)"
# Acme Running: 1,120 + 14 + 310 = 1,444; competitors Stride Co 800 + 420, "Peak, Inc." 95
expect_eq "mentions" "1444.0" "$(kpi mentions)"
# share of voice 1,444 / (1,444 + 1,315)
expect_eq "share of voice" "0.5233780355" "$(kpi share_of_voice)"
# the tiktok video whose link carries utm_content leo_spring: 61,870 views;
# engagements 2,104 + 88 + 95 (+ saves unknown) = 2,287
expect_eq "attributed post views" "61870.0" "$(kpi views)"
expect_eq "attributed post engagements" "2287.0" "$(kpi engagements)"

# ---- the same through the campaign report: totals, leaderboard, funnel, unattributed ------
rep=$("$CREST" report campaign "Spring launch" --as-of 2026-03-31 --format json 2>/dev/null)
rj() { echo "$rep" | python3 -c "import json,sys; r=json.load(sys.stdin); print($1)"; }
T='{k["code"]: k["value"] for k in r["totals"]}'
expect_eq "report: revenue" "146459.0" "$(rj "$T['attributed_revenue']")"
expect_eq "report: sessions" "2854.0" "$(rj "$T['referral_sessions']")"
expect_eq "report: views" "61870.0" "$(rj "$T['views']")"
L='{p["handle"]: p["inputs"] for p in r["leaderboard"]}'
# per partner: maya #1001 13,460 and 1,204 + 300 sessions; leo #1002 124,999 and 950; tara
# #1003 8,000 and 400
expect_eq "report: maya" "13460 1504" "$(rj "' '.join(str(x) for x in ($L['maya.runs']['revenue_minor'], $L['maya.runs']['sessions']))")"
expect_eq "report: leo" "124999 950" "$(rj "' '.join(str(x) for x in ($L['leo.cooks']['revenue_minor'], $L['leo.cooks']['sessions']))")"
expect_eq "report: tara" "8000 400" "$(rj "' '.join(str(x) for x in ($L['techwithtara']['revenue_minor'], $L['techwithtara']['sessions']))")"
# funnel: sessions 2,854 -> orders 3
F='{f["step"]: f["value"] for f in r["funnel"]}'
expect_eq "report: funnel sessions" 2854 "$(rj "$F['sessions']")"
expect_eq "report: funnel orders" 3 "$(rj "$F['orders']")"
# not attributed: google/organic 3,100 + direct 1,500 sessions, sub_04, #1004 (45.50)
U='{(u["kind"], u["reason"]): u["units"] for u in r["unattributed"]}'
expect_eq "report: unattributed sessions" 4600 "$(rj "$U[('sessions', 'no utm_content')]")"
expect_eq "report: unattributed order" 1 "$(rj "$U[('orders', 'unknown discount code')]")"

# ---- GA4 without a Date column: the preamble's single day --------------------------------
printf '# Start date: 20260312\n# End date: 20260312\nSession source / medium,Session manual ad content,Sessions\ninstagram / social,maya_spring,"1,000"\n' >"$WORK/oneday.csv"
out=$("$CREST" import ga4 "$WORK/oneday.csv")
expect_contains "ga4 one day" "imported 1 ga4 rows" "$out"
prog=$("$CREST" campaign progress "Spring launch" --as-of 2026-03-31 --json)
# 2,854 + 1,000 on 2026-03-12
expect_eq "ga4 one day counted" "3854.0" "$(kpi referral_sessions)"

# ---- re-import changes nothing; --map ----------------------------------------------------
before=$(db_digest "$DB")
out=$("$CREST" import "$EXP/shopify.csv" 2>/dev/null)
expect_contains "re-import" "already imported as import #5" "$out"
expect_eq "re-import changes nothing" "$before" "$(db_digest "$DB")"
printf 'Day,Network,Brand name,Hits\n2026-03-04,tiktok,Acme Running,7\n' >"$WORK/m.csv"
out=$("$CREST" import "$WORK/m.csv" --map "Brand name=brand" --map Hits=count --map Network=source)
expect_contains "--map lets detection see the columns" "detected kind mentions" "$out"
# --map wins over an alias: Impressions feeds views, so Views is ignored
printf 'Post ID,Publish time,Impressions,Views\n18031234567890009,2026-03-25T10:00:00Z,900,5\n' >"$WORK/ig.csv"
j=$("$CREST" import instagram "$WORK/ig.csv" --creator maya.runs --map Impressions=views --json)
expect_contains "--map: other column ignored" '"ignored_columns": [
    "Views"' "$j"
expect_contains "--map: value" '"views": 900' "$("$CREST" posts list --platform instagram --json)"

# ---- usage and header errors -------------------------------------------------------------
set +e
"$CREST" import instagram "$WORK/ig.csv" --map Impressions=wiews 2>"$WORK/err"; code=$?
expect_eq "--map bad field exit" 2 "$code"
expect_contains "--map bad field lists the fields" "instagram has no field 'wiews' (its fields: post_id, handle, posted_at," "$(cat "$WORK/err")"
"$CREST" import "$WORK/ig.csv" --map Impressions 2>"$WORK/err"; code=$?
expect_eq "--map without =" 2 "$code"
"$CREST" import instagram "$WORK/ig.csv" 2>"$WORK/err"; code=$?
expect_eq "no handle column and no --creator" 3 "$code"
expect_contains "no --creator message" "ig.csv:1: the export has no Account username column: name the account it is from with --creator @handle" "$(cat "$WORK/err")"
"$CREST" import youtube "$EXP/youtube.csv" --creator @nobody 2>"$WORK/err"; code=$?
expect_eq "unknown --creator" 3 "$code"
expect_contains "unknown --creator message" "--creator: no youtube creator \"nobody\"" "$(cat "$WORK/err")"
printf 'Sessions,Views,Brand\n1,2,3\n' >"$WORK/odd.csv"
"$CREST" import "$WORK/odd.csv" 2>"$WORK/err"; code=$?
expect_eq "no kind matches" 3 "$code"
expect_contains "closest kinds listed" "the header matches no import kind; closest: " "$(cat "$WORK/err")"
expect_contains "closest: ga4" "ga4 (missing session_source_medium)" "$(cat "$WORK/err")"
printf 'Post ID,Publish time,Video link,Post time\n' >"$WORK/both.csv"
"$CREST" import "$WORK/both.csv" 2>"$WORK/err"; code=$?
expect_eq "ambiguous header" 3 "$code"
expect_contains "ambiguous candidates" "fits more than one import kind (instagram, tiktok)" "$(cat "$WORK/err")"
"$CREST" import --captured-at yesterday instagram "$WORK/ig.csv" 2>"$WORK/err"; code=$?
expect_eq "bad --captured-at" 2 "$code"
set -e
kinds=$("$CREST" import --list-kinds)
for k in instagram tiktok youtube ga4 shopify leads mentions; do
    expect_contains "--list-kinds: $k" "$k: " "$kinds"
done
finish
