#!/usr/bin/env bash
# Batch-1 inference latency, Vista (its inference form and the training graph in evaluation mode, from
# vista.bench.InferenceLatency) and PyTorch 2.13 (bench/compare/pytorch_inference.py), interleaved:
# for each round, model and thread count, Vista then PyTorch (and at 2 threads PyTorch again with
# OMP_WAIT_POLICY=PASSIVE). Run on a quiet machine from the repository's root.
#
#   bench/compare/inference_side_by_side.sh [ROUNDS] [SIDE] [REPS]
set -euo pipefail
rounds=${1:-2} side=${2:-224} reps=${3:-30}
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
python=$("$root/bench/compare/torch_env.sh")
./vista build >/dev/null
pairs=("resnet26 resnet26" "sasa-resnet26 sasa_resnet26" "san10-pairwise san10_pairwise")
for round in $(seq "$rounds"); do
  for pair in "${pairs[@]}"; do
    read -r vista_name torch_name <<<"$pair"
    for threads in 1 2; do
      echo "round $round $vista_name threads $threads"
      ./vista bench-main vista.bench.InferenceLatency "$vista_name" "$side" 1 "$threads" "$reps" 2>/dev/null | sed 's/^/  vista: /'
      "$python" "$root/bench/compare/pytorch_inference.py" --model "$torch_name" --side "$side" --threads "$threads" \
          --reps "$reps" | sed 's/^/  torch: /'
      if [[ $threads -gt 1 ]]; then
        OMP_WAIT_POLICY=PASSIVE "$python" "$root/bench/compare/pytorch_inference.py" --model "$torch_name" \
            --side "$side" --threads "$threads" --reps "$reps" | sed 's/^/  torch passive: /'
      fi
    done
  done
done
