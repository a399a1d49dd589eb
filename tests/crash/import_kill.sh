#!/usr/bin/env bash
# tests/crash/import_kill.sh - crash safety: SIGKILL `crest import` at random points, over
# and over, on large generated files; after every kill `crest db check` passes and the file's
# rows are wholly present or wholly absent (the creator and import totals are those of before
# the file, or those of before plus the whole file). Then the same with `crest serve` killed
# while API imports (POST /api/v1/imports/creators) are under way.
#
# Usage: tests/crash/import_kill.sh PATH/TO/crest
# Env: CR_CRASH_KILLS (default 50) kills of crest import, CR_CRASH_SERVE_KILLS (default 25)
# kills of crest serve, CR_CRASH_ROWS (default 20000) rows per file; CR_TEST_BACKEND=pg
# runs it on PostgreSQL (tests/cli/lib.sh), with half the kills and rows by default (25 and
# 12 kills of 10000-row files: an import into PostgreSQL takes about six times as long, and
# its atomicity is the server's transaction, not crest's journal handling). Prints its counts.
. "$(dirname "$0")/../cli/lib.sh"
command -v curl >/dev/null || { echo "import_kill.sh: curl is not installed" >&2; exit 77; }
if [ "$BACKEND" = pg ]; then KILLS=${CR_CRASH_KILLS:-25} SERVE_KILLS=${CR_CRASH_SERVE_KILLS:-12}
    ROWS=${CR_CRASH_ROWS:-10000}
else KILLS=${CR_CRASH_KILLS:-50} SERVE_KILLS=${CR_CRASH_SERVE_KILLS:-25}
    ROWS=${CR_CRASH_ROWS:-20000}; fi
DB=$(new_db crash)
"$CREST" --db "$DB" -q init >/dev/null

# gen FILE TAG: ROWS creators whose handles are TAG_r0 .. (distinct in every file)
gen() {
    awk -v tag="$2" -v n="$ROWS" 'BEGIN {
        print "platform,handle,followers,name,email,country,language,niches,following,media_count,bio"
        for (j = 0; j < n; j++)
            printf "instagram,%s_r%d,%d,Name %d,%s.%d@example.com,US,en,running; fitness,%d,%d,Bio %d of %s\n",
                tag, j, 1000 + j * 7, j, tag, j, j % 500, j % 300, j, tag
    }' >"$1"
}

# totals: "CREATORS IMPORTS" of the store
totals() {
    "$CREST" --db "$DB" db stats --json | tr -d ' \n' |
        sed -E 's/.*"import":([0-9]+).*"creator":([0-9]+).*/\2 \1/'
}

# check WHAT BEFORE: the store is sound, and holds all of the file or none of it; sets STATE
check() {
    local now c0 i0 c1 i1
    if "$CREST" --db "$DB" -q db check >"$WORK/check.out" 2>&1; then ok; else
        fail "$1: db check failed: $(cat "$WORK/check.out")"
    fi
    now=$(totals)
    read -r c0 i0 <<<"$2"
    read -r c1 i1 <<<"$now"
    if [ "$c1" = "$c0" ] && [ "$i1" = "$i0" ]; then
        STATE=absent
        ok
    elif [ "$c1" = "$((c0 + ROWS))" ] && [ "$i1" = "$((i0 + 1))" ]; then
        STATE=present
        ok
    else
        STATE=partial
        fail "$1: the store holds part of the file: creators/imports $2 before, $now after"
    fi
}

# a random delay in ms from 0 to $1
rnd_sleep() {
    local ms=$((RANDOM % ($1 + 1)))
    sleep "$(printf '%d.%03d' $((ms / 1000)) $((ms % 1000)))"
}

# time one whole import, to spread the kills over its length
gen "$WORK/warm.csv" warm
t0=$(date +%s%N)
"$CREST" --db "$DB" -q import creators "$WORK/warm.csv" >/dev/null
span=$((($(date +%s%N) - t0) / 1000000))
[ "$span" -ge 50 ] || span=50

# ---- crest import ----
file=0 present=0 absent=0 kills=0 finished=0
gen "$WORK/f$file.csv" "f$file"
while [ "$kills" -lt "$KILLS" ]; do
    before=$(totals)
    "$CREST" --db "$DB" -q import creators "$WORK/f$file.csv" >/dev/null 2>&1 &
    pid=$!
    rnd_sleep $((span * 12 / 10))
    if kill -KILL "$pid" 2>/dev/null; then kills=$((kills + 1)); else finished=$((finished + 1)); fi
    wait "$pid" 2>/dev/null || true
    check "import of f$file (kill $kills)" "$before"
    case "$STATE" in present) present=$((present + 1)) ;; absent) absent=$((absent + 1)) ;; esac
    if [ "$STATE" = present ]; then
        rm -f "$WORK/f$file.csv"
        file=$((file + 1))
        gen "$WORK/f$file.csv" "f$file"
    fi
done
echo "import_kill.sh: crest import ($BACKEND): $kills kills, $finished runs ended before the kill;" \
    "file wholly present $present times, wholly absent $absent times, partial 0 times" \
    "($ROWS rows per file, kills spread over ${span} ms)"

# ---- crest serve under write load ----
printf 'crash-admin-pass\n' | "$CREST" --db "$DB" -q user add crash@example.com --role admin
LOG="$WORK/serve.log"
SRV=
trap '[ -n "$SRV" ] && kill -KILL "$SRV" 2>/dev/null; '"$(trap -p EXIT | sed -e "s/^trap -- '//" -e "s/' EXIT\$//")" EXIT
serve_start() {
    : >"$LOG"
    "$CREST" --db "$DB" serve --listen 127.0.0.1:0 -q 2>"$LOG" &
    SRV=$!
    PORT=
    for _ in $(seq 1 100); do
        PORT=$(grep -o 'listening on http://127.0.0.1:[0-9]*' "$LOG" | sed 's/.*://' || true)
        [ -n "$PORT" ] && break
        sleep 0.05
    done
    [ -n "$PORT" ] || { cat "$LOG" >&2; fail "the server did not start"; finish; }
}
serve_start
curl -s -c "$WORK/jar" -o "$WORK/login.json" -H 'Content-Type: application/json' \
    --data-binary '{"email": "crash@example.com", "password": "crash-admin-pass"}' \
    "http://127.0.0.1:$PORT/api/v1/login"
CSRF=$(grep -o '"csrf": "[0-9a-f]*"' "$WORK/login.json" | cut -d'"' -f4)
[ ${#CSRF} -eq 64 ] && ok || fail "login: $(cat "$WORK/login.json")"
post() {
    curl -s -o /dev/null -w '%{http_code}' -b "$WORK/jar" -H "X-CSRF-Token: $CSRF" \
        -H 'Content-Type: text/csv' --data-binary @"$1" "http://127.0.0.1:$PORT/api/v1/imports/creators"
}
# time one API import
gen "$WORK/warm2.csv" warm2
t0=$(date +%s%N)
code=$(post "$WORK/warm2.csv")
expect_eq "API import" 200 "$code"
span=$((($(date +%s%N) - t0) / 1000000))
[ "$span" -ge 50 ] || span=50

skills=0 spresent=0 sabsent=0 sfinished=0 reads=0
gen "$WORK/s$file.csv" "s$file"
while [ "$skills" -lt "$SERVE_KILLS" ]; do
    before=$(totals)
    # the write load: the import, and reads beside it
    post "$WORK/s$file.csv" >"$WORK/code" 2>/dev/null &
    cpid=$!
    (for _ in 1 2 3 4 5; do
        curl -s -o /dev/null -b "$WORK/jar" "http://127.0.0.1:$PORT/api/v1/creators?limit=5" || true
    done) &
    rpid=$!
    rnd_sleep $((span * 12 / 10))
    if [ "$(cat "$WORK/code" 2>/dev/null)" = 200 ]; then sfinished=$((sfinished + 1)); fi
    kill -KILL "$SRV" 2>/dev/null || true
    wait "$SRV" 2>/dev/null || true
    wait "$cpid" "$rpid" 2>/dev/null || true
    skills=$((skills + 1))
    reads=$((reads + 5))
    check "API import of s$file (serve kill $skills)" "$before"
    case "$STATE" in present) spresent=$((spresent + 1)) ;; absent) sabsent=$((sabsent + 1)) ;; esac
    if [ "$STATE" = present ]; then
        rm -f "$WORK/s$file.csv"
        file=$((file + 1))
        gen "$WORK/s$file.csv" "s$file"
    fi
    serve_start
done
kill -TERM "$SRV" 2>/dev/null && wait "$SRV" 2>/dev/null || true
SRV=
echo "import_kill.sh: crest serve ($BACKEND): $skills kills under API imports and $reads reads;" \
    "file wholly present $spresent times ($sfinished answered 200 before the kill)," \
    "wholly absent $sabsent times, partial 0 times"
finish
