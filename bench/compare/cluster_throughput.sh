#!/usr/bin/env bash
# Data-parallel throughput on one machine: one process computing both shards of every batch against two
# worker processes on loopback computing one shard each, 1 thread per process, the same global batch and
# the same bits. Prints each run's training images/s and communication share (from metrics.jsonl) and
# the ratio. Interleaved: ROUNDS x (one process, then two workers).
#   bench/compare/cluster_throughput.sh MODEL BATCH LIMIT_TRAIN [ROUNDS]
#   bench/compare/cluster_throughput.sh resnet26-small 128 3840 2
# Run it on an otherwise idle machine; each JVM gets a 3 GB heap.
set -euo pipefail
model=$1 batch=$2 limit=$3 rounds=${4:-1}
here=$(cd "$(dirname "$0")/../.." && pwd)
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
common=(--model "$model" --batch "$batch" --shards 2 --threads 1 --epochs 1 --limit-train "$limit"
        --limit-test 256 --progress lines)
export VISTA_JAVA_OPTS="-Xms3g -Xmx3g"
field() { sed -n 's/.*"'"$2"'":\([0-9.eE+-]*\).*/\1/p' "$1/metrics.jsonl" | tail -1; }
"$here/vista" build > /dev/null
for r in $(seq 1 "$rounds"); do
    "$here/vista" train "${common[@]}" --out "$out/one-$r" > /dev/null
    members=127.0.0.1:5801,127.0.0.1:5802
    "$here/vista" train "${common[@]}" --out "$out/w0-$r" --cluster "$members" --rank 0 > /dev/null &
    "$here/vista" train "${common[@]}" --out "$out/w1-$r" --cluster "$members" --rank 1 > /dev/null
    wait
    one=$(field "$out/one-$r" images_per_second)
    two=$(field "$out/w0-$r" images_per_second)
    share=$(field "$out/w0-$r" communication_share)
    cmp -s <(sed 's/"seconds".*//' "$out/one-$r/metrics.jsonl") <(sed 's/"seconds".*//' "$out/w0-$r/metrics.jsonl") \
        && same="same losses and accuracy" || same="RESULTS DIFFER"
    awk -v r="$r" -v a="$one" -v b="$two" -v s="$share" -v m="$model" -v same="$same" 'BEGIN {
        printf "round %d, %s: one process %.1f images/s, two workers %.1f images/s (communication %.1f%%): %.2fx; %s\n",
               r, m, a, b, 100 * s, b / a, same }'
done
