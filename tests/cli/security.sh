#!/usr/bin/env bash
# tests/cli/security.sh - the attacks of docs/security.md against `crest serve` and the CLI:
# session fixation, CSRF on every write route (taken from `crest serve --routes --json`, so a
# new route is covered by adding it), cross-site writes (Sec-Fetch-Site), login rate limits
# per email and per client address (also behind --tls-proxy), path traversal on /assets, an
# SQL injection corpus through every text filter of the API and the CLI, oversized requests,
# slow requests (slowloris, raw sockets), header injection through a creator's name or a
# template's subject refused by the mail layer, and secrets (passwords, session and CSRF
# tokens, SMTP passwords) never in the access log or the CLI's output.
. "$(dirname "$0")/lib.sh"
command -v curl >/dev/null || { echo "security.sh: curl is not installed" >&2; exit 77; }
command -v python3 >/dev/null || { echo "security.sh: python3 is not installed" >&2; exit 77; }
DB=$(new_db security)
"$CREST" --db "$DB" demo -q >"$WORK/demo.out" 2>&1
for role in admin analyst creator; do
    printf 'Secret-%s-Pw-42\n' "$role" | "$CREST" --db "$DB" user add "$role@example.com" \
        --role "$role" >>"$WORK/cli.out" 2>&1
done

LOG="$WORK/serve.log"
SRV=
trap '[ -n "$SRV" ] && kill "$SRV" 2>/dev/null; '"$(trap -p EXIT | sed -e "s/^trap -- '//" -e "s/' EXIT\$//")" EXIT
# serve_start [ARGS...]: a server on a free port; sets SRV, PORT, BASE
serve_start() {
    : >"$LOG"
    "$CREST" --db "$DB" serve --listen 127.0.0.1:0 "$@" 2>"$LOG" &
    SRV=$!
    PORT=
    for _ in $(seq 1 100); do
        PORT=$(grep -o 'listening on http://127.0.0.1:[0-9]*' "$LOG" | sed 's/.*://' || true)
        [ -n "$PORT" ] && break
        sleep 0.1
    done
    [ -n "$PORT" ] || { cat "$LOG" >&2; fail "the server did not start"; finish; }
    BASE="http://127.0.0.1:$PORT"
}
serve_stop() {
    kill -TERM "$SRV" 2>/dev/null || true
    wait "$SRV" 2>/dev/null || true
    cat "$LOG" >>"$WORK/all-serve.log"
    SRV=
}

# req METHOD PATH [curl args...]: sets STATUS, BODY, HEADERS
req() {
    local m=$1 p=$2
    shift 2
    STATUS=$(curl -s -X "$m" -o "$WORK/body" -D "$WORK/headers" -w '%{http_code}' "$@" "$BASE$p")
    BODY=$(cat "$WORK/body")
    HEADERS=$(tr -d '\r' <"$WORK/headers")
}
J=(-H 'Content-Type: application/json')
# login EMAIL PASSWORD JAR [curl args]: sets STATUS, CSRF, TOKEN (the cookie it set)
login() {
    local email=$1 pw=$2 jar=$3
    shift 3
    req POST /api/v1/login -c "$jar" "${J[@]}" "$@" \
        --data-binary "{\"email\": \"$email\", \"password\": \"$pw\"}"
    CSRF=$(echo "$BODY" | grep -o '"csrf": "[0-9a-f]*"' | cut -d'"' -f4 || true)
    TOKEN=$(echo "$HEADERS" | grep -o 'Set-Cookie: crest_session=[0-9a-f]*' | sed 's/.*=//' || true)
}
serve_start

# ---- session fixation: a cookie sent to the login is never adopted ----
login admin@example.com Secret-admin-Pw-42 "$WORK/jar.a" -H 'Cookie: crest_session=attacker0chosen0token'
expect_eq "login with a planted cookie" 200 "$STATUS"
expect_eq "the new session token is 64 hex" 64 "${#TOKEN}"
[ "$TOKEN" != attacker0chosen0token ] && ok || fail "the planted token was adopted"
req GET /api/v1/kpis -H 'Cookie: crest_session=attacker0chosen0token'
expect_eq "the planted token is no session" 401 "$STATUS"
ADMIN_CSRF=$CSRF ADMIN_TOKEN=$TOKEN
# the attacker's own live session planted in the victim's browser stays the attacker's
login creator@example.com Secret-creator-Pw-42 "$WORK/jar.c"
CREATOR_TOKEN=$TOKEN
login analyst@example.com Secret-analyst-Pw-42 "$WORK/jar.n" -H "Cookie: crest_session=$CREATOR_TOKEN"
expect_eq "victim login over the attacker's session" 200 "$STATUS"
[ "$TOKEN" != "$CREATOR_TOKEN" ] && [ ${#TOKEN} -eq 64 ] && ok || fail "the login kept the planted session"
ANALYST_TOKEN=$TOKEN
req GET /api/v1/creators -H "Cookie: crest_session=$CREATOR_TOKEN"
expect_eq "the planted session still has the attacker's role (creator)" 403 "$STATUS"
req GET /api/v1/creators -H "Cookie: crest_session=$ANALYST_TOKEN"
expect_eq "the victim's new session has the victim's role" 200 "$STATUS"
# a second login gives a new token; both sessions are distinct
login admin@example.com Secret-admin-Pw-42 "$WORK/jar.a2"
[ "$TOKEN" != "$ADMIN_TOKEN" ] && ok || fail "a second login reused the token"

# ---- CSRF: every state-changing route refuses a session without its X-CSRF-Token ----
"$CREST" serve --routes --json >"$WORK/routes.json"
python3 - "$WORK/routes.json" >"$WORK/writes" <<'PY'
import json, sys
for r in json.load(open(sys.argv[1])):
    if r["method"] not in ("GET", "HEAD") and not r["public"]:
        path = r["pattern"].replace("{id}", "1").replace("{kind}", "creators")
        for seg in [s for s in path.split("/") if s.startswith("{")]:
            path = path.replace(seg, "x")
        print(r["method"], path, r["body"])
PY
nwrites=$(wc -l <"$WORK/writes")
[ "$nwrites" -ge 5 ] && ok || fail "only $nwrites write routes found"
before=$(db_digest "$DB")
while read -r m p body; do
    case "$body" in
    json) args=("${J[@]}" --data-binary '{"name": "csrf probe", "text": "grow reach by 10% in 2027"}') ;;
    upload) args=(-H 'Content-Type: text/csv' --data-binary @"$FIX/creators.csv") ;;
    *) args=() ;;
    esac
    for variant in none wrong other empty; do
        case $variant in
        none) h=() ;;
        wrong) h=(-H "X-CSRF-Token: $(printf '%064d' 0)") ;;
        other) h=(-H "X-CSRF-Token: $CSRF") ;; # another session's token (admin's second login)
        empty) h=(-H "X-CSRF-Token;") ;;
        esac
        req "$m" "$p" -H "Cookie: crest_session=$ADMIN_TOKEN" ${h[@]+"${h[@]}"} ${args[@]+"${args[@]}"}
        expect_eq "CSRF ($variant) on $m $p: status" 403 "$STATUS"
        expect_contains "CSRF ($variant) on $m $p: names the header" "X-CSRF-Token" "$BODY"
    done
done <"$WORK/writes"
expect_eq "the refused writes changed nothing" "$before" "$(db_digest "$DB")"
# the right token passes the CSRF check (whatever the handler then says)
req POST /api/v1/goal/parse -H "Cookie: crest_session=$ADMIN_TOKEN" -H "X-CSRF-Token: $ADMIN_CSRF" \
    "${J[@]}" --data-binary '{"text": "Grow reach by 10% in 2027"}'
expect_eq "the session's own CSRF token" 200 "$STATUS"

# ---- cross-site writes (Fetch Metadata): login CSRF and the rest ----
req POST /api/v1/login "${J[@]}" -H 'Sec-Fetch-Site: cross-site' \
    --data-binary '{"email": "admin@example.com", "password": "Secret-admin-Pw-42"}'
expect_eq "a cross-site login" 403 "$STATUS"
expect_contains "a cross-site login: why" "cross-site" "$BODY"
case "$HEADERS" in *Set-Cookie*) fail "a cross-site login set a cookie" ;; *) ok ;; esac
req POST /api/v1/goal/parse -H "Cookie: crest_session=$ADMIN_TOKEN" -H "X-CSRF-Token: $ADMIN_CSRF" \
    -H 'Sec-Fetch-Site: cross-site' "${J[@]}" --data-binary '{"text": "Grow reach by 10% in 2027"}'
expect_eq "a cross-site write with the right token" 403 "$STATUS"
for site in same-origin same-site none; do
    req POST /api/v1/goal/parse -H "Cookie: crest_session=$ADMIN_TOKEN" -H "X-CSRF-Token: $ADMIN_CSRF" \
        -H "Sec-Fetch-Site: $site" "${J[@]}" --data-binary '{"text": "Grow reach by 10% in 2027"}'
    expect_eq "a $site write" 200 "$STATUS"
done
req GET /api/v1/kpis -H "Cookie: crest_session=$ADMIN_TOKEN" -H 'Sec-Fetch-Site: cross-site'
expect_eq "a cross-site read (a link) is served" 200 "$STATUS"

# ---- path traversal on /assets: only the embedded files, never the file system ----
for p in '/assets/../CMakeLists.txt' '/assets/..%2F..%2F..%2Fetc%2Fpasswd' '/assets/%2e%2e/%2e%2e/etc/passwd' \
    '/assets/....//....//etc/passwd' '/assets/%252e%252e%252fetc%252fpasswd' '/assets/..\..\etc\passwd' \
    '/assets/app.js%00.txt' '/assets/%00' '/assets//etc/passwd' '/assets/security.db' \
    '/assets/.%2e/.%2e/.%2e/.%2e/proc/self/environ' '/assets/app.js/../../crest.db' '/assets/%c0%ae%c0%ae/etc/passwd'; do
    req GET "$p" --path-as-is
    case "$STATUS" in 400 | 404) ok ;; *) fail "traversal $p: status $STATUS" ;; esac
    case "$BODY" in *root:* | *SQLite* | *cmake_minimum* | *PATH=*) fail "traversal $p leaked a file" ;; *) ok ;; esac
done

# ---- SQL injection: every text filter, API and CLI; no 5xx, nothing matched, nothing changed ----
before=$(db_digest "$DB")
ncreators=$("$CREST" --db "$DB" creators list --json | grep -c '"handle":')
INJ=("' OR '1'='1" "' OR 1=1 --" "\" OR \"\"=\"" "'; DROP TABLE creator; --" "1; DELETE FROM creator"
    "%' OR handle LIKE '%" "') OR ('a'='a" "' UNION SELECT email, password_hash FROM app_user --"
    "\\'; SELECT pg_sleep(5); --" "*/ OR 1=1 /*" "' AND randomblob(1000000000) --" "\$\$; DROP TABLE post; \$\$"
    "%" "_" "\\" "' || (SELECT sqlite_version()) || '" "\" MATCH \"*\"" "NEAR(a b)" "a* OR b*" "'\"\`;")
enc() { python3 -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1], safe=""))' "$1"; }
A=(-H "Cookie: crest_session=$ADMIN_TOKEN")
fivexx=0 apireqs=0 clireqs=0 matched=0
for x in "${INJ[@]}"; do
    e=$(enc "$x")
    for path in "/api/v1/creators?search=$e" "/api/v1/creators?platform=$e" "/api/v1/creators?sort=$e" \
        "/api/v1/posts?creator=$e" "/api/v1/posts?platform=$e" "/api/v1/posts?since=$e" \
        "/api/v1/discover?topic=$e" "/api/v1/discover?platform=$e" "/api/v1/discover?country=$e" \
        "/api/v1/discover?language=$e" "/api/v1/discover?not_in=$e" "/api/v1/discover?campaign=$e" \
        "/api/v1/discover?like=$e" "/api/v1/discover?tier=$e" "/api/v1/discover?gender=$e" \
        "/api/v1/kpis?goal=$e" "/api/v1/campaigns/$e" "/api/v1/creators/$e" \
        "/api/v1/campaigns/1/progress?as_of=$e"; do
        req GET "$path" "${A[@]}"
        apireqs=$((apireqs + 1))
        case "$STATUS" in 5*) fivexx=$((fivexx + 1)); fail "injection $path: $STATUS $BODY" ;; *) ok ;; esac
        # a filter that matched everything would list creators; a search for junk lists none
        case "$path" in *"search=$e")
            n=$(echo "$BODY" | grep -c '"handle":' || true)
            [ "$n" -lt "$ncreators" ] || { matched=$((matched + 1)); fail "search '$x' matched all $n creators"; } ;;
        esac
    done
    # the CLI gets the first half of the corpus (each run is a process: time)
    [ "$x" = "${INJ[10]}" ] && CLI_DONE=1
    [ -n "${CLI_DONE:-}" ] && continue
    for args in "creators list --search" "creators list --platform" "posts list --creator" \
        "posts list --platform" "discover --language" "discover --not-in" "discover --campaign" \
        "discover --like" "campaign show" "creators show"; do
        set +e
        # shellcheck disable=SC2086
        "$CREST" --db "$DB" $args "$x" >"$WORK/inj.out" 2>&1
        rc=$?
        set -e
        case $rc in 0 | 2 | 3 | 4) ok ;; *) fail "crest $args '$x': exit $rc: $(head -3 "$WORK/inj.out")" ;; esac
    done
    set +e
    "$CREST" --db "$DB" discover "$x" >"$WORK/inj.out" 2>&1
    rc=$?
    set -e
    case $rc in 0 | 2 | 3 | 4) ok ;; *) fail "crest discover '$x': exit $rc" ;; esac
    clireqs=$((clireqs + 11))
done
expect_eq "the injection corpus changed nothing" "$before" "$(db_digest "$DB")"
"$CREST" --db "$DB" -q db check >/dev/null && ok || fail "db check after the injection corpus"

# ---- oversized and malformed requests ----
head -c 1100000 /dev/zero | tr '\0' 'a' >"$WORK/big.json"
req POST /api/v1/login "${J[@]}" --data-binary @"$WORK/big.json"
expect_eq "a JSON body over 1 MiB" 413 "$STATUS"
req GET "/$(head -c 5000 /dev/zero | tr '\0' 'a')"
expect_eq "a path over 1024 bytes" 414 "$STATUS"
q=$(for i in $(seq 1 40); do printf 'a%d=1&' "$i"; done)
req GET "/api/v1/creators?$q" "${A[@]}"
expect_eq "40 query parameters" 400 "$STATUS"
req GET "/api/v1/creators?search=$(head -c 2000 /dev/zero | tr '\0' 'a')" "${A[@]}"
expect_eq "a 2000-byte query value" 400 "$STATUS"
req GET /api/v1/kpis -H "Cookie: $(head -c 20000 /dev/zero | tr '\0' 'c')"
case "$STATUS" in 400 | 401 | 413 | 431) ok ;; *) fail "a 20 kB Cookie header: $STATUS" ;; esac
req POST /api/v1/login "${J[@]}" --data-binary '{"email": "a@b.c", "password": "x", "email": "d@e.f"}'
expect_eq "a duplicate JSON key" 400 "$STATUS"
req POST /api/v1/login "${J[@]}" --data-binary "$(python3 -c 'print("[" * 100000)')"
expect_eq "JSON nested 100000 deep" 400 "$STATUS"

# ---- slow requests (slowloris): idle connections are closed, others are served meanwhile ----
# (a server with --idle-timeout 3: the default 30 s would make the test wait that long)
expect_serve_refuses --idle-timeout "--idle-timeout: expected seconds from 1 to 3600" 0 3601 abc 2.5
serve_stop
serve_start --idle-timeout 3
python3 - "$PORT" 3 >"$WORK/slow.out" 2>&1 <<'PY' && ok || fail "slow requests: $(cat "$WORK/slow.out")"
import socket, sys, time, urllib.request
port, idle = int(sys.argv[1]), int(sys.argv[2])
t0 = time.time()
socks = []
for i in range(40):
    s = socket.create_connection(("127.0.0.1", port))
    # half a header, or a body shorter than its Content-Length: then silence
    if i % 2:
        s.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: ")
    else:
        s.sendall(b"POST /api/v1/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                  b"Content-Length: 1000\r\n\r\n{\"email\":")
    socks.append(s)
# the server still answers others at once
t1 = time.time()
with urllib.request.urlopen("http://127.0.0.1:%d/healthz" % port, timeout=5) as r:
    assert r.status == 200, r.status
fast = time.time() - t1
assert fast < 2, "healthz took %.1f s beside 40 slow connections" % fast
# each slow connection is closed by the server's timeout
closed = []
for s in socks:
    s.settimeout(60)
    try:
        while s.recv(4096):
            pass
    except ConnectionResetError:
        pass
    closed.append(time.time() - t0)
    s.close()
worst = max(closed)
assert idle - 0.5 <= min(closed) and worst <= idle + 15, "closed after %.1f..%.1f s" % (min(closed), worst)
print("slow: 40 slow connections closed after %.1f-%.1f s; healthz beside them in %.3f s"
      % (min(closed), worst, fast))
PY
cat "$WORK/slow.out"
req GET /healthz
expect_eq "the server is fine after the slow connections" 200 "$STATUS"
serve_stop
serve_start

# ---- per-address login limit: 20 failures from one address, whatever the emails ----
for i in $(seq 1 20); do
    login "nobody$i@example.com" wrong-password "$WORK/jar.x"
    [ "$STATUS" = 401 ] && ok || fail "failed login $i from one address: $STATUS"
done
login analyst@example.com Secret-analyst-Pw-42 "$WORK/jar.x"
expect_eq "the 21st login from the address, right password" 429 "$STATUS"
expect_contains "429 names the address" "from this address" "$BODY"
req GET /api/v1/kpis -H "Cookie: crest_session=$ANALYST_TOKEN"
expect_eq "sessions of the address live on" 200 "$STATUS"
serve_stop

# behind --tls-proxy the address is the last of X-Forwarded-For (what the proxy appended)
serve_start --tls-proxy
for i in $(seq 1 20); do
    login "nobody$i@example.com" wrong-password "$WORK/jar.x" -H "X-Forwarded-For: 203.0.113.$i, 198.51.100.7"
done
login analyst@example.com Secret-analyst-Pw-42 "$WORK/jar.x" -H 'X-Forwarded-For: 198.51.100.7'
expect_eq "behind a proxy: the limited address" 429 "$STATUS"
login analyst@example.com Secret-analyst-Pw-42 "$WORK/jar.x" -H 'X-Forwarded-For: 198.51.100.8'
expect_eq "behind a proxy: another address" 200 "$STATUS"
case "$HEADERS" in *"; Secure"*) ok ;; *) fail "--tls-proxy cookie without Secure" ;; esac
login analyst@example.com Secret-analyst-Pw-42 "$WORK/jar.x" -H 'X-Forwarded-For: 198.51.100.7, 198.51.100.9'
expect_eq "behind a proxy: a forged first address does not count" 200 "$STATUS"
serve_stop

# ---- outreach: header injection refused, SMTP credentials never printed (docs/mail.md) ----
{
    printf 'platform,handle,name,email,country,followers\n'
    printf 'instagram,inject.me,"Eve\r\nBcc: all@evil.example",eve@example.com,US,1000\n'
    printf 'instagram,inject.two,Ivy Two,ivy@example.com,US,1000\n'
    printf 'instagram,inject.three,Ian Three,ian@example.com,US,1000\n'
} >"$WORK/inject.csv"
"$CREST" --db "$DB" -q import creators "$WORK/inject.csv" >>"$WORK/cli.out" 2>&1
printf 'Subject: For {{creator.name}}\n\nHi {{creator.first_name}}.\n' >"$WORK/name.tpl"
printf 'Hi {{creator.first_name}}.\n' >"$WORK/plain.tpl"
"$CREST" --db "$DB" -q outreach template add inj-name "$WORK/name.tpl"
# a subject with a line break is refused when the template is stored (CLI and API alike)
set +e
out=$("$CREST" --db "$DB" outreach template add inj-subject "$WORK/plain.tpl" \
    --subject "$(printf 'Hello\r\nBcc: all@evil.example')" 2>&1)
rc=$?
set -e
expect_eq "a template subject with a line break: invalid input" 3 "$rc"
expect_contains "a template subject with a line break: refused" "subject: expected one non-empty line" "$out"
"$CREST" --db "$DB" -q outreach template add inj-clean "$WORK/plain.tpl" --subject 'Hello {{creator.first_name}}'
"$CREST" --db "$DB" -q outreach sequence add inj-name --step 0:inj-name
"$CREST" --db "$DB" -q outreach sequence add inj-clean --step 0:inj-clean
NOW=2026-12-07T18:00:00Z
"$CREST" --db "$DB" -q outreach enqueue --sequence inj-name --campaign 1 --creator @inject.me --now $NOW
set +e
"$CREST" --db "$DB" outreach run --now $NOW --transport "maildir:$WORK/injbox" >>"$WORK/cli.out" 2>&1
set -e
q=$("$CREST" --db "$DB" --json outreach queue)
n=$(grep -c '"error": "message: subject holds a line break (header injection refused)"' <<<"$q" || true)
expect_eq "header injection through a creator's name: refused when sending" 1 "$n"
if grep -rqi '^Bcc:' "$WORK/injbox" 2>/dev/null; then fail "a Bcc header was written"; else ok; fi

# SMTP AUTH refused: the password is neither in the output, the queue, nor the server's log
PY=/usr/bin/python3
[ -x "$PY" ] || PY=python3
if "$PY" -c 'import aiosmtpd' 2>/dev/null; then
    "$PY" "$HERE/../outreach/smtp_sink.py" "$WORK/sink" --auth crest:Right-Smtp-Pw-7 \
        >"$WORK/sink.port" 2>>"$WORK/sink.err" &
    SINK=$!
    SPORT=
    for _ in $(seq 1 100); do
        SPORT=$(head -1 "$WORK/sink.port" 2>/dev/null || true)
        [ -n "$SPORT" ] && break
        sleep 0.1
    done
    [ -n "$SPORT" ] && ok || fail "the SMTP sink did not start"
    "$CREST" --db "$DB" -q outreach enqueue --sequence inj-clean --campaign 1 --creator @inject.two --now $NOW
    set +e
    CREST_SMTP_USER=crest CREST_SMTP_PASSWORD=Wrong-Smtp-Pw-8 "$CREST" --db "$DB" --json outreach run \
        --now $NOW --transport "smtp://127.0.0.1:$SPORT" >>"$WORK/cli.out" 2>&1
    expect_eq "a failed send fails outreach run --json" 1 $?
    set -e
    q=$("$CREST" --db "$DB" --json outreach queue)
    echo "$q" >>"$WORK/cli.out"
    expect_contains "SMTP login refused" "the server refused the login" "$q"
    [ ! -e "$WORK/sink/0001.eml" ] && ok || fail "a message went through with a wrong password"
    # the server's background sender with the same credentials (its log is checked below)
    "$CREST" --db "$DB" -q outreach enqueue --sequence inj-clean --campaign 1 --creator @inject.three
    CREST_SMTP_USER=crest CREST_SMTP_PASSWORD=Wrong-Smtp-Pw-8 serve_start \
        --outreach-interval 1 --outreach-transport "smtp://127.0.0.1:$SPORT"
    for _ in $(seq 1 100); do
        grep -q 'outreach run:' "$LOG" && break
        sleep 0.1
    done
    expect_contains "the background sender ran" "outreach run: 1 queued" "$(cat "$LOG")"
    serve_stop
    kill -TERM "$SINK" 2>/dev/null || true
    wait "$SINK" 2>/dev/null || true
else
    echo "security.sh: python3-aiosmtpd missing: the SMTP credential checks are skipped" >&2
fi

# ---- secrets never in logs or output ----
set +e
"$CREST" --db "$DB" user list >>"$WORK/cli.out" 2>&1
"$CREST" --db "$DB" user list --json >>"$WORK/cli.out" 2>&1
"$CREST" --db "$DB" db stats >>"$WORK/cli.out" 2>&1
"$CREST" --db "$DB" db checksum >>"$WORK/cli.out" 2>&1
printf 'short\n' | "$CREST" --db "$DB" user add x@example.com --role admin >>"$WORK/cli.out" 2>&1
set -e
# a password in the store URL is never printed (PostgreSQL takes user:password@ and ?password=)
for url in 'postgres://crest:Url-Secret-Pw-9@127.0.0.1:1/nodb' 'postgres://crest@127.0.0.1:1/nodb?password=Url-Secret-Pw-9'; do
    set +e
    "$CREST" --db "$url" init >>"$WORK/cli.out" 2>&1
    "$CREST" --db "$url" --json db stats >>"$WORK/cli.out" 2>&1
    set -e
done
cat "$WORK/demo.out" >>"$WORK/cli.out"
secrets=(Secret-admin-Pw-42 Secret-analyst-Pw-42 Secret-creator-Pw-42 Url-Secret-Pw-9 Wrong-Smtp-Pw-8
    Right-Smtp-Pw-7 "$ADMIN_TOKEN"
    "$ANALYST_TOKEN" "$CREATOR_TOKEN" "$ADMIN_CSRF")
nlog=$(wc -l <"$WORK/all-serve.log")
[ "$nlog" -ge 100 ] && ok || fail "the access log has only $nlog lines"
for s in "${secrets[@]}"; do
    [ -n "$s" ] || continue
    grep -qF -- "$s" "$WORK/all-serve.log" && fail "a secret (${s:0:6}...) is in the access log" || ok
    grep -qF -- "$s" "$WORK/cli.out" && fail "a secret (${s:0:6}...) is in the CLI's output" || ok
done
grep -q '\$argon2id\$' "$WORK/cli.out" "$WORK/all-serve.log" && fail "a password hash was printed" || ok

echo "security.sh: $nwrites write routes refused without CSRF; ${#INJ[@]} injection strings," \
    "$apireqs API requests (5xx: $fivexx, all-matching searches: $matched), $clireqs CLI runs;" \
    "access log $nlog lines"
finish
