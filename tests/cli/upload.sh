#!/usr/bin/env bash
# tests/cli/upload.sh - `crest serve` imports as multipart/form-data (what a browser's FormData
# and curl -F send): the file part arrives byte for byte, the creator, captured_at, map and
# partial fields do what crest import's options do, and every bad upload (a bad row, no file
# part, an unknown or repeated field, a malformed or oversized body) has its status and error
# body; the temp files are gone afterwards. Then a sweep of the bad requests of every
# state-changing route of the route table: no CSRF token, malformed JSON, a body that is not an
# object, an oversized body, a wrong method.
. "$(dirname "$0")/lib.sh"
command -v curl >/dev/null || { echo "upload.sh: curl is not installed" >&2; exit 77; }
DB=$(new_db upload)
"$CREST" --db "$DB" -q init >/dev/null
"$CREST" --db "$DB" -q import creators "$FIX/creators.csv" >/dev/null
EXP="$HERE/../fixtures/exports"
BADDIR="$HERE/bad-input"
for role in admin reviewer; do
    printf 'pass-%s-123\n' "$role" | "$CREST" --db "$DB" -q user add "$role@example.com" --role "$role"
done

# the server's temp files go to a directory of this test, to see that none is left
mkdir "$WORK/tmp"
LOG="$WORK/serve.log"
TMPDIR="$WORK/tmp" "$CREST" --db "$DB" serve --listen 127.0.0.1:0 2>"$LOG" &
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

# req METHOD PATH [curl args...]: sets STATUS, BODY and HEADERS; sends the session of AUTH
AUTH=()
req() {
    local m=$1 p=$2
    shift 2
    STATUS=$(curl -s -X "$m" -o "$WORK/body" -D "$WORK/headers" -w '%{http_code}' ${AUTH[@]+"${AUTH[@]}"} \
        "$@" "$BASE$p")
    BODY=$(cat "$WORK/body")
    HEADERS=$(tr -d '\r' <"$WORK/headers")
}

# login EMAIL PASSWORD JAR: a session kept in JAR; AUTH sends it with its CSRF token
login() {
    AUTH=(-c "$3")
    req POST /api/v1/login -H 'Content-Type: application/json' \
        --data-binary "{\"email\": \"$1\", \"password\": \"$2\"}"
    expect_eq "login $1" 200 "$STATUS"
    CSRF=$(echo "$BODY" | grep -o '"csrf": "[0-9a-f]*"' | cut -d'"' -f4 || true)
    AUTH=(-b "$3" -H "X-CSRF-Token: $CSRF")
}

# expect_error WHAT STATUS CODE FIELD (FIELD null for none)
expect_error() {
    expect_eq "$1: status" "$2" "$STATUS"
    expect_contains "$1: content type" "Content-Type: application/json; charset=utf-8" "$HEADERS"
    expect_contains "$1: code" "\"code\": \"$3\"" "$BODY"
    if [ "$4" = null ]; then
        expect_contains "$1: field" '"field": null' "$BODY"
    else
        expect_contains "$1: field" "\"field\": \"$4\"" "$BODY"
    fi
    expect_contains "$1: message" '"message": "' "$BODY"
}

login admin@example.com pass-admin-123 "$WORK/jar.admin"
ADMIN=(${AUTH[@]+"${AUTH[@]}"})
I=/api/v1/imports

# ---- multipart imports ----
req POST $I/creators -F "file=@$FIX/creators.csv"
expect_eq "multipart creators: status" 200 "$STATUS"
expect_contains "multipart creators: rows" '"rows_read": 5' "$BODY"
expect_contains "multipart creators: the part's file name" '"file": "creators.csv"' "$BODY"
# the file part arrives byte for byte: the import's checksum is the file's
expect_contains "multipart creators: sha256 of the file" \
    "\"sha256\": \"$(sha256sum "$FIX/creators.csv" | cut -d' ' -f1)\"" "$BODY"
expect_contains "multipart creators: the CLI already has them (same file)" '"already_imported": true' \
    "$BODY"
# a file the store does not have: a new import, the same rows as the CLI's
printf 'platform,handle,followers,name\ninstagram,up.loaded,12.5K,Up Loaded\ntiktok,second.one,"1,234",Second\n' \
    >"$WORK/new.csv"
req POST $I/auto -F "file=@$WORK/new.csv;filename=../../etc/new creators.csv;type=text/csv"
expect_eq "multipart auto: status" 200 "$STATUS"
expect_contains "multipart auto: detected" '"detected": true' "$BODY"
expect_contains "multipart auto: kind" '"kind": "creators"' "$BODY"
expect_contains "multipart auto: directories dropped from the name" '"file": "new creators.csv"' "$BODY"
expect_contains "multipart auto: rows" '"rows_imported": 2' "$BODY"
expect_contains "the creator is stored" '"followers": 12500' \
    "$("$CREST" --db "$DB" creators show instagram/up.loaded --json)"
# a platform export with creator and captured_at fields, as --creator and --captured-at
req POST $I/auto -F "file=@$EXP/youtube.csv" --form-string creator=@techwithtara -F captured_at=2026-03-31T12:00:00Z
expect_eq "youtube export: status" 200 "$STATUS"
expect_contains "youtube export: kind" '"kind": "youtube"' "$BODY"
expect_contains "youtube export: rows read" '"rows_read": 3' "$BODY"
expect_contains "youtube export: total row skipped" '"rows_skipped": 1' "$BODY"
posts=$("$CREST" --db "$DB" posts list --platform youtube --json)
expect_eq "youtube export: two videos" 2 "$(echo "$posts" | grep -c '"post_id":')"
expect_contains "youtube export: captured_at" '"captured_at": "2026-03-31T12:00:00Z"' "$posts"
expect_contains "youtube export: the creator" '"handle": "techwithtara"' "$posts"
# map fields, as --map: Impressions feeds views, so Views is ignored
printf 'Post ID,Publish time,Impressions,Views\n18031234567890009,2026-03-25T10:00:00Z,900,5\n' >"$WORK/ig.csv"
req POST $I/instagram -F "file=@$WORK/ig.csv" -F creator=maya.runs -F map=Impressions=views
expect_eq "map field: status" 200 "$STATUS"
expect_contains "map field: other column ignored" '"ignored_columns": [
    "Views"' "$BODY"
expect_contains "map field: value" '"views": 900' "$("$CREST" --db "$DB" posts list --platform instagram --json)"
# two map fields
printf 'Day,Network,Brand name,Hits\n2026-03-04,tiktok,Acme Running,7\n' >"$WORK/m.csv"
req POST $I/auto -F "file=@$WORK/m.csv" -F "map=Brand name=brand" -F map=Hits=count -F map=Network=source
expect_eq "three map fields: status" 200 "$STATUS"
expect_contains "three map fields: detection sees them" '"kind": "mentions"' "$BODY"
# the same options as query parameters with a text/csv body
printf 'Post ID,Publish time,Impressions,Views\n18031234567890010,2026-03-26T10:00:00Z,700,5\n' >"$WORK/ig2.csv"
req POST "$I/instagram?creator=maya.runs&map=Impressions=views&captured_at=2026-03-27" \
    -H 'Content-Type: text/csv' --data-binary @"$WORK/ig2.csv"
expect_eq "text/csv with query options: status" 200 "$STATUS"
expect_contains "text/csv with query options: value" '"views": 700' \
    "$("$CREST" --db "$DB" posts list --platform instagram --json)"

# ---- a refused file: the CLI's message, nothing imported ----
before=$(db_digest "$DB")
req POST $I/creators -F "file=@$BADDIR/03-bad-count.csv"
expect_error "bad row" 422 invalid_file null
want=$(sed -n 2p "$BADDIR/03-bad-count.expect" | sed 's/\\/\\\\/g; s/"/\\"/g')
expect_contains "bad row: the CLI's message" "\"message\": \"$want\"" "$BODY"
expect_contains "bad row: the CLI's last line" \
    '"summary": "03-bad-count.csv: 1 of 1 rows are invalid; nothing was imported' "$BODY"
expect_contains "bad row: problems" '"line": 2,
        "column": 3,
        "field": "followers"' "$BODY"
req POST $I/tiktok -F "file=@$EXP/tiktok.csv" --form-string creator=@nobody.here
expect_error "unknown creator field" 422 invalid_file null
expect_contains "unknown creator field: the CLI's message" 'no tiktok creator \"nobody.here\"' "$BODY"
expect_eq "refused uploads change nothing" "$before" "$(db_digest "$DB")"
# partial as a form field: the valid row is imported, the bad one counted
printf 'platform,handle,followers\ninstagram,good.row,100\ninstagram,bad.row,12x\n' >"$WORK/half.csv"
req POST $I/creators -F "file=@$WORK/half.csv" -F partial=1
expect_eq "partial field: status" 200 "$STATUS"
expect_contains "partial field: imported" '"rows_imported": 1' "$BODY"
expect_contains "partial field: rejected" '"rows_rejected": 1' "$BODY"
before=$(db_digest "$DB")

# ---- bad uploads: status, code and field ----
req POST $I/creators --form-string creator=@maya.runs
expect_error "no file part" 400 invalid file
expect_contains "no file part: how" "form part named file" "$BODY"
req POST $I/creators -F "upload=@$FIX/creators.csv"
expect_error "file part under another name" 400 invalid upload
expect_contains "unknown field: the expected ones" "expected file, creator, captured_at, map or partial" "$BODY"
req POST $I/creators -F "file=@$FIX/creators.csv" -F "file=@$FIX/creators.csv"
expect_error "two file parts" 400 invalid file
req POST $I/tiktok -F "file=@$EXP/tiktok.csv" -F creator=a -F creator=b
expect_error "creator twice" 400 invalid creator
req POST $I/tiktok -F "file=@$EXP/tiktok.csv" -F "creator=$(head -c 300 /dev/zero | tr '\0' a)"
expect_error "creator too long" 400 invalid creator
req POST $I/tiktok -F "file=@$EXP/tiktok.csv" -F captured_at=yesterday
expect_error "bad captured_at" 400 invalid captured_at
expect_contains "bad captured_at: the form" "expected a date-time as YYYY-MM-DD" "$BODY"
req POST $I/instagram -F "file=@$WORK/ig.csv" -F map=Impressions
expect_error "map without =" 400 invalid map
req POST $I/instagram -F "file=@$WORK/ig.csv" -F map=Impressions=wiews
expect_error "map to no field" 400 invalid map
expect_contains "map to no field: the kind's fields" "instagram has no field 'wiews' (its fields: post_id, handle" "$BODY"
req POST $I/auto -F "file=@$WORK/ig.csv" -F map=Impressions=wiews
expect_error "map to no field of any kind" 400 invalid map
req POST "$I/instagram?map=Impressions=views" -F "file=@$WORK/ig.csv"
expect_error "map in the query of a multipart body" 400 invalid map
req POST "$I/creators?partial=1" -F "file=@$WORK/half.csv" -F partial=0
expect_error "partial twice" 400 invalid partial
req POST $I/creators -F "file=@$WORK/half.csv" -F partial=maybe
expect_error "partial=maybe" 400 invalid partial
req POST $I/nonsense -F "file=@$FIX/creators.csv"
expect_error "unknown kind" 400 invalid kind
expect_contains "unknown kind: the kinds" "expected auto or one of creators, snapshots" "$BODY"
req POST $I/creators -H 'Content-Type: multipart/form-data' --data-binary @"$FIX/creators.csv"
expect_error "multipart without a boundary" 400 invalid null
printf -- '--XyZ\r\nContent-Disposition: form-data; name="file"; filename="a.csv"\r\n\r\nplatform,handle\r\ninstagram,cut.short\r\n' \
    >"$WORK/cut"
req POST $I/creators -H 'Content-Type: multipart/form-data; boundary=XyZ' --data-binary @"$WORK/cut"
expect_error "multipart without its closing boundary" 400 invalid null
expect_contains "multipart cut short: message" "closing boundary" "$BODY"
req POST $I/creators -H 'Content-Type: application/x-www-form-urlencoded' --data-binary 'file=x'
expect_error "a urlencoded form" 415 unsupported_media_type null
expect_contains "415: both ways named" "multipart/form-data (a part named file) or as the body with Content-Type: text/csv" "$BODY"
# over 64 MiB: refused from its Content-Length, and while streaming when it has none
head -c $((64 * 1024 * 1024 + 1)) /dev/zero >"$WORK/huge.csv"
req POST $I/creators -F "file=@$WORK/huge.csv"
expect_error "multipart over 64 MiB" 413 payload_too_large null
req POST $I/creators -H 'Transfer-Encoding: chunked' -F "file=@$WORK/huge.csv"
expect_error "chunked multipart over 64 MiB" 413 payload_too_large null
rm -f "$WORK/huge.csv"
expect_eq "bad uploads change nothing" "$before" "$(db_digest "$DB")"

# the session and the role come before the form: no CSRF token is 403, a reviewer 403
AUTH=(-b "$WORK/jar.admin")
req POST $I/creators -F "file=@$FIX/creators.csv" -F bogus=1
expect_error "multipart without X-CSRF-Token" 403 forbidden null
login reviewer@example.com pass-reviewer-123 "$WORK/jar.reviewer"
req POST $I/creators -F "file=@$FIX/creators.csv" -F bogus=1
expect_error "multipart by a reviewer" 403 forbidden null
AUTH=()
req POST $I/creators -F "file=@$FIX/creators.csv"
expect_error "multipart without a session" 401 unauthorized null
AUTH=(${ADMIN[@]+"${ADMIN[@]}"})

# ---- bad requests on every state-changing route of the table ----
routes=$("$CREST" serve --routes --json)
# body_of PATTERN: json, upload or none
body_of() {
    echo "$routes" | tr -d ' \n' | grep -o "\"pattern\":\"$1\",[^}]*" | grep -o '"body":"[a-z]*"' |
        cut -d'"' -f4
}
concrete() {
    echo "$1" | sed -e 's/{id}/1/' -e 's/{kind}/creators/' -e 's/{name}/app.js/'
}
"$CREST" --db "$DB" -q demo >/dev/null 2>&1 || true
head -c $((1024 * 1024 + 10)) /dev/zero | tr '\0' ' ' >"$WORK/big"
nposts=0
while read -r m p; do
    path=$(concrete "$p")
    body=$(body_of "$p")
    # a creator's review routes (creator accounts, or a link's token instead of a session):
    # tests/cli/reviews.sh sweeps their bodies with the right credentials
    case "$p" in /api/v1/reviews/mine/* | /api/v1/reviews/link/*) body=creator ;; esac
    if [ "$m" = POST ] && [ "$p" != /api/v1/login ] && [ "$body" != creator ]; then
        nposts=$((nposts + 1))
        AUTH=(-b "$WORK/jar.admin")
        req POST "$path" -H 'Content-Type: application/json' --data-binary '{}'
        expect_error "$m $p without X-CSRF-Token" 403 forbidden null
        AUTH=(${ADMIN[@]+"${ADMIN[@]}"})
    fi
    if [ "$body" = json ]; then
        req "$m" "$path" -H 'Content-Type: application/json' --data-binary '{"text": "Increase'
        expect_error "$m $p with malformed JSON" 400 invalid null
        expect_contains "$m $p with malformed JSON: where" "malformed JSON body: " "$BODY"
        req "$m" "$path" -H 'Content-Type: application/json' --data-binary '[1, 2]'
        expect_error "$m $p with an array body" 400 invalid null
        req "$m" "$path" -H 'Content-Type: application/json' --data-binary '"text"'
        expect_error "$m $p with a string body" 400 invalid null
        req "$m" "$path" -H 'Content-Type: application/json' --data-binary @"$WORK/big"
        expect_error "$m $p over 1 MiB" 413 payload_too_large null
    fi
    # every other method: 405 naming the allowed ones
    for other in PUT DELETE PATCH; do
        req "$other" "$path"
        expect_error "$other $p" 405 method_not_allowed null
        expect_contains "$other $p: Allow" "Allow: " "$HEADERS"
    done
done < <("$CREST" serve --routes)
[ "$nposts" -ge 5 ] && ok || fail "only $nposts state-changing routes were swept"
# wrong types in JSON bodies name the field
for c in 'login|{"email": ["a"], "password": "x"}|email' \
    'login|{"email": "a@example.com", "password": 12}|password' \
    'goal/parse|{"text": {"a": 1}}|text' \
    'goal/parse|{"text": "Grow sales by 10% in Q3", "year": true}|year' \
    'campaigns|{"name": {"a": 1}}|name' \
    'campaigns|{"name": "x", "kpis": "reach"}|kpis' \
    'campaigns/check|{"name": "x", "partnerships": [5]}|partnerships[0]' \
    'campaigns/check|{"name": "x", "benchmarking": "perhaps"}|benchmarking'; do
    IFS='|' read -r route json field <<<"$c"
    req POST "/api/v1/$route" -H 'Content-Type: application/json' --data-binary "$json"
    expect_error "POST $route $json" 400 invalid "$field"
done

# no upload is left in the server's temp directory
expect_eq "temp files removed" "" "$(ls -A "$WORK/tmp")"
kill -0 "$SRV" && ok || fail "the server died"
kill -TERM "$SRV"
set +e
wait "$SRV"
rc=$?
set -e
expect_eq "exit code after SIGTERM" 0 "$rc"
finish
