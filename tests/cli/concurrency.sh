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
finish
