#!/usr/bin/env bash
# tests/cli/goals.sh - goals first: the KPI catalog, the goal rules (each broken rule and each
# campaign-file mistake in goals/ gives exactly the output in its .expect file), every
# examples/ campaign passing its SMART check, and a campaign's life: create from a file or
# from flags and a goal sentence, list, show, edit, progress from imported metrics, baselines.
# Run with --update to rewrite the .expect files (then read every diff).
. "$(dirname "$0")/lib.sh"
UPDATE=${2:-}
EX="$HERE/../../examples"
CREST_DB=$(new_db t)
export CREST_DB
"$CREST" -q init >/dev/null 2>&1

# the catalog
expect_eq "traffic primary KPIs" "ctr referral_sessions session_duration bounce_rate" \
    "$("$CREST" kpi list --goal traffic --json | grep -o '"code": "[^"]*"' | cut -d'"' -f4 | tr '\n' ' ' | sed 's/ $//')"
expect_contains "ER definition" '"definition": "ER by reach"' "$("$CREST" kpi list --json)"
expect_contains "reach is labelled an upper bound" "upper bound of unique reach" "$("$CREST" kpi list)"

# each rule and file mistake, exactly
cd "$HERE/goals"
for f in *.yaml; do
    name=${f%.yaml}
    set +e
    out=$("$CREST" goal check "$f" 2>&1)
    code=$?
    set -e
    actual=$(printf 'exit %s\n%s\n' "$code" "$out")
    if [ "$UPDATE" == "--update" ]; then
        printf '%s\n' "$actual" >"$name.expect"
    else
        expect_eq "$name" "$(cat "$name.expect")" "$actual"
    fi
done
cd "$WORK"

# every example passes: no check fails (warnings about missing store history are allowed)
for f in "$EX"/*.yaml; do
    set +e
    out=$("$CREST" goal check "$f" 2>&1)
    code=$?
    set -e
    expect_eq "example $(basename "$f") exit" 0 "$code"
    case "$out" in *" fail "*) fail "example $(basename "$f") has a failing check: $out" ;; *) ok ;; esac
done

# a campaign's life
for k in creators posts metrics; do "$CREST" -q import "$k" "$FIX/$k.csv" >/dev/null; done
out=$("$CREST" campaign create "$EX/traffic.yaml")
expect_contains "create from file" "saved campaign 1: Q3 referral push" "$out"
expect_contains "create prints the SMART check" "SMART check of Q3 referral push" "$out"
show=$("$CREST" campaign show "Q3 referral push" --json)
expect_contains "show by name" '"primary_goal": "traffic"' "$show"
expect_contains "relative target kept" '"target_kind": "relative"' "$show"
expect_contains "partnership resolved" '"creator": "instagram/maya.runs"' "$show"
expect_contains "budget in minor units" '"budget_minor": 1500000' "$show"
before=$(db_digest "$CREST_DB")
"$CREST" -q campaign create "$EX/traffic.yaml" >/dev/null
expect_eq "re-creating the same file changes nothing" "$before" "$(db_digest "$CREST_DB")"
set +e
"$CREST" campaign create "$HERE/goals/one-primary-kpi.yaml" >/dev/null 2>"$WORK/err"; code=$?
set -e
expect_eq "a broken rule saves nothing (exit)" 3 "$code"
expect_contains "a broken rule saves nothing" "nothing was saved" "$(cat "$WORK/err")"
expect_eq "still one campaign" 1 "$("$CREST" campaign list --json | grep -c '"id":')"

# flags: a July 2026 campaign on the fixtures' posts (ig_1001 carries utm_content maya_q3)
out=$("$CREST" campaign create --name "July test" --brand "Acme Running" --goal awareness \
    --start 2026-07-01 --end 2026-07-31 --evaluation 2026-08-15 --budget "2000 USD" \
    --kpi impressions:primary:60000 --kpi reach:primary:40000 --kpi ctr:contextual \
    --objective "Make the trail shoe known to runners in the city before autumn")
expect_contains "create from flags" "saved campaign 2: July test" "$out"
cat >"$WORK/july.yaml" <<'YAML'
name: July test
brand: Acme Running
period: { start: 2026-07-01, end: 2026-07-31 }
evaluation: 2026-08-15
budget: 2000 USD
primary_goal: awareness
objective: Make the trail shoe known to runners in the city before autumn
kpis:
  - { code: impressions, role: primary, target: 60000 }
  - { code: reach, role: primary, target: 40000 }
  - { code: ctr, role: contextual }
partnerships:
  - { creator: instagram/maya.runs, fee: 1500 USD, product_cost: 100 USD, utm_content: maya_q3 }
YAML
"$CREST" -q campaign create "$WORK/july.yaml" >/dev/null
prog=$("$CREST" campaign progress "July test" --as-of 2026-07-31 --json)
# only ig_1001 is attributed (utm maya_q3): its latest capture has 30,100 impressions, 19.9K reach
expect_contains "progress: impressions to date" '"actual": 30100' "$prog"
expect_contains "progress: reach to date" '"actual": 19900' "$prog"
expect_contains "progress: percent of target" '"pct_of_target": 0.501666' "$prog"
expect_contains "progress: off-track" '"status": "off-track"' "$prog"
# ctr = 171 clicks / 30,100 impressions
expect_contains "progress: ctr" '"actual": 0.005681' "$prog"
half=$("$CREST" campaign progress "July test" --as-of 2026-07-15 --json)
expect_contains "half-way projection: 30,100 x 31/15 days" '"projected": 62206.66' "$half"
expect_contains "half-way on track" '"status": "on-track"' "$half"
human=$("$CREST" campaign progress 2 --as-of 2026-07-31)
expect_contains "progress table" "impressions" "$human"
out=$("$CREST" campaign edit "July test" --budget "2500 USD" --kpi reach:primary:35000)
expect_contains "edit" "updated campaign 2" "$out"
expect_contains "edit kept" '"budget_minor": 250000' "$("$CREST" campaign show 2 --json)"

# baselines: a benchmarking cycle that ended becomes the next cycle's baseline
cat >"$WORK/bench.yaml" <<'YAML'
name: June benchmark
brand: Trailside
period: { start: 2026-07-01, end: 2026-07-10 }
evaluation: 2026-07-20
primary_goal: awareness
benchmarking: true
objective: Learn what a creator post brings the trail shop before setting targets
kpis:
  - { code: impressions, role: primary }
  - { code: reach, role: primary }
partnerships:
  - { creator: instagram/maya.runs, fee: 900 USD, utm_content: maya_q3 }
YAML
cat >"$WORK/next.yaml" <<'YAML'
name: August push
brand: Trailside
period: { start: 2026-08-01, end: 2026-08-31 }
evaluation: 2026-09-15
primary_goal: awareness
objective: Double the trail shop's creator reach over the benchmark cycle
kpis:
  - { code: impressions, role: primary, target: +20% }
  - { code: reach, role: primary, target: +20% }
partnerships:
  - { creator: instagram/maya.runs, fee: 900 USD, utm_content: maya_aug }
YAML
"$CREST" -q campaign create "$WORK/bench.yaml" >/dev/null
set +e
"$CREST" -q campaign create "$WORK/next.yaml" >/dev/null 2>&1
set -e
b=$("$CREST" baseline compute "August push" --json)
# (the 10-day cycle's 30,100 impressions, scaled to the 31-day campaign: 93,310)
expect_contains "baseline from the benchmark" \
    '"source": "benchmarking campaign '"'"'June benchmark'"'"', scaled from 10 to 31 days"' "$b"
expect_contains "baseline value" '"value": 93310' "$b"
expect_contains "baseline stored" '"baseline": 93310' "$("$CREST" campaign show "August push" --json)"
# the goal sentence of the issue, and a campaign built from it
SENT="Increase website referral traffic from creator campaigns by 25% over Q3, measured against Q2 baseline, using a budget of \$15,000 across four creator partnerships."
p=$("$CREST" goal parse "$SENT" --year 2027 --json)
expect_contains "sentence: goal" '"goal": "traffic"' "$p"
expect_contains "sentence: kpi" '"kpi": "referral_sessions"' "$p"
expect_contains "sentence: direction" '"direction": 1' "$p"
expect_contains "sentence: relative" '"target_kind": "relative"' "$p"
expect_contains "sentence: +25%" '"target": 0.25' "$p"
expect_contains "sentence: period" '"period": "2027-Q3"' "$p"
expect_contains "sentence: start" '"start": "2027-07-01"' "$p"
expect_contains "sentence: end" '"end": "2027-09-30"' "$p"
expect_contains "sentence: baseline" '"baseline_period": "2027-Q2"' "$p"
expect_contains "sentence: budget" '"budget_minor": 1500000' "$p"
expect_contains "sentence: currency" '"currency": "USD"' "$p"
expect_contains "sentence: partnerships" '"partnerships": 4' "$p"
expect_contains "sentence: nothing unparsed" '"unparsed": []' "$p"
set +e
"$CREST" goal parse "Make our brand great" >/dev/null 2>"$WORK/err"; code=$?
set -e
expect_eq "a sentence without a KPI" 3 "$code"
# built from the sentence plus a second primary KPI, it passes the SMART check except that the
# store has no Q2 baseline, which M reports
"$CREST" -q campaign create --name "Sentence push" --brand "Acme Running" --sentence "$SENT" \
    --kpi ctr:primary:1.2% --partner "instagram/maya.runs,fee=3000 USD,promo=MAYA15,utm=maya_s" \
    >/dev/null 2>&1 || true
end=$("$CREST" campaign show "Sentence push" --json | grep -o '"end": "[0-9-]*"' | cut -d'"' -f4)
year=${end%%-*}
"$CREST" -q campaign edit "Sentence push" --evaluation "$year-10-30" >/dev/null 2>&1
set +e
chk=$("$CREST" goal check "Sentence push" 2>&1); code=$?
set -e
expect_eq "sentence campaign passes" 0 "$code"
expect_contains "sentence campaign: S" "S Specific    pass" "$chk"
expect_contains "sentence campaign: M reports the missing Q2 baseline" \
    "M Measurable  warn  the store has no $year-Q2 baseline for referral_sessions" "$chk"
expect_contains "sentence campaign: R" "R Relevant    pass" "$chk"
expect_contains "sentence campaign: T" "T Time-bound  pass" "$chk"
finish
