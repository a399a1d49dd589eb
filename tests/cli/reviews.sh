#!/usr/bin/env bash
# tests/cli/reviews.sh - partner reviews (issue 8) on the demo workspace, both backends: the
# built-in rubric and stored versions; cycles; brand reviews with the evidence rule (scores of
# 2 or below need evidence), every criterion required, final once submitted; the ratings
# preview; self-assessment, feedback, release and what a creator may read - through the real
# HTTP server, a creator account and a signed link cannot reach another creator's review or
# any brand review before release; the schedule (monthly from the threshold, debriefs 7 days
# after a campaign) and its ICS parsed back; the evidence panel's OLS slope and t-interval
# recomputed here; scorecard trend arrows; milestones, overdue alerts and incentives due;
# note search; calibration of a cycle against the same ratings as a CSV.
. "$(dirname "$0")/lib.sh"
command -v curl >/dev/null || { echo "reviews.sh: curl is not installed" >&2; exit 77; }
PY=$(command -v python3 || true)
[ -n "$PY" ] || { echo "reviews.sh: python3 is not installed" >&2; exit 77; }
DB=$(new_db reviews)
"$CREST" --db "$DB" demo -q >/dev/null
C=("$CREST" --db "$DB")
cd "$WORK"

# run_rc CMD...: the exit code and output (stdout and stderr) of a command expected to fail
run_rc() {
    set +e
    OUT=$("$@" 2>&1)
    RC=$?
    set -e
}

# the partners: three creators of the demo's campaigns (its seeded generator makes them)
P1=instagram/thepriyarunner P2=tiktok/theevarunner P3=instagram/theleoeats
for p in $P1 $P2 $P3; do
    "${C[@]}" creators show "$p" >/dev/null && ok || fail "the demo has no creator $p"
done

# ---- the demo's reviews: three monthly cycles from its seeded generator ----
"${C[@]}" review cycles --json >demo-cycles.json
"${C[@]}" review calibrate demo-2026-10 --json >demo-cal.json
if out=$("$PY" - demo-cycles.json demo-cal.json <<'PYEOF'
import json, sys
cycles = [c for c in json.load(open(sys.argv[1])) if c["name"].startswith("demo-")]
cal = json.load(open(sys.argv[2]))
problems = []
if [(c["name"], c["partners"], c["reviews"], c["released"]) for c in cycles] != [
        ("demo-2026-08", 8, 16, 8), ("demo-2026-09", 8, 16, 8), ("demo-2026-10", 8, 16, 0)]:
    problems.append("demo cycles %s" % cycles)
if cal["nraters"] != 4 or not cal["connected"] or cal["ratings"] != 144:
    problems.append("demo calibration: %s raters, connected %s, %s ratings" % (cal["nraters"], cal["connected"], cal["ratings"]))
sev = sorted(r["severity"] for r in cal["raters"])
if sev[-1] - sev[0] < 0.3:
    problems.append("the demo's reviewers barely differ in severity: %s" % sev)
print("; ".join(problems))
sys.exit(1 if problems else 0)
PYEOF
); then ok; else fail "demo reviews: $out"; fi

# ---- rubrics ----
out=$("${C[@]}" review rubric list)
expect_contains "rubric list: the built-in default" "default                    1  built in  9" "$out"
out=$("${C[@]}" review rubric show)
expect_contains "rubric show: a criterion" "Storytelling (storytelling; dimension storytelling)" "$out"
expect_contains "rubric show: an anchor" "  5  Memorable storytelling that the audience shares and retells." "$out"
expect_eq "rubric show --json: nine criteria with five anchors each" "9 5" \
    "$("${C[@]}" review rubric show --json | "$PY" -c '
import json, sys
r = json.load(sys.stdin)
print(len(r["criteria"]), min(len(c["anchors"]) for c in r["criteria"]))')"
cat >rubric.yaml <<'EOF'
name: default
criteria:
  - code: storytelling
    name: Storytelling
    dimension: storytelling
    anchors: [a, b, c, d, e]
  - code: production_discipline
    name: Production discipline
    anchors: [a, b, c, d, e]
EOF
expect_eq "rubric add: the next version of default" '"version": 2' \
    "$("${C[@]}" review rubric add rubric.yaml --json | grep -o '"version": [0-9]*')"
expect_contains "rubric list: version 2 stored" "default                    2  stored    2" \
    "$("${C[@]}" review rubric list)"
printf 'name: bad\ncriteria:\n  - code: x\n    name: X\n    anchors: [a, b, c]\n' >badrubric.yaml
run_rc "${C[@]}" review rubric add badrubric.yaml
expect_eq "a rubric with three anchors: exit 3" 3 "$RC"
expect_contains "a rubric with three anchors: where and what" \
    "badrubric.yaml:5:15: criteria[0].anchors: expected a list of 5 anchors (levels 1 to 5), found 3" "$OUT"

# ---- cycles ----
# three monthly cycles over the months the demo's posts cover
for q in 1 2 3; do
    printf 'name: 2026-%02d\nkind: monthly\nperiod: 2026-%02d\nrubric: default\nrubric_version: 1\nlead: lead@example.com\npartners: [%s, %s, %s]\n' \
        $((q + 7)) $((q + 7)) "$P1" "$P2" "$P3" >"cycle$q.yaml"
    expect_contains "start cycle $q" "stored cycle" "$("${C[@]}" review start "cycle$q.yaml")"
done
run_rc "${C[@]}" review start cycle1.yaml
expect_eq "a second cycle of one name: exit 1" 1 "$RC"
expect_contains "a second cycle of one name" "cycle1.yaml:1:7: name: expected a new cycle name, found '2026-08', which exists already" "$OUT"
printf 'name: x\nkind: yearly\nperiod: 2026-08\n' >badkind.yaml
run_rc "${C[@]}" review start badkind.yaml
expect_eq "a bad kind: exit 3" 3 "$RC"
expect_contains "a bad kind" "badkind.yaml:2:7: kind: expected quarterly, monthly, midcycle or debrief, found 'yearly'" "$OUT"
printf 'name: y\nperiod: 2026-08\npartners: [instagram/nobody_here]\n' >badpartner.yaml
run_rc "${C[@]}" review start badpartner.yaml
expect_eq "an unknown partner: exit 4" 4 "$RC"
expect_contains "an unknown partner" "badpartner.yaml:3:12: partners: expected a known creator (ID, platform/handle or @handle), found 'instagram/nobody_here'" "$OUT"
expect_eq "cycles: three besides the demo's" 3 "$("${C[@]}" review cycles --json | grep -c '"name": "2026-')"

# ---- brand reviews ----
# review CYCLE PARTNER REVIEWER BASE [POTENTIAL]: every criterion at BASE (storytelling BASE+1)
review() {
    local f="rev-$1-${2//\//_}-$3.yaml" s=$4
    {
        printf 'cycle: %s\npartner: %s\nreviewer: %s\npotential: %s\nsummary: Plain words.\nscores:\n' "$1" "$2" "$3" "${5:-2}"
        for c in content_quality brand_voice audience_relevance ethics_disclosure brand_safety \
            authenticity production_discipline collaboration; do
            if [ "$s" -le 2 ]; then
                printf '  %s: {score: %s, evidence: "two drafts came late", posts: [1, 2]}\n' "$c" "$s"
            else
                printf '  %s: %s\n' "$c" "$s"
            fi
        done
        printf '  storytelling: %s\n' $((s + 1))
    } >"$f"
    "${C[@]}" review submit "$f" >/dev/null
}
# storytelling rises 3, 4, 5 over the quarters for P1; ana is lenient, bob is harsh by one
review 2026-08 "$P1" ana@example.com 2 3
review 2026-09 "$P1" ana@example.com 3 3
review 2026-10 "$P1" ana@example.com 4 3
review 2026-10 "$P2" ana@example.com 3
review 2026-10 "$P3" ana@example.com 4
review 2026-10 "$P2" bob@example.com 2
ok

cat >noevidence.yaml <<'EOF'
cycle: 2026-10
partner: instagram/theleoeats
reviewer: bob@example.com
scores:
  content_quality: 3
  brand_voice: 3
  audience_relevance: 3
  ethics_disclosure: 3
  brand_safety: 3
  authenticity: 3
  storytelling: 2
  production_discipline: 3
  collaboration: 3
EOF
run_rc "${C[@]}" review submit noevidence.yaml
expect_eq "a 2 without evidence: exit 3" 3 "$RC"
expect_contains "a 2 without evidence: file, line, column, field" \
    "noevidence.yaml:11:17: scores.storytelling: a score of 2 needs evidence" "$OUT"
grep -v collaboration noevidence.yaml | sed 's/storytelling: 2/storytelling: 3/' >missing.yaml
run_rc "${C[@]}" review submit missing.yaml
expect_eq "a missing criterion: exit 3" 3 "$RC"
expect_contains "a missing criterion" "found none for 'collaboration'" "$OUT"
sed 's/storytelling: 2/storytelling: 7/' noevidence.yaml >seven.yaml
run_rc "${C[@]}" review submit seven.yaml
expect_contains "a score of 7" "seven.yaml:11:17: scores.storytelling: expected a score from 1 to 5, found '7'" "$OUT"
run_rc "${C[@]}" review submit "rev-2026-10-${P2//\//_}-bob@example.com.yaml"
expect_eq "a second review by one reviewer: exit 1" 1 "$RC"
expect_contains "final once submitted" "has submitted a review of this partner in cycle 2026-10 already" "$OUT"
expect_eq "nothing was stored by the refusals" 6 \
    "$("${C[@]}" review cycles --json | "$PY" -c 'import json,sys; print(sum(c["reviews"] for c in json.load(sys.stdin) if c["name"].startswith("2026-")))')"

# ratings preview: bob has not reviewed P1 or P3 in 2026-10, so ana's reviews of them are
# hidden from him; of P2, which he reviewed, he sees both
"${C[@]}" review show 2026-10 --as bob@example.com --json >preview.json
if out=$("$PY" - preview.json "$P1" "$P2" <<'PYEOF'
import json, sys
d = json.load(open(sys.argv[1]))
by = {p["platform"] + "/" + p["handle"]: p for p in d["partners"]}
problems = []
p1, p2 = by[sys.argv[2]], by[sys.argv[3]]
if p1["reviews"] or p1["hidden_reviews"] != 1:
    problems.append("P1: %d visible, %d hidden" % (len(p1["reviews"]), p1["hidden_reviews"]))
if sorted(r["reviewer"] for r in p2["reviews"]) != ["ana@example.com", "bob@example.com"]:
    problems.append("P2: %s" % [r["reviewer"] for r in p2["reviews"]])
if d["visibility"] != "preview":
    problems.append("visibility %s" % d["visibility"])
print("; ".join(problems))
sys.exit(1 if problems else 0)
PYEOF
); then ok; else fail "ratings preview: $out"; fi
expect_contains "preview text" "(1 other review hidden until you submit yours)" \
    "$("${C[@]}" review show 2026-10 --as bob@example.com)"
expect_eq "the manager's view shows all four reviews of 2026-10" 4 \
    "$("${C[@]}" review show 2026-10 --json | grep -c '"reviewer":')"

# ---- calibration of a cycle: the same as its ratings as a CSV ----
"${C[@]}" review show 2026-10 --json | "$PY" -c '
import json, sys
d = json.load(sys.stdin)
print("ratee,rater,criterion,score")
for p in d["partners"]:
    for r in p["reviews"]:
        for c, s in sorted(r["scores"].items()):
            print("%s/%s,%s,%s,%d" % (p["platform"], p["handle"], r["reviewer"], c, s["score"]))' >q3.csv
"${C[@]}" review calibrate 2026-10 --json >cal-cycle.json
"$CREST" review calibrate --ratings q3.csv --json >cal-csv.json
if out=$("$PY" - cal-cycle.json cal-csv.json <<'PYEOF'
import json, sys
a, b = (json.load(open(f)) for f in sys.argv[1:3])
sev = lambda d: {r["name"]: round(r["severity"], 9) for r in d["raters"]}
problems = []
if sev(a) != sev(b):
    problems.append("cycle %s, csv %s" % (sev(a), sev(b)))
s = sev(a)
if not s["bob@example.com"] > s["ana@example.com"]:
    problems.append("bob (harsher by a point) is not more severe than ana: %s" % s)
print("; ".join(problems))
sys.exit(1 if problems else 0)
PYEOF
); then ok; else fail "calibrate CYCLE: $out"; fi
run_rc "${C[@]}" review calibrate 2026-Q9
expect_eq "calibrate an unknown cycle: exit 4" 4 "$RC"

# ---- the creator's voice ----
cat >self.yaml <<EOF
cycle: 2026-10
partner: $P1
strengths: Long-form running stories.
growth_areas: Delivering drafts on time.
plan: Shoot two weeks ahead of each deadline.
EOF
cat >feedback.json <<EOF
{"cycle": "2026-10", "partner": "$P1", "brief_clarity": 4, "feedback_timeliness": 2,
 "payment_punctuality": 5, "creative_freedom": 4, "comment": "Feedback came late."}
EOF
expect_contains "self-assessment" "stored self_assessment" "$("${C[@]}" review self self.yaml)"
expect_contains "feedback" "stored feedback" "$("${C[@]}" review feedback feedback.json)"
sed 's/"brief_clarity": 4/"brief_clarity": 6/' feedback.json >badfb.json
run_rc "${C[@]}" review feedback badfb.json
expect_contains "feedback out of range" "badfb.json:1:78: brief_clarity: expected a whole number from 1 to 5, found '6'" "$OUT"

# ---- access through the real server ----
printf 'pass-priya-1234\n' | "${C[@]}" -q user add priya@example.com --role creator
printf 'pass-eva-123456\n' | "${C[@]}" -q user add eva@example.com --role creator
printf 'pass-bob-123456\n' | "${C[@]}" -q user add bob@example.com --role reviewer
"${C[@]}" review account priya@example.com "$P1" >/dev/null
"${C[@]}" review account eva@example.com "$P2" >/dev/null
run_rc "${C[@]}" review account bob@example.com "$P1"
expect_contains "only creator accounts are linked" "has the role reviewer" "$OUT"
TOK1=$("${C[@]}" review link "$P1" --json | grep -o '"token": "[^"]*"' | cut -d'"' -f4)
TOK2=$("${C[@]}" review link "$P2" --json | grep -o '"token": "[^"]*"' | cut -d'"' -f4)
OLD=$("${C[@]}" review link "$P1" --expires 2020-01-01 --json | grep -o '"token": "[^"]*"' | cut -d'"' -f4)

LOG="$WORK/serve.log"
"$CREST" --db "$DB" serve --listen 127.0.0.1:0 2>"$LOG" &
SRV=$!
trap "kill $SRV 2>/dev/null || true; $(trap -p EXIT | sed -e "s/^trap -- '//" -e "s/' EXIT\$//")" EXIT
PORT=
for _ in $(seq 1 100); do
    PORT=$(grep -o 'listening on http://127.0.0.1:[0-9]*' "$LOG" | sed 's/.*://' || true)
    [ -n "$PORT" ] && break
    kill -0 "$SRV" 2>/dev/null || break
    sleep 0.1
done
[ -n "$PORT" ] || { cat "$LOG" >&2; fail "the server did not start"; finish; }
BASE="http://127.0.0.1:$PORT"
AUTH=()
req() {
    local m=$1 p=$2
    shift 2
    STATUS=$(curl -s -X "$m" -o "$WORK/body" -w '%{http_code}' ${AUTH[@]+"${AUTH[@]}"} "$@" "$BASE$p")
    BODY=$(cat "$WORK/body")
}
login() {
    AUTH=(-c "$WORK/jar.$1")
    req POST /api/v1/login -H 'Content-Type: application/json' \
        --data-binary "{\"email\": \"$1\", \"password\": \"$2\"}"
    expect_eq "login $1" 200 "$STATUS"
    AUTH=(-b "$WORK/jar.$1" -H "X-CSRF-Token: $(echo "$BODY" | grep -o '"csrf": "[0-9a-f]*"' | cut -d'"' -f4)")
}
J=(-H 'Content-Type: application/json')

login priya@example.com pass-priya-1234
req GET /api/v1/reviews/mine
expect_eq "priya reads her own reviews" 200 "$STATUS"
# before release: her own self-assessment and feedback, no brand review, no reviewer, no score
if out=$(echo "$BODY" | "$PY" -c '
import json, sys
d = json.load(sys.stdin)
q3 = [c for c in d["cycles"] if c["name"] == "2026-10"][0]
problems = []
if d["partner"] != sys.argv[1]: problems.append("partner %s" % d["partner"])
if q3["released"] or q3["reviews"]: problems.append("brand reviews before release: %s" % q3["reviews"])
if q3["self_assessment"]["strengths"] != "Long-form running stories.": problems.append("no self-assessment")
if q3["feedback"]["feedback_timeliness"] != 2: problems.append("no feedback")
print("; ".join(problems)); sys.exit(1 if problems else 0)' "$P1"); then ok; else fail "priya before release: $out"; fi
for word in ana@example.com bob@example.com '"score"' '"mean"'; do
    case "$BODY" in *"$word"*) fail "priya's view before release holds $word" ;; *) ok ;; esac
done
req GET /api/v1/reviews/cycles/2026-10
expect_eq "a creator cannot read a cycle" 403 "$STATUS"
req GET "/api/v1/reviews/creators/1/scorecard"
expect_eq "a creator cannot read a scorecard" 403 "$STATUS"
printf '{"cycle": "2026-10", "partner": "%s", "strengths": "x", "growth_areas": "y", "plan": "z"}' "$P2" >other-self.json
req POST /api/v1/reviews/mine/self "${J[@]}" --data-binary @other-self.json
expect_eq "priya cannot answer for eva's partnership" 403 "$STATUS"
expect_contains "... and is told why" "only be filled in for your own partnership" "$BODY"
req POST /api/v1/reviews "${J[@]}" --data-binary '{"cycle": "2026-10", "partner": "1", "scores": {}}'
expect_eq "a creator cannot submit a brand review" 403 "$STATUS"

# the creator routes' bodies (tests/cli/upload.sh sweeps the others): malformed, not an
# object, too large; the session routes need the CSRF token, the link routes the token
head -c $((1024 * 1024 + 10)) /dev/zero | tr '\0' ' ' >big.json
for p in /api/v1/reviews/mine/self /api/v1/reviews/mine/feedback "/api/v1/reviews/link/self?token=$TOK1" \
    "/api/v1/reviews/link/feedback?token=$TOK1"; do
    for bad in '{"cycle": ' '[1, 2]' '"text"'; do
        req POST "$p" "${J[@]}" --data-binary "$bad"
        expect_eq "POST $p with $bad" 400 "$STATUS"
        expect_contains "POST $p with $bad: invalid" '"code": "invalid"' "$BODY"
    done
    req POST "$p" "${J[@]}" --data-binary @big.json
    expect_eq "POST $p over 1 MiB" 413 "$STATUS"
done
SAVED=("${AUTH[@]}")
AUTH=(-b "$WORK/jar.priya@example.com")
req POST /api/v1/reviews/mine/self "${J[@]}" --data-binary @self.yaml
expect_eq "mine/self without the CSRF token" 403 "$STATUS"
AUTH=("${SAVED[@]}")

login eva@example.com pass-eva-123456
req GET /api/v1/reviews/mine
expect_eq "eva reads her own" 200 "$STATUS"
case "$BODY" in *"Long-form running stories"* | *"$P1"*) fail "eva sees priya's answers" ;; *) ok ;; esac

# the signed links
AUTH=()
req GET "/api/v1/reviews/link?token=$TOK2"
expect_eq "eva's link" 200 "$STATUS"
expect_contains "eva's link is eva's" "\"partner\": \"$P2\"" "$BODY"
case "$BODY" in *"Long-form running stories"*) fail "eva's link shows priya's answers" ;; *) ok ;; esac
FORGED="${TOK2%%.*}.${TOK1#*.}"
req GET "/api/v1/reviews/link?token=$FORGED"
expect_eq "priya's signature on eva's id" 401 "$STATUS"
req GET "/api/v1/reviews/link?token=$OLD"
expect_eq "an expired link" 401 "$STATUS"
expect_contains "an expired link says so" "the review link expired" "$BODY"
req POST "/api/v1/reviews/link/self?token=$TOK2" "${J[@]}" \
    --data-binary "{\"cycle\": \"2026-10\", \"partner\": \"$P1\", \"strengths\": \"x\", \"growth_areas\": \"y\", \"plan\": \"z\"}"
expect_eq "eva's link cannot answer for priya" 403 "$STATUS"
req POST "/api/v1/reviews/link/self?token=$TOK2" "${J[@]}" \
    --data-binary "{\"cycle\": \"2026-10\", \"partner\": \"$P2\", \"strengths\": \"Tutorials\", \"growth_areas\": \"Hooks\", \"plan\": \"Test three hooks\"}"
expect_eq "eva's link answers for eva" 201 "$STATUS"

# the reviewer's API view is the preview
login bob@example.com pass-bob-123456
req GET /api/v1/reviews/cycles/2026-10
expect_eq "bob reads the cycle" 200 "$STATUS"
expect_contains "bob's view is the preview" '"visibility": "preview"' "$BODY"
case "$BODY" in *'"summary": "Plain words."'*) ok ;; *) fail "bob sees no review" ;; esac
expect_eq "bob sees his own and ana's review of P2 only" 2 "$(echo "$BODY" | grep -c '"reviewer":')"
# ... and the scorecards and the evidence panel keep the preview: nothing of P1's unreleased
# cycles (he reviewed none of them), P2's 2026-10 (he reviewed it) shown
P1ID=$("${C[@]}" creators show "$P1" --json | json_num id)
req GET "/api/v1/reviews/creators/$P1ID/scorecard"
expect_eq "bob: P1's scorecard" 200 "$STATUS"
expect_eq "bob: no score of P1 before release" "[None, None, None]" \
    "$(echo "$BODY" | "$PY" -c 'import json,sys; print([c["overall"] for c in json.load(sys.stdin)["cycles"]])')"
req GET "/api/v1/reviews/creators/$P1ID/evidence"
expect_contains "bob: no previous review of P1" '"previous_review": null' "$BODY"
req GET /api/v1/reviews/scorecard
expect_eq "bob: the cohort shows P2 (reviewed by him), not P1 or P3" "['low', 'unknown', 'unknown']" \
    "$(echo "$BODY" | "$PY" -c '
import json, sys
d = json.load(sys.stdin)
by = {p["partner"]: p["performance_band"] for p in d["partners"]}
print([by[k] for k in sys.argv[1:]])' "$P2" "$P1" "$P3")"
expect_eq "the CLI (a manager's view) shows P1's scores" "[2.1, 3.1, 4.1]" \
    "$("${C[@]}" review scorecard "$P1" --json | "$PY" -c 'import json,sys; print([round(c["overall"], 1) for c in json.load(sys.stdin)["cycles"]])')"

# release P1 only: priya sees the brand reviews of her partnership, unnamed; eva still none
expect_contains "release one partner" "released the reviews of 1 partner" \
    "$("${C[@]}" review release 2026-10 "$P1" --by lead@example.com)"
login priya@example.com pass-priya-1234
req GET /api/v1/reviews/mine
if out=$(echo "$BODY" | "$PY" -c '
import json, sys
d = json.load(sys.stdin)
q3 = [c for c in d["cycles"] if c["name"] == "2026-10"][0]
q2 = [c for c in d["cycles"] if c["name"] == "2026-09"][0]
problems = []
if not q3["released"] or len(q3["reviews"]) != 1: problems.append("2026-10 after release: %s" % q3["reviews"])
elif q3["reviews"][0]["reviewer"] != "Reviewer 1": problems.append("reviewer named %s" % q3["reviews"][0]["reviewer"])
elif q3["reviews"][0]["scores"]["storytelling"]["score"] != 5: problems.append("scores %s" % q3["reviews"][0]["scores"])
if q2["reviews"]: problems.append("2026-09 was not released but shows %s" % q2["reviews"])
print("; ".join(problems)); sys.exit(1 if problems else 0)'); then ok; else fail "priya after release: $out"; fi
case "$BODY" in *ana@example.com*) fail "the released review names its reviewer" ;; *) ok ;; esac
req POST /api/v1/reviews/mine/feedback "${J[@]}" --data-binary @feedback.json
expect_eq "feedback after release" 409 "$STATUS"
login eva@example.com pass-eva-123456
req GET /api/v1/reviews/mine
expect_eq "eva still sees no brand review" 0 "$(echo "$BODY" | grep -c '"reviewer":' || true)"
kill "$SRV"
wait "$SRV" 2>/dev/null || true
run_rc "${C[@]}" review self self.yaml
expect_eq "a self-assessment after release: exit 1" 1 "$RC"

# ---- the schedule and its calendar ----
"${C[@]}" review schedule --as-of 2026-11-20 --days 60 --json >sched.json
"${C[@]}" review schedule --as-of 2026-11-20 --days 60 --monthly-threshold 1000 --json >sched-q.json
"${C[@]}" review schedule --as-of 2026-11-20 --days 60 --ics sched.ics >/dev/null
"${C[@]}" posts list --creator "$P1" --since 2026-10-21 --until 2026-11-19 --limit 0 --json >p1posts.json
if out=$("$PY" - sched.json sched-q.json sched.ics p1posts.json "$P1" <<'PYEOF'
import json, sys, re
s, q = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
ics = open(sys.argv[3]).read().replace("\r\n", "\n").replace("\n ", "")
posts = json.load(open(sys.argv[4]))
p1 = sys.argv[5]
problems = []
items = s["items"]
kinds = {i["kind"] for i in items}
for k in ("monthly", "quarterly", "debrief"):
    if k not in kinds: problems.append("no %s item" % k)
# P1's cadence follows its posts of the 30 days before as_of
n = len(posts) if isinstance(posts, list) else len(posts.get("posts", []))
mine = [i for i in items if i["partner"] == p1 and i["kind"] in ("monthly", "quarterly")]
want = "monthly" if n >= 8 else "quarterly"
if not mine or any(i["kind"] != want for i in mine):
    problems.append("P1 (%d posts in 30 days) is scheduled %s" % (n, [i["kind"] for i in mine]))
if any(i["kind"] == "monthly" for i in q["items"]):
    problems.append("a threshold of 1000 posts still schedules monthly reviews")
# P1's reviewed month is done when P1 is reviewed monthly
done = [i for i in items if i["partner"] == p1 and i["period"] == "2026-10"]
if want == "monthly" and done:
    problems.append("P1's reviewed 2026-10 is listed: %s" % done)
if not any(i["status"] == "overdue" and i["period"] == "2026-10" for i in items):
    problems.append("no overdue 2026-10 review of an unreviewed monthly partner")
for i in items:
    if i["kind"] == "debrief" and "ended; debrief due 7 days after" not in i["reason"]:
        problems.append("debrief reason %s" % i["reason"])
    if i["status"] == "overdue" and i["due"] >= s["as_of"]:
        problems.append("overdue but due %s" % i["due"])
# the calendar: one VEVENT per item, with its date and a unique UID
events = re.findall(r"BEGIN:VEVENT\n(.*?)END:VEVENT", ics, re.S)
if not ics.startswith("BEGIN:VCALENDAR\nVERSION:2.0\n"): problems.append("ics header")
if len(events) != len(items): problems.append("%d events for %d items" % (len(events), len(items)))
uids = [re.search(r"^UID:(.*)$", e, re.M).group(1) for e in events]
if len(set(uids)) != len(uids): problems.append("duplicate UIDs")
dates = sorted(re.search(r"^DTSTART;VALUE=DATE:(\d{8})$", e, re.M).group(1) for e in events)
if dates != sorted(i["due"].replace("-", "") for i in items): problems.append("event dates differ from due dates")
if not any("SUMMARY:Debrief of " in e for e in events): problems.append("no debrief event")
print("; ".join(problems))
sys.exit(1 if problems else 0)
PYEOF
); then ok; else fail "schedule: $out"; fi

# ---- growth plans, milestones, incentives ----
cat >plan.yaml <<EOF
partner: $P1
title: Deliver drafts on time
cycle: 2026-10
reviewer: ana@example.com
milestones:
  - {metric: on_time_drafts, target: 0.9, due: 2026-10-15, owner: creator, incentive: {amount: 25000, currency: USD, reward: bonus}}
  - {metric: engagement_rate, target: 0.09, due: 2027-03-31, owner: creator}
  - {metric: brief_turnaround_days, target: 3, due: 2026-10-01, owner: brand}
EOF
expect_contains "plan" "stored plan" "$("${C[@]}" review plan plan.yaml)"
sed 's/owner: brand/owner: agency/' plan.yaml >badplan.yaml
run_rc "${C[@]}" review plan badplan.yaml
expect_contains "a bad owner" "badplan.yaml:8:72: milestones[2].owner: expected creator or brand, found 'agency'" "$OUT"
sed 's/reviewer: ana@example.com/reviewer: zed@example.com/' plan.yaml >badrev.yaml
run_rc "${C[@]}" review plan badrev.yaml
expect_eq "a plan from a review that does not exist: exit 4" 4 "$RC"
MID=$("${C[@]}" review scorecard "$P1" --json | "$PY" -c '
import json, sys
d = json.load(sys.stdin)
print([m["id"] for p in d["growth_plans"] for m in p["milestones"] if m["metric"] == "on_time_drafts"][0])')
card() {
    "${C[@]}" review scorecard --as-of 2026-11-20 --json | "$PY" -c '
import json, sys
d = json.load(sys.stdin)
mine = lambda l: sorted(m["metric"] for m in l if m["partner"] == sys.argv[1])
print(mine(d["overdue"]), mine(d["incentives_due"]))' "$P1"
}
expect_eq "before: two overdue, no incentive due" "['brief_turnaround_days', 'on_time_drafts'] []" "$(card)"
"${C[@]}" review milestone "$MID" --status met --actual 0.95 --date 2026-10-12 >/dev/null
expect_eq "met: its incentive is due" "['brief_turnaround_days'] ['on_time_drafts']" "$(card)"
expect_contains "the incentive in the cohort text" "on_time_drafts: bonus 250.00 USD" \
    "$("${C[@]}" review scorecard --as-of 2026-11-20)"
run_rc "${C[@]}" review milestone 999999 --status met
expect_eq "an unknown milestone: exit 4" 4 "$RC"
run_rc "${C[@]}" review milestone "$MID" --status done
expect_eq "a bad status: exit 3" 3 "$RC"

# ---- scorecard: trend arrows from the slope's interval ----
"${C[@]}" review scorecard "$P1" --as-of 2026-11-20 --json >card.json
if out=$("$PY" - card.json <<'PYEOF'
import json, sys
d = json.load(open(sys.argv[1]))
problems = []
got = [c["storytelling"] for c in d["cycles"]]
if got != [3.0, 4.0, 5.0]: problems.append("storytelling per cycle %s" % got)
t = d["trends"]
if t["storytelling"]["arrow"] != "up": problems.append("storytelling %s" % t["storytelling"])
if t["compliance"]["arrow"] != "up": problems.append("compliance %s" % t["compliance"])
if t["kpi_delivery"]["arrow"] != "n/a": problems.append("kpi delivery without targets: %s" % t["kpi_delivery"])
plan = d["growth_plans"][0]
if plan["cycle"] != "2026-10" or plan["review_id"] is None: problems.append("plan not linked to its review: %s" % plan)
print("; ".join(problems))
sys.exit(1 if problems else 0)
PYEOF
); then ok; else fail "scorecard: $out"; fi
# a flat series is not a trend: P1 reviewed at 3 in every quarter would be flat; P2 has one
# cycle of reviews only, so no arrow at all
expect_eq "one cycle: no arrow" "n/a" "$("${C[@]}" review scorecard "$P2" --json | "$PY" -c '
import json, sys; print(json.load(sys.stdin)["trends"]["overall"]["arrow"])')"
"${C[@]}" review scorecard --as-of 2026-11-20 --json >cohort.json
if out=$("$PY" - cohort.json "$P1" "$P2" <<'PYEOF'
import json, sys
d = json.load(open(sys.argv[1]))
problems = []
if d["cycle"] != "2026-10": problems.append("cohort cycle %s" % d["cycle"])
# 4 reviews x 9 criteria
if sum(d["distribution"].values()) != 36: problems.append("distribution %s" % d["distribution"])
by = {p["partner"]: p for p in d["partners"]}
if by[sys.argv[2]]["box"] != "high/high": problems.append("P1 box %s" % by[sys.argv[2]]["box"])
if by[sys.argv[3]]["performance_band"] != "low": problems.append("P2 %s" % by[sys.argv[3]])
print("; ".join(problems))
sys.exit(1 if problems else 0)
PYEOF
); then ok; else fail "cohort: $out"; fi

# ---- the evidence panel: slope and t-interval recomputed ----
"${C[@]}" review evidence "$P1" --cycles 6 --as-of 2026-11-20 --json >ev.json
if out=$("$PY" - ev.json <<'PYEOF'
import json, sys, math
d = json.load(open(sys.argv[1]))
# two-sided 95% t quantiles by degrees of freedom
T = {1: 12.7062, 2: 4.3027, 3: 3.1824, 4: 2.7764, 5: 2.5706, 6: 2.4469, 7: 2.3646, 8: 2.3060}
problems = []
if d["periods_basis"] != "review cycles": problems.append("basis %s" % d["periods_basis"])
if [p["period"] for p in d["periods"]] != ["2026-08", "2026-09", "2026-10"]:
    problems.append("periods %s" % [p["period"] for p in d["periods"]])
checked = 0
for k in d["kpis"]:
    pts = [(i, y) for i, y in enumerate(k["values"]) if y is not None]
    t = k["trend"]
    if len(pts) < 2:
        continue
    n = len(pts)
    mx = sum(x for x, _ in pts) / n; my = sum(y for _, y in pts) / n
    sxx = sum((x - mx) ** 2 for x, _ in pts)
    b = sum((x - mx) * (y - my) for x, y in pts) / sxx
    if abs(b - t["slope"]) > 1e-9 * max(1, abs(b)): problems.append("%s slope %s, recomputed %s" % (k["kpi"], t["slope"], b))
    if n >= 3:
        a = my - b * mx
        se = math.sqrt(sum((y - a - b * x) ** 2 for x, y in pts) / (n - 2) / sxx)
        half = T[n - 2] * se
        if abs(t["low"] - (b - half)) > 1e-3 * max(1e-9, half) or abs(t["high"] - (b + half)) > 1e-3 * max(1e-9, half):
            problems.append("%s interval %s..%s, recomputed %s..%s" % (k["kpi"], t["low"], t["high"], b - half, b + half))
        want = "up" if b - half > 0 else "down" if b + half < 0 else "flat"
        if t["arrow"] != want: problems.append("%s arrow %s, want %s" % (k["kpi"], t["arrow"], want))
        checked += 1
if checked < 3: problems.append("only %d KPIs had 3 points" % checked)
if len(d["top_posts"]) != 3 or len(d["bottom_posts"]) != 3: problems.append("top/bottom posts")
elif not d["top_posts"][0]["engagement_rate"] >= d["top_posts"][-1]["engagement_rate"] >= d["bottom_posts"][0]["engagement_rate"]:
    problems.append("posts not ranked")
if d["previous_review"]["cycle"] != "2026-10": problems.append("previous review %s" % d["previous_review"])
if d["growth_plans"][0]["title"] != "Deliver drafts on time": problems.append("growth plan")
print("; ".join(problems))
sys.exit(1 if problems else 0)
PYEOF
); then ok; else fail "evidence: $out"; fi
expect_contains "evidence text" "SLOPE PER PERIOD (95% INTERVAL)" "$("${C[@]}" review evidence "$P1" --as-of 2026-11-20)"
run_rc "${C[@]}" review evidence "$P1" --cycles 1
expect_eq "evidence --cycles 1: usage" 2 "$RC"

# ---- notes and search ----
cat >note.yaml <<EOF
kind: playbook
title: Sunrise trail runs
body: A sunrise trail run with a gear check held viewers to the end; the audience asked for the route.
partner: $P1
campaign: Acme Running Autumn Miles
posts: [3, 4]
EOF
printf 'kind: debrief\ntitle: City breaks debrief\nbody: Short reels of hidden cafes beat long vlogs.\n' >note2.yaml
"${C[@]}" review note note.yaml >/dev/null
"${C[@]}" review note note2.yaml >/dev/null
expect_contains "search: every word" "playbook  Sunrise trail runs" "$("${C[@]}" review search 'Trail GEAR')"
expect_eq "search: one match" 1 "$("${C[@]}" review search 'trail gear' --json | grep -c '"title":')"
expect_eq "search: the other note" 1 "$("${C[@]}" review search 'cafes' --json | grep -c '"kind": "debrief"')"
expect_eq "search: no match" 0 "$("${C[@]}" review search 'trail cafes' --json | grep -c '"title":' || true)"
expect_eq "search: FTS syntax is plain text" 0 "$("${C[@]}" review search 'trail OR "x' --json | grep -c '"title":' || true)"

# ---- kickoff pack, review packet, rotation ----
"${C[@]}" review kickoff "$P1" --out kickoff.html >/dev/null
"${C[@]}" review packet 2026-10 "$P1" --out packet.html >/dev/null
if out=$("$PY" - kickoff.html packet.html <<'PYEOF'
import sys, re
k, p = open(sys.argv[1]).read(), open(sys.argv[2]).read()
problems = []
# the latest default rubric is the version 2 stored above
for want in ("<h1>Kickoff pack: instagram/thepriyarunner</h1>", "(rubric default, version 2)", "<tr><th>5</th><td>e</td></tr>",
             "Self-assessment template", "Payment punctuality", "engagement rate (engagements / reach)"):
    if want not in k: problems.append("kickoff lacks %r" % want)
for want in ("Review packet: instagram/thepriyarunner, cycle 2026-10", "What went well", "Where we can grow together",
             "<td>Storytelling</td><td>5.0</td><td>4.0</td>", "Deliver drafts on time"):
    if want not in p: problems.append("packet lacks %r" % want)
# plain, non-accusatory words
for word in ("fail", "poor", "bad ", "unacceptable", "blame"):
    if word in re.sub("<[^>]+>", " ", p).lower(): problems.append("packet says %r" % word)
if "<script" in k + p: problems.append("script in a printable page")
print("; ".join(problems))
sys.exit(1 if problems else 0)
PYEOF
); then ok; else fail "kickoff/packet: $out"; fi
run_rc "${C[@]}" review packet 2026-08 "$P2"
expect_eq "a packet without reviews: exit 4" 4 "$RC"
# a cycle where each reviewer saw a different partner cannot be calibrated across them: the
# rotation names the assignment that links them
printf 'name: split\nperiod: 2026-11\nrubric_version: 1\nlead: ana@example.com\npartners: [%s, %s]\n' "$P1" "$P2" >split.yaml
"${C[@]}" review start split.yaml >/dev/null
review split "$P1" ana@example.com 4
review split "$P2" bob@example.com 3
"${C[@]}" review rotation split --json >rot.json
if out=$("$PY" - rot.json <<'PYEOF'
import json, sys
d = json.load(open(sys.argv[1]))
problems = []
if d["lead"] != "ana@example.com" or d["next_lead"] != "bob@example.com": problems.append("leads %s -> %s" % (d["lead"], d["next_lead"]))
if d["connected"] or d["components"] != 2: problems.append("components %s" % d["components"])
if len(d["assignments"]) != 1: problems.append("assignments %s" % d["assignments"])
else:
    a = d["assignments"][0]
    if (a["reviewer"], a["partner"]) not in (("ana@example.com", "tiktok/theevarunner"), ("bob@example.com", "instagram/thepriyarunner")):
        problems.append("assignment %s" % a)
print("; ".join(problems))
sys.exit(1 if problems else 0)
PYEOF
); then ok; else fail "rotation: $out"; fi
expect_contains "rotation text (connected)" "no extra assignment needed" "$("${C[@]}" review rotation demo-2026-10)"

# ---- every subcommand has --help ----
for sub in rubric start cycles show submit self feedback release evidence scorecard schedule \
    plan milestone note search link account calibrate kickoff packet rotation; do
    "$CREST" review "$sub" --help >/dev/null && ok || fail "crest review $sub --help"
done

finish
