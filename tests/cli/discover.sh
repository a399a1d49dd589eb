#!/usr/bin/env bash
# tests/cli/discover.sh - `crest discover` end to end on a fixture whose orders are worked out
# by hand (below): topic relevance with its tie-break, each filter, the opt-out, ranking for a
# campaign's goal, --not-in, lookalikes, saved searches refreshed by a later import, the API's
# errors. Runs on SQLite and (cli.discover.pg) PostgreSQL: both must give the same orders.
. "$(dirname "$0")/lib.sh"
DB=$(new_db t)
export CREST_DB="$DB"

"$CREST" -q init >/dev/null
# Normalized texts (bio + captions) and the topic "vegan baking" (docs/discovery.md):
#   vera.vegan  vegan x2, baking x1   relevance = (2/3.2 + 1/2.2) / 2 = 0.5398
#   vera.twin   vegan x2, baking x1   0.5398 (tie: 20K > 15K followers, vera.vegan first)
#   olga.out    vegan x1, baking x1   0.4545 (opted out: only with --include-opted-out)
#   bob.bakes   baking x1             0.2273 (tie with vic.vegan: 50K > 8K followers)
#   vic.vegan   vegan x1              0.2273
#   tom.tech    neither word          not a match
# Both words are in 4 of the 6 texts, so they weigh the same (idf = ln(1 + 6/4)).
cat >"$WORK/creators.csv" <<'CSV'
platform,handle,followers,bio,audience_countries,audience_age,audience_gender,opted_out,fee,fee_currency
instagram,vera.vegan,20000,Vegan baking and vegan recipes,US:0.6;GB:0.2,18-24:0.5;25-34:0.3,female:0.7;male:0.3,no,800,USD
instagram,bob.bakes,50000,Baking bread at home,US:0.3;CA:0.4,25-34:0.6,female:0.4;male:0.6,,1500,USD
tiktok,vic.vegan,8000,Vegan street food,US:0.2;MX:0.5,18-24:0.7,female:0.5;male:0.5,,,
tiktok,olga.out,30000,Vegan baking every day,US:0.7,18-24:0.5,female:0.8;male:0.2,yes,,
youtube,tom.tech,200000,Tech reviews and gadgets,US:0.5,25-34:0.5,female:0.2;male:0.8,,,
instagram,vera.twin,15000,Vegan baking recipes and vegan cakes,US:0.6;GB:0.2,18-24:0.5;25-34:0.3,female:0.7;male:0.3,,,
CSV
"$CREST" -q import creators "$WORK/creators.csv" >/dev/null

# handles KEY=VALUE...: the ranked handles of `crest discover --json ARGS`, space-separated
handles() {
    "$CREST" discover --json "$@" | python3 -c \
        'import json,sys; print(" ".join(h["handle"] for h in json.load(sys.stdin)["hits"]))'
}
# field EXPR ARGS...: a value out of `crest discover --json ARGS` (d is the result)
field() {
    local expr=$1
    shift
    "$CREST" discover --json "$@" | python3 -c "import json,sys; d=json.load(sys.stdin); print($expr)"
}

expect_eq "topic order" "vera.vegan vera.twin bob.bakes vic.vegan" "$(handles vegan baking)"
expect_eq "relevance" "0.5398" "$(field '"%.4f" % d["hits"][0]["relevance"]' vegan baking)"
expect_eq "relevance of one word" "0.2273" "$(field '"%.4f" % d["hits"][2]["relevance"]' vegan baking)"
expect_eq "opted out shown on request" "vera.vegan vera.twin olga.out bob.bakes vic.vegan" \
    "$(handles vegan baking --include-opted-out)"
expect_eq "total" "4" "$(field 'd["total"]' vegan baking)"
expect_eq "limit and offset" "vera.twin bob.bakes" "$(handles vegan baking --limit 2 --offset 1)"
expect_eq "rank counts the offset" "2" "$(field 'd["hits"][0]["rank"]' vegan baking --offset 1)"
expect_eq "platform" "vic.vegan" "$(handles vegan baking --platform TikTok)"
expect_eq "audience country" "vera.vegan vera.twin" "$(handles vegan baking --audience-country US:0.5)"
expect_eq "audience share as a percentage" "vera.vegan vera.twin" \
    "$(handles vegan baking --audience-country us:50%)"
expect_eq "audience age" "vera.vegan vera.twin vic.vegan" "$(handles vegan --audience-age 18-24:0.5)"
expect_eq "audience gender" "bob.bakes" "$(handles baking --audience-gender male:0.5)"
expect_eq "fee range" "vera.vegan" "$(handles vegan baking --max-fee 1000)"
expect_eq "fee lower bound" "bob.bakes" "$(handles vegan baking --min-fee 1,000)"
expect_eq "tier (Later x Fohr micro: 10K-100K)" "vera.vegan vera.twin bob.bakes" \
    "$(handles vegan baking --tier micro)"
expect_eq "follower range" "vera.twin" "$(handles vegan baking --min-followers 10K --max-followers 19999)"
expect_eq "no words: largest first" "tom.tech bob.bakes vera.vegan vera.twin vic.vegan" "$(handles)"
reasons=$(field '"\n".join(d["hits"][0]["reasons"])' vegan baking --audience-country US:0.5 --max-fee 1000)
expect_contains "reason: words" "relevance 0.54: bio and recent captions mention 'baking' (1x), 'vegan' (2x)" "$reasons"
expect_contains "reason: audience" "audience 60% in US (asked at least 50%)" "$reasons"
expect_contains "reason: fee" "fee 800.00 USD within the range asked" "$reasons"

# Post data: ER by reach = (likes + comments + shares + saves) / reach
#   vera.vegan 60 / 1000 = 6%   bob.bakes 100 / 10000 = 1%   vic.vegan 240 / 2000 = 12%
cat >"$WORK/posts.csv" <<'CSV'
platform,post_id,handle,posted_at,caption
instagram,v1,vera.vegan,2026-05-01T10:00:00Z,Sunday morning
instagram,b1,bob.bakes,2026-05-01T10:00:00Z,Sunday morning
tiktok,c1,vic.vegan,2026-05-01T10:00:00Z,Sunday morning
CSV
cat >"$WORK/metrics.csv" <<'CSV'
platform,post_id,captured_at,reach,likes,comments
instagram,v1,2026-05-02T10:00:00Z,1000,50,10
instagram,b1,2026-05-02T10:00:00Z,10000,100,0
tiktok,c1,2026-05-02T10:00:00Z,2000,200,40
CSV
"$CREST" -q import posts "$WORK/posts.csv" >/dev/null
"$CREST" -q import metrics "$WORK/metrics.csv" >/dev/null
expect_eq "captions do not change the order" "vera.vegan vera.twin bob.bakes vic.vegan" \
    "$(handles vegan baking)"
expect_eq "ER by reach" "0.06" "$(field '"%.2f" % d["hits"][0]["engagement_rate"]' vegan baking)"
expect_eq "min ER (unknown ER is left out)" "vera.vegan vic.vegan" "$(handles vegan baking --min-er 5%)"
expect_eq "max ER" "bob.bakes" "$(handles vegan baking --max-er 0.02)"
# ER by followers: engagements per post / followers: vic 240 / 8000 = 3%, vera 60 / 20000 = 0.3%
expect_eq "ER by followers" "vic.vegan" "$(handles vegan baking --er-by followers --min-er 1%)"

# An engagement campaign: the goal's metric is ER; median of 6%, 1%, 12% is 6%; factors
# sqrt(ER / 6%): vera 1, bob 0.408, vic 1.414, vera.twin (no posts) 1.
#   vera.vegan 0.5398, vera.twin 0.5398, vic.vegan 0.2273 x 1.414 = 0.3214,
#   bob.bakes 0.2273 x 0.408 = 0.0928
"$CREST" -q campaign create --name "Oat Week" --goal engagement --start 2026-06-01 \
    --end 2026-06-30 --kpi engagement_rate:primary:4% --kpi engagements:primary:1000 >/dev/null
expect_eq "ranked for the goal" "vera.vegan vera.twin vic.vegan bob.bakes" \
    "$(handles vegan baking --campaign 'Oat Week')"
expect_eq "performance factor" "1.414" \
    "$(field '"%.3f" % d["hits"][2]["performance"]' vegan baking --campaign 'Oat Week')"
expect_eq "score" "0.3214" "$(field '"%.4f" % d["hits"][2]["score"]' vegan baking --campaign 'Oat Week')"
expect_eq "goal named" "engagement" "$(field 'd["goal"]' vegan baking --campaign 'Oat Week')"
expect_contains "reason: goal" "engagement goal of 'Oat Week': engagement rate 12.0% is 2.00x the candidates' median 6.0%: performance factor 1.41" \
    "$(field '"\n".join(d["hits"][2]["reasons"])' vegan baking --campaign 'Oat Week')"
expect_contains "reason: no post data" "no engagement rate yet, so expected performance counts as average" \
    "$(field '"\n".join(d["hits"][1]["reasons"])' vegan baking --campaign 'Oat Week')"
cat >"$WORK/oat.yaml" <<'YAML'
name: Oat Week
brand: Oaty
period: { start: 2026-06-01, end: 2026-06-30 }
primary_goal: engagement
objective: Oat milk bakes
kpis:
  - { code: engagement_rate, role: primary, target: 4% }
  - { code: engagements, role: primary, target: 1000 }
partnerships:
  - { creator: instagram/vera.vegan, fee: 900 USD }
YAML
"$CREST" -q campaign create "$WORK/oat.yaml" >/dev/null
expect_eq "not in the campaign" "vera.twin vic.vegan bob.bakes" \
    "$(handles vegan baking --campaign 'Oat Week' --not-in 'Oat Week')"

# Lookalikes of vera.vegan: vera.twin has her words and the same audience
expect_eq "lookalike first" "vera.twin" "$(field 'd["hits"][0]["handle"]' --like instagram/vera.vegan)"
expect_eq "seed left out" "False" \
    "$(field '"vera.vegan" in [h["handle"] for h in d["hits"]]' --like @vera.vegan)"
expect_eq "audience similarity of equal audiences" "1.00" \
    "$(field '"%.2f" % d["hits"][0]["audience_similarity"]' --like @vera.vegan)"
like_reasons=$(field '"\n".join(d["hits"][0]["reasons"])' --like @vera.vegan)
expect_contains "lookalike reason: words" "with instagram/vera.vegan: both write about" "$like_reasons"
expect_contains "lookalike reason: audience" "audience similarity 1.00 with instagram/vera.vegan" "$like_reasons"
expect_eq "seed" "instagram/vera.vegan" "$(field 'd["seed"]' --like @vera.vegan)"

# Saved searches: saved and run, then a later import brings a new match
out=$("$CREST" discover vegan --audience-country US:0.5 --save vegan-us --json)
expect_eq "saved run" "2" "$(echo "$out" | json_num total)"
expect_eq "saved: all new the first time" "2" "$(echo "$out" | python3 -c 'import json,sys; print(json.load(sys.stdin)["new"])')"
cat >"$WORK/more.csv" <<'CSV'
platform,handle,followers,bio,audience_countries
instagram,nina.vegan,12000,Vegan lunch boxes,US:0.8
CSV
"$CREST" -q import creators "$WORK/more.csv" >/dev/null
list=$("$CREST" discover saved list --json)
expect_contains "saved list: refreshed by the import" '"results": 3' "$list"
expect_contains "saved list: one new" '"new": 1' "$list"
expect_contains "saved list: query" '"query": "topic=vegan&country=US:0.5"' "$list"
out=$("$CREST" discover --saved vegan-us --json)
expect_eq "saved: the new one marked" "nina.vegan" \
    "$(echo "$out" | python3 -c 'import json,sys; print(" ".join(h["handle"] for h in json.load(sys.stdin)["hits"] if h["new"]))')"
expect_eq "saved: seen now" "0" \
    "$("$CREST" discover --saved vegan-us --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["new"])')"
"$CREST" -q discover saved delete vegan-us >/dev/null
expect_eq "saved deleted" "[]" "$("$CREST" discover saved list --json | tr -d ' \n')"

# The API answers with the CLI's JSON and the CLI's messages
if command -v curl >/dev/null; then
    printf 'pass-analyst-123\n' | "$CREST" -q user add ana@example.com --role analyst
    "$CREST" serve --listen 127.0.0.1:0 2>"$WORK/serve.log" &
    SRV=$!
    PORT=
    for _ in $(seq 1 100); do
        PORT=$(grep -o 'listening on http://127.0.0.1:[0-9]*' "$WORK/serve.log" | sed 's/.*://' || true)
        [ -n "$PORT" ] && break
        sleep 0.1
    done
    B="http://127.0.0.1:$PORT"
    curl -s -c "$WORK/jar" -H 'Content-Type: application/json' \
        --data-binary '{"email": "ana@example.com", "password": "pass-analyst-123"}' \
        "$B/api/v1/login" >/dev/null
    api=$(curl -s -b "$WORK/jar" "$B/api/v1/discover?topic=vegan+baking&campaign=Oat%20Week&limit=3")
    cli=$("$CREST" discover vegan baking --campaign 'Oat Week' --limit 3 --json)
    # the CLI records the top ranks as shortlist_rank recommendations and shows their ids; a GET
    # writes nothing, so the API's hits are the same less those ids
    expect_contains "CLI: recommendation ids" '"recommendation_id":' "$cli"
    expect_eq "API = CLI" "$(echo "$cli" | python3 -c 'import json,sys
d = json.load(sys.stdin)
for h in d["hits"]: h.pop("recommendation_id", None)
print(d)')" \
        "$(echo "$api" | python3 -c 'import json,sys; print(json.load(sys.stdin))')"
    status=$(curl -s -o "$WORK/body" -w '%{http_code}' -b "$WORK/jar" "$B/api/v1/discover?min_er=abc")
    expect_eq "API bad value" 400 "$status"
    expect_contains "API error names the field" '"field": "min_er"' "$(cat "$WORK/body")"
    status=$(curl -s -o "$WORK/body" -w '%{http_code}' -b "$WORK/jar" "$B/api/v1/discover?like=@nobody")
    expect_eq "API unknown seed" 404 "$status"
    expect_eq "API lookalike" "vera.twin" "$(curl -s -b "$WORK/jar" "$B/api/v1/discover?like=instagram/vera.vegan&limit=1" |
        python3 -c 'import json,sys; print(json.load(sys.stdin)["hits"][0]["handle"])')"
    expect_eq "API saved list" "[]" "$(curl -s -b "$WORK/jar" "$B/api/v1/discover/saved" | tr -d ' \n')"
    kill "$SRV"
    wait "$SRV" 2>/dev/null || true
fi

# Errors: exit 3 for bad input (naming the field), 4 for what does not exist
set +e
msg=$("$CREST" discover --tier giant 2>&1)
expect_eq "unknown tier exit" 3 $?
expect_contains "unknown tier message" "field 'tier': expected a tier of later-fohr (nano, micro, mid, macro, mega), found 'giant'" "$msg"
msg=$("$CREST" discover vegan --like @vera.vegan 2>&1)
expect_eq "like and words exit" 3 $?
expect_contains "like and words message" "field 'like': lookalikes rank by the seed's own words" "$msg"
msg=$("$CREST" discover --min-er abc 2>&1)
expect_eq "bad ER exit" 3 $?
expect_contains "bad ER message" "field 'min_er': expected an engagement rate (3.5% or 0.035), found 'abc'" "$msg"
"$CREST" discover --like @nobody >/dev/null 2>&1
expect_eq "unknown seed exit" 4 $?
"$CREST" discover --campaign 'No Such' >/dev/null 2>&1
expect_eq "unknown campaign exit" 4 $?
"$CREST" discover --saved nothing >/dev/null 2>&1
expect_eq "unknown saved search exit" 4 $?
set -e
"$CREST" discover --help | grep -q "lookalikes" && ok || fail "discover --help"

# The demo's seeded audiences are there to filter on (SQLite only: the demo is slow on the
# PostgreSQL test cluster, and tests/cli/demo.sh covers it there)
if [ "$BACKEND" = sqlite ]; then
    D="sqlite:$WORK/demo.db"
    "$CREST" --db "$D" -q demo >/dev/null
    n=$("$CREST" --db "$D" discover fashion --audience-gender female:0.6 --json | json_num total)
    [ "${n:-0}" -gt 0 ] && ok || fail "no demo fashion creator with a 60% female audience"
    expect_contains "demo audience reason" "female (asked at least 60%)" \
        "$("$CREST" --db "$D" discover fashion --audience-gender female:0.6 --limit 1)"
    a=$("$CREST" --db "$D" db checksum | grep creator_audience)
    [ "$(echo "$a" | awk '{print $2}')" -gt 1000 ] && ok || fail "demo audience rows: $a"
    "$CREST" --db "sqlite:$WORK/demo2.db" -q demo >/dev/null
    expect_eq "demo audiences are seeded" "$a" "$("$CREST" --db "sqlite:$WORK/demo2.db" db checksum | grep creator_audience)"
fi
finish
