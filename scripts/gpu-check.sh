#!/usr/bin/env bash
# The GPU check for a session that has the device machine (see tests/cuda): versions, the
# `cuda`-marked tests, and kernel timings, in under 8 minutes on a fresh machine.
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
timeout 300 $PY -m pytest -q -p no:cacheprovider -m cuda tests/cuda
rc=$?

echo "== kernel timings (ms per launch, CUDA events, best of 20)"
timeout 120 $PY - <<'PY'
import numpy as np
from jitlab.cuda import Kernel
from tests.cuda import kernels as k
from numba import cuda

n = 1 << 24
x = cuda.to_device(np.ones(n)); y = cuda.to_device(np.ones(n)); out = cuda.device_array(n)
add = Kernel(k.vector_add.py_func, target="cuda")
blocks = (n + 255) // 256
ms = add.time(blocks, 256, x, y, out, repeat=20)
gbs = 3 * 8 * n / ms / 1e6
start, stop = cuda.event(), cuda.event()
dst = cuda.device_array(n)
best = 1e9
for _ in range(20):
    start.record(); dst.copy_to_device(x); stop.record(); stop.synchronize()
    best = min(best, cuda.event_elapsed_time(start, stop))
copy = 2 * 8 * n / best / 1e6

@cuda.jit
def nb_add(a, b, c):
    i = cuda.grid(1)
    if i < c.shape[0]:
        c[i] = a[i] + b[i]
nb_add[blocks, 256](x, y, out); cuda.synchronize()
nb = 1e9
for _ in range(20):
    start.record(); nb_add[blocks, 256](x, y, out); stop.record(); stop.synchronize()
    nb = min(nb, cuda.event_elapsed_time(start, stop))
print(f"{'kernel':12} {'jitlab ms':>10} {'numba ms':>10} {'ratio':>6} {'GB/s':>8} {'% of copy':>9}")
print(f"{'vector_add':12} {ms:10.4f} {nb:10.4f} {ms / nb:6.2f} {gbs:8.0f} {100 * gbs / copy:8.0f}%")
print(f"device-to-device copy: {copy:.0f} GB/s")
PY
exit $rc
