"""Loads weights exported by `vista export` into the PyTorch definitions and computes their logits.

Usage: python torch_loads_vista_export.py DIR [--peer PEER_DIR]

DIR holds what ExportInPyTorchTest writes when run with -Dvista.exportDir=DIR: for each mini network
NAME (resnet26-mini, sasa-resnet26-mini, san10-pairwise-mini, san10-patchwise-mini) the exports NAME.pth
(torch.save's zip format) and NAME.safetensors, and input.safetensors (one tensor "input", 2x1x28x28).
For every network this script
  - builds the PyTorch definition of ../shared/peer/models.py (build_mini, 10 classes),
  - loads NAME.pth with torch.load(weights_only=True) and load_state_dict(strict=True),
  - loads NAME.safetensors with safetensors.torch.load_file and load_state_dict(strict=True),
  - checks that both give the same logits in eval mode on the input,
and writes DIR/torch_logits.json: per network the SHA-256 of both files and the logits, with the versions
of torch and safetensors. ExportInPyTorchTest keeps a copy and compares Vista's logits with it.
  mvn -o -q test -pl models -am -Dtest=ExportInPyTorchTest -Dsurefire.failIfNoSpecifiedTests=false \
      -Dvista.exportDir=/tmp/exports
  $(bench/compare/torch_env.sh) bench/compare/torch_loads_vista_export.py /tmp/exports
  cp /tmp/exports/torch_logits.json models/src/test/resources/vista/models/export/
PyTorch is a tool here, never a build dependency.
"""
import argparse
import hashlib
import json
import pathlib
import sys

import safetensors
import safetensors.torch
import torch

PEER_NAMES = {
    "resnet26-mini": "resnet26_mini",
    "sasa-resnet26-mini": "sasa26_mini",
    "san10-pairwise-mini": "san10_pairwise_mini",
    "san10-patchwise-mini": "san10_patchwise_mini",
}


def sha256(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def logits(model, state, x):
    model.load_state_dict(state, strict=True)
    model.eval()
    with torch.no_grad():
        return model(x)


def main():
    here = pathlib.Path(__file__).resolve()
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dir", type=pathlib.Path)
    parser.add_argument("--peer", type=pathlib.Path, default=here.parents[3] / "shared" / "peer")
    args = parser.parse_args()
    sys.path.insert(0, str(args.peer))
    import models as peer

    torch.manual_seed(0)
    x = safetensors.torch.load_file(str(args.dir / "input.safetensors"))["input"]
    out = {"torch": torch.__version__, "safetensors": safetensors.__version__, "strict": True, "models": {}}
    for name, peer_name in PEER_NAMES.items():
        pth = args.dir / f"{name}.pth"
        st = args.dir / f"{name}.safetensors"
        from_pth = logits(peer.build_mini(peer_name, 10), torch.load(pth, weights_only=True), x)
        from_st = logits(peer.build_mini(peer_name, 10), safetensors.torch.load_file(str(st)), x)
        if not torch.equal(from_pth, from_st):
            raise SystemExit(f"{name}: the pth and safetensors exports give different logits")
        out["models"][name] = {"pth_sha256": sha256(pth), "safetensors_sha256": sha256(st),
                               "logits": from_pth.tolist()}
        print(f"{name}: loaded strictly from both files; logits[0][:3] = {from_pth[0, :3].tolist()}")
    (args.dir / "torch_logits.json").write_text(json.dumps(out, indent=1) + "\n")


if __name__ == "__main__":
    main()
