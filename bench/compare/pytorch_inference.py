#!/usr/bin/env python3
"""PyTorch side of vista.bench.InferenceLatency: batch inference latency of the peer's ImageNet-size models.

A checking tool, never a dependency of Vista (run it in the venv of bench/compare/torch_env.sh). Builds
../shared/peer/models.py's `build(name)` (resnet26, sasa_resnet26, san10_pairwise, ...), puts it in
evaluation mode and times `model(x)` under torch.inference_mode() on random images of the given side and
batch, with torch.set_num_threads(T): warm-up repetitions (a fifth, at least 3), then the timed ones;
prints one JSON line with the median and quartile milliseconds.

  python pytorch_inference.py --model resnet26 --side 224 --batch 1 --threads 1 --reps 50
"""
import argparse
import json
import pathlib
import statistics
import sys
import time


def main():
    here = pathlib.Path(__file__).resolve()
    p = argparse.ArgumentParser()
    p.add_argument("--model", required=True)
    p.add_argument("--side", type=int, default=224)
    p.add_argument("--batch", type=int, default=1)
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--reps", type=int, default=50)
    p.add_argument("--peer", type=pathlib.Path, default=here.parents[3] / "shared" / "peer")
    a = p.parse_args()
    sys.path.insert(0, str(a.peer))
    import torch
    import models as M
    torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    model = M.build(a.model).eval()
    x = torch.randn(a.batch, 3, a.side, a.side)
    times = []
    with torch.inference_mode():
        for _ in range(max(3, a.reps // 5)):
            model(x)
        for _ in range(a.reps):
            start = time.perf_counter()
            model(x)
            times.append((time.perf_counter() - start) * 1000)
    q = statistics.quantiles(times, n=4)
    print(json.dumps({"model": a.model, "side": a.side, "batch": a.batch, "threads": a.threads,
                      "median_ms": statistics.median(times), "q1_ms": q[0], "q3_ms": q[2],
                      "torch": torch.__version__}))


if __name__ == "__main__":
    main()
