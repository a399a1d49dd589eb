#!/usr/bin/env bash
# tests/cli/outreach_serve.sh - the background outreach sender of `crest serve`
# (src/server/outreach_runner.c): due steps are sent through the --outreach-transport Maildir
# without any `crest outreach run`, each exactly once across several runs, a crafted header
# never reaches a file, --no-outreach sends nothing, and SIGTERM stops the thread and the
# server cleanly (exit 0). Quiet hours are turned off, so the real clock cannot hold a message.
. "$(dirname "$0")/lib.sh"
DB=$(new_db outreach_serve)
"$CREST" --db "$DB" -q demo >/dev/null
"$CREST" --db "$DB" -q outreach config --set quiet_start=0 --set quiet_end=0 \
    --set from_email=team@brand.example --set 'from_name=Brand Team' >/dev/null
# three prospects of one campaign (python3 reads the JSON; no jq on a fresh machine)
PY=python3
command -v "$PY" >/dev/null || PY=/usr/bin/python3
"$CREST" --db "$DB" --json outreach pipeline >"$WORK/pipeline.json"
read -r CAMP handles < <("$PY" - "$WORK/pipeline.json" <<'PYEOF'
import collections, json, sys
cards = [c for c in json.load(open(sys.argv[1])) if c["state"] == "prospect"]
by = collections.defaultdict(list)
for c in cards:
    by[c["campaign_id"]].append(c["handle"])
camp = max(by, key=lambda k: len(by[k]))
print(camp, " ".join(sorted(set(by[camp]))[:3]))
PYEOF
)
args=()
for h in $handles; do args+=(--creator "@$h"); done
expect_eq "three prospects of campaign $CAMP" 6 "${#args[@]}"

# --no-outreach: nothing is sent, nothing is created
"$CREST" --db "$DB" -q outreach sequence add bg --step 0:intro
"$CREST" --db "$DB" -q outreach enqueue --sequence bg --campaign "$CAMP" "${args[@]}"
LOG="$WORK/serve.log"
# serve_start ARGS...: sets SRV and waits for the listening line
serve_start() {
    : >"$LOG"
    "$CREST" --db "$DB" serve --listen 127.0.0.1:0 "$@" 2>"$LOG" &
    SRV=$!
    for _ in $(seq 1 $((100 * ${CR_TEST_TIME_FACTOR:-1}))); do
        grep -q 'listening on' "$LOG" && break
        sleep 0.1
    done
    grep -q 'listening on' "$LOG" && ok || fail "the server did not start: $(cat "$LOG")"
}
serve_stop() {
    kill -TERM "$SRV"
    set +e
    wait "$SRV"
    rc=$?
    set -e
    expect_eq "exit code after SIGTERM" 0 "$rc"
}
trap 'kill "$SRV" 2>/dev/null || true; '"$(trap -p EXIT | sed -e "s/^trap -- '//" -e "s/' EXIT\$//")" EXIT
serve_start --no-outreach --outreach-transport "maildir:$WORK/off"
serve_stop
[ ! -e "$WORK/off" ] && ok || fail "--no-outreach created the Maildir"
expect_eq "nothing sent with --no-outreach" 0 "$("$CREST" --db "$DB" --json outreach queue | grep -c '"status": "sent"' || true)"

# the sender: a run at start, then one a second; the three messages land in new/
serve_start --outreach-interval 1 --outreach-transport "maildir:$WORK/box"
for _ in $(seq 1 $((300 * ${CR_TEST_TIME_FACTOR:-1}))); do
    [ "$(ls "$WORK/box/new" 2>/dev/null | wc -l)" -ge 3 ] && break
    sleep 0.1
done
expect_eq "three messages delivered by the background sender" 3 "$(ls "$WORK/box/new" 2>/dev/null | wc -l)"
# let it run again (the log shows each run that did work; later runs find nothing due)
for _ in $(seq 1 $((30 * ${CR_TEST_TIME_FACTOR:-1}))); do
    grep -q 'outreach run: .* 3 sent' "$LOG" && break
    sleep 0.1
done
expect_contains "the run is logged" "outreach run: 3 queued, 3 sent, 0 failed" "$(cat "$LOG")"
serve_stop
expect_contains "stopped cleanly" "stopped (" "$(cat "$LOG")"
expect_eq "still three messages: each step sent once" 3 "$(ls "$WORK/box/new" | wc -l)"
expect_eq "three sent in the queue" 3 "$("$CREST" --db "$DB" --json outreach queue | grep -c '"status": "sent"')"
for f in "$WORK"/box/new/*; do
    grep -q '^From: "Brand Team" <team@brand.example>$' "$f" && ok || fail "$f: no From header"
    grep -q '^Subject: ' "$f" && ok || fail "$f: no Subject header"
    grep -q '^List-Unsubscribe: <' "$f" && ok || fail "$f: no List-Unsubscribe"
done
[ ! -e "$WORK/box/tmp" ] || [ -z "$(ls "$WORK/box/tmp")" ] && ok || fail "tmp/ is not empty"

# a bad transport URL is refused before the server starts
expect_serve_refuses --outreach-transport "expected maildir:/path" ftp://x
expect_serve_refuses --outreach-interval "--outreach-interval: expected seconds from 1 to 86400" 0
finish
