#!/usr/bin/env bash
# tests/cli/outreach.sh - outreach end to end (issue 7), on SQLite and PostgreSQL: 50 demo
# creators enrolled into a 3-step sequence (day 0 intro, +3 nudge, +5 last call), `outreach
# run --now` every three hours over 13 simulated days into a local SMTP sink (aiosmtpd on
# 127.0.0.1, started and stopped here), replies, a bounce and an unsubscribe dropped into a
# Maildir with the In-Reply-To/References of sent messages and `outreach sync`, and then
# the sink must hold exactly the messages the schedule implies: every creator's steps in
# order and threaded, none to those who answered after the answer, none in the creator's
# quiet hours, the warm-up cap per UTC day, nothing sent twice by a repeated run, and the
# lint refusing a template with an unfilled variable by name.
. "$(dirname "$0")/lib.sh"
command -v python3 >/dev/null || { echo "outreach.sh: python3 is not installed" >&2; exit 77; }
# the sink needs Debian's python3-aiosmtpd (which may not be the first python3 on PATH)
SINK_PY=
for p in python3 /usr/bin/python3; do
    if "$p" -c 'import aiosmtpd' 2>/dev/null; then SINK_PY=$p; break; fi
done
[ -n "$SINK_PY" ] || { echo "outreach.sh: python3-aiosmtpd is not installed" >&2; exit 77; }
DB=$(new_db outreach)
C=("$CREST" --db "$DB")
"${C[@]}" -q init >/dev/null
"${C[@]}" -q demo >/dev/null

# ---- the SMTP sink on loopback ----
SINK="$WORK/sink"
mkdir -p "$SINK"
"$SINK_PY" "$HERE/../outreach/smtp_sink.py" "$SINK" >"$WORK/sink.port" 2>"$WORK/sink.err" &
SINK_PID=$!
LLM_PID=
trap 'kill $SINK_PID ${LLM_PID:-} 2>/dev/null; wait $SINK_PID 2>/dev/null; for d in "${PG_DBS[@]}"; do
    psql -q -h "$CR_TEST_PG_HOST" -p "$CR_TEST_PG_PORT" -U "$CR_TEST_PG_USER" -d postgres \
    -c "DROP DATABASE IF EXISTS $d" >/dev/null 2>&1; done; rm -rf "$WORK"' EXIT
for _ in $(seq 1 100); do
    [ -s "$WORK/sink.port" ] && break
    kill -0 $SINK_PID 2>/dev/null || { cat "$WORK/sink.err" >&2; exit 1; }
    sleep 0.1
done
PORT=$(head -1 "$WORK/sink.port")
[ -n "$PORT" ] || { echo "outreach.sh: the SMTP sink did not start" >&2; exit 1; }
SMTP="smtp://127.0.0.1:$PORT"

# ---- sender, rules, templates, sequence ----
"${C[@]}" -q outreach config --set from_email=team@pawsome.example --set 'from_name=Pawsome Team' \
    --set daily_cap=200 --set warmup_start=30 --set warmup_step=30 --set min_gap_hours=48 \
    --set quiet_start=21 --set quiet_end=8 >/dev/null
cat >"$WORK/intro.txt" <<'EOF'
Subject: {{campaign.brand}} x {{creator.first_name}}: a paid partnership?

Hi {{creator.first_name}},

{{#post}}
Your post on {{post.topic}} ({{{post.url}}}) stood out to us.
{{/post}}
{{^post}}
We love your {{creator.niche}} content.
{{/post}}
We would like to work with you on {{campaign.name}}.

{{sender.name}}
EOF
printf 'Subject: Re: {{campaign.brand}} x {{creator.first_name}}\n\nHi {{creator.first_name}}, did you see our note?\n' >"$WORK/nudge.txt"
printf 'Subject: Last call: {{campaign.brand}} x {{creator.first_name}}\n\nHi {{creator.first_name}}, we close the list soon.\n' >"$WORK/last.txt"
"${C[@]}" -q outreach template add intro "$WORK/intro.txt" >/dev/null
"${C[@]}" -q outreach template add nudge "$WORK/nudge.txt" >/dev/null
"${C[@]}" -q outreach template add last-call "$WORK/last.txt" >/dev/null
cat >"$WORK/seq.yaml" <<'EOF'
name: launch
steps:
  - {day: 0, template: intro}
  - {day: 3, template: nudge}
  - {day: 5, template: last-call}
EOF
out=$("${C[@]}" --json outreach sequence add "$WORK/seq.yaml")
expect_eq "sequence steps" 3 "$(echo "$out" | json_num steps)"

# a broken template is refused naming the file, line and column
printf 'Subject: {{campaign.brand}}\n\nHi,\n  {{#post}}never closed\n' >"$WORK/broken.txt"
set +e
err=$("${C[@]}" outreach template add broken "$WORK/broken.txt" 2>&1)
rc=$?
set -e
expect_eq "broken template exit" 3 "$rc"
expect_contains "broken template place" "broken.txt:4:3: section {{#post}} is never closed" "$err"

# the lint names the variable, its line and column, and exits 3
printf 'Subject: Hi {{creator.first_name}}\n\nYour code: {{partnership.promo_code}}\n' >"$WORK/code.txt"
"${C[@]}" -q outreach template add code "$WORK/code.txt" >/dev/null

# ---- the 50 creators: demo creators with an email, not opted out, not in the campaign ----
CAMP=$("${C[@]}" --json campaign list | python3 -c '
import json, sys
print([c["id"] for c in json.load(sys.stdin) if c["name"] == "Pawsome Kitchen Launch Bundle"][0])')
"${C[@]}" --json creators list --limit 0 >"$WORK/creators.json"
"${C[@]}" --json discover --not-in "$CAMP" --limit 500 >"$WORK/ok.json"
"${C[@]}" --json discover --not-in "$CAMP" --limit 500 --include-opted-out >"$WORK/all.json"
python3 - "$WORK" <<'PY'
import json, sys
w = sys.argv[1]
creators = {c["id"]: c for c in json.load(open(w + "/creators.json"))}
ok = {h["creator_id"] for h in json.load(open(w + "/ok.json"))["hits"]}
every = {h["creator_id"] for h in json.load(open(w + "/all.json"))["hits"]}
pick = sorted(i for i in ok if creators[i]["email"] and creators[i]["name"])[:50]
opted = sorted(i for i in every - ok if creators[i]["email"])[:1]
assert len(pick) == 50 and len(opted) == 1, (len(pick), len(opted))
with open(w + "/picked.json", "w") as f:
    json.dump([creators[i] for i in pick], f)
with open(w + "/args", "w") as f:
    f.write(" ".join("--creator %s/%s" % (creators[i]["platform"], creators[i]["handle"])
                     for i in pick + opted))
PY
set +e
err=$("${C[@]}" outreach lint code --campaign "$CAMP" $(head -c 2000 "$WORK/args" | cut -d' ' -f1-2) 2>&1)
rc=$?
set -e
expect_eq "lint exit" 3 "$rc"
expect_contains "lint names the variable" "code:1:12: {{partnership.promo_code}} is missing" "$err"

# ---- enqueue: 50 enrolled, the opted-out creator skipped ----
# shellcheck disable=SC2046
out=$("${C[@]}" --json outreach enqueue --sequence launch --campaign "$CAMP" $(cat "$WORK/args") \
    --now 2026-11-16T06:00:00Z)
expect_eq "enrolled" 50 "$(echo "$out" | json_num enrolled)"
expect_eq "skipped (opted out)" 1 "$(echo "$out" | json_num skipped)"
# shellcheck disable=SC2046
out=$("${C[@]}" --json outreach enqueue --sequence launch --campaign "$CAMP" $(cat "$WORK/args") \
    --now 2026-11-16T06:00:00Z)
expect_eq "enqueue again enrols nobody" 0 "$(echo "$out" | json_num enrolled)"

# a dry run changes nothing
before=$(db_digest "$DB")
"${C[@]}" -q outreach run --dry-run --now 2026-11-16T09:00:00Z >/dev/null
expect_eq "dry run changes nothing" "$before" "$(db_digest "$DB")"

# ---- run every three hours over 13 days ----
run_at() {
    "${C[@]}" --json outreach run --transport "$SMTP" --now "$1"
}
sink_count() {
    find "$SINK" -name '*.env' | wc -l
}
python3 - >"$WORK/times" <<'PY'
import datetime
t = datetime.datetime(2026, 11, 16, 6)
while t <= datetime.datetime(2026, 11, 29, 0):
    print(t.strftime("%Y-%m-%dT%H:%M:%SZ"))
    t += datetime.timedelta(hours=3)
PY
replied=0
while read -r T; do
    if [ "$T" = 2026-11-19T06:00:00Z ]; then
        # two runs at once (cron overlapping the server's thread) when the first nudges fall
        # due: each step is queued once and each row claimed once
        n=$(sink_count)
        run_at "$T" >"$WORK/par1.json" &
        p1=$!
        run_at "$T" >"$WORK/par2.json" &
        p2=$!
        wait $p1 && wait $p2 && ok || fail "concurrent runs failed"
        q=$(($(json_num queued <"$WORK/par1.json") + $(json_num queued <"$WORK/par2.json")))
        sent=$(($(json_num sent <"$WORK/par1.json") + $(json_num sent <"$WORK/par2.json")))
        [ "$q" -gt 0 ] && ok || fail "no nudge fell due at $T"
        expect_eq "concurrent runs sent what the sink got" "$((n + sent))" "$(sink_count)"
        expect_eq "concurrent runs queued each step once" "$q" \
            "$("${C[@]}" --json outreach queue | grep -c '"step": 2')"
    else
        run_at "$T" >"$WORK/last-run.json"
    fi
    if [ "$T" = 2026-11-16T15:00:00Z ]; then
        # the same --now again sends nothing twice
        n=$(sink_count)
        out=$(run_at "$T")
        expect_eq "repeated run sends nothing" 0 "$(echo "$out" | json_num sent)"
        expect_eq "repeated run queues nothing" 0 "$(echo "$out" | json_num queued)"
        expect_eq "sink unchanged by the repeated run" "$n" "$(sink_count)"
    fi
    if [ "$T" = 2026-11-17T21:00:00Z ] || [ "$T" = 2026-11-21T21:00:00Z ]; then
        # replies to what was sent so far: wave 1 answers step 1, wave 2 answers step 2
        wave=$([ "$T" = 2026-11-17T21:00:00Z ] && echo 1 || echo 2)
        python3 - "$SINK" "$WORK/replies" "$wave" "$WORK/picked.json" >>"$WORK/answered" <<'PY'
import email, glob, json, os, sys
from email.utils import format_datetime
import datetime
sink, box, wave, picked = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
for d in ("new", "cur", "tmp"):
    os.makedirs(os.path.join(box, d), exist_ok=True)
order = [c["email"] for c in json.load(open(picked))]
sent = {}
for path in sorted(glob.glob(sink + "/*.eml")):
    m = email.message_from_binary_file(open(path, "rb"))
    to = open(path[:-4] + ".env").read().split("RCPT TO:<")[1].split(">")[0]
    sent.setdefault(to, []).append(m)
when = datetime.datetime(2026, 11, 17 if wave == 1 else 21, 22, tzinfo=datetime.timezone.utc)
def write(name, text):
    with open(os.path.join(box, "new", name), "w") as f:
        f.write(text)
# candidates: in the order picked, with exactly `wave` messages so far
cands = [a for a in order if len(sent.get(a, [])) == wave]
if wave == 1:
    replies, bounce, unsub = cands[0:10], cands[10], cands[11]
else:
    replies, bounce, unsub = cands[0:5], None, None
for i, a in enumerate(replies):
    last = sent[a][-1]
    mid = last["Message-ID"].strip()
    refs = (last["References"] or "").strip()
    # half answer by In-Reply-To, half by References only (as some clients do)
    hdr = ("In-Reply-To: %s\n" % mid) if i % 2 == 0 else ("References: %s %s\n" % (refs, mid)).replace("  ", " ")
    write("w%d-r%d.eml" % (wave, i),
          "From: Creator <%s>\nTo: team@pawsome.example\nSubject: Re: %s\nMessage-ID: <w%d-r%d@creators.example>\n"
          "%sDate: %s\n\nSounds great, tell me more! \u00e7a marche \U0001F44B\n"
          % (a, last["Subject"], wave, i, hdr, format_datetime(when)))
    print("reply %s %d" % (a, wave))
if bounce:
    mid = sent[bounce][-1]["Message-ID"].strip()
    write("w1-bounce.eml",
          "From: MAILER-DAEMON@mx.example.net\nTo: team@pawsome.example\nSubject: Undelivered Mail Returned to Sender\n"
          "Message-ID: <dsn-1@mx.example.net>\nDate: %s\nMIME-Version: 1.0\n"
          "Content-Type: multipart/report; report-type=delivery-status; boundary=\"B\"\n\n"
          "--B\nContent-Type: text/plain\n\nThe mail could not be delivered.\n"
          "--B\nContent-Type: message/delivery-status\n\nReporting-MTA: dns; mx.example.net\n\n"
          "Final-Recipient: rfc822; %s\nAction: failed\nStatus: 5.1.1\n"
          "--B\nContent-Type: text/rfc822-headers\n\nMessage-ID: %s\nTo: %s\nSubject: x\n--B--\n"
          % (format_datetime(when), bounce, mid, bounce))
    print("bounce %s %d" % (bounce, wave))
if unsub:
    mid = sent[unsub][-1]["Message-ID"].strip()
    write("w1-unsub.eml",
          "From: <%s>\nTo: team@pawsome.example\nSubject: unsubscribe\nMessage-ID: <u1@creators.example>\n"
          "In-Reply-To: %s\nDate: %s\n\nunsubscribe\n" % (unsub, mid, format_datetime(when)))
    print("optout %s %d" % (unsub, wave))
# mail that answers nothing of ours is ignored
write("w%d-other.eml" % wave, "From: someone@else.example\nTo: team@pawsome.example\nSubject: hello\n"
      "Message-ID: <other-%d@else.example>\nIn-Reply-To: <not-ours@else.example>\n\nhi\n" % wave)
PY
        next=$(date -u -d "${T%Z} UTC + 1 hour" +%Y-%m-%dT%H:%M:%SZ)
        out=$("${C[@]}" --json outreach sync "$WORK/replies" --now "$next")
        if [ "$wave" = 1 ]; then
            expect_eq "sync wave 1 matched" 12 "$(echo "$out" | json_num matched)"
            expect_eq "sync wave 1 bounces" 1 "$(echo "$out" | json_num bounces)"
        else
            # the wave-1 messages are read again and recorded once
            expect_eq "sync wave 2 matched (all so far)" 17 "$(echo "$out" | json_num matched)"
        fi
        replied=$((replied + 1))
    fi
done <"$WORK/times"
expect_eq "reply waves" 2 "$replied"

# ---- the sink holds exactly the messages the schedule implies ----
"${C[@]}" --json outreach queue >"$WORK/queue.json"
"${C[@]}" --json outreach pipeline --campaign "$CAMP" >"$WORK/pipeline.json"
res=$(python3 - "$SINK" "$WORK/picked.json" "$WORK/answered" "$WORK/queue.json" "$WORK/pipeline.json" <<'PY'
import collections, email, email.header, glob, json, sys
from email.utils import parsedate_to_datetime
sink, picked, answered, queue, pipeline = sys.argv[1:6]
tz = {"AE": 240, "AR": -180, "AT": 60, "AU": 600, "BD": 360, "BE": 60, "BG": 120, "BR": -180,
      "CA": -300, "CH": 60, "CL": -240, "CN": 480, "CO": -300, "CZ": 60, "DE": 60, "DK": 60,
      "EG": 120, "ES": 60, "FI": 120, "FR": 60, "GB": 0, "GH": 0, "GR": 120, "HK": 480,
      "HR": 60, "HU": 60, "ID": 420, "IE": 0, "IL": 120, "IN": 330, "IR": 210, "IS": 0,
      "IT": 60, "JP": 540, "KE": 180, "KR": 540, "LK": 330, "MA": 60, "MX": -360, "MY": 480,
      "NG": 60, "NL": 60, "NO": 60, "NP": 345, "NZ": 720, "PE": -300, "PH": 480, "PK": 300,
      "PL": 60, "PT": 0, "RO": 120, "RS": 60, "RU": 180, "SA": 180, "SE": 60, "SG": 480,
      "SK": 60, "TH": 420, "TR": 180, "TW": 480, "UA": 120, "US": -300, "VE": -240,
      "VN": 420, "ZA": 120}
people = {c["email"]: c for c in json.load(open(picked))}
stop = {}
for line in open(answered):
    kind, addr, wave = line.split()
    stop[addr] = (kind, int(wave))
problems = []
by = collections.defaultdict(list)
per_day = collections.Counter()
for path in sorted(glob.glob(sink + "/*.eml")):
    env = open(path[:-4] + ".env").read()
    rcpt = env.split("RCPT TO:<")[1].split(">")[0]
    frm = env.split("MAIL FROM:<")[1].split(">")[0]
    m = email.message_from_binary_file(open(path, "rb"))
    by[rcpt].append(m)
    d = parsedate_to_datetime(m["Date"])
    per_day[d.date().isoformat()] += 1
    if frm != "team@pawsome.example":
        problems.append("envelope from %s" % frm)
    if rcpt not in people:
        problems.append("mail to someone not enrolled: %s" % rcpt)
        continue
    local = (d.hour * 60 + d.minute + tz.get(people[rcpt]["country"], 0)) % 1440
    if local >= 21 * 60 or local < 8 * 60:
        problems.append("quiet hours: %s at %s (%s)" % (rcpt, m["Date"], people[rcpt]["country"]))
    if "List-Unsubscribe" not in m or "multipart/alternative" not in m["Content-Type"]:
        problems.append("headers of %s" % path)
total = 0
for addr, c in people.items():
    msgs = by.get(addr, [])
    want = 3
    if addr in stop:
        want = stop[addr][1]  # what was sent before the answer, nothing after
    total += want
    if len(msgs) != want:
        problems.append("%s: %d messages, expected %d" % (addr, len(msgs), want))
        continue
    first = c["name"].split()[0]
    subj = [" ".join(str(email.header.make_header(email.header.decode_header(x["Subject"]))).split())
            for x in msgs]
    expect = ["Pawsome Kitchen x %s: a paid partnership?" % first,
              "Re: Pawsome Kitchen x %s" % first, "Last call: Pawsome Kitchen x %s" % first][:want]
    if subj != expect:
        problems.append("%s: subjects %s" % (addr, subj))
    ids = [x["Message-ID"].strip() for x in msgs]
    if len(set(ids)) != len(ids):
        problems.append("%s: a Message-ID twice" % addr)
    for i in range(1, len(msgs)):
        if msgs[i]["In-Reply-To"].strip() != ids[i - 1]:
            problems.append("%s: step %d not threaded" % (addr, i + 1))
        if msgs[i]["References"].split() != ids[:i]:
            problems.append("%s: step %d references" % (addr, i + 1))
    days = [parsedate_to_datetime(x["Date"]) for x in msgs]
    for i, gap in ((1, 3), (2, 5)):
        if i < len(days) and (days[i] - days[i - 1]).total_seconds() < gap * 86400:
            problems.append("%s: step %d came early" % (addr, i + 1))
# warm-up: 30 on the first day (more were due), then at most 60, 90, ...
first_day = min(per_day)
for k, (day, n) in enumerate(sorted(per_day.items())):
    cap = min(200, 30 + 30 * k)
    if n > cap:
        problems.append("%s: %d messages over the cap %d" % (day, n, cap))
if per_day[first_day] != 30:
    problems.append("first day: %d messages, expected the warm-up cap 30" % per_day[first_day])
q = json.load(open(queue))
sent = sum(1 for r in q if r["status"] == "sent")
if sent != sum(len(v) for v in by.values()):
    problems.append("queue says %d sent, the sink got %d" % (sent, sum(len(v) for v in by.values())))
if any(r["status"] in ("queued", "sending", "failed") for r in q):
    problems.append("rows left queued/sending/failed")
states = collections.Counter(p["state"] for p in json.load(open(pipeline)) if p["creator_id"] in {c["id"] for c in people.values()})
print("total=%d sink=%d replied=%d opted=%d contacted=%d" % (total, sum(len(v) for v in by.values()),
      states["replied"], states["opted-out"], states["contacted"]))
for p in problems[:20]:
    print("PROBLEM " + p)
PY
)
echo "$res" | grep PROBLEM >&2 || true
[ -z "${CR_TEST_VERBOSE:-}" ] || echo "$res" >&2
expect_eq "no problems in the sink" 0 "$(echo "$res" | grep -c PROBLEM || true)"
# 50 x 3, less 2 for each of the 12 stopped after step 1 and 1 for the 5 after step 2
expect_contains "sink total" "total=121 sink=121" "$res"
expect_contains "pipeline" "replied=15 opted=1 contacted=34" "$res"

"${C[@]}" -q db check >/dev/null && ok || fail "db check after the simulation"

# ---- opt-outs are honoured everywhere ----
unsub=$(awk '$1 == "optout" {print $2}' "$WORK/answered")
ref=$(python3 -c '
import json, sys
print([c["platform"] + "/" + c["handle"] for c in json.load(open(sys.argv[1])) if c["email"] == sys.argv[2]][0])' \
    "$WORK/picked.json" "$unsub")
expect_contains "timeline: opt-out" "optout" "$("${C[@]}" outreach timeline "$ref")"
set +e
"${C[@]}" outreach state "$ref" negotiating --campaign "$CAMP" >/dev/null 2>&1
rc=$?
set -e
expect_eq "no way back from an opt-out" 3 "$rc"
expect_eq "discover leaves the opted-out creator out" 0 \
    "$("${C[@]}" --json discover --limit 500 | grep -c "\"handle\": \"${ref#*/}\"" || true)"
out=$("${C[@]}" --json outreach enqueue --sequence launch --campaign 1 --creator "$ref")
expect_eq "opted-out creator not enrolled elsewhere" 1 "$(echo "$out" | json_num skipped)"

# ---- pipeline states and the timeline ----
first=$(python3 -c 'import json,sys; c=json.load(open(sys.argv[1]))[0]; print(c["platform"]+"/"+c["handle"])' "$WORK/picked.json")
"${C[@]}" -q outreach note "$first" "called, interested in a reel" --campaign "$CAMP" >/dev/null
tl=$("${C[@]}" outreach timeline "$first")
expect_contains "timeline: message" "step 1 of launch sent" "$tl"
expect_contains "timeline: reply" "reply from" "$tl"
expect_contains "timeline: note" "called, interested in a reel" "$tl"
"${C[@]}" -q outreach state "$first" negotiating --campaign "$CAMP" --as lead@pawsome.example >/dev/null
"${C[@]}" -q outreach state "$first" contracted --campaign "$CAMP" >/dev/null
set +e
err=$("${C[@]}" outreach state "$first" prospect --campaign "$CAMP" 2>&1)
rc=$?
set -e
expect_eq "backwards transition refused" 3 "$rc"
expect_contains "transition message" "cannot move from contracted to prospect" "$err"
expect_contains "timeline: states" "negotiating -> contracted" "$("${C[@]}" outreach timeline "$first")"

# ---- AI drafts against a fake OpenAI-compatible endpoint on loopback ----
set +e
err=$("${C[@]}" outreach draft --template intro --creator "$first" --campaign "$CAMP" 2>&1)
rc=$?
set -e
expect_eq "drafting off by default" 3 "$rc"
expect_contains "drafting off says how to turn it on" "CREST_LLM_BASE_URL" "$err"
python3 "$HERE/../outreach/fake_llm.py" --key sk-test >"$WORK/llm.port" 2>"$WORK/llm.err" &
LLM_PID=$!
for _ in $(seq 1 100); do
    [ -s "$WORK/llm.port" ] && break
    sleep 0.1
done
LLM="http://127.0.0.1:$(head -1 "$WORK/llm.port")/v1"
# the fake answers what follows FAKE_REPLY: in the prompt (the template is the guide)
printf 'Subject: {{campaign.brand}} idea\n\nHi {{creator.first_name}}\nFAKE_REPLY:\nSubject: A quick idea, %s\n\nHi there, we loved your last post. Coffee next week?\n' "$(printf '\303\211lodie')" >"$WORK/ai.txt"
"${C[@]}" -q outreach template add ai "$WORK/ai.txt" >/dev/null
printf 'Subject: x\n\nHi {{creator.first_name}}\nFAKE_REPLY:\nSubject: Hello\n\nHi {{creator.first_name}}, ...\n' >"$WORK/ai-bad.txt"
"${C[@]}" -q outreach template add ai-bad "$WORK/ai-bad.txt" >/dev/null
other=$(python3 -c 'import json,sys; c=json.load(open(sys.argv[1]))[-1]; print(c["platform"]+"/"+c["handle"])' "$WORK/picked.json")
export CREST_LLM_BASE_URL="$LLM" CREST_LLM_MODEL=tiny CREST_LLM_API_KEY=sk-test
out=$("${C[@]}" --json outreach draft --template ai --creator "$other" --campaign "$CAMP")
id=$(echo "$out" | json_num id)
expect_contains "draft pending" '"status": "pending"' "$out"
expect_contains "draft subject from the model" "A quick idea, Élodie" "$out"
set +e
err=$("${C[@]}" outreach draft --template ai-bad --creator "$other" --campaign "$CAMP" 2>&1)
expect_eq "a draft with a leftover variable is refused" 3 "$?"
expect_contains "the refusal names the variable" "unfilled variable {{creator.first_name}}" "$err"
err=$("${C[@]}" outreach enqueue --draft "$id" 2>&1)
expect_eq "an unapproved draft cannot be queued" 3 "$?"
expect_contains "unapproved" "a person must approve it first" "$err"
CREST_LLM_API_KEY=wrong "${C[@]}" outreach draft --template ai --creator "$other" --campaign "$CAMP" >/dev/null 2>&1
expect_eq "a refused key is an auth failure" 1 "$?"
set -e
unset CREST_LLM_BASE_URL CREST_LLM_MODEL CREST_LLM_API_KEY
kill $LLM_PID
wait $LLM_PID 2>/dev/null || true
"${C[@]}" -q outreach approve "$id" --as lead@pawsome.example >/dev/null
"${C[@]}" -q outreach enqueue --draft "$id" --now 2026-11-30T14:00:00Z >/dev/null
n=$(sink_count)
out=$(run_at 2026-11-30T16:00:00Z)
expect_eq "the approved draft is sent" 1 "$(echo "$out" | json_num sent)"
expect_eq "sink got it" $((n + 1)) "$(sink_count)"
last=$(find "$SINK" -name '*.env' | sort | tail -1)
expect_contains "draft recipient" "RCPT TO:<$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))[-1]["email"])' "$WORK/picked.json")>" "$(cat "$last")"

# --help and usage errors
expect_contains "help" "crest outreach run" "$("${C[@]}" outreach run --help)"
set +e
"${C[@]}" outreach run --bogus >/dev/null 2>&1
expect_eq "usage error" 2 "$?"
"${C[@]}" outreach preview nope --creator "$first" >/dev/null 2>&1
expect_eq "unknown template" 4 "$?"
set -e
finish
