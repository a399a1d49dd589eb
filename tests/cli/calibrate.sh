#!/usr/bin/env bash
# SPDX-License-Identifier: MIT -- Copyright (c) the crest contributors.
#
# calibrate.sh - `crest review calibrate --ratings FILE` end to end:
#   - both real data sets of ../shared/data/rater-calibration reproduce the additive-model
#     reference of their SOURCE.md to 0.001 (severities, SEs, n, raw means, criterion effects,
#     top-5 fair scores; sigma, reliability and separation to their printed digits): the
#     reference is parsed out of SOURCE.md here, no figure is typed in;
#   - the Rasch severities order the raters as the additive ones within their errors (no pair
#     ordered the other way with a difference beyond 1.96 joint SEs in either model);
#   - a simulated cycle with known severities (bench's gen_ratings, seeded) is recovered with
#     correlation >= 0.95 by both models, and the fair scores rank the partners better
#     (Spearman against the true quality) than the raw means;
#   - a disconnected design is detected and the proposed rotation connects it;
#   - bad input names file, line, column and field; usage errors exit 2.
# Usage: calibrate.sh PATH/TO/crest PATH/TO/gen_ratings
source "$(dirname "$0")/lib.sh"
GEN=${2:?usage: $0 crest gen_ratings}
ROOT=$(cd "$HERE/../.." && pwd)
DATA="$ROOT/../shared/data/rater-calibration"
PY=/usr/bin/python3

# run_checks: the python below prints "ok WHAT" or "FAIL WHAT" lines (VERBOSE=1 shows the oks)
run_checks() {
    local line
    while IFS= read -r line; do
        case "$line" in
            ok\ *)
                ok
                if [ -n "${VERBOSE:-}" ]; then echo "$line"; fi
                ;;
            FAIL\ *) fail "${line#FAIL }" ;;
            *) echo "$line" ;;
        esac
    done
}

# ---- help and usage ---------------------------------------------------------------------
out=$("$CREST" review calibrate --help)
expect_contains "help" "ratee,rater,criterion,score" "$out"
out=$("$CREST" review --help)
expect_contains "review help lists calibrate" "calibrate" "$out"
set +e
"$CREST" review calibrate >/dev/null 2>"$WORK/err"
expect_eq "no --ratings exits 2" 2 $?
"$CREST" review calibrate --ratings x.csv --model probit >/dev/null 2>"$WORK/err"
expect_eq "bad model exits 2" 2 $?
expect_contains "bad model message" "expected additive or rasch, found 'probit'" "$(cat "$WORK/err")"
set -e

# ---- bad input ----------------------------------------------------------------------------
printf 'ratee,rater,score\nP1,R1,3\n' >"$WORK/nocrit.csv"
set +e
"$CREST" review calibrate --ratings "$WORK/nocrit.csv" >/dev/null 2>"$WORK/err"
expect_eq "missing column exits 3" 3 $?
expect_contains "missing column named" "nocrit.csv:1:1: header: expected the columns ratee, rater, criterion, score; found no 'criterion' column" "$(cat "$WORK/err")"
printf 'rater,ratee,criterion,score\nR1,P1,c,3\nR2,P1,c,high\n' >"$WORK/badscore.csv"
"$CREST" review calibrate --ratings "$WORK/badscore.csv" >/dev/null 2>"$WORK/err"
expect_eq "bad score exits 3" 3 $?
expect_contains "bad score named" "badscore.csv:3:4: score: expected a number, found 'high'" "$(cat "$WORK/err")"
printf 'ratee,rater,criterion,score\nP1,R1,c,3\nP2,,c,4\n' >"$WORK/empty.csv"
"$CREST" review calibrate --ratings "$WORK/empty.csv" >/dev/null 2>"$WORK/err"
expect_contains "empty rater named" "empty.csv:3:2: rater: expected a name, found an empty cell" "$(cat "$WORK/err")"
printf 'ratee,rater,criterion,score\nP1,R1,c,3.5\nP1,R2,c,4\nP2,R1,c,2\nP2,R2,c,3\n' >"$WORK/half.csv"
"$CREST" review calibrate --ratings "$WORK/half.csv" --model rasch >/dev/null 2>"$WORK/err"
expect_eq "Rasch on a half score exits 3" 3 $?
expect_contains "Rasch half score" "expected a whole number for the Rasch model, found 3.5" "$(cat "$WORK/err")"
"$CREST" --json review calibrate --ratings "$WORK/missing.csv" >"$WORK/out" 2>/dev/null
expect_eq "missing file exits 4" 4 $?
expect_contains "missing file as JSON error" '"error"' "$(cat "$WORK/out")"
set -e

# ---- the real data sets against SOURCE.md --------------------------------------------------
if [ -f "$DATA/SOURCE.md" ] && [ -x "$PY" ]; then
    for f in kuhlisch2016_reviews ptam4_ratings; do
        "$CREST" --json review calibrate --ratings "$DATA/$f.csv" >"$WORK/$f.additive.json"
        "$CREST" --json review calibrate --ratings "$DATA/$f.csv" --model rasch \
            >"$WORK/$f.rasch.json"
    done
    out=$("$CREST" review calibrate --ratings "$DATA/kuhlisch2016_reviews.csv")
    expect_contains "table: design verdict" "design: connected" "$out"
    expect_contains "table: a rater row" "R19 " "$out"
    "$PY" - "$DATA/SOURCE.md" "$WORK" <<'EOF' >"$WORK/checks.real"
import json, math, re, sys

source, work = sys.argv[1], sys.argv[2]
text = open(source, encoding="utf-8").read()
# the sections "## N. FILE.csv: ..." of SOURCE.md
sections = {}
for m in re.finditer(r"^## \d+\. (\S+)\.csv:(.*?)(?=^## |\Z)", text, re.S | re.M):
    sections[m.group(1)] = m.group(2)

def check(what, ok):
    print(("ok " if ok else "FAIL ") + what)

def close(what, ours, ref, tol):
    check("%s: ours %s, SOURCE.md %s (tolerance %g)" % (what, ours, ref, tol),
          ours is not None and abs(ours - ref) <= tol + 1e-9)

for name in ("kuhlisch2016_reviews", "ptam4_ratings"):
    sec = sections.get(name)
    check("SOURCE.md has a section for %s" % name, sec is not None)
    if sec is None:
        continue
    res = json.load(open("%s/%s.additive.json" % (work, name)))
    raters = {r["name"]: r for r in res["raters"]}
    m = re.search(r"sigma=([\d.]+) df=(\d+) rater separation reliability=([\d.]+) "
                  r"separation=([\d.]+)", sec)
    check("%s: SOURCE.md global line found" % name, m is not None)
    close(name + " sigma", res["sigma"], float(m.group(1)), 0.0001)
    close(name + " df", res["df"], float(m.group(2)), 0)
    close(name + " rater reliability", res["rater_reliability"], float(m.group(3)), 0.001)
    close(name + " rater separation", res["rater_separation"], float(m.group(4)), 0.01)
    check(name + " connected", res["connected"] is True and len(res["rotation"]) == 0)
    rows = re.findall(r"^\| (R\w+) \| (\d+) \| ([\d.]+) \| ([+-][\d.]+) \| ([\d.]+) \|$", sec,
                      re.M)
    check("%s: %d rater rows in SOURCE.md, %d raters calibrated" % (name, len(rows), len(raters)),
          len(rows) == len(raters) and len(rows) >= 10)
    worst = 0
    for rater, n, mean, sev, se in rows:
        r = raters.get(rater)
        check("%s %s present" % (name, rater), r is not None)
        if r is None:
            continue
        close("%s %s n" % (name, rater), r["n"], int(n), 0)
        close("%s %s raw mean" % (name, rater), r["raw_mean"], float(mean), 0.0005)
        close("%s %s severity" % (name, rater), r["severity"], float(sev), 0.001)
        close("%s %s SE" % (name, rater), r["se"], float(se), 0.001)
        worst = max(worst, abs(r["severity"] - float(sev)), abs(r["se"] - float(se)))
    print("%s: largest severity/SE difference from SOURCE.md %.5f" % (name, worst))
    m = re.search(r"criterion easiness \(pts, sum-to-zero\): (.*)", sec)
    if m:
        crits = {c["name"]: c for c in res["criteria"]}
        for cname, val in re.findall(r"(\S+)=([+-][\d.]+)", m.group(1)):
            # SOURCE.md's easiness is crest's difficulty with the sign turned
            close("%s criterion %s easiness" % (name, cname), -crits[cname]["difficulty"],
                  float(val), 0.001)
    m = re.search(r"top-5 ratees \(adjusted\): (.*)", sec)
    check(name + " top-5 line found", m is not None)
    ratees = {r["name"]: r for r in res["ratees"]}
    for rname, val in re.findall(r"(\w+)=([\d.]+)", m.group(1)):
        close("%s ratee %s fair score" % (name, rname), ratees[rname]["fair"], float(val), 0.001)

    # the Rasch severities order the raters as the additive ones, within their errors
    ras = {r["name"]: r for r in json.load(open("%s/%s.rasch.json" % (work, name)))["raters"]}
    names = sorted(raters)
    against = 0
    for i in range(len(names)):
        for j in range(i + 1, len(names)):
            a, b = names[i], names[j]
            da = raters[a]["severity"] - raters[b]["severity"]
            dr = ras[a]["severity"] - ras[b]["severity"]
            if da * dr >= 0:
                continue
            za = abs(da) / math.hypot(raters[a]["se"], raters[b]["se"])
            zr = abs(dr) / math.hypot(ras[a]["se"], ras[b]["se"])
            against += 1
            check("%s: Rasch orders %s and %s the other way, within errors (z %.2f additive, "
                  "%.2f Rasch)" % (name, a, b, za, zr), za < 1.96 and zr < 1.96)
    print("%s: %d of %d rater pairs ordered the other way by Rasch, none beyond their errors"
          % (name, against, len(names) * (len(names) - 1) // 2))
EOF
    run_checks <"$WORK/checks.real"
else
    echo "calibrate.sh: ../shared/data/rater-calibration or python3 missing: reference checks skipped" >&2
fi

# ---- a simulated cycle with known severities ---------------------------------------------
"$GEN" "$WORK/sim" --ratings 6000 --partners 600 --reviewers 24 --criteria 5 --seed 11
"$CREST" --json review calibrate --ratings "$WORK/sim.csv" >"$WORK/sim.additive.json"
"$CREST" --json review calibrate --ratings "$WORK/sim.csv" --model rasch >"$WORK/sim.rasch.json"
"$PY" - "$WORK" <<'EOF' >"$WORK/checks.sim"
import csv, json, sys

work = sys.argv[1]
truth = {"rater": {}, "ratee": {}}
for row in csv.DictReader(open(work + "/sim.truth.csv")):
    truth[row["kind"]][row["name"]] = float(row["value"])

def pearson(x, y):
    n = len(x)
    mx, my = sum(x) / n, sum(y) / n
    sxy = sum((a - mx) * (b - my) for a, b in zip(x, y))
    sxx = sum((a - mx) ** 2 for a in x)
    syy = sum((b - my) ** 2 for b in y)
    return sxy / (sxx * syy) ** 0.5

def ranks(v):
    order = sorted(range(len(v)), key=lambda i: v[i])
    r = [0.0] * len(v)
    i = 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and v[order[j + 1]] == v[order[i]]:
            j += 1
        for k in range(i, j + 1):
            r[order[k]] = (i + j) / 2.0
        i = j + 1
    return r

def spearman(x, y):
    return pearson(ranks(x), ranks(y))

def check(what, ok):
    print(("ok " if ok else "FAIL ") + what)

for model in ("additive", "rasch"):
    res = json.load(open("%s/sim.%s.json" % (work, model)))
    names = [r["name"] for r in res["raters"]]
    est = [r["severity"] for r in res["raters"]]
    true = [truth["rater"][n] for n in names]
    r = pearson(est, true)
    check("%s: simulated severities recovered, correlation %.3f >= 0.95" % (model, r), r >= 0.95)
    pn = [p["name"] for p in res["ratees"]]
    tq = [truth["ratee"][n] for n in pn]
    s_fair = spearman([p["fair"] for p in res["ratees"]], tq)
    s_raw = spearman([p["raw_mean"] for p in res["ratees"]], tq)
    check("%s: fair scores rank partners better than raw means (Spearman %.3f vs %.3f)"
          % (model, s_fair, s_raw), s_fair > s_raw)
EOF
run_checks <"$WORK/checks.sim"

# ---- a disconnected design and the rotation that connects it ---------------------------------
"$GEN" "$WORK/split" --ratings 450 --partners 60 --reviewers 9 --criteria 3 --groups 3 --seed 5
"$CREST" --json review calibrate --ratings "$WORK/split.csv" >"$WORK/split.json"
out=$("$CREST" review calibrate --ratings "$WORK/split.csv")
expect_contains "table: disconnected verdict" "design: NOT connected: 3 separate groups" "$out"
"$PY" - "$WORK" <<'EOF' >"$WORK/checks.split"
import json, sys

work = sys.argv[1]
res = json.load(open(work + "/split.json"))
print(("ok " if not res["connected"] and len(res["components"]) == 3 else "FAIL ")
      + "three reviewer teams give three components (got %d)" % len(res["components"]))
print(("ok " if len(res["rotation"]) == 2 else "FAIL ") + "two extra assignments proposed")
flagged = [r for r in res["raters"] if "isolated" in r["flags"]]
print(("ok " if len(flagged) == 6 else "FAIL ")
      + "the raters outside the largest group are flagged isolated (%d)" % len(flagged))
with open(work + "/split.csv", "a") as f:
    for a in res["rotation"]:
        f.write("%s,%s,C1,3\n" % (a["ratee"], a["rater"]))
EOF
run_checks <"$WORK/checks.split"
"$CREST" --json review calibrate --ratings "$WORK/split.csv" >"$WORK/joined.json"
expect_contains "the rotation connects the design" '"connected": true' "$(cat "$WORK/joined.json")"
out=$("$CREST" review calibrate --ratings "$WORK/split.csv")
expect_contains "table: connected after the rotation" "design: connected" "$out"

finish
