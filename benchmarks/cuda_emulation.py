"""Emulated kernel launches: jitlab's CPU emulation vs numba-cuda's simulator (NUMBA_ENABLE_CUDASIM=1).

    python benchmarks/cuda_emulation.py [n]

The simulator runs in a child process (it must be enabled before numba is imported).
"""
import os
import subprocess
import sys
import time

import numpy as np

SIM = r"""
import time, numpy as np
from numba import cuda
@cuda.jit
def add(x, y, out):
    i = cuda.grid(1)
    if i < out.shape[0]:
        out[i] = x[i] + y[i]
n = int(__import__("sys").argv[1])
x = np.ones(n); y = np.ones(n); out = np.zeros(n)
t = time.perf_counter(); add[(n + 255) // 256, 256](x, y, out); print(time.perf_counter() - t)
"""


def main(n: int = 1 << 14) -> None:
    sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
    from jitlab.cuda import Kernel
    from tests.cuda import kernels as k

    add = Kernel(k.vector_add.py_func, target="cuda-emulate")
    x, y, out = np.ones(n), np.ones(n), np.zeros(n)
    add.launch(n, x, y, out)  # compile
    t = time.perf_counter()
    add.launch(n, x, y, out)
    ours = time.perf_counter() - t
    env = dict(os.environ, NUMBA_ENABLE_CUDASIM="1")
    sim = float(subprocess.run([sys.executable, "-c", SIM, str(n)], env=env, capture_output=True, text=True,
                               check=True).stdout.split()[-1])
    print(f"vector_add n={n}: jitlab emulation {ours * 1e3:.3f} ms, numba-cuda simulator {sim * 1e3:.1f} ms, "
          f"ratio {sim / ours:.0f}x")


if __name__ == "__main__":
    main(*(int(a) for a in sys.argv[1:]))
