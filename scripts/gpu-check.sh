#!/usr/bin/env bash
# The GPU check for a session that has the device machine (see tests/cuda): versions, the
# `cuda`-marked tests, and kernel timings, in under 5 minutes on a fresh machine.
#
#   scripts/gpu-check.sh            # on the device machine, from the repository root
#
# The device machine has no network.  Its image already holds numba-cuda, cuda-core, llvmlite
# and numpy; wheels placed in .whl/ beforehand (pip download ... -d .whl, see the device notes)
# are installed first, for what it lacks (a newer llvmlite, nvidia-cuda-nvcc-cu12 for libdevice).
set -uo pipefail
cd "$(dirname "$0")/.."
export PYTHONUNBUFFERED=1
PY=${PYTHON:-python3}

if compgen -G ".whl/*.whl" >/dev/null; then
    $PY -m pip install -q --no-index --no-deps --no-compile --no-cache-dir --upgrade --target /tmp/site .whl/*.whl \
        && export PYTHONPATH=/tmp/site
fi
export PYTHONPATH="$(pwd)${PYTHONPATH:+:$PYTHONPATH}"

echo "== versions"
nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader || true
$PY - <<'PY'
import importlib
for name in ("llvmlite", "numpy", "numba", "numba.cuda", "cuda.core"):
    try:
        m = importlib.import_module(name)
        print(f"{name:12} {getattr(m, '__version__', '?')}")
    except Exception as exc:
        print(f"{name:12} MISSING ({exc})")
from jitlab.backend.cuda import launch, ptx, ptxas
print("gpu available:", launch.is_available(), "| ptxas:", ptxas.ptxas_path(), "| libdevice:", ptx.libdevice_path())
PY

echo "== cuda tests"
timeout 150 $PY -m pytest -q -p no:cacheprovider -m cuda tests/cuda
rc=$?

echo "== kernel suite: jitlab vs numba-cuda (ms per launch, CUDA events) and copy bandwidth"
timeout 180 $PY benchmarks/cuda_gpu.py --repeat 20 || rc=$((rc ? rc : 1))

echo "== emulation vs numba-cuda's simulator (CPU)"
timeout 120 $PY benchmarks/cuda_emulation.py --quick || true
exit $rc
