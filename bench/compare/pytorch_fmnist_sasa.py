"""Trains the peer's mini networks on Fashion-MNIST with vista train's recipe, in PyTorch, and reports how
peaked the SASA attention is: to tell a property of the architecture and recipe from a defect of Vista.

Usage: python pytorch_fmnist_sasa.py --model sasa26_mini [--scaled] [--epochs 1] [--limit-train 12800]
           [--limit-test 2000] [--batch 128] [--lr 0.1] [--crop-padding 2] [--threads 2] [--peer DIR]

The recipe is vista train's defaults: SGD with momentum 0.9 and weight decay 5e-4 on every parameter,
the learning rate annealed to 0 by a cosine over all steps, random crops of a zero-padded copy and
left-right flips, inputs standardised with the training split's mean and standard deviation, the last
partial batch dropped. Models are ../shared/peer/models.py's build_mini (PyTorch's default initialisation
of that file). After training it prints the test accuracy on the first --limit-test images and, per SASA
layer and head, the mean over test pixels of the largest attention weight and of the entropy (nats), as
Vista's bench-main vista.bench.AttentionSharpness does. --scaled multiplies every SASA logit by
1/sqrt(dh). PyTorch is a tool here, never a dependency of Vista.
"""
import argparse
import gzip
import math
import pathlib
import sys

import numpy as np
import torch
import torch.nn.functional as F

DATA = pathlib.Path("/usr/share/datasets/fashion-mnist")


def idx(name):
    raw = gzip.open(DATA / name).read()
    dims = raw[3]
    shape = [int.from_bytes(raw[4 + 4 * i:8 + 4 * i], "big") for i in range(dims)]
    return np.frombuffer(raw, np.uint8, offset=4 + 4 * dims).reshape(shape)


def augment(x, padding, gen):
    n, _, h, w = x.shape
    padded = F.pad(x, (padding, padding, padding, padding))
    out = torch.empty_like(x)
    dy = torch.randint(0, 2 * padding + 1, (n,), generator=gen)
    dx = torch.randint(0, 2 * padding + 1, (n,), generator=gen)
    flip = torch.rand(n, generator=gen) < 0.5
    for i in range(n):
        crop = padded[i, :, dy[i]:dy[i] + h, dx[i]:dx[i] + w]
        out[i] = crop.flip(-1) if flip[i] else crop
    return out


def main():
    here = pathlib.Path(__file__).resolve()
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--model", default="sasa26_mini")
    p.add_argument("--scaled", action="store_true")
    p.add_argument("--epochs", type=int, default=1)
    p.add_argument("--limit-train", type=int, default=12800)
    p.add_argument("--limit-test", type=int, default=2000)
    p.add_argument("--batch", type=int, default=128)
    p.add_argument("--lr", type=float, default=0.1)
    p.add_argument("--crop-padding", type=int, default=2)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--peer", type=pathlib.Path, default=here.parents[3] / "shared" / "peer")
    a = p.parse_args()
    sys.path.insert(0, str(a.peer))
    import models as peer

    torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)
    train_x = torch.tensor(idx("train-images-idx3-ubyte.gz"), dtype=torch.float32).unsqueeze(1) / 255
    train_y = torch.tensor(idx("train-labels-idx1-ubyte.gz"), dtype=torch.long)
    test_x = torch.tensor(idx("t10k-images-idx3-ubyte.gz"), dtype=torch.float32).unsqueeze(1) / 255
    test_y = torch.tensor(idx("t10k-labels-idx1-ubyte.gz"), dtype=torch.long)
    mean, std = train_x.mean().item(), train_x.std().item()
    train_x, train_y = train_x[:a.limit_train], train_y[:a.limit_train]
    test_x, test_y = test_x[:a.limit_test], test_y[:a.limit_test]

    model = peer.build_mini(a.model, 10)
    if a.scaled:
        for m in model.modules():
            if isinstance(m, peer.SASAConv):
                m.scale = (m.out_ch // m.heads) ** -0.5
    opt = torch.optim.SGD(model.parameters(), lr=a.lr, momentum=0.9, weight_decay=5e-4)
    steps_per_epoch = len(train_x) // a.batch
    total = a.epochs * steps_per_epoch
    gen = torch.Generator().manual_seed(a.seed)
    t = 0
    for epoch in range(a.epochs):
        model.train()
        order = torch.randperm(len(train_x), generator=gen)
        seen = correct = 0
        for s in range(steps_per_epoch):
            for group in opt.param_groups:
                group["lr"] = a.lr * (1 + math.cos(math.pi * t / total)) / 2
            ids = order[s * a.batch:(s + 1) * a.batch]
            x = (augment(train_x[ids], a.crop_padding, gen) - mean) / std
            logits = model(x)
            loss = F.cross_entropy(logits, train_y[ids])
            opt.zero_grad()
            loss.backward()
            opt.step()
            t += 1
            seen += len(ids)
            correct += (logits.argmax(1) == train_y[ids]).sum().item()
        print(f"epoch {epoch + 1}: train loss {loss.item():.4f} (last batch), train acc {100 * correct / seen:.2f}%")

    model.eval()
    captured = []
    softmax = torch.softmax

    def recording(x, dim=None, **kw):
        y = softmax(x, dim=dim, **kw)
        if dim == 2 and y.dim() == 4:
            captured.append(y)
        return y

    peer.torch.softmax = recording
    right = 0
    peaks = {}
    with torch.no_grad():
        for i in range(0, len(test_x), 250):
            captured.clear()
            out = model((test_x[i:i + 250] - mean) / std)
            right += (out.argmax(1) == test_y[i:i + 250]).sum().item()
            for layer, w in enumerate(captured):       # (B, heads, k*k, L)
                ent = -(w.clamp_min(1e-30).log() * w).sum(2)
                peak = w.amax(2)
                acc = peaks.setdefault(layer, [torch.zeros(w.shape[1]), torch.zeros(w.shape[1]), 0])
                acc[0] += peak.sum((0, 2))
                acc[1] += ent.sum((0, 2))
                acc[2] += w.shape[0] * w.shape[3]
    peer.torch.softmax = softmax
    print(f"{a.model}{' scaled' if a.scaled else ''}: test accuracy {100 * right / len(test_x):.2f}% on {len(test_x)}")
    for layer, (peak, ent, n) in peaks.items():
        heads = " ".join(f"{pk / n:.3f}/{e / n:.2f}" for pk, e in zip(peak.tolist(), ent.tolist()))
        print(f"  SASA layer {layer}: {heads}   mean {peak.mean().item() / n:.3f}")


if __name__ == "__main__":
    main()
