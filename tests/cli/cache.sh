#!/usr/bin/env bash
# tests/cli/cache.sh - the response and session caches of `crest serve` (--cache-ttl): an
# answer is served again (X-Cache: hit, Age) until a write through the API, which shows at
# once; a CLI import shows within the TTL (at once on SQLite, whose PRAGMA data_version the
# server reads); roles never share an answer (a 403 stays a 403 after another role's 200);
# a logout ends the session at once and a role changed by the CLI applies within the TTL;
# --cache-ttl 0 turns the caches off and a bad --cache-ttl is refused. No timing thresholds:
# the TTL waits are sleeps longer than the TTL.
. "$(dirname "$0")/lib.sh"
command -v curl >/dev/null || { echo "cache.sh: curl is not installed" >&2; exit 77; }
DB=$(new_db cache)
"$CREST" --db "$DB" demo -q >/dev/null
for role in admin analyst creator; do
    printf 'pass-%s-123\n' "$role" | "$CREST" --db "$DB" -q user add "$role@example.com" --role "$role"
done
printf 'pass-shifty-123\n' | "$CREST" --db "$DB" -q user add shifty@example.com --role analyst

# a bad --cache-ttl is refused before anything listens
expect_serve_refuses --cache-ttl "--cache-ttl: expected seconds from 0 to 3600" -1 abc 3601 1s ''
expect_contains "serve --help documents the cache" "--cache-ttl SECONDS" "$("$CREST" serve --help)"

SRV=
LOG=
trap 'if [ -n "$SRV" ]; then kill "$SRV" 2>/dev/null || true; fi; '"$(trap -p EXIT | sed -e "s/^trap -- '//" -e "s/' EXIT\$//")" EXIT

# start_server TTL: a server with --cache-ttl TTL; sets SRV, LOG and BASE
start_server() {
    LOG="$WORK/serve.$1.log"
    "$CREST" --db "$DB" serve --listen 127.0.0.1:0 --cache-ttl "$1" 2>"$LOG" &
    SRV=$!
    local port=
    for _ in $(seq 1 100); do
        port=$(grep -o 'listening on http://127.0.0.1:[0-9]*' "$LOG" | sed 's/.*://' || true)
        [ -n "$port" ] && break
        kill -0 "$SRV" 2>/dev/null || break
        sleep 0.1
    done
    [ -n "$port" ] || { cat "$LOG" >&2; fail "the server with --cache-ttl $1 did not start"; finish; }
    BASE="http://127.0.0.1:$port"
}

stop_server() {
    kill -TERM "$SRV"
    set +e
    wait "$SRV"
    local rc=$?
    set -e
    SRV=
    expect_eq "exit code after SIGTERM" 0 "$rc"
}

# req JAR METHOD PATH [curl args...]: sets STATUS, BODY, HEADERS and XCACHE (hit, miss or "")
req() {
    local jar=$1 m=$2 p=$3
    shift 3
    local csrf=
    [ -f "$jar.csrf" ] && csrf=$(cat "$jar.csrf")
    STATUS=$(curl -s -X "$m" -o "$WORK/body" -D "$WORK/headers" -w '%{http_code}' -b "$jar" \
        -H "X-CSRF-Token: $csrf" "$@" "$BASE$p")
    BODY=$(cat "$WORK/body")
    HEADERS=$(tr -d '\r' <"$WORK/headers")
    XCACHE=$(echo "$HEADERS" | sed -n 's/^X-Cache: //p')
}

# login EMAIL PASSWORD JAR: a session in JAR, its CSRF token in JAR.csrf
login() {
    STATUS=$(curl -s -o "$WORK/body" -w '%{http_code}' -c "$3" -H 'Content-Type: application/json' \
        --data-binary "{\"email\": \"$1\", \"password\": \"$2\"}" "$BASE/api/v1/login")
    expect_eq "login $1" 200 "$STATUS"
    grep -o '"csrf": "[0-9a-f]*"' "$WORK/body" | cut -d'"' -f4 >"$3.csrf"
}

# creators_csv FILE HANDLE: a creators file of one new creator
creators_csv() {
    printf 'platform,handle,followers,name\ninstagram,%s,1234,Cache Test\n' "$2" >"$1"
}

# ---- a long TTL: what only a write may change ----
start_server 60
A="$WORK/jar.admin"
N="$WORK/jar.analyst"
C="$WORK/jar.creator"
login admin@example.com pass-admin-123 "$A"
login analyst@example.com pass-analyst-123 "$N"
login creator@example.com pass-creator-123 "$C"

req "$A" GET /api/v1/campaigns/1/progress
expect_eq "progress: status" 200 "$STATUS"
expect_eq "progress: first answer" miss "$XCACHE"
first=$BODY
req "$A" GET /api/v1/campaigns/1/progress
expect_eq "progress again: from the cache" hit "$XCACHE"
expect_eq "progress again: the same bytes" "$first" "$BODY"
expect_contains "a hit has an Age" "Age: " "$HEADERS"
expect_contains "a hit stays private to this server" "Cache-Control: no-store" "$HEADERS"
head=$(curl -sI -b "$A" "$BASE/api/v1/campaigns/1/progress" | tr -d '\r')
expect_contains "HEAD of a cached answer" "X-Cache: hit" "$head"
# the query is part of the key; an invalid one is never cached
req "$A" GET '/api/v1/campaigns/1/progress?as_of=2100-01-01'
expect_eq "another query: a miss" miss "$XCACHE"
req "$A" GET '/api/v1/campaigns/1/progress?as_of=nope'
expect_eq "a bad query: 400" 400 "$STATUS"
req "$A" GET '/api/v1/campaigns/1/progress?as_of=nope'
expect_eq "a bad query again: 400" 400 "$STATUS"
expect_eq "a 400 is not cached" miss "$XCACHE"
req "$A" GET /api/v1/campaigns/999999
expect_eq "no campaign: 404" 404 "$STATUS"
req "$A" GET /api/v1/campaigns/999999
expect_eq "no campaign again: 404, not cached" 404:miss "$STATUS:$XCACHE"
req "$A" GET /api/v1/campaigns/1/report
req "$A" GET /api/v1/campaigns/1/report
expect_eq "report again: from the cache" 200:hit "$STATUS:$XCACHE"
# personal or static routes are not cached
req "$A" GET /api/v1/kpis
expect_eq "kpis: not a cached route" 200:"" "$STATUS:$XCACHE"

# roles never share an answer
req "$A" GET /api/v1/campaigns
expect_eq "admin campaigns" 200 "$STATUS"
req "$A" GET /api/v1/campaigns
expect_eq "admin campaigns again" hit "$XCACHE"
admin_list=$BODY
req "$N" GET /api/v1/campaigns
expect_eq "analyst campaigns: its own answer" 200:miss "$STATUS:$XCACHE"
expect_eq "analyst campaigns: the same data" "$admin_list" "$BODY"
req "$C" GET /api/v1/campaigns
expect_eq "creator after the admin's 200: still 403" 403 "$STATUS"
expect_contains "creator: forbidden" '"code": "forbidden"' "$BODY"
req "$C" GET /api/v1/campaigns/1/progress
expect_eq "creator on a cached progress: 403" 403 "$STATUS"
req "$A" GET /api/v1/campaigns
expect_eq "the admin's answer after the creator's 403" 200:hit "$STATUS:$XCACHE"

# a write through the API shows at once: a new campaign in the list, a new creator
req "$A" POST /api/v1/campaigns --data-binary '{"name": "Cache probe", "brand": "Acme Running",
 "period": {"start": "2027-07-01", "end": "2027-09-30"}, "evaluation": "2027-10-30",
 "budget": "15000 USD", "primary_goal": "traffic",
 "objective": "Grow qualified visits to the running-shoe pages from creators training content",
 "kpis": [
  {"code": "referral_sessions", "role": "primary", "target": "+25%", "baseline": {"period": "2027-Q2", "value": 18400}},
  {"code": "ctr", "role": "primary", "target": "1.2%", "baseline": {"period": "2027-Q2", "value": 0.009}}]}'
expect_eq "campaign create" 201 "$STATUS"
req "$A" GET /api/v1/campaigns
expect_eq "campaigns after a create: recomputed" miss "$XCACHE"
expect_contains "campaigns after a create: the new one" '"name": "Cache probe"' "$BODY"
req "$N" GET /api/v1/campaigns
expect_contains "the analyst sees it too" '"name": "Cache probe"' "$BODY"
req "$A" GET '/api/v1/creators?search=api.cache.probe'
expect_eq "creators search: none yet" 200:"[]" "$STATUS:$BODY"
creators_csv "$WORK/api.csv" api.cache.probe
req "$A" POST /api/v1/imports/creators -H 'Content-Type: text/csv' --data-binary @"$WORK/api.csv"
expect_eq "import through the API" 200 "$STATUS"
req "$A" GET '/api/v1/creators?search=api.cache.probe'
expect_contains "creators after an API import" '"handle": "api.cache.probe"' "$BODY"

# a CLI import: at once on SQLite (PRAGMA data_version); with this long TTL, PostgreSQL's
# case is left to the short-TTL server below
req "$A" GET '/api/v1/creators?search=cli.cache.probe'
req "$A" GET '/api/v1/creators?search=cli.cache.probe'
expect_eq "creators search cached" 200:"[]":hit "$STATUS:$BODY:$XCACHE"
creators_csv "$WORK/cli.csv" cli.cache.probe
"$CREST" --db "$DB" -q import creators "$WORK/cli.csv" >/dev/null
if [ "$BACKEND" = sqlite ]; then
    req "$A" GET '/api/v1/creators?search=cli.cache.probe'
    expect_contains "a CLI import shows at once on SQLite" '"handle": "cli.cache.probe"' "$BODY"
fi

# logout ends the session at once, though it was cached
req "$N" GET /api/v1/campaigns
req "$N" GET /api/v1/campaigns
expect_eq "analyst before logout" 200:hit "$STATUS:$XCACHE"
req "$N" POST /api/v1/logout
expect_eq "logout" 200 "$STATUS"
req "$N" GET /api/v1/campaigns
expect_eq "analyst after logout" 401 "$STATUS"
req "$A" GET /api/v1/campaigns
expect_eq "the admin's session outlives it" 200 "$STATUS"
stop_server
expect_contains "hit and miss counts at shutdown" "response cache: " "$(cat "$LOG")"

# ---- a TTL of 1 s: writes of other processes show within it, on every backend ----
start_server 1
S="$WORK/jar.shifty"
login shifty@example.com pass-shifty-123 "$S"
req "$S" GET '/api/v1/creators?search=ttl.cache.probe'
expect_eq "shifty reads as an analyst" 200:"[]" "$STATUS:$BODY"
creators_csv "$WORK/ttl.csv" ttl.cache.probe
"$CREST" --db "$DB" -q import creators "$WORK/ttl.csv" >/dev/null
printf 'pass-shifty-123\n' | "$CREST" --db "$DB" -q user add shifty@example.com --role creator
sleep 1.2
req "$S" GET '/api/v1/creators?search=ttl.cache.probe'
expect_eq "a role changed by the CLI applies within the TTL" 403 "$STATUS"
req "$A" GET '/api/v1/creators?search=ttl.cache.probe'
expect_contains "a CLI import shows within the TTL" '"handle": "ttl.cache.probe"' "$BODY"
stop_server

# ---- --cache-ttl 0: no cache ----
start_server 0
login admin@example.com pass-admin-123 "$A"
req "$A" GET /api/v1/campaigns/1/progress
req "$A" GET /api/v1/campaigns/1/progress
expect_eq "ttl 0: answered" 200 "$STATUS"
expect_eq "ttl 0: no X-Cache" "" "$XCACHE"
case "$HEADERS" in *"Age: "*) fail "ttl 0: an Age header" ;; *) ok ;; esac
expect_eq "ttl 0: the same answer as the cache gave" "$first" "$BODY"
stop_server
case "$(cat "$LOG")" in *"response cache: "*) fail "ttl 0 reported cache counts" ;; *) ok ;; esac
finish
