"""The CUDA kernel suite for benchmarks: each kernel of tests/cuda/kernels.py, its inputs at a chosen
size, its launch configuration, a NumPy reference, and the same kernel for numba-cuda.

The numba-cuda twin is made from the very same source (`inspect.getsource`), with jitlab's few
spellings mapped to numba's (`@cuda.kernel` -> `@cuda.jit`, `cuda.float64` -> `numba.float64`,
`cuda.math.exp` -> `math.exp`) and device functions wrapped in `cuda.jit(device=True)`, so both
sides run one program.  Works with numba-cuda on a GPU and with its simulator
(NUMBA_ENABLE_CUDASIM=1, which must be set before numba is imported).
"""
from __future__ import annotations

import inspect
import math
import os
import re
import sys
import textwrap
from dataclasses import dataclass
from collections.abc import Callable

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

from tests.cuda import kernels as k


@dataclass
class Case:
    name: str
    grid: tuple
    block: tuple
    args: Callable[[], tuple]          # fresh inputs (NumPy arrays and scalars)
    check: Callable[[tuple], None]     # asserts the outputs in the args are right
    bytes_moved: Callable[[tuple], int]  # global-memory traffic of one launch (bandwidth-bound kernels)
    bandwidth_bound: bool = False


def cases(n: int = 4096, side: int = 32) -> list[Case]:
    """The suite on `n` elements (a multiple of k.BLOCK) and `side` x `side` matrices (4096 and 32:
    small enough for numba-cuda's simulator; 1 << 24 and 2048 make GPU-sized runs)."""
    rng = np.random.default_rng(0)
    blocks = n // k.BLOCK
    x, y = rng.random(n), rng.random(n)
    ints = rng.integers(0, 1000, n)
    a2, b2 = rng.random((side, side)), rng.random((side, side))

    def close(got, want):
        np.testing.assert_allclose(got, want, rtol=1e-9, atol=1e-9)

    def stencil_ref(a):
        out = np.zeros_like(a)
        out[1:-1, 1:-1] = 0.25 * (a[:-2, 1:-1] + a[2:, 1:-1] + a[1:-1, :-2] + a[1:-1, 2:])
        return out

    tiles = ((side + k.TILE - 1) // k.TILE,) * 2
    return [
        Case("vector_add", (blocks,), (k.BLOCK,), lambda: (x, y, np.zeros(n)),
             lambda r: close(r[2], x + y), lambda r: 3 * 8 * n, bandwidth_bound=True),
        Case("saxpy", (blocks,), (k.BLOCK,), lambda: (2.5, x, y, np.zeros(n)),
             lambda r: close(r[3], 2.5 * x + y), lambda r: 3 * 8 * n, bandwidth_bound=True),
        Case("block_reduce", (blocks,), (k.BLOCK,), lambda: (x, np.zeros(blocks)),
             lambda r: close(r[1], np.add.reduceat(x, np.arange(0, n, k.BLOCK))), lambda r: 8 * n,
             bandwidth_bound=True),
        Case("stencil_2d", (side // 16 + 1, side // 16 + 1), (16, 16), lambda: (a2, np.zeros_like(a2)),
             lambda r: close(r[1], stencil_ref(a2)), lambda r: 2 * 8 * a2.size, bandwidth_bound=True),
        Case("tiled_matmul", tiles, (k.TILE, k.TILE), lambda: (a2, b2, np.zeros_like(a2)),
             lambda r: close(r[2], a2 @ b2), lambda r: 3 * 8 * a2.size),
        Case("histogram", (blocks,), (k.BLOCK,), lambda: (ints, np.zeros(16, np.int32)),
             lambda r: np.testing.assert_array_equal(r[1], np.bincount(ints % 16, minlength=16)),
             lambda r: 8 * n),
        Case("block_scan", (blocks,), (k.BLOCK,), lambda: (ints, np.zeros(n, np.int64)),
             lambda r: np.testing.assert_array_equal(
                 r[1], np.concatenate([np.cumsum(ints[s:s + k.BLOCK]) for s in range(0, n, k.BLOCK)])),
             lambda r: 2 * 8 * n),
    ]


_SPELLINGS = [(r"cuda\.(float64|float32|int64|int32)\b", r"numba.\1"), (r"cuda\.math\.", "math.")]


def numba_kernel(name: str):
    """The numba-cuda version of suite kernel `name` (same source; numba must be importable)."""
    import numba
    from numba import cuda

    func = getattr(k, name).py_func
    source = textwrap.dedent(inspect.getsource(func))
    source = re.sub(r"^@cuda\.kernel\b.*$", "@cuda.jit", source, flags=re.M)
    for pattern, replacement in _SPELLINGS:
        source = re.sub(pattern, replacement, source)
    namespace = {"cuda": cuda, "numba": numba, "math": math, "np": np, "BLOCK": k.BLOCK, "TILE": k.TILE,
                 "scale": cuda.jit(device=True)(k.scale)}
    exec(compile(source, f"<numba twin of {name}>", "exec"), namespace)
    return namespace[func.__name__]


def jitlab_kernel(name: str, target: str):
    from jitlab.cuda import Kernel

    return Kernel(getattr(k, name).py_func, target=target)
