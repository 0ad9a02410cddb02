#!/usr/bin/env bash
# Makes (once) a Python virtual environment with PyTorch (CPU), numpy and Pillow, the tools the scripts in
# this folder compare Vista against; prints its python. PyTorch is never a dependency of Vista's build,
# tests or runtime.
#   bench/compare/torch_env.sh            # -> .../torch-venv/bin/python
#   VISTA_TORCH_VENV=DIR bench/compare/torch_env.sh
# Where pip is configured with local package indexes (`pip config list`: extra-index-url), they are used
# as the only indexes, so that pip does not wait on an unreachable default index.
set -euo pipefail
venv="${VISTA_TORCH_VENV:-$HOME/.cache/vista/torch-venv}"
if [ ! -x "$venv/bin/python" ] || ! "$venv/bin/python" -c 'import torch, numpy, PIL' 2>/dev/null; then
    python3 -m venv "$venv" >&2
    read -r -a indexes <<< "$(pip config get global.extra-index-url 2>/dev/null || true)"
    args=()
    if [ "${#indexes[@]}" -gt 0 ]; then
        args+=(--index-url "${indexes[0]}")
        for extra in "${indexes[@]:1}"; do
            args+=(--extra-index-url "$extra")
        done
    fi
    "$venv/bin/pip" install -q "${args[@]}" torch numpy pillow safetensors >&2
fi
echo "$venv/bin/python"
