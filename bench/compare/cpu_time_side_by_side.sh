#!/usr/bin/env bash
# One bench-check case on one thread, interleaved between two checkouts of Vista (OLD and NEW folders),
# ROUNDS times each, timed by vista.bench.StepCpuTime (the thread's CPU time as well as the clock): for
# comparing two builds while other processes keep the machine busy. The timer comes from NEW (OLD may
# predate it); each side runs its own build of everything else.
#
#   bench/compare/cpu_time_side_by_side.sh OLD_CHECKOUT NEW_CHECKOUT CASE [ROUNDS] [WARMUP] [STEPS]
set -euo pipefail
old=$(cd "$1" && pwd) new=$(cd "$2" && pwd) case=$3 rounds=${4:-3} warmup=${5:-6} steps=${6:-16}
for dir in "$old" "$new"; do (cd "$dir" && ./vista build >/dev/null); done
timer=$(mktemp -d)
trap 'rm -rf "$timer"' EXIT
mkdir -p "$timer/vista/bench"
cp "$new"/bench/target/classes/vista/bench/StepCpuTime*.class "$timer/vista/bench/"
for round in $(seq "$rounds"); do
  for dir in "$old" "$new"; do
    # bench-main runs java -cp its jar "$@": the -cp given here comes later, so java takes it instead.
    printf '%s round %s: %s\n' "$dir" "$round" "$(cd "$new" && ./vista bench-main -cp "$timer:$dir/bench/target/benchmarks.jar" \
        vista.bench.StepCpuTime "$case" "$warmup" "$steps" 2>/dev/null)"
  done
done
