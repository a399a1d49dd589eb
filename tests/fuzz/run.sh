#!/usr/bin/env bash
# tests/fuzz/run.sh - build the libFuzzer harnesses (clang, ASan + UBSan, into build-fuzz/)
# and run each for a while from its committed seeds (corpus/NAME). The seeds are copied: what
# a run adds stays in build-fuzz/corpus/NAME (kept between runs, so long runs build on each
# other). A finding (crash, leak, timeout over 10 s, out of memory) fails the run; its input
# is left in build-fuzz/artifacts/ and printed. Exit 77 when clang or libFuzzer is missing.
#
# Usage: tests/fuzz/run.sh [--seconds N] [--jobs J] [NAME...]   (default: 30 s, 2 jobs, all)
# e.g. tests/fuzz/run.sh --seconds 600 --jobs 1 campaign_yaml   (one long local run)
set -uo pipefail
cd "$(dirname "$0")/../.."
SECONDS_EACH=30 JOBS=2
while [ $# -gt 0 ]; do
    case "$1" in
    --seconds) SECONDS_EACH=$2; shift 2 ;;
    --jobs) JOBS=$2; shift 2 ;;
    *) break ;;
    esac
done
if ! command -v clang >/dev/null 2>&1 ||
    ! ls /usr/lib/llvm-*/lib/clang/*/lib/linux/libclang_rt.fuzzer-x86_64.a >/dev/null 2>&1; then
    echo "fuzz: clang or libclang_rt.fuzzer missing (scripts/setup installs clang and libclang-rt-dev): skipped"
    exit 77
fi
B=build-fuzz
cmake -S . -B $B -DCMAKE_C_COMPILER=clang -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCREST_FUZZ=ON \
    -DCREST_BUILD_TESTS=OFF -DCREST_SANITIZE=address,undefined >/dev/null || exit 1
cmake --build $B -j"$JOBS" --target fuzz_all 2>&1 | grep -E 'error:|warning:' && exit 1
names=("$@")
if [ ${#names[@]} -eq 0 ]; then
    for f in tests/fuzz/fuzz_*.c; do
        n=$(basename "$f" .c)
        names+=("${n#fuzz_}")
    done
fi
LOGS=$B/logs/run-$$ # one directory per run: runs may overlap
mkdir -p $B/artifacts "$LOGS"

# one harness: fuzz NAME; prints "NAME RUNS STATUS"
fuzz() {
    local n=$1 log=$LOGS/$1.log rc runs
    mkdir -p "$B/corpus/$n"
    ASAN_OPTIONS=detect_leaks=1:halt_on_error=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
        "$B/tests/fuzz/fuzz_$n" -max_total_time="$SECONDS_EACH" -timeout=10 -rss_limit_mb=2048 \
        -print_final_stats=1 -artifact_prefix="$B/artifacts/$n-" "$B/corpus/$n" \
        "tests/fuzz/corpus/$n" >"$log" 2>&1
    rc=$?
    runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' | tail -1)
    if [ "$rc" -eq 0 ]; then
        echo "$n ${runs:-0} ok"
    else
        echo "$n ${runs:-0} FINDING"
    fi
}
export -f fuzz
export B SECONDS_EACH LOGS
results=$(printf '%s\n' "${names[@]}" | xargs -P "$JOBS" -I{} bash -c 'fuzz {}')
echo "$results" | while read -r n runs st; do echo "fuzz: $n: $runs runs in ${SECONDS_EACH}s: $st"; done
bad=0
for n in $(echo "$results" | awk '$3 != "ok" {print $1}'); do
    bad=$((bad + 1))
    echo "---- $n (log $LOGS/$n.log) ----"
    grep -E -A25 'ERROR: |runtime error|ALARM|out-of-memory' "$LOGS/$n.log" | head -40
    ls $B/artifacts/"$n"-* 2>/dev/null
done
total=$(echo "$results" | awk '{s += $2} END {print s + 0}')
echo "fuzz: ${#names[@]} harnesses, ${SECONDS_EACH}s each, $total runs, $bad with a finding"
[ "$bad" -eq 0 ]
