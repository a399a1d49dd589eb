#!/usr/bin/env bash
# tests/cli/track.sh - rate cards and tier schemes end to end: the built-in defaults, import
# (stored once, the same document again changes nothing, a different one under a known
# version is refused and changes nothing), use, show, tiers of, errors with line and field.
. "$(dirname "$0")/lib.sh"
DB=$(new_db track)
export CREST_DB="$DB"
"$CREST" -q init >/dev/null

# the defaults: Aspire's card and Later x Fohr's tiers, built in
list=$("$CREST" ratecard list --json)
expect_contains "default card listed" '"version": "aspire-2026"' "$list"
expect_contains "default card active" '"active": true' "$list"
expect_contains "default card built in" '"builtin": true' "$list"
show=$("$CREST" ratecard show)
expect_contains "show: instagram like" "instagram    likes          0.15 USD" "$show"
expect_contains "show: tiktok view" "tiktok       views          0.03 USD" "$show"
expect_contains "show: pinterest save" "pinterest    saves          3 USD" "$show"
expect_contains "show: source" "6676982" "$show"
expect_contains "show: label" "EMV is a relative measure (media-equivalent value from rate card aspire-2026), not revenue: compare it with ROAS and CPL, not instead of them" "$show"
expect_eq "ten rates" 10 "$("$CREST" ratecard show aspire-2026 --json | grep -c '"platform"')"

tiers=$("$CREST" tiers list)
for s in iab-uk later-fohr hypeauditor-old tagger; do
    expect_contains "scheme $s listed" "$s" "$tiers"
done
expect_contains "later-fohr active" "* later-fohr" "$tiers"
expect_eq "tiers of 9,999" "nano (later-fohr)" "$("$CREST" tiers of 9,999)"
expect_eq "tiers of 10K" "micro (later-fohr)" "$("$CREST" tiers of 10K)"
expect_eq "tiers of 1M" "mega (later-fohr)" "$("$CREST" tiers of 1M)"
expect_eq "iab-uk below nano" "no tier: below 1000 followers (iab-uk)" "$("$CREST" tiers of 999 --scheme iab-uk)"
expect_eq "iab-uk vip" "vip (iab-uk)" "$("$CREST" tiers of 5000000 --scheme iab-uk)"
all=$("$CREST" tiers of 150000 --all --json)
expect_contains "all: tagger mid-2" '"tier": "mid-2"' "$all"
expect_contains "all: hypeauditor macro" '"tier": "macro"' "$all"
show=$("$CREST" tiers show tagger --json)
expect_contains "tagger tiers" '"name": "macro-1"' "$show"
expect_contains "tagger max" '"max_followers": 4999' "$show"

# import a card: stored, then the same again changes nothing
cat >"$WORK/acme.yaml" <<'YAML'
version: acme-2026
currency: EUR
source: Acme's own paid-social CPMs, 2026 (internal)
rates:
  instagram: { impressions: 0.004, likes: 0.1 }
  "*": { likes: 0.02 }
YAML
out=$("$CREST" ratecard import "$WORK/acme.yaml")
expect_contains "import stores" "rate card acme-2026 stored (3 rates, EUR)" "$out"
before=$(db_digest "$DB")
out=$("$CREST" ratecard import "$WORK/acme.yaml" --json)
expect_contains "re-import unchanged" '"status": "unchanged"' "$out"
expect_eq "re-import changes nothing" "$before" "$(db_digest "$DB")"

# a different document under the same version: refused, nothing changes
sed 's/likes: 0.1 /likes: 0.2 /' "$WORK/acme.yaml" >"$WORK/acme-changed.yaml"
set +e
err=$("$CREST" ratecard import "$WORK/acme-changed.yaml" --activate 2>&1)
code=$?
set -e
expect_eq "changed version refused" 1 "$code"
expect_contains "refusal says why" "rate card acme-2026: this version already exists with other values" "$err"
expect_eq "refusal changes nothing" "$before" "$(db_digest "$DB")"
# the built-in version cannot be overwritten either
sed 's/version: acme-2026/version: aspire-2026/' "$WORK/acme.yaml" >"$WORK/fake.yaml"
set +e
"$CREST" ratecard import "$WORK/fake.yaml" >/dev/null 2>&1
code=$?
set -e
expect_eq "built-in version refused" 1 "$code"
expect_eq "built-in refusal changes nothing" "$before" "$(db_digest "$DB")"

# use: the imported card becomes the active one
out=$("$CREST" ratecard use acme-2026)
expect_contains "use" "rate card acme-2026 is now the active one" "$out"
list=$("$CREST" ratecard list)
expect_contains "active mark" "* acme-2026" "$list"
expect_contains "imported origin" "imported" "$list"
expect_contains "show active" "rate card acme-2026, active (imported)" "$("$CREST" ratecard show)"
set +e
"$CREST" ratecard use acme-2099 2>"$WORK/err"
code=$?
set -e
expect_eq "unknown version exit" 4 "$code"
expect_contains "unknown version message" "rate card 'acme-2099' not found" "$(cat "$WORK/err")"

# errors name file, line, column and field
printf 'version: bad-1\ncurrency: USD\nsource: s\nrates:\n  tiktok:\n    hearts: 1\n' >"$WORK/bad.yaml"
set +e
"$CREST" ratecard import "$WORK/bad.yaml" 2>"$WORK/err"
code=$?
set -e
expect_eq "bad card exit" 3 "$code"
expect_contains "bad card message" "bad.yaml:6:5: rates.tiktok.hearts: expected a metric" "$(cat "$WORK/err")"
printf 'name: acme-tiers\nsource: s\ntiers:\n  - { name: small, min_followers: 0 }\n  - { name: big, min_followers: 0 }\n' >"$WORK/badt.yaml"
set +e
"$CREST" tiers import "$WORK/badt.yaml" 2>"$WORK/err"
code=$?
set -e
expect_eq "bad scheme exit" 3 "$code"
expect_contains "bad scheme message" "badt.yaml:5:33: tiers[1]: expected cut-offs in ascending order" "$(cat "$WORK/err")"

# a tier scheme of our own, activated on import
printf 'name: acme-tiers\nsource: our agency, 2026\ntiers:\n  - { name: small, min_followers: 0 }\n  - { name: big, min_followers: 50K }\n' >"$WORK/tiers.yaml"
out=$("$CREST" tiers import "$WORK/tiers.yaml" --activate)
expect_contains "scheme stored" "tier scheme acme-tiers stored (2 tiers)" "$out"
expect_eq "own scheme in use" "big (acme-tiers)" "$("$CREST" tiers of 50000)"
expect_eq "own scheme below" "small (acme-tiers)" "$("$CREST" tiers of 49999)"
"$CREST" -q tiers use later-fohr >/dev/null
expect_eq "back to later-fohr" "micro (later-fohr)" "$("$CREST" tiers of 50000)"

# EMV of a campaign's posts: the fixtures' ig_1001 (utm_content maya_q3) and tt_77001
# (leo_q3), priced with Aspire's card; ig_1001's caption names "Acme Swift", the brand of
# another campaign, so split credit halves it.
for k in creators posts metrics; do "$CREST" -q import "$k" "$FIX/$k.csv" >/dev/null; done
cat >"$WORK/launch.yaml" <<'YAML'
name: Swift launch
brand: Acme Running
period: { start: 2026-07-01, end: 2026-09-30 }
evaluation: 2026-10-31
budget: 5000 USD
primary_goal: awareness
objective: Launch the Swift shoe with running creators
emv_credit: split
kpis:
  - { code: impressions, role: primary, target: 100000 }
  - { code: reach, role: primary, target: 50000 }
partnerships:
  - { creator: instagram/maya.runs, fee: 3000 USD, utm_content: maya_q3, status: contracted }
  - { creator: tiktok/leo.cooks, fee: 1000 USD, utm_content: leo_q3, status: contracted }
YAML
sed -e 's/^name: Swift launch/name: Swift retail/' -e 's/^brand: Acme Running/brand: Acme Swift/' \
    -e '/^emv_credit/d' -e '/^partnerships/,$d' "$WORK/launch.yaml" >"$WORK/retail.yaml"
"$CREST" -q campaign create "$WORK/launch.yaml" >/dev/null
"$CREST" -q campaign create "$WORK/retail.yaml" >/dev/null
"$CREST" -q ratecard use aspire-2026 >/dev/null
emv=$("$CREST" emv --campaign "Swift launch")
# ig_1001 latest: 30,100 x 0.003 = 90.30; 1,502 x 0.15 = 225.30; 171 x 3 = 513.00 -> 828.60
expect_contains "emv log" "impressions 30,100 x 0.003 = 90.30; likes 1,502 x 0.15 = 225.30; clicks 171 x 3 = 513.00; total 828.60 USD" "$emv"
expect_contains "emv split" "split between 2 brands the post names (Acme Running, Acme Swift): 828.60 / 2 = 414.30" "$emv"
# tt_77001: 605,000 x 0.03 = 18,150; 51,200 x 0.05 = 2,560; 2,300 x 0.05 = 115 -> 20,825
expect_contains "emv tiktok" "views 605,000 x 0.03 = 18150.00; likes 51,200 x 0.05 = 2560.00; shares 2,300 x 0.05 = 115.00; total 20825.00 USD" "$emv"
expect_contains "emv total" "total EMV 21239.30 USD over 2 posts (21653.60 before splitting credit)" "$emv"
expect_contains "emv label" "EMV is a relative measure (media-equivalent value from rate card aspire-2026), not revenue: compare it with ROAS and CPL, not instead of them" "$emv"
json=$("$CREST" emv --campaign "Swift launch" --json)
expect_contains "emv json total" '"total": 21239.3' "$json"
expect_contains "emv json credit" '"credit": "split"' "$json"
expect_contains "emv json label" '"label": "EMV is a relative measure' "$json"
# the campaign's own card: the acme card prices Instagram impressions 0.004 and likes 0.1,
# any other platform's likes 0.02: ig_1001 120.40 + 150.20 = 270.60 (135.30 split),
# tt_77001 51,200 x 0.02 = 1,024.00
"$CREST" -q ratecard use acme-2026 --campaign "Swift launch" >/dev/null
json=$("$CREST" emv --campaign 1 --json)
expect_contains "campaign card" '"ratecard": "acme-2026"' "$json"
expect_contains "campaign card total" '"total": 1159.3' "$json"
expect_contains "campaign card label" "rate card acme-2026" "$json"
expect_contains "retail uses the active card" '"ratecard": "aspire-2026"' "$("$CREST" emv --campaign "Swift retail" --json)"
set +e
"$CREST" emv --campaign "No such" 2>/dev/null
code=$?
set -e
expect_eq "emv unknown campaign" 4 "$code"

# --help everywhere
for c in "ratecard list" "ratecard show" "ratecard import" "ratecard use" "tiers list" \
    "tiers show" "tiers import" "tiers use" "tiers of" "emv"; do
    # shellcheck disable=SC2086
    out=$("$CREST" $c --help)
    expect_contains "$c --help" "usage: crest $c" "$out"
done
finish
