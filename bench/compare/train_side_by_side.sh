#!/usr/bin/env bash
# The README's main job, interleaved between two checkouts of Vista (OLD and NEW folders, each with its own
# ./vista launcher), ROUNDS times each; prints each run's last epoch line and its wall time. Same machine,
# same data, nothing else running: the ratio of images/s is the comparison, and the losses must be equal.
#
#   bench/compare/train_side_by_side.sh OLD_CHECKOUT NEW_CHECKOUT [ROUNDS]
set -euo pipefail
old=$1 new=$2 rounds=${3:-2}
for dir in "$old" "$new"; do (cd "$dir" && ./vista build >/dev/null); done
for round in $(seq "$rounds"); do
  for dir in "$old" "$new"; do
    rm -rf "$dir/runs/fashion-quick"
    log=$(mktemp)
    start=$(date +%s.%N)
    (cd "$dir" && ./vista train --model resnet26-mini --limit-train 8000 --batch 64 --lr 0.05 --no-augment \
        --out runs/fashion-quick --progress lines >"$log" 2>&1)
    end=$(date +%s.%N)
    printf '%s round %s: %s | %s s wall\n' "$dir" "$round" "$(grep 'epoch 1/1:' "$log" | tail -1)" \
        "$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.1f", b - a }')"
    rm -f "$log"
  done
done
