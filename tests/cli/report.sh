#!/usr/bin/env bash
# tests/cli/report.sh - `crest report` on the demo workspace: every demo campaign as HTML and
# JSON, the HTML's KPI figures checked cell by cell against the JSON report (same value, same
# formatting), self-contained HTML with inline SVG charts, XLSX with one sheet per table, CSV
# tables, the creator report, stale-source warnings, usage errors; then `crest export all`.
. "$(dirname "$0")/lib.sh"
DB=$(new_db report)
export CREST_DB="$DB"
"$CREST" -q demo >/dev/null

# a few generic imports whose data is months old: their sources must be flagged stale
for k in creators posts metrics; do
    "$CREST" -q import "$k" "$FIX/$k.csv" >/dev/null
done

# compare_html JSON HTML: every KPI cell of the HTML equals the JSON report's formatted value
compare_html() {
    python3 - "$1" "$2" <<'EOF'
import json, sys
from html.parser import HTMLParser

rep = json.load(open(sys.argv[1]))
html = open(sys.argv[2], encoding="utf-8").read()

class P(HTMLParser):
    def __init__(self):
        super().__init__()
        self.cells, self.cur, self.tags, self.steps = [], None, {}, {}
    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.tags[tag] = self.tags.get(tag, 0) + 1
        if tag == "td" and ("data-kpi" in a or "data-step" in a):
            self.cur = [a.get("data-scope"), a.get("data-kpi"), a.get("data-step"), ""]
        for k in ("src", "href"):
            v = a.get(k)
            if v and tag != "a":
                print(f"external resource: <{tag} {k}={v}>"); sys.exit(1)
    def handle_data(self, d):
        if self.cur is not None:
            self.cur[3] += d
    def handle_endtag(self, tag):
        if tag == "td" and self.cur is not None:
            self.cells.append(self.cur); self.cur = None

p = P(); p.feed(html)
for t in ("script", "link", "img", "iframe"):
    if p.tags.get(t):
        print(f"not self-contained: <{t}>"); sys.exit(1)
want = {}
def fmt(v): return "-" if v["formatted"] is None else v["formatted"]
if rep["report"] == "campaign":
    for k in rep["kpis"]:
        want[("progress", k["code"])] = fmt(k)
        want[("target", k["code"])] = k["target_formatted"] or "-"
        want[("baseline", k["code"])] = k["baseline_formatted"] or "-"
    partners = rep["leaderboard"]
else:
    partners = rep["partnerships"]
for k in rep["totals"]: want[("totals", k["code"])] = fmt(k)
for pa in partners:
    for k in pa["kpis"]: want[(f"partnership-{pa['partnership_id']}", k["code"])] = fmt(k)
steps = {f["step"]: f["value"] for f in rep["funnel"]}
checked = numbers = 0
for scope, code, step, text in p.cells:
    text = text.strip()
    if step:
        if text.replace(",", "") != str(steps[step]):
            print(f"funnel {step}: html {text}, json {steps[step]}"); sys.exit(1)
        checked += 1; continue
    if (scope, code) not in want:
        print(f"html cell {scope}/{code} is not in the JSON report"); sys.exit(1)
    if want[(scope, code)] != text:
        print(f"{scope}/{code}: html [{text}], json [{want[(scope, code)]}]"); sys.exit(1)
    checked += 1
    numbers += text != "-"
missing = [k for k in want if k[0] in ("progress", "target", "baseline", "totals") and
           not any(c[0] == k[0] and c[1] == k[1] for c in p.cells)]
if missing:
    print(f"JSON KPIs missing from the HTML: {missing[:5]}"); sys.exit(1)
if p.tags.get("svg", 0) < (3 if rep["report"] == "campaign" else 2):
    print(f"only {p.tags.get('svg', 0)} svg charts"); sys.exit(1)
emv = [k for k in rep["totals"] if k["code"] == "emv"][0]
if emv["formatted"] is None or rep["emv"]["rate_card"] is None:
    print(f"no EMV: {emv['missing']}"); sys.exit(1)
if numbers < 5:
    print(f"only {numbers} KPI figures with a value"); sys.exit(1)
print(f"{checked} {numbers}")
EOF
}

for id in 1 2 3 4 5; do
    "$CREST" -q report campaign "$id" --format json -o "$WORK/c$id.json"
    "$CREST" -q report campaign "$id" --format html -o "$WORK/c$id.html"
    res=$(compare_html "$WORK/c$id.json" "$WORK/c$id.html") && ok ||
        fail "campaign $id: html vs json: $res"
    expect_contains "campaign $id: line chart" "<polyline" "$(cat "$WORK/c$id.html")"
    expect_contains "campaign $id: print stylesheet" "@media print" "$(cat "$WORK/c$id.html")"
    expect_contains "campaign $id: EMV labelled relative" "EMV (relative)" "$(cat "$WORK/c$id.html")"
    expect_contains "campaign $id: EMV from a rate card" '"rate_card": "' "$(cat "$WORK/c$id.json")"
    expect_contains "campaign $id: EMV called relative" "EMV is a relative measure" \
        "$(cat "$WORK/c$id.html")"
    expect_contains "campaign $id: reach is an upper bound" "upper bound of unique reach" \
        "$(cat "$WORK/c$id.html")"
    expect_contains "campaign $id: stale source in html" "stale source: metrics" \
        "$(cat "$WORK/c$id.html")"
    expect_contains "campaign $id: stale source in json" "stale source: metrics" \
        "$(cat "$WORK/c$id.json")"
done
# the JSON report to stdout is the same report
"$CREST" report campaign 1 --json >"$WORK/c1-stdout.json"
python3 -c '
import json, sys
a, b = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
for k in ("kpis", "totals", "leaderboard", "funnel", "series"):
    assert a[k] == b[k], k
assert len(a["series"]) > 0 and len(a["leaderboard"]) > 0 and a["posts"] > 0
' "$WORK/c1.json" "$WORK/c1-stdout.json" && ok || fail "--json on stdout differs from -o"
# the leaderboard adds up to the campaign's totals
python3 -c '
import json, sys
r = json.load(open(sys.argv[1]))
i = r["inputs"]
for k in ("impressions", "reach", "clicks", "spend_minor", "posts"):
    s = sum(p["inputs"][k] for p in r["leaderboard"])
    assert s == i[k], (k, s, i[k])
' "$WORK/c2.json" && ok || fail "campaign 2: the leaderboard does not add up to the totals"

# XLSX: a zip with one worksheet per table, the same tables as the CSV directory
"$CREST" -q report campaign 1 --format xlsx -o "$WORK/c1.xlsx"
"$CREST" -q report campaign 1 --format csv -o "$WORK/c1-csv"
res=$(python3 -c '
import re, sys, zipfile, os
z = zipfile.ZipFile(sys.argv[1])
wb = z.read("xl/workbook.xml").decode()
names = re.findall(r"<sheet name=\"([^\"]+)\"", wb)
sheets = [n for n in z.namelist() if n.startswith("xl/worksheets/sheet")]
csvs = sorted(f[:-4] for f in os.listdir(sys.argv[2]) if f.endswith(".csv"))
assert len(names) == len(sheets), (names, sheets)
assert sorted(names) == csvs, (names, csvs)
for t in ("kpis", "leaderboard", "series", "funnel", "top_posts", "sources"):
    assert t in names, t
print(len(names))
' "$WORK/c1.xlsx" "$WORK/c1-csv") && ok || fail "xlsx: $res"
# the workbook's numbers are numbers (not text) and equal the JSON report's
res=$(python3 - "$WORK/c1.xlsx" "$WORK/c1.json" <<'EOF'
import json, re, sys, zipfile
z, rep = zipfile.ZipFile(sys.argv[1]), json.load(open(sys.argv[2]))
wb = z.read("xl/workbook.xml").decode()
rels = z.read("xl/_rels/workbook.xml.rels").decode()
target = {}
for rel in re.findall(r"<Relationship [^>]*>", rels):
    target[re.search(r'Id="([^"]+)"', rel).group(1)] = re.search(r'Target="([^"]+)"', rel).group(1)
sheets = {n: "xl/" + target[i].replace("/xl/", "") for n, i in
          re.findall(r'<sheet name="([^"]+)"[^>]*r:id="([^"]+)"', wb)}
def cells(name):
    xml = z.read(sheets[name]).decode()
    out = {}
    for ref, attrs, body in re.findall(r'<c r="([A-Z]+[0-9]+)"([^>]*)>(.*?)</c>', xml):
        v = re.search(r"<v>(.*?)</v>", body)
        out[ref] = ("s" if 't="' in attrs else "n", v.group(1) if v else None)
    return out
ser = cells("series")
for i, d in enumerate(rep["series"]):
    for col, key in (("B", "impressions"), ("F", "sessions")):
        kind, v = ser[f"{col}{i + 2}"]
        assert kind == "n" and float(v) == d[key], (col, i, kind, v, d[key])
lb = cells("leaderboard")
for i, p in enumerate(rep["leaderboard"]):
    kind, v = lb[f"H{i + 2}"]  # spend, in major units
    assert kind == "n" and abs(float(v) - p["inputs"]["spend_minor"] / 100) < 1e-9, (i, v)
print(len(rep["series"]))
EOF
) && ok || fail "xlsx numbers: $res"
head -1 "$WORK/c1-csv/leaderboard.csv" | grep -q '^rank,campaign,platform,handle,tier' && ok ||
    fail "leaderboard.csv header: $(head -1 "$WORK/c1-csv/leaderboard.csv")"
kpis=$("$CREST" report campaign 1 --format csv)
expect_contains "csv to stdout is the KPI table" "code,name,role,value,target" "$kpis"
n=$(echo "$kpis" | wc -l)
expect_eq "csv KPI rows" "$(($(grep -o '"role": "' "$WORK/c1.json" | wc -l) + 1))" "$n"

# a creator's report: the first creator of campaign 1's leaderboard
handle=$(python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); p=r["leaderboard"][0]; print(p["platform"]+"/"+p["handle"])' "$WORK/c1.json")
"$CREST" -q report creator "$handle" --format json -o "$WORK/cr.json"
"$CREST" -q report creator "$handle" --format html -o "$WORK/cr.html"
res=$(compare_html "$WORK/cr.json" "$WORK/cr.html") && ok || fail "creator: html vs json: $res"
expect_contains "creator report names the creator" "\"handle\": \"${handle#*/}\"" "$(cat "$WORK/cr.json")"

# usage and lookups
"$CREST" report campaign --help | grep -q "usage: crest report campaign" && ok || fail "--help"
set +e
"$CREST" report campaign 1 --format pdf >/dev/null 2>&1
expect_eq "unknown format" 2 "$?"
"$CREST" report campaign 1 --format xlsx >/dev/null 2>&1
expect_eq "xlsx needs -o" 2 "$?"
"$CREST" report campaign "No such campaign" >/dev/null 2>&1
expect_eq "unknown campaign" 4 "$?"
err=$("$CREST" report campaign 1 --as-of 2026-13-01 2>&1 >/dev/null)
expect_eq "bad --as-of" 2 "$?"
expect_contains "bad --as-of names the option" "--as-of" "$err"
set -e

# export all: every table, with the row counts of `crest db stats`
"$CREST" db stats --json >"$WORK/stats.json"
for fmt in csv json; do
    "$CREST" -q export all --format "$fmt" "$WORK/export-$fmt"
    res=$(python3 - "$WORK/stats.json" "$WORK/export-$fmt" "$fmt" <<'EOF'
import csv, hashlib, json, os, sys
stats = json.load(open(sys.argv[1]))["tables"]
d, fmt = sys.argv[2], sys.argv[3]
m = json.load(open(os.path.join(d, "manifest.json")))
got = {t["table"]: t for t in m["tables"]}
if set(got) != set(stats):
    print(f"tables: export {sorted(got)}, store {sorted(stats)}"); sys.exit(1)
for name, rows in stats.items():
    t = got[name]
    path = os.path.join(d, t["file"])
    if t["rows"] != rows:
        print(f"{name}: manifest {t['rows']} rows, store {rows}"); sys.exit(1)
    data = open(path, "rb").read()
    if hashlib.sha256(data).hexdigest() != t["sha256"]:
        print(f"{name}: checksum differs"); sys.exit(1)
    if fmt == "json":
        n = len(json.loads(data))
    else:
        n = max(0, sum(1 for _ in csv.reader(open(path, newline="", encoding="utf-8"))) - 1)
    if n != rows:
        print(f"{name}: file holds {n} rows, store {rows}"); sys.exit(1)
print(len(stats))
EOF
    ) && ok || fail "export $fmt: $res"
    # secrets stay in the store: no password hash, session token or CSRF value in an export
    ! grep -rqE 'argon2id|[0-9a-f]{64}' "$WORK/export-$fmt"/app_user.* "$WORK/export-$fmt"/app_session.* &&
        ok || fail "export $fmt: a secret was exported"
done
set +e
"$CREST" -q export all --format csv "$WORK/export-csv" >/dev/null 2>&1
[ $? -ne 0 ] && ok || fail "export into a non-empty directory without --force"
"$CREST" -q export all --format xml "$WORK/export-xml" >/dev/null 2>&1
expect_eq "export: unknown format" 2 "$?"
set -e
"$CREST" -q export all --format csv --force "$WORK/export-csv" && ok || fail "export --force"

finish
