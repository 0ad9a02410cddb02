#!/usr/bin/env python3
"""PyTorch side of TrainingBenchmark: the same measurements, for a Vista/PyTorch ratio.

A checking tool, never a dependency of Vista: run it with Debian's PyTorch (`apt-get install
python3-torch libopenblas0-openmp`, then `/usr/bin/python3`). It imports the peer's model definitions
from the planning folder (default ../shared/peer next to the repository; `--peer DIR` to change it).

  bottleneck_stage : forward + backward of ResNet-50's layer1 (3 bottlenecks 64 -> 256, mid 64),
                     batch 8, 56 x 56, BatchNorm in training mode, L = sum(out * R)
  mini_resnet_step : one SGD step (momentum 0.9, weight decay 1e-4, lr 0.05) of resnet26_mini on a
                     batch of 64 images 1 x 28 x 28, 10 classes, plain cross-entropy
  sasa_mini_step   : the same step of sasa26_mini (every 3x3 conv replaced by SASA, k = 7, 4 heads)
  san_pairwise_mini_step, san_patchwise_mini_step : the same step of san10_pairwise_mini and
                     san10_patchwise_mini (the official SAN10 blocks at widths 32..512, 28 -> 28, 14, 7, 7, 7)
  conv3x3          : a 3x3 convolution 64 -> 64 (padding 1, no bias) on 8 x 64 x 56 x 56, forward and the
                     gradients of input and weight for a fixed output gradient (Vista's ConvolutionBenchmark 3x3
                     forwardBackward; it needs no peer models)
  resnet26_inference, sasa_resnet26_inference, san10_pairwise_inference : the ImageNet-size model in
                     evaluation mode on one random image of 3 x 224 x 224 under torch.inference_mode()
                     (Vista's FoldedInference, the same work as pytorch_inference.py at batch 1)

Each measurement runs in its own process with torch.set_num_threads(T): 3 repetitions and at least
--warmup-seconds of warm-up, then repetitions timed until at least 5 ran and --seconds passed; prints one
JSON line per (case, threads) with the median milliseconds and the interquartile range (numpy's linear
quantiles) of the timed repetitions. `./vista bench-check` runs it with --one CASE THREADS.
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import time


def quartiles(values):
    """First quartile, median and third quartile, interpolated linearly between ranks (numpy's default)."""
    ordered = sorted(values)

    def quantile(q):
        h = (len(ordered) - 1) * q
        below = int(h)
        above = min(below + 1, len(ordered) - 1)
        return ordered[below] + (h - below) * (ordered[above] - ordered[below])
    return quantile(0.25), quantile(0.5), quantile(0.75)


def measure(case, threads, peer, seconds, warmup_seconds=0.0):
    import torch
    torch.set_num_threads(threads)
    torch.manual_seed(7)
    if case == "conv3x3":
        generator = torch.Generator().manual_seed(42)
        x = torch.randn(8, 64, 56, 56, generator=generator, requires_grad=True)
        w = (torch.randn(64, 64, 3, 3, generator=generator) * 0.05).requires_grad_()
        grad_output = torch.randn(8, 64, 56, 56, generator=generator)

        def run():
            x.grad = None
            w.grad = None
            torch.nn.functional.conv2d(x, w, padding=1).backward(grad_output)
        return timed(run, case, threads, seconds, warmup_seconds)
    sys.path.insert(0, peer)
    import models as M
    inference = {"resnet26_inference": "resnet26", "sasa_resnet26_inference": "sasa_resnet26",
                 "san10_pairwise_inference": "san10_pairwise"}
    if case in inference:
        model = M.build(inference[case]).eval()
        image = torch.randn(1, 3, 224, 224)

        def run():
            with torch.inference_mode():
                model(image)
    elif case == "bottleneck_stage":
        stage = torch.nn.Sequential(M.Bottleneck(64, 64, 1), M.Bottleneck(256, 64, 1), M.Bottleneck(256, 64, 1))
        stage.train()
        x = torch.randn(8, 64, 56, 56, requires_grad=True)
        r = torch.randn(8, 256, 56, 56)

        def run():
            for p in stage.parameters():
                p.grad = None
            x.grad = None
            (stage(x) * r).sum().backward()
    else:
        minis = {"mini_resnet_step": "resnet26_mini", "sasa_mini_step": "sasa26_mini",
                 "san_pairwise_mini_step": "san10_pairwise_mini", "san_patchwise_mini_step": "san10_patchwise_mini"}
        model = M.build_mini(minis[case])
        model.train()
        sgd = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9, weight_decay=1e-4)
        images = torch.randn(64, 1, 28, 28)
        labels = torch.randint(0, 10, (64,))
        loss_fn = torch.nn.CrossEntropyLoss()

        def run():
            sgd.zero_grad(set_to_none=True)
            loss_fn(model(images), labels).backward()
            sgd.step()
    return timed(run, case, threads, seconds, warmup_seconds)


def timed(run, case, threads, seconds, warmup_seconds):
    import torch
    warm_start = time.perf_counter()
    warm = 0
    while warm < 3 or time.perf_counter() - warm_start < warmup_seconds:
        run()
        warm += 1
    times = []
    start = time.perf_counter()
    while len(times) < 5 or time.perf_counter() - start < seconds:
        t0 = time.perf_counter()
        run()
        times.append((time.perf_counter() - t0) * 1e3)
    lower, _, upper = quartiles(times)
    return {"case": case, "threads": threads, "median_ms": statistics.median(times), "runs": len(times),
            "torch": torch.__version__, "iqr_ms": upper - lower}


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    here = os.path.dirname(os.path.abspath(__file__))
    parser.add_argument("--peer", default=os.path.normpath(os.path.join(here, "..", "..", "..", "shared", "peer")))
    parser.add_argument("--threads", default="1,2")
    parser.add_argument("--cases", default="bottleneck_stage,mini_resnet_step,sasa_mini_step")
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--warmup-seconds", type=float, default=0.0)
    parser.add_argument("--one", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(measure(args.one[0], int(args.one[1]), args.peer, args.seconds, args.warmup_seconds)),
              flush=True)
        return
    for case in args.cases.split(","):
        for threads in args.threads.split(","):
            subprocess.run([sys.executable, __file__, "--peer", args.peer, "--seconds", str(args.seconds),
                            "--warmup-seconds", str(args.warmup_seconds), "--one", case, threads], check=True)


if __name__ == "__main__":
    main()
