#!/usr/bin/env bash
# tests/cli/program.sh - program governance end to end (issue 9), on SQLite and PostgreSQL:
# a 30-day pilot over generated time logs whose report is recomputed by hand
# (program/pilot_check.py: means, the seeded bootstrap interval, quality, adoption, business
# case), pilots outside 30..60 days refused, the iteration calendar across year boundaries
# and leap years, reviews that cannot close without a concrete change, overrides refused
# without authority and allowed with it, escalation, and tampering with the audit log found.
. "$(dirname "$0")/lib.sh"
command -v python3 >/dev/null || { echo "program.sh: python3 is not installed" >&2; exit 77; }
DB=$(new_db program)
C=("$CREST" --db "$DB")
"${C[@]}" -q init >/dev/null

# ---- generated time logs: 30 baseline days without the tool, 30 pilot days with it ----
python3 - "$WORK/logs.csv" <<'PY'
import datetime, random, sys
random.seed(20270301)
start = datetime.date(2027, 3, 1)
out = ["stage,minutes,task,errors,user,at,with_tool"]
users = ["ana@example.com", "bo@example.com", "cy@example.com"]
for i in range(-30, 30):
    day = start + datetime.timedelta(days=i)
    for k in range(random.randint(1, 3)):
        tool = 1 if i >= 0 and random.random() < 0.85 else 0
        mins = round(random.gauss(22 if tool else 31, 5), 1)
        task = random.choice(["vet creator", "check audience"])
        errs = random.choice([0, 0, 1] if tool else [0, 1, 1, 2])
        out.append(f"vetting,{max(mins, 1)},{task},{errs},{random.choice(users)},{day},{tool}")
    out.append(f"outreach,{round(random.gauss(12, 3), 1)},first email,0,ana@example.com,{day},0")
open(sys.argv[1], "w").write("\n".join(out) + "\n")
PY
out=$("${C[@]}" --json timelog import "$WORK/logs.csv")
rows=$(($(wc -l <"$WORK/logs.csv") - 1))
expect_eq "timelog import rows" "$rows" "$(echo "$out" | json_num rows)"
# all or nothing, and the error names file, line, column and field
printf 'stage,minutes,at\nvetting,12,2027-01-02\nvetting,lots,2027-01-03\n' >"$WORK/bad.csv"
set +e
err=$("${C[@]}" timelog import "$WORK/bad.csv" 2>&1)
rc=$?
set -e
expect_eq "bad timelog import exit" 3 "$rc"
expect_contains "bad timelog names the cell" "bad.csv:3:2: minutes: expected minutes above 0" "$err"
expect_eq "bad timelog import wrote nothing" "$rows" \
    "$("${C[@]}" --json workflow | grep -o '"tasks": [0-9]*' | awk '{s+=$2} END {print s}')"
"${C[@]}" -q timelog add payment 5 --errors 0 --at 2027-01-02 >/dev/null
set +e
err=$("${C[@]}" timelog add shipping 5 2>&1)
rc=$?
set -e
expect_eq "unknown stage exit" 3 "$rc"
expect_contains "unknown stage" "stage: expected discovery" "$err"

# the workflow map ranks by minutes x (1 + errors per task): vetting first here
wf=$("${C[@]}" --json workflow)
expect_contains "workflow rank 1" "$(printf '"rank": 1,\n    "stage": "vetting"')" "$wf"
expect_contains "workflow table" "vetting" "$("${C[@]}" workflow | sed -n 2p)"

# ---- pilots ----
for d in 29 61 7; do
    set +e
    err=$("${C[@]}" pilot start vetting --days "$d" --start 2027-03-01 2>&1)
    rc=$?
    set -e
    expect_eq "pilot of $d days refused" 3 "$rc"
    expect_contains "pilot of $d days: the reason" "a pilot runs 30 to 60 days" "$err"
done
pid=$("${C[@]}" --json pilot start vetting --days 30 --start 2027-03-01 --rate '60 USD' \
    --cost '500 USD' --as ana@example.com | json_num id)
expect_eq "pilot id" 1 "$pid"
"${C[@]}" -q pilot measure "$pid" shortlist_acceptance --baseline 0.42 --pilot 0.55
"${C[@]}" --json pilot report "$pid" >"$WORK/report.json"
if out=$(python3 "$HERE/program/pilot_check.py" "$WORK/logs.csv" "$WORK/report.json"); then
    ok
else
    fail "pilot report against the hand computation: $out"
fi
expect_contains "recorded measure in the report" '"name": "shortlist_acceptance"' "$(cat "$WORK/report.json")"
"${C[@]}" -q pilot report "$pid" --html "$WORK/pilot.html" >/dev/null
expect_contains "html report" "Time saved per task" "$(cat "$WORK/pilot.html")"
expect_contains "pilot report text" "time saved per task:" "$("${C[@]}" pilot report "$pid")"
set +e
"${C[@]}" pilot report 99 >/dev/null 2>&1
rc=$?
set -e
expect_eq "unknown pilot" 4 "$rc"

# ---- the iteration calendar: monthly for a quarter, then quarterly; clamped month ends ----
sched() { "$CREST" iteration schedule --go-live "$1" --count "$2" | awk '{print $2}' | paste -sd' '; }
expect_eq "schedule from 2027-11-30 (over the year end, into a leap February)" \
    "2027-12-30 2028-01-30 2028-02-29 2028-05-30 2028-08-30 2028-11-30 2029-02-28 2029-05-30" \
    "$(sched 2027-11-30 8)"
expect_eq "schedule from 2026-12-31" \
    "2027-01-31 2027-02-28 2027-03-31 2027-06-30 2027-09-30 2027-12-31 2028-03-31" \
    "$(sched 2026-12-31 7)"
expect_eq "schedule from 2099-10-31 (2100 is not a leap year)" \
    "2099-11-30 2099-12-31 2100-01-31 2100-04-30 2100-07-31 2100-10-31 2101-01-31" \
    "$(sched 2099-10-31 7)"
js=$("$CREST" --json iteration schedule --go-live 2028-01-31 --count 4)
expect_contains "schedule json" "$(printf '"review": 4,\n    "due": "2028-07-31",\n    "cadence": "quarterly"')" "$js"
set +e
"$CREST" iteration schedule --go-live 2027-02-30 >/dev/null 2>&1
rc=$?
set -e
expect_eq "impossible go-live date" 3 "$rc"

# ---- iteration reviews ----
rid=$("${C[@]}" --json iteration open --due 2027-04-01 --models "$HERE/../../data/models" | json_num id)
set +e
err=$("${C[@]}" iteration close "$rid" 2>&1)
rc=$?
set -e
expect_eq "close without an evaluation" 3 "$rc"
"${C[@]}" -q iteration record "$rid" --time-saved "11 min per vetting task" --quality "fewer errors"
set +e
err=$("${C[@]}" iteration close "$rid" 2>&1)
rc=$?
set -e
expect_eq "close without a change" 3 "$rc"
expect_contains "close without a change: why" "without at least one concrete change" "$err"
set +e
err=$("${C[@]}" iteration record "$rid" --change "vibes:feel better" 2>&1)
rc=$?
set -e
expect_eq "a change of unknown kind" 3 "$rc"
"${C[@]}" -q iteration record "$rid" --change "filter:raise the minimum engagement rate to 1.5%"
"${C[@]}" -q iteration close "$rid"
set +e
"${C[@]}" iteration record "$rid" --change "tool:swap the model" >/dev/null 2>&1
rc=$?
set -e
expect_eq "a closed review takes no more entries" 1 "$rc"
il=$("${C[@]}" --json iteration list)
expect_contains "closed review" '"status": "closed"' "$il"
expect_contains "review prep: drift" '"test": "two-sample Kolmogorov-Smirnov"' "$il"
expect_contains "review change" '"kind": "filter"' "$il"

# ---- overrides: authority = role + completed training ----
for u in admin:admin manager:manager analyst:analyst; do
    printf 'pass-%s-12345\n' "${u%%:*}" | "${C[@]}" -q user add "${u%%:*}@example.com" --role "${u##*:}"
done
rec=$("${C[@]}" --json recommend add vetting_verdict instagram/maya.runs reject \
    --detail "fake followers 31% (95% 24-38%)" | json_num id)
set +e
err=$("${C[@]}" override vetting_verdict "$rec" --to approve --reason "known audience" --as analyst@example.com 2>&1)
rc=$?
set -e
expect_eq "analyst override refused" 1 "$rc"
expect_contains "analyst override: why" "the role analyst may not override a vetting_verdict" "$err"
set +e
err=$(CREST_USER=admin@example.com "${C[@]}" override vetting_verdict "$rec" --to approve --reason r 2>&1)
rc=$?
set -e
expect_eq "untrained admin refused" 1 "$rc"
expect_contains "untrained admin: why" "has not completed the interpretation training" "$err"
set +e
"${C[@]}" override vetting_verdict "$rec" --to approve --as admin@example.com >/dev/null 2>&1
rc=$?
set -e
expect_eq "override without a reason" 3 "$rc"
"${C[@]}" -q training record admin@example.com interpretation
"${C[@]}" -q escalate vetting_verdict "$rec" --to admin@example.com --reason "not mine" --as analyst@example.com
expect_contains "escalated" "escalated" "$("${C[@]}" recommend list escalated)"
set +e
"${C[@]}" escalate vetting_verdict "$rec" --to manager@example.com --as analyst@example.com >/dev/null 2>&1
rc=$?
set -e
expect_eq "escalate to someone without the authority" 3 "$rc"
"${C[@]}" -q override vetting_verdict "$rec" --to approve --reason "audience verified by hand" --as admin@example.com
expect_contains "overridden" '"status": "overridden"' "$("${C[@]}" --json recommend list)"
# the authority table is configurable
"${C[@]}" -q recommend authority forecast analyst mechanics >/dev/null
expect_contains "authority set" "$(printf '"kind": "forecast",\n    "role": "analyst",\n    "training": "mechanics"')" \
    "$("${C[@]}" --json recommend authority)"

# ---- the audit log and its hash chain ----
audit=$("${C[@]}" --json audit)
expect_eq "audit entries" 4 "$(echo "$audit" | grep -c '"action":')"
expect_contains "refusal audited" '"action": "override_refused"' "$audit"
expect_contains "override audited" '"reason": "audience verified by hand"' "$audit"
expect_contains "verify ok" '"ok": true' "$("${C[@]}" --json audit --verify)"
sql() {
    if [ "$BACKEND" = pg ]; then psql -q "$DB" -c "$1" >/dev/null; else sqlite3 "${DB#sqlite:}" "$1"; fi
}
sql "UPDATE program_audit SET reason = 'it was always approve' WHERE id = 4"
set +e
err=$("${C[@]}" audit --verify 2>&1)
rc=$?
set -e
expect_eq "tampered audit log" 1 "$rc"
expect_contains "tampering: the first bad entry" "entry 4 does not match" "$err"
sql "DELETE FROM program_audit WHERE id = 2"
set +e
err=$("${C[@]}" --json audit --verify 2>/dev/null)
set -e
expect_contains "a removed entry breaks the chain at the next" '"first_bad": 3' "$err"

# ---- training: the interpretation check from the workspace's own creators ----
TDB=$(new_db training)
"$CREST" --db "$TDB" -q demo --creators 12 >/dev/null
# the demo holds a pilot with its time logs, crest's recommendations and one closed review
expect_contains "demo pilot" '"stage": "vetting"' "$("$CREST" --db "$TDB" --json pilot list)"
rep=$("$CREST" --db "$TDB" --json pilot report 1)
nb=$(echo "$rep" | json_num baseline_tasks)
[ "${nb:-0}" -ge 30 ] && ok || fail "demo pilot: $nb baseline tasks for 30 days of 1-3 a day"
expect_contains "demo review closed" '"status": "closed"' "$("$CREST" --db "$TDB" --json iteration list)"
expect_contains "demo recommendation" '"kind": "vetting_verdict"' "$("$CREST" --db "$TDB" --json recommend list)"
printf 'pass-ana-123456\n' | "$CREST" --db "$TDB" -q user add ana@example.com --role analyst
"$CREST" --db "$TDB" --json training check ana@example.com --count 3 >"$WORK/questions.json"
expect_contains "questions from the workspace" "Do their audience quality scores differ beyond their intervals?" "$(cat "$WORK/questions.json")"
case "$(cat "$WORK/questions.json")" in *'"answer"'*) fail "the questions show their answers" ;; *) ok ;; esac
# the right answers, worked out here from the intervals the questions show
python3 - "$WORK/questions.json" "$WORK/right.txt" "$WORK/wrong.txt" <<'PY'
import json, re, sys
right, wrong = [], []
for q in json.load(open(sys.argv[1])):
    (a_lo, a_hi), (b_lo, b_hi) = [(float(lo), float(hi)) for lo, hi in
        re.findall(r"\(?(?:95% interval )?([0-9.]+)-([0-9.]+)\)", q["text"])]
    ans = "yes" if a_hi < b_lo or b_hi < a_lo else "no"
    right.append(ans)
    wrong.append("no" if ans == "yes" else "yes")
open(sys.argv[2], "w").write("\n".join(right) + "\n")
open(sys.argv[3], "w").write("# one wrong answer\n" + "\n".join([wrong[0]] + right[1:]) + "\n")
PY
set +e
"$CREST" --db "$TDB" training check ana@example.com --count 3 --answers "$WORK/wrong.txt" >/dev/null 2>&1
rc=$?
set -e
expect_eq "a wrong answer fails the check" 1 "$rc"
expect_contains "not done after a wrong answer" '"status": "started"' "$("$CREST" --db "$TDB" --json training list ana@example.com)"
out=$("$CREST" --db "$TDB" --json training check ana@example.com --count 3 --answers "$WORK/right.txt")
expect_contains "right answers pass" '"passed": true' "$out"
expect_contains "interpretation done" '"status": "done"' "$("$CREST" --db "$TDB" --json training list ana@example.com)"
printf 'maybe\n' >"$WORK/bad-answers.txt"
set +e
err=$("$CREST" --db "$TDB" training check ana@example.com --answers "$WORK/bad-answers.txt" 2>&1)
rc=$?
set -e
expect_eq "an answer that is not yes or no" 3 "$rc"
expect_contains "bad answer names the line" "bad-answers.txt:1:1: answer 1: expected yes or no" "$err"

# ---- recommendations recorded where crest makes them, once while undecided ----
T=("$CREST" --db "$TDB")
nrec() { "${T[@]}" --json recommend list | grep -c '"kind":'; }
# the demo's recommendations are about its first creator: vet and forecast that one
subj=$("${T[@]}" --json recommend list | grep -o '"subject": "[^"]*"' | head -1 | sed 's/.*: "//; s/"$//')
demo_ids=$("${T[@]}" --json recommend list | grep -o '"id": [0-9]*' | sed 's/.*: //' | sort -n | paste -sd' ')
n0=$(nrec)
vid=$("${T[@]}" --json vet "$subj" | json_num recommendation_id)
[ -n "$vid" ] && [ "$vid" -gt 0 ] && ok || fail "crest vet --json shows no recommendation_id"
# the demo recorded this verdict in the same form: found, not added
case " $demo_ids " in *" $vid "*) ok ;; *) fail "vet: $vid is not one of the demo's ($demo_ids)" ;; esac
expect_eq "vet: the demo's verdict, not a second one" "$n0" "$(nrec)"
expect_contains "vet: the id in the text" "Recommendation $vid (vetting_verdict)" "$("${T[@]}" vet "$subj")"
expect_eq "vet again: the same recommendation" "$vid" "$("${T[@]}" --json vet "$subj" | json_num recommendation_id)"
expect_eq "vet again: nothing new" "$n0" "$(nrec)"
cv=$("${T[@]}" --json vet "$subj" --campaign 1 | json_num recommendation_id)
[ "$cv" != "$vid" ] && ok || fail "vet --campaign 1: the same recommendation as without"
expect_contains "vet --campaign: its subject" "$subj for campaign 1" "$("${T[@]}" recommend list)"
n0=$((n0 + 1))
out=$("${T[@]}" --json vet "$subj" --no-save)
case "$out" in *recommendation_id*) fail "vet --no-save shows a recommendation" ;; *) ok ;; esac
expect_eq "vet --no-save records nothing" "$n0" "$(nrec)"
rl=$("${T[@]}" --json recommend list)
expect_contains "vetting verdict recorded" '"kind": "vetting_verdict",
    "subject": "'"$subj"'",
    "value": "awareness: ' "$rl"
expect_contains "vetting detail: score, interval, model" "(95% interval " "$rl"
expect_contains "vetting detail: by" "by crest vet (Audience Quality Score)" "$rl"
# the forecast: the demo recorded the same one, so it is found, not added
fid=$("${T[@]}" --json forecast "$subj" | json_num recommendation_id)
[ -n "$fid" ] && [ "$fid" -gt 0 ] && ok || fail "crest forecast --json shows no recommendation_id"
expect_eq "forecast: the demo's recommendation, not a second one" "$n0" "$(nrec)"
expect_eq "forecast again" "$fid" "$("${T[@]}" --json forecast "$subj" | json_num recommendation_id)"
expect_contains "forecast: the id in the text" "Recommendation $fid (forecast)" "$("${T[@]}" forecast "$subj")"
# a shortlist ranked for a campaign: the top 10 ranks
"${T[@]}" --json discover --campaign 1 --limit 12 >"$WORK/short.json"
nhits=$(grep -c '"rank":' "$WORK/short.json")
want=$((nhits < 10 ? nhits : 10))
[ "$nhits" -ge 2 ] && ok || fail "discover --campaign 1: $nhits hits"
expect_eq "shortlist: the top ranks recorded" "$want" "$(grep -c '"recommendation_id":' "$WORK/short.json")"
expect_eq "shortlist recorded" $((n0 + want)) "$(nrec)"
"${T[@]}" --json discover --campaign 1 --limit 12 >"$WORK/short2.json"
expect_eq "shortlist again: the same ids" "$(grep '"recommendation_id":' "$WORK/short.json")" \
    "$(grep '"recommendation_id":' "$WORK/short2.json")"
expect_eq "shortlist again: nothing new" $((n0 + want)) "$(nrec)"
sid=$(json_num recommendation_id <"$WORK/short.json")
expect_contains "shortlist: the ids in the text" "1: $sid" "$("${T[@]}" discover --campaign 1 --limit 3)"
"${T[@]}" -q discover --limit 3 >/dev/null
expect_eq "discover without a campaign records nothing" $((n0 + want)) "$(nrec)"
# flagged reviewers of a store cycle (--min-ratings 1000 flags everyone as too few)
"${T[@]}" --json review calibrate demo-2026-10 --min-ratings 1000 >"$WORK/cal.json"
nraters=$(grep -c '"severity":' "$WORK/cal.json")
[ "$nraters" -ge 2 ] && ok || fail "calibrate: $nraters raters"
expect_eq "calibration flags recorded" "$nraters" "$(grep -c '"recommendation_id":' "$WORK/cal.json")"
"${T[@]}" -q review calibrate demo-2026-10 --min-ratings 1000 >/dev/null
"${T[@]}" --json review calibrate demo-2026-10 >"$WORK/cal0.json"
expect_eq "calibrate again, and unflagged: nothing new" $((n0 + want + nraters)) "$(nrec)"
cid=$(json_num recommendation_id <"$WORK/cal.json")
expect_contains "calibration: the ids in the text" "recommendation $cid" \
    "$("${T[@]}" review calibrate demo-2026-10 --min-ratings 1000)"
# the ids shown can be decided: ana (analyst, interpretation done) may override a shortlist
# rank, not a vetting verdict nor a calibration flag; a trained manager may
"${T[@]}" -q override shortlist_rank "$sid" --to 3 --reason "brand fit checked by hand" --as ana@example.com
expect_contains "shortlist rank overridden" '"status": "overridden"' "$("${T[@]}" --json recommend list overridden)"
set +e
err=$("${T[@]}" override vetting_verdict "$vid" --to ok --reason "known audience" --as ana@example.com 2>&1)
rc=$?
set -e
expect_eq "analyst override of the recorded verdict refused" 1 "$rc"
expect_contains "refused: why" "the role analyst may not override a vetting_verdict" "$err"
set +e
err=$("${T[@]}" override calibration_flag "$cid" --to none --reason "new reviewer" --as ana@example.com 2>&1)
rc=$?
set -e
expect_eq "analyst override of a calibration flag refused" 1 "$rc"
expect_contains "refused: why (flag)" "the role analyst may not override a calibration_flag" "$err"
printf 'pass-mo-1234567\n' | "${T[@]}" -q user add mo@example.com --role manager
"${T[@]}" -q training record mo@example.com interpretation
"${T[@]}" -q training record mo@example.com escalation
"${T[@]}" -q escalate vetting_verdict "$vid" --to mo@example.com --reason "not mine" --as ana@example.com
"${T[@]}" -q override vetting_verdict "$vid" --to "not recommended" --reason "bought followers seen by hand" --as mo@example.com
"${T[@]}" -q override calibration_flag "$cid" --to none --reason "new reviewer, still learning" --as mo@example.com
"${T[@]}" -q override forecast "$fid" --to "reach 250000" --reason "holiday week" --as ana@example.com
audit=$("${T[@]}" --json audit)
expect_contains "audit: the recorded verdict overridden" '"reason": "bought followers seen by hand"' "$audit"
expect_contains "audit chain ok" '"ok": true' "$("${T[@]}" --json audit --verify)"
# once decided, the next run is a new recommendation
n1=$(nrec)
vid2=$("${T[@]}" --json vet "$subj" | json_num recommendation_id)
[ "$vid2" != "$vid" ] && ok || fail "vet after the decision: the decided recommendation $vid again"
expect_eq "vet after the decision: a new one" $((n1 + 1)) "$(nrec)"

# ---- briefings ----
for a in sales legal pr leadership; do
    "${C[@]}" -q brief --audience "$a" --models "$HERE/../../data/models" --out "$WORK/brief-$a.html"
    b=$(cat "$WORK/brief-$a.html")
    expect_contains "brief $a: audience" "crest briefing: $a" "$b"
    expect_contains "brief $a: accuracy from the model files" "<td>followers</td><td>stratified k-fold; out-of-fold scores</td><td>975</td><td>0.946</td>" "$b"
    expect_contains "brief $a: who may override" "<tr><td>forecast</td><td>analyst</td><td>mechanics</td></tr>" "$b"
    expect_contains "brief $a: the pilot" "Pilot 1 on vetting from 2027-03-01, 30 days:" "$b"
    expect_contains "brief $a: the last change" "filter - raise the minimum engagement rate to 1.5%" "$b"
done
set +e
"${C[@]}" brief --audience investors >/dev/null 2>&1
rc=$?
set -e
expect_eq "unknown audience" 3 "$rc"

# ---- help and --json everywhere ----
for c in "timelog add" "timelog import" workflow "pilot start" "pilot report" "pilot measure" \
    "pilot list" "iteration schedule" "iteration open" "iteration record" "iteration close" \
    "iteration list" "training record" "training list" "recommend add" "recommend list" \
    "recommend accept" "recommend authority" override escalate audit "training check" brief; do
    # shellcheck disable=SC2086
    "$CREST" $c --help | grep -q -- "--json" && ok || fail "$c --help does not name --json"
done
finish
