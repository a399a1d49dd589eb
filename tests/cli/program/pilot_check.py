#!/usr/bin/env python3
# tests/cli/program/pilot_check.py - recompute a pilot report by hand from the time-log CSV
# (means, the seeded bootstrap of docs/program.md, errors per task, adoption, business case)
# and compare it with `crest pilot report --json`. Usage: pilot_check.py LOGS.csv REPORT.json
import csv, datetime, json, sys

M = (1 << 64) - 1


def splitmix64(state):
    state = (state + 0x9E3779B97F4A7C15) & M
    z = state
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & M
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & M
    return state, z ^ (z >> 31)


def rotl(x, k):
    return ((x << k) | (x >> (64 - k))) & M


class Xoshiro:
    def __init__(self, seed):
        self.s = []
        for _ in range(4):
            seed, v = splitmix64(seed)
            self.s.append(v)

    def next(self):
        s = self.s
        result = (rotl((s[1] * 5) & M, 7) * 9) & M
        t = (s[1] << 17) & M
        s[2] ^= s[0]
        s[3] ^= s[1]
        s[1] ^= s[2]
        s[0] ^= s[3]
        s[2] ^= t
        s[3] = rotl(s[3], 45)
        return result


def bootstrap(a, b, rounds=2000, seed=20260901):
    r = Xoshiro(seed)
    d = []
    for _ in range(rounds):
        sa = 0.0
        for _ in range(len(a)):
            sa += a[r.next() % len(a)]
        sb = 0.0
        for _ in range(len(b)):
            sb += b[r.next() % len(b)]
        d.append(sa / len(a) - sb / len(b))
    d.sort()
    return d[int(0.025 * rounds)], d[int(0.975 * rounds) - 1]


def day(s):
    return int(datetime.datetime.fromisoformat(s).replace(tzinfo=datetime.timezone.utc).timestamp())


logs, rep = sys.argv[1], json.load(open(sys.argv[2]))
start, days = day(rep["pilot"]["from"]), rep["days"]
bstart, end = start - days * 86400, start + days * 86400
base, pilot, berr, perr, untooled = [], [], 0, 0, 0
for row in csv.DictReader(open(logs)):
    if row["stage"] != rep["stage"]:
        continue
    at, m, e, tool = day(row["at"]), float(row["minutes"]), int(row["errors"]), row["with_tool"] == "1"
    if bstart <= at < start and not tool:
        base.append(m)
        berr += e
    elif start <= at < end and tool:
        pilot.append(m)
        perr += e
    elif start <= at < end:
        untooled += 1
mb, mp = sum(base) / len(base), sum(pilot) / len(pilot)
lo, hi = bootstrap(base, pilot)
saved = mb - mp
hours = saved * len(pilot) / 60
rate, cost = 6000, 50000
want = {
    "baseline_tasks": len(base), "pilot_tasks": len(pilot), "minutes_saved": saved,
    "interval_lo": lo, "interval_hi": hi, "errors_base": berr / len(base),
    "errors_pilot": perr / len(pilot), "untooled": untooled,
    "share_without_tool": untooled / (untooled + len(pilot)), "hours_saved": hours,
    "value_minor": round(hours * rate), "net_minor": round(hours * rate) - cost,
}
ts, q, a, b = rep["time_saved"], rep["quality"]["measures"][0], rep["adoption"], rep["business_case"]
got = {
    "baseline_tasks": ts["baseline_tasks"], "pilot_tasks": ts["pilot_tasks"],
    "minutes_saved": ts["minutes_saved"], "interval_lo": ts["interval95"][0],
    "interval_hi": ts["interval95"][1], "errors_base": q["baseline"], "errors_pilot": q["pilot"],
    "untooled": a["tasks_without_tool"], "share_without_tool": a["share_without_tool"],
    "hours_saved": b["hours_saved"], "value_minor": b["value_minor"], "net_minor": b["net_minor"],
}
bad = [f"{k}: report {got[k]!r}, by hand {want[k]!r}" for k in want
       if abs(got[k] - want[k]) > 1e-6 * max(1.0, abs(want[k]))]
# the interval holds the estimate and is not degenerate
if not (lo < saved < hi):
    bad.append(f"interval [{lo}, {hi}] does not hold {saved}")
print("\n".join(bad) if bad else f"ok: saved {saved:.4f} min/task, 95% [{lo:.4f}, {hi:.4f}]")
sys.exit(1 if bad else 0)
