#!/usr/bin/env bash
# tests/cli/openapi.sh - docs/openapi.yaml against the code: the route table of
# `crest serve --routes --json` and the document name the same routes both ways (method, path
# pattern, parameters, body, security, roles), and real answers of a server on the demo
# workspace - a 2xx of every JSON route and each error status - match the document's schemas
# (tests/cli/openapi.py; python3 with PyYAML, Debian's python3-yaml).
. "$(dirname "$0")/lib.sh"
command -v curl >/dev/null || { echo "openapi.sh: curl is not installed" >&2; exit 77; }
PY=
for p in /usr/bin/python3 python3; do
    if command -v "$p" >/dev/null && "$p" -c 'import yaml' 2>/dev/null; then
        PY=$p
        break
    fi
done
[ -n "$PY" ] || { echo "openapi.sh: python3 with PyYAML (python3-yaml) is not installed" >&2; exit 77; }
DOC="$HERE/../../docs/openapi.yaml"
CHECK="$HERE/openapi.py"

"$CREST" serve --routes --json >"$WORK/routes.json"
if out=$("$PY" "$CHECK" routes "$DOC" "$WORK/routes.json"); then ok; else fail "docs/openapi.yaml: $out"; fi
# the checker itself finds a missing route, an extra one and a wrong role
sed -e 's#^  /api/v1/kpis:#  /api/v1/kpiz:#' -e 's/x-crest-roles: \[admin, manager\]$/x-crest-roles: [admin]/' \
    "$DOC" >"$WORK/bad.yaml"
set +e
out=$("$PY" "$CHECK" routes "$WORK/bad.yaml" "$WORK/routes.json")
rc=$?
set -e
expect_eq "a wrong document fails" 1 "$rc"
expect_contains "a missing route" "route GET /api/v1/kpis is not in docs/openapi.yaml" "$out"
expect_contains "an extra route" "docs/openapi.yaml has GET /api/v1/kpiz, which the route table lacks" "$out"
expect_contains "a wrong role" "POST /api/v1/campaigns: x-crest-roles ['admin'], the route table serves ['admin', 'manager']" "$out"

# ---- real answers against the schemas ----
DB=$(new_db openapi)
"$CREST" --db "$DB" -q demo >/dev/null
"$CREST" --db "$DB" -q import creators "$FIX/creators.csv" >/dev/null
printf 'pass-reviewer-123\n' | "$CREST" --db "$DB" -q user add reviewer@example.com --role reviewer
# partner reviews: a cycle of the first creator, a creator account linked to it, a signed link
printf 'pass-creator-123\n' | "$CREST" --db "$DB" -q user add creator@example.com --role creator
RID=$("$CREST" --db "$DB" creators list --limit 1 --json | json_num id)
printf 'name: oa-cycle\nperiod: 2026-Q4\npartners: ["%s"]\n' "$RID" >"$WORK/cycle.yaml"
"$CREST" --db "$DB" review start "$WORK/cycle.yaml" >/dev/null
"$CREST" --db "$DB" review account creator@example.com "$RID" >/dev/null
TOKEN=$("$CREST" --db "$DB" review link "$RID" --json | grep -o '"token": "[^"]*"' | cut -d'"' -f4)
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

# check STATUS METHOD PATTERN PATH [curl args...]: the answer has STATUS and its body
# matches the document's schema for that operation and status
AUTH=()
COVERED=
check() {
    local want=$1 m=$2 pattern=$3 path=$4 status out
    shift 4
    status=$(curl -s -X "$m" -o "$WORK/body" -w '%{http_code}' ${AUTH[@]+"${AUTH[@]}"} "$@" "$BASE$path")
    expect_eq "$m $path: status" "$want" "$status"
    if out=$("$PY" "$CHECK" validate "$DOC" "$m" "$pattern" "$status" "$WORK/body"); then
        ok
        case "$status" in 2*) COVERED="$COVERED|$m $pattern|" ;; esac
    else
        fail "$m $path ($status) does not match docs/openapi.yaml: $out"
    fi
}

J=(-H 'Content-Type: application/json')
check 200 POST /api/v1/login /api/v1/login -c "$WORK/jar" "${J[@]}" \
    --data-binary '{"email": "admin@demo.example", "password": "crest-demo-admin"}'
CSRF=$(grep -o '"csrf": "[0-9a-f]*"' "$WORK/body" | cut -d'"' -f4)
check 401 POST /api/v1/login /api/v1/login "${J[@]}" --data-binary '{"email": "admin@demo.example", "password": "wrong-one"}'
check 400 POST /api/v1/login /api/v1/login "${J[@]}" --data-binary '{"email": 5}'
check 401 GET /api/v1/creators /api/v1/creators
AUTH=(-b "$WORK/jar" -H "X-CSRF-Token: $CSRF")

check 200 GET /healthz /healthz
check 200 GET /api/v1/creators "/api/v1/creators?limit=0"
check 400 GET /api/v1/creators "/api/v1/creators?limit=lots"
first=$(curl -s "${AUTH[@]}" "$BASE/api/v1/creators?limit=1" | json_num id)
check 200 GET /api/v1/creators/{id} "/api/v1/creators/$first"
check 404 GET /api/v1/creators/{id} /api/v1/creators/999999
check 200 GET /api/v1/creators/{id}/vet "/api/v1/creators/$first/vet?campaign=1"
check 400 GET /api/v1/creators/{id}/vet "/api/v1/creators/$first/vet?campaign=x"
check 404 GET /api/v1/creators/{id}/vet /api/v1/creators/999999/vet
check 200 GET /api/v1/creators/{id}/forecast "/api/v1/creators/$first/forecast"
check 200 GET /api/v1/posts "/api/v1/posts?limit=0"
check 200 GET /api/v1/kpis /api/v1/kpis
check 200 GET /api/v1/discover "/api/v1/discover?topic=running&campaign=1&limit=3"
check 200 GET /api/v1/discover "/api/v1/discover?like=instagram/maya.runs&limit=2"
check 400 GET /api/v1/discover "/api/v1/discover?min_er=lots"
check 404 GET /api/v1/discover "/api/v1/discover?campaign=No+such"
check 200 GET /api/v1/discover/saved /api/v1/discover/saved
check 200 GET /api/v1/campaigns /api/v1/campaigns
for id in 1 2 3 4 5; do
    check 200 GET /api/v1/campaigns/{id} "/api/v1/campaigns/$id"
    check 200 GET /api/v1/campaigns/{id}/progress "/api/v1/campaigns/$id/progress"
    check 200 GET /api/v1/campaigns/{id}/progress "/api/v1/campaigns/$id/progress?as_of=2100-01-01"
    check 200 GET /api/v1/campaigns/{id}/report "/api/v1/campaigns/$id/report"
    check 200 GET /api/v1/campaigns/{id}/check "/api/v1/campaigns/$id/check"
done
check 400 GET /api/v1/campaigns/{id} /api/v1/campaigns/abc
check 405 GET /api/v1/campaigns/{id} /api/v1/campaigns/1 -X DELETE
CAMP='{"name": "OpenAPI push", "brand": "Acme Running",
 "period": {"start": "2027-07-01", "end": "2027-09-30"}, "budget": "15000 USD",
 "primary_goal": "traffic", "objective": "Grow qualified visits to the running-shoe pages",
 "kpis": [{"code": "referral_sessions", "role": "primary", "target": "+25%", "baseline": {"period": "2027-Q2", "value": 18400}},
  {"code": "ctr", "role": "primary", "target": "1.2%"}],
 "partnerships": [{"creator": "instagram/maya.runs", "fee": "3000 USD", "utm_content": "maya_q3"}]}'
check 200 POST /api/v1/campaigns/check /api/v1/campaigns/check "${J[@]}" --data-binary "$CAMP"
check 201 POST /api/v1/campaigns /api/v1/campaigns "${J[@]}" --data-binary "$CAMP"
cid=$(json_num id <"$WORK/body")
check 422 POST /api/v1/campaigns /api/v1/campaigns "${J[@]}" \
    --data-binary "${CAMP/\"primary_goal\": \"traffic\"/\"primary_goal\": [\"traffic\", \"sales\"]}"
check 400 POST /api/v1/campaigns /api/v1/campaigns "${J[@]}" --data-binary '{"name": "x", "kpis": 5}'
check 413 POST /api/v1/campaigns /api/v1/campaigns "${J[@]}" \
    --data-binary @<(head -c $((1024 * 1024 + 1)) /dev/zero | tr '\0' ' ')
check 200 POST /api/v1/campaigns/{id}/baseline "/api/v1/campaigns/$cid/baseline"
check 404 POST /api/v1/campaigns/{id}/baseline /api/v1/campaigns/999999/baseline
check 200 POST /api/v1/goal/parse /api/v1/goal/parse "${J[@]}" --data-binary \
    '{"text": "Increase website referral traffic by 25% over Q3, measured against Q2 baseline, using a budget of $15,000 across four creator partnerships.", "year": 2027}'
check 422 POST /api/v1/goal/parse /api/v1/goal/parse "${J[@]}" --data-binary '{"text": "the weather is nice"}'
check 400 POST /api/v1/goal/parse /api/v1/goal/parse "${J[@]}" --data-binary '{"text": '
check 200 POST /api/v1/imports/{kind} /api/v1/imports/auto -F "file=@$HERE/../fixtures/exports/youtube.csv" \
    --form-string creator=@techwithtara
check 200 POST /api/v1/imports/{kind} /api/v1/imports/creators -H 'Content-Type: text/csv' \
    --data-binary @"$FIX/creators.csv"
check 422 POST /api/v1/imports/{kind} /api/v1/imports/creators -F "file=@$HERE/bad-input/03-bad-count.csv"
check 400 POST /api/v1/imports/{kind} /api/v1/imports/creators -F creator=x
check 415 POST /api/v1/imports/{kind} /api/v1/imports/creators "${J[@]}" --data-binary '{}'
pilot=$("$CREST" --db "$DB" --json pilot start vetting --days 30 --start 2027-03-01 --rate '50 USD' | json_num id)
for d in 02-03 02-10 02-17 03-03 03-10 03-17; do
    tool=--without-tool
    case "$d" in 03-*) tool=--with-tool ;; esac
    "$CREST" --db "$DB" -q timelog add vetting "3${d: -1}" --task "vet creator" --at "2027-$d" --user admin@demo.example "$tool"
done
rec=$("$CREST" --db "$DB" --json recommend add shortlist_rank instagram/maya.runs 2 | json_num id)
check 200 GET /api/v1/program /api/v1/program
check 200 GET /api/v1/program/pilots/{id}/report "/api/v1/program/pilots/$pilot/report"
check 404 GET /api/v1/program/pilots/{id}/report /api/v1/program/pilots/999999/report
check 201 POST /api/v1/program/timelogs /api/v1/program/timelogs "${J[@]}" \
    --data-binary '{"stage": "vetting", "minutes": 21.5, "errors": 0, "with_tool": true, "at": "2027-03-20"}'
check 400 POST /api/v1/program/timelogs /api/v1/program/timelogs "${J[@]}" --data-binary '{"stage": "vetting"}'
check 403 POST /api/v1/program/recommendations/{id}/override "/api/v1/program/recommendations/$rec/override" \
    "${J[@]}" --data-binary '{"value": "1", "reason": "brand fit"}'
"$CREST" --db "$DB" -q training record admin@demo.example interpretation
check 200 POST /api/v1/program/recommendations/{id}/override "/api/v1/program/recommendations/$rec/override" \
    "${J[@]}" --data-binary '{"value": "1", "reason": "brand fit"}'
check 409 POST /api/v1/program/recommendations/{id}/override "/api/v1/program/recommendations/$rec/override" \
    "${J[@]}" --data-binary '{"value": "3", "reason": "changed my mind"}'
check 404 POST /api/v1/program/recommendations/{id}/override /api/v1/program/recommendations/999999/override \
    "${J[@]}" --data-binary '{"value": "3", "reason": "x"}'
rec2=$("$CREST" --db "$DB" --json recommend add shortlist_rank instagram/maya.runs 4 | json_num id)
check 400 POST /api/v1/program/recommendations/{id}/escalate "/api/v1/program/recommendations/$rec2/escalate" \
    "${J[@]}" --data-binary '{"reason": "no to"}'
check 200 POST /api/v1/program/recommendations/{id}/escalate "/api/v1/program/recommendations/$rec2/escalate" \
    "${J[@]}" --data-binary '{"to": "admin@demo.example", "reason": "needs the lead"}'
check 409 POST /api/v1/program/recommendations/{id}/escalate "/api/v1/program/recommendations/$rec/escalate" \
    "${J[@]}" --data-binary '{"to": "admin@demo.example"}'
check 404 POST /api/v1/program/recommendations/{id}/escalate /api/v1/program/recommendations/999999/escalate \
    "${J[@]}" --data-binary '{"to": "admin@demo.example"}'
# ---- outreach (the demo has templates, a sequence and a pipeline) ----
check 200 GET /api/v1/outreach/templates /api/v1/outreach/templates
check 201 POST /api/v1/outreach/templates /api/v1/outreach/templates "${J[@]}" \
    --data-binary '{"name": "oa", "subject": "Hi {{creator.first_name}}", "text": "Hello {{creator.first_name}}: {{nope}}"}'
check 400 POST /api/v1/outreach/templates /api/v1/outreach/templates "${J[@]}" \
    --data-binary '{"name": "oa", "subject": "{{#x}}", "text": "t"}'
curl -s "${AUTH[@]}" "$BASE/api/v1/outreach/pipeline" >"$WORK/pipeline"
OC=$(json_num creator_id <"$WORK/pipeline")
OCAMP=$(json_num campaign_id <"$WORK/pipeline")
check 200 POST /api/v1/outreach/preview /api/v1/outreach/preview "${J[@]}" \
    --data-binary "{\"creator\": $OC, \"campaign\": $OCAMP, \"template\": \"intro\"}"
check 200 POST /api/v1/outreach/preview /api/v1/outreach/preview "${J[@]}" \
    --data-binary "{\"creator\": $OC, \"subject\": \"Hi\", \"text\": \"{{missing.thing}}\"}"
expect_contains "preview lint" '"name": "missing.thing"' "$(cat "$WORK/body")"
check 404 POST /api/v1/outreach/preview /api/v1/outreach/preview "${J[@]}" \
    --data-binary '{"creator": 999999, "template": "intro"}'
check 400 POST /api/v1/outreach/preview /api/v1/outreach/preview "${J[@]}" --data-binary '{"template": "intro"}'
check 200 GET /api/v1/outreach/sequences /api/v1/outreach/sequences
check 201 POST /api/v1/outreach/sequences /api/v1/outreach/sequences "${J[@]}" \
    --data-binary '{"name": "oa-seq", "steps": [{"day": 0, "template": "oa"}, {"day": 3, "template": "oa"}]}'
check 400 POST /api/v1/outreach/sequences /api/v1/outreach/sequences "${J[@]}" \
    --data-binary '{"name": "oa-bad", "steps": [{"day": 0, "template": "no-such-template"}]}'
check 200 GET /api/v1/outreach/queue /api/v1/outreach/queue
check 200 GET /api/v1/outreach/pipeline /api/v1/outreach/pipeline
check 200 GET /api/v1/outreach/pipeline "/api/v1/outreach/pipeline?campaign=$OCAMP"
check 400 GET /api/v1/outreach/pipeline "/api/v1/outreach/pipeline?campaign=x"
check 200 GET /api/v1/outreach/creators/{id}/timeline "/api/v1/outreach/creators/$OC/timeline"
check 404 GET /api/v1/outreach/creators/{id}/timeline /api/v1/outreach/creators/999999/timeline
check 400 GET /api/v1/outreach/creators/{id}/timeline /api/v1/outreach/creators/abc/timeline
check 201 POST /api/v1/outreach/creators/{id}/notes "/api/v1/outreach/creators/$OC/notes" "${J[@]}" \
    --data-binary "{\"campaign\": $OCAMP, \"text\": \"called, will answer Monday\"}"
check 400 POST /api/v1/outreach/creators/{id}/notes "/api/v1/outreach/creators/$OC/notes" "${J[@]}" \
    --data-binary '{"text": ""}'
check 200 POST /api/v1/outreach/creators/{id}/state "/api/v1/outreach/creators/$OC/state" "${J[@]}" \
    --data-binary "{\"campaign\": $OCAMP, \"state\": \"negotiating\"}"
check 400 POST /api/v1/outreach/creators/{id}/state "/api/v1/outreach/creators/$OC/state" "${J[@]}" \
    --data-binary "{\"campaign\": $OCAMP, \"state\": \"prospect\"}"
check 404 POST /api/v1/outreach/creators/{id}/state /api/v1/outreach/creators/999999/state "${J[@]}" \
    --data-binary "{\"campaign\": $OCAMP, \"state\": \"contacted\"}"
check 200 POST /api/v1/outreach/creators/{id}/optout "/api/v1/outreach/creators/$OC/optout" "${J[@]}" \
    --data-binary '{"source": "asked by phone"}'
check 404 POST /api/v1/outreach/creators/{id}/optout /api/v1/outreach/creators/999999/optout "${J[@]}" \
    --data-binary '{}'
# ---- partner reviews ----
SCORES='"content_quality": 4, "brand_voice": 4, "audience_relevance": 3, "ethics_disclosure": 5,
 "brand_safety": 4, "authenticity": 3, "storytelling": 4, "production_discipline": {"score": 2,
 "evidence": "two drafts late", "posts": [1]}, "collaboration": 4'
check 201 POST /api/v1/reviews /api/v1/reviews "${J[@]}" \
    --data-binary "{\"cycle\": \"oa-cycle\", \"partner\": \"$RID\", \"potential\": 3, \"scores\": {$SCORES}}"
check 409 POST /api/v1/reviews /api/v1/reviews "${J[@]}" \
    --data-binary "{\"cycle\": \"oa-cycle\", \"partner\": \"$RID\", \"scores\": {$SCORES}}"
check 400 POST /api/v1/reviews /api/v1/reviews "${J[@]}" \
    --data-binary "{\"cycle\": \"oa-cycle\", \"partner\": \"$RID\", \"scores\": {\"storytelling\": 9}}"
check 404 POST /api/v1/reviews /api/v1/reviews "${J[@]}" --data-binary '{"cycle": "nope", "partner": "1", "scores": {}}'
check 200 GET /api/v1/reviews/cycles /api/v1/reviews/cycles
check 200 GET /api/v1/reviews/cycles/{id} /api/v1/reviews/cycles/oa-cycle
check 404 GET /api/v1/reviews/cycles/{id} /api/v1/reviews/cycles/nope
check 200 GET /api/v1/reviews/cycles/{id}/calibration /api/v1/reviews/cycles/demo-2026-10/calibration
check 422 GET /api/v1/reviews/cycles/{id}/calibration /api/v1/reviews/cycles/oa-cycle/calibration
check 404 GET /api/v1/reviews/cycles/{id}/calibration /api/v1/reviews/cycles/nope/calibration
check 200 GET /api/v1/reviews/creators/{id}/evidence "/api/v1/reviews/creators/$RID/evidence?cycles=6&as_of=2026-11-20"
check 400 GET /api/v1/reviews/creators/{id}/evidence "/api/v1/reviews/creators/$RID/evidence?cycles=1"
check 404 GET /api/v1/reviews/creators/{id}/evidence /api/v1/reviews/creators/999999/evidence
check 200 GET /api/v1/reviews/creators/{id}/scorecard "/api/v1/reviews/creators/$RID/scorecard"
check 200 GET /api/v1/reviews/scorecard "/api/v1/reviews/scorecard?as_of=2026-12-31"
check 200 GET /api/v1/reviews/schedule "/api/v1/reviews/schedule?as_of=2026-11-20&days=30"
check 400 GET /api/v1/reviews/schedule "/api/v1/reviews/schedule?days=x"
check 200 GET /api/v1/reviews/link "/api/v1/reviews/link?token=$TOKEN"
check 401 GET /api/v1/reviews/link "/api/v1/reviews/link?token=1.2.3"
SELF="{\"cycle\": \"oa-cycle\", \"partner\": \"$RID\", \"strengths\": \"hooks\", \"growth_areas\": \"pace\", \"plan\": \"drafts early\"}"
FEEDBACK="{\"cycle\": \"oa-cycle\", \"partner\": \"$RID\", \"brief_clarity\": 4, \"feedback_timeliness\": 3, \"payment_punctuality\": 5, \"creative_freedom\": 4}"
check 201 POST /api/v1/reviews/link/self "/api/v1/reviews/link/self?token=$TOKEN" "${J[@]}" --data-binary "$SELF"
check 201 POST /api/v1/reviews/link/feedback "/api/v1/reviews/link/feedback?token=$TOKEN" "${J[@]}" --data-binary "$FEEDBACK"
check 400 POST /api/v1/reviews/link/feedback "/api/v1/reviews/link/feedback?token=$TOKEN" "${J[@]}" --data-binary '{"cycle": 5}'
SAVED=(${AUTH[@]+"${AUTH[@]}"})
AUTH=(-c "$WORK/jar.creator")
check 200 POST /api/v1/login /api/v1/login "${J[@]}" --data-binary '{"email": "creator@example.com", "password": "pass-creator-123"}'
CCSRF=$(grep -o '"csrf": "[0-9a-f]*"' "$WORK/body" | cut -d'"' -f4)
AUTH=(-b "$WORK/jar.creator" -H "X-CSRF-Token: $CCSRF")
check 200 GET /api/v1/reviews/mine /api/v1/reviews/mine
check 201 POST /api/v1/reviews/mine/self /api/v1/reviews/mine/self "${J[@]}" --data-binary "$SELF"
check 201 POST /api/v1/reviews/mine/feedback /api/v1/reviews/mine/feedback "${J[@]}" --data-binary "$FEEDBACK"
check 403 GET /api/v1/reviews/cycles /api/v1/reviews/cycles
AUTH=("${SAVED[@]}")

AUTH=(-b "$WORK/jar")
check 403 POST /api/v1/goal/parse /api/v1/goal/parse "${J[@]}" --data-binary '{"text": "x"}'
AUTH=(-b "$WORK/jar" -H "X-CSRF-Token: $CSRF")
check 200 POST /api/v1/logout /api/v1/logout

# every JSON route was answered with a 2xx that matches the document
while read -r m p; do
    case "$p" in / | /assets/*) continue ;; esac
    case "$COVERED" in *"|$m $p|"*) ok ;; *) fail "$m $p: no 2xx answer was checked against the document" ;; esac
done < <("$CREST" serve --routes)

kill -TERM "$SRV"
wait "$SRV" || true
finish
