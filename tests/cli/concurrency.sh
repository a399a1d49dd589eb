#!/usr/bin/env bash
# tests/cli/concurrency.sh - 8 `crest import` processes writing to one store at once: no lost
# or duplicated rows, no deadlock, references intact. Writers queue on SQLite's write lock;
# on PostgreSQL they run side by side.
. "$(dirname "$0")/lib.sh"
DB=$(new_db c)
N=8
# 40 creators, 4 posts each; each importer brings its own metric captures, and every importer
# also upserts the same creators file (same keys from 8 writers at once)
{
    echo "platform,handle,followers"
    for c in $(seq 1 40); do echo "instagram,conc.$c,$((1000 + c))"; done
} >"$WORK/creators.csv"
{
    echo "platform,post_id,handle,posted_at"
    for c in $(seq 1 40); do for p in 1 2 3 4; do
        echo "instagram,cp_${c}_$p,conc.$c,2026-07-0${p}T10:00:00Z"
    done; done
} >"$WORK/posts.csv"
"$CREST" -q --db "$DB" import creators "$WORK/creators.csv" >/dev/null
"$CREST" -q --db "$DB" import posts "$WORK/posts.csv" >/dev/null
for w in $(seq 1 $N); do
    {
        echo "platform,post_id,captured_at,impressions,reach,likes"
        for c in $(seq 1 40); do for p in 1 2 3 4; do
            echo "instagram,cp_${c}_$p,2026-07-1${p}T0${w}:00:00Z,$((w * 100 + c)),$((w * 50 + c)),$w"
        done; done
    } >"$WORK/metrics_$w.csv"
    # the same creators again from every writer, plus one of its own
    cp "$WORK/creators.csv" "$WORK/creators_$w.csv"
    echo "instagram,conc.extra$w,$w" >>"$WORK/creators_$w.csv"
done
pids=()
for w in $(seq 1 $N); do
    ( "$CREST" -q --db "$DB" import metrics "$WORK/metrics_$w.csv" >"$WORK/out_m$w" 2>&1 &&
      "$CREST" -q --db "$DB" import creators "$WORK/creators_$w.csv" --force >"$WORK/out_c$w" 2>&1
    ) &
    pids+=($!)
done
failed=0
for p in "${pids[@]}"; do wait "$p" || failed=$((failed + 1)); done
expect_eq "every importer succeeded" 0 "$failed"
[ "$failed" -eq 0 ] || cat "$WORK"/out_* >&2
stats=$("$CREST" --db "$DB" db stats --json)
expect_eq "metric rows: 8 writers x 160 captures" $((N * 160)) "$(echo "$stats" | json_num post_metric)"
expect_eq "creators: 40 shared + 8 new, none doubled" $((40 + N)) "$(echo "$stats" | json_num creator)"
expect_eq "imports recorded" $((2 + 2 * N)) "$(echo "$stats" | json_num import)"
expect_contains "references intact" "ok (integrity and references)" "$("$CREST" --db "$DB" db check)"

# ---- the same with `crest serve` writing too: 8 importers while the server takes imports
# over HTTP and answers reads, then every row counted once
command -v curl >/dev/null || { finish; exit 0; }
printf 'conc-admin-pass-1\n' | "$CREST" -q --db "$DB" user add conc@example.com --role admin
LOG="$WORK/serve.log"
"$CREST" --db "$DB" serve --listen 127.0.0.1:0 2>"$LOG" &
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
CSRF=$(curl -s -c "$WORK/jar" -H 'Content-Type: application/json' \
    --data-binary '{"email": "conc@example.com", "password": "conc-admin-pass-1"}' \
    "$BASE/api/v1/login" | grep -o '"csrf": "[0-9a-f]*"' | cut -d'"' -f4)
expect_eq "logged in" 64 "${#CSRF}"
K=12 # server imports, 40 captures each (one per creator's first post), at distinct times
for k in $(seq 1 $K); do
    {
        echo "platform,post_id,captured_at,impressions,reach,likes"
        for c in $(seq 1 40); do
            printf 'instagram,cp_%s_1,2026-08-%02dT%02d:00:00Z,%s,%s,1\n' "$c" "$k" "$((c % 24))" \
                "$((k * 1000 + c))" "$((k * 500 + c))"
        done
    } >"$WORK/http_$k.csv"
    {
        echo "platform,post_id,captured_at,impressions,reach,likes"
        for c in $(seq 1 40); do for p in 1 2 3 4; do
            printf 'instagram,cp_%s_%s,2026-09-1%sT10:%02d:00Z,%s,%s,%s\n' "$c" "$p" "$p" "$k" \
                "$((k * 100 + c))" "$((k * 50 + c))" "$k"
        done; done
    } >"$WORK/cli_$k.csv"
done
(
    for k in $(seq 1 $K); do
        curl -s -o "$WORK/http_out_$k" -w '%{http_code}\n' -b "$WORK/jar" -H "X-CSRF-Token: $CSRF" \
            -H 'Content-Type: text/csv' --data-binary "@$WORK/http_$k.csv" \
            "$BASE/api/v1/imports/metrics"
        curl -s -o /dev/null -w '%{http_code}\n' -b "$WORK/jar" "$BASE/api/v1/creators?limit=20"
    done >"$WORK/http_codes"
) &
loader=$!
pids=()
for w in $(seq 1 $N); do
    "$CREST" -q --db "$DB" import metrics "$WORK/cli_$w.csv" >"$WORK/out_s$w" 2>&1 &
    pids+=($!)
done
failed=0
for p in "${pids[@]}"; do wait "$p" || failed=$((failed + 1)); done
wait "$loader"
expect_eq "every importer succeeded next to the server" 0 "$failed"
[ "$failed" -eq 0 ] || cat "$WORK"/out_s* >&2
expect_eq "every HTTP request answered 200 or 201" "" \
    "$(grep -v '^20[01]$' "$WORK/http_codes" | sort | uniq -c | tr '\n' ' ')"
[ "$(grep -c . "$WORK/http_codes")" -eq $((2 * K)) ] && ok || fail "requests answered: $(cat "$WORK/http_codes")"
stats=$("$CREST" --db "$DB" db stats --json)
expect_eq "metric rows: every import counted once" $((2 * N * 160 + K * 40)) \
    "$(echo "$stats" | json_num post_metric)"
expect_eq "imports recorded" $((2 + 2 * N + N + K)) "$(echo "$stats" | json_num import)"
expect_contains "references intact after" "ok (integrity and references)" \
    "$("$CREST" --db "$DB" db check)"
kill -TERM "$SRV"
wait "$SRV" 2>/dev/null && ok || fail "the server did not exit cleanly"
finish
