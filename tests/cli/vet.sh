#!/usr/bin/env bash
# tests/cli/vet.sh - crest vet on the demo workspace (both backends): every creator the demo
# gave a bought-follower spike (the plan `crest demo --json` lists: handle, date, counts) is
# flagged with that date, the planted jump and the growth reason, with a follower risk; no
# other creator has a spike or a follower risk; the goal picks the verdict; the result is kept
# unless --no-save; brand-safety lists (imported, PCRE2) flag captions with their excerpts;
# benchmark tables switch the ER range; bad lists and tables name file, line and field.
. "$(dirname "$0")/lib.sh"
PY=$(command -v python3 || true)
[ -n "$PY" ] || { echo "vet.sh: python3 is not installed" >&2; exit 77; }
DB=$(new_db vet)

"$CREST" --db "$DB" demo --json >"$WORK/demo.json"
"$CREST" --db "$DB" vet --all --json >"$WORK/all.json"

# ---- the planted spikes, and only they ----
if out=$("$PY" - "$WORK/demo.json" "$WORK/all.json" <<'PYEOF'
import json, sys
demo = json.load(open(sys.argv[1]))
vets = {(v["platform"], v["handle"]): v for v in json.load(open(sys.argv[2]))}
problems = []
plan = {(s["platform"], s["handle"]): s for s in demo["spikes"]}
if len(plan) != demo["spiked_creators"] or len(plan) < 5:
    problems.append("the demo lists %d spikes for %d spiked creators" % (len(plan), demo["spiked_creators"]))
if len(vets) != demo["creators"]:
    problems.append("vetted %d of %d creators" % (len(vets), demo["creators"]))
for key, s in plan.items():
    v = vets[key]
    if v["spikes"] != [s["date"]]:
        problems.append("%s/%s: spikes %s, planted %s" % (key + (v["spikes"], s["date"])))
    if v["follower_risk"] == "low":
        problems.append("%s/%s: follower risk low despite the spike" % key)
    jump = "{:,}".format(s["followers_after"] - s["followers_before"])
    if not any(("+%s followers on %s" % (jump, s["date"])) in r for r in v["reasons"]):
        problems.append("%s/%s: no reason names +%s followers on %s: %s" % (key + (jump, s["date"], v["reasons"])))
    if v["awareness"] == "ok":
        problems.append("%s/%s: an awareness verdict of ok" % key)
ordinary = [v for k, v in vets.items() if k not in plan]
for v in ordinary:
    if v["spikes"] or v["follower_risk"] != "low":
        problems.append("%s/%s: ordinary creator flagged: %s, follower risk %s" % (v["platform"], v["handle"], v["spikes"], v["follower_risk"]))
mean = lambda xs: sum(xs) / len(xs)
a = mean([vets[k]["score"] for k in plan]); b = mean([v["score"] for v in ordinary])
if not a < b - 10:
    problems.append("mean score of spiked creators %.1f is not well below the others' %.1f" % (a, b))
for v in vets.values():
    if v["score"] is not None and not (v["low"] <= v["score"] <= v["high"]):
        problems.append("%s: score %s outside its interval %s-%s" % (v["handle"], v["score"], v["low"], v["high"]))
print("\n".join(problems))
sys.exit(1 if problems else 0)
PYEOF
); then ok; else fail "demo vetting: $out"; fi

# ---- one spiked creator in full ----
read -r PLAT HANDLE DATE BEFORE AFTER < <("$PY" -c '
import json, sys
s = json.load(open(sys.argv[1]))["spikes"][0]
print(s["platform"], s["handle"], s["date"], s["followers_before"], s["followers_after"])' "$WORK/demo.json")
"$CREST" --db "$DB" vet "$PLAT/$HANDLE" --no-save >"$WORK/one.txt"
JUMP=$("$PY" -c "print('{:,}'.format($AFTER - $BEFORE))")
expect_contains "text: the spike and its date" "+$JUMP followers on $DATE" "$(cat "$WORK/one.txt")"
expect_contains "text: the score with its interval" "Audience Quality Score" "$(cat "$WORK/one.txt")"
expect_contains "text: flags are not verdicts" "not a final verdict" "$(cat "$WORK/one.txt")"
expect_contains "text: no sentiment model" "sentiment not scored" "$(cat "$WORK/one.txt")"
"$CREST" --db "$DB" vet "$PLAT/$HANDLE" --campaign 1 --json --no-save >"$WORK/one.json"
if out=$("$PY" - "$WORK/one.json" "$DATE" "$BEFORE" "$AFTER" <<'PYEOF'
import json, sys
r = json.load(open(sys.argv[1])); date, before, after = sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
p = []
sp = r["growth"]["spikes"]
if len(sp) != 1 or sp[0]["date"] != date or sp[0]["followers_before"] != before or sp[0]["followers_after"] != after:
    p.append("spikes %s, planted %s %d -> %d" % (sp, date, before, after))
elif not sp[0]["robust_z"] >= 6:
    p.append("robust z %s below the threshold" % sp[0]["robust_z"])
if r["verdict"]["goal"] != "awareness" or r["verdict"]["verdict"] != r["verdict"]["awareness"]:
    p.append("campaign 1 (awareness): verdict %s" % r["verdict"])
if not any(d["date"] == date for d in r["growth"]["series"]):
    p.append("the series lacks the spike's day")
names = [c["name"] for c in r["audience_quality"]["components"]]
if names != ["engagement", "likes_comments", "growth", "audience", "comments"]:
    p.append("components %s" % names)
g = [c for c in r["audience_quality"]["components"] if c["name"] == "growth"][0]
if not g["score"] < 100:
    p.append("growth component %s despite the spike" % g["score"])
a = [c for c in r["audience_quality"]["components"] if c["name"] == "audience"][0]
if a["score"] is not None or "follower sample" not in a["note"]:
    p.append("audience component without a sample: %s" % a)
if r["comments"]["sentiment_available"] or r["comments"]["sentiment"] is not None:
    p.append("sentiment reported without a model")
print("\n".join(p)); sys.exit(1 if p else 0)
PYEOF
); then ok; else fail "one creator: $out"; fi

# the goal picks the verdict: sales (campaign 5) judges engagement risk only
"$CREST" --db "$DB" vet "$PLAT/$HANDLE" --campaign 5 --json --no-save >"$WORK/sales.json"
if out=$("$PY" -c '
import json, sys
r = json.load(open(sys.argv[1]))["verdict"]
ok = r["goal"] == "sales" and r["verdict"] == r["conversions"] and "engagement" in r["text"]
print(r); sys.exit(0 if ok else 1)' "$WORK/sales.json"); then ok; else fail "sales verdict: $out"; fi

# ---- kept unless --no-save ----
d0=$(db_digest "$DB")
"$CREST" --db "$DB" -q vet "$PLAT/$HANDLE" --no-save >/dev/null
expect_eq "--no-save changes nothing" "$d0" "$(db_digest "$DB")"
"$CREST" --db "$DB" -q vet "$PLAT/$HANDLE" --followers "$HERE/../fixtures/models/followers.csv" \
    --json >"$WORK/sample.json" 2>"$WORK/sample.err" || true
if [ -s "$WORK/sample.json" ] && grep -q '"follower_sample": {' "$WORK/sample.json"; then
    ok
    [ "$(db_digest "$DB")" != "$d0" ] && ok || fail "a vetting was not kept"
else
    fail "--followers: $(cat "$WORK/sample.err" "$WORK/sample.json")"
fi

# ---- brand safety: a workspace list ----
read -r PID PHANDLE WORD < <("$CREST" --db "$DB" posts list --limit 1 --json | "$PY" -c '
import json, re, sys
p = json.load(sys.stdin)[0]
w = [x for x in re.findall(r"[A-Za-z]{6,}", p["caption"])][0]
print(p["id"], p["platform"] + "/" + p["handle"], w)')
cat >"$WORK/terms.yaml" <<YAML
name: test-terms
source: vet.sh
categories:
  - name: test category
    terms: ['\\b${WORD,,}\\b']
YAML
"$CREST" --db "$DB" vet terms --import "$WORK/terms.yaml" >"$WORK/terms.out"
expect_contains "terms import" "test-terms" "$(cat "$WORK/terms.out")"
"$CREST" --db "$DB" vet "$PHANDLE" --json --no-save >"$WORK/bs.json"
if out=$("$PY" - "$WORK/bs.json" "$WORD" "$PID" <<'PYEOF'
import json, sys
b = json.load(open(sys.argv[1]))["brand_safety"]; word = sys.argv[2].lower()
mine = [f for f in b["flags"] if f["list"] == "test-terms"]
p = []
if not mine: p.append("no flag of the imported list: %s" % b)
for f in mine:
    if f["category"] != "test category" or f["matched"].lower() != word or word not in f["excerpt"].lower():
        p.append("flag %s" % f)
if int(sys.argv[3]) not in [f["post_id"] for f in mine] and b["matches"] <= len(b["flags"]):
    p.append("post %s not flagged" % sys.argv[3])
if "never a verdict" not in b["note"]: p.append("note %s" % b["note"])
print("\n".join(p)); sys.exit(1 if p else 0)
PYEOF
); then ok; else fail "brand safety: $out"; fi
"$CREST" --db "$DB" vet "$PHANDLE" --no-save >"$WORK/bs.txt"
expect_contains "text: flags are for a person" "never verdicts" "$(cat "$WORK/bs.txt")"
printf 'name: broken\nsource: vet.sh\ncategories:\n  - name: x\n    terms: ["(open"]\n' >"$WORK/bad.yaml"
set +e
out=$("$CREST" --db "$DB" vet terms --import "$WORK/bad.yaml" 2>&1)
rc=$?
set -e
expect_eq "a bad pattern: exit 3" 3 "$rc"
expect_contains "a bad pattern: file, line, field" "bad.yaml:5:" "$out"
expect_contains "a bad pattern: the field" "categories[0].terms[0]" "$out"

# ---- benchmark tables ----
"$CREST" --db "$DB" vet benchmarks --json >"$WORK/b.json"
expect_contains "default table" '"name": "untapper-2026"' "$(cat "$WORK/b.json")"
IG=$("$PY" -c '
import json, sys
print([v["platform"] + "/" + v["handle"] for v in json.load(open(sys.argv[1])) if v["platform"] == "instagram"][0])' "$WORK/all.json")
cat >"$WORK/mine.yaml" <<YAML
name: vet-test
source: vet.sh
tier_scheme: later-fohr
benchmarks:
  - { platform: instagram, tier: nano, low: 40%, high: 50%, definition: per_follower }
  - { platform: instagram, tier: micro, low: 40%, high: 50%, definition: per_follower }
  - { platform: instagram, tier: mid, low: 40%, high: 50%, definition: per_follower }
  - { platform: instagram, tier: macro, low: 40%, high: 50%, definition: per_follower }
  - { platform: instagram, tier: mega, low: 40%, high: 50%, definition: per_follower }
YAML
"$CREST" --db "$DB" -q vet benchmarks --import "$WORK/mine.yaml" >/dev/null
"$CREST" --db "$DB" vet "$IG" --benchmarks vet-test --json --no-save >"$WORK/ig.json"
if out=$("$PY" -c '
import json, sys
r = json.load(open(sys.argv[1])); e = r["engagement_rate"]
c = [x for x in r["audience_quality"]["components"] if x["name"] == "engagement"][0]
ok = e["benchmarks"] == "vet-test" and e["benchmark_low"] == 0.4 and c["score"] is not None and c["score"] < 50
print(e, c); sys.exit(0 if ok else 1)' "$WORK/ig.json"); then ok; else fail "own benchmarks: $out"; fi
sed 's/low: 40%, high: 50%/low: 60%, high: 50%/' "$WORK/mine.yaml" | sed 's/vet-test/vet-bad/' >"$WORK/bad-b.yaml"
set +e
out=$("$CREST" --db "$DB" vet benchmarks --import "$WORK/bad-b.yaml" 2>&1)
rc=$?
set -e
expect_eq "a bad table: exit 3" 3 "$rc"
expect_contains "a bad table: line and field" "bad-b.yaml:5:45: benchmarks[0]" "$out"
expect_contains "a bad table: what" "expected low <= high" "$out"

# ---- usage and not found ----
set +e
"$CREST" --db "$DB" vet @nobody-here >/dev/null 2>&1
expect_eq "unknown creator: exit 4" 4 $?
"$CREST" --db "$DB" vet "$PLAT/$HANDLE" --campaign 999 >/dev/null 2>&1
expect_eq "unknown campaign: exit 4" 4 $?
"$CREST" --db "$DB" vet --all "$PLAT/$HANDLE" >/dev/null 2>&1
expect_eq "--all with a creator: exit 2" 2 $?
set -e
"$CREST" vet --help >/dev/null && ok || fail "crest vet --help"
"$CREST" vet followers --help >/dev/null && ok || fail "crest vet followers --help"
finish
