"""`np.linalg` in compiled code: jitlab's jitlab-Python implementations next to Numba's (LAPACK).

    python benchmarks/linalg.py [--sizes 100 500] [--repeat R]

For each function and size n, times one call of a jitted `f(a)` (best of `repeat`, the two
alternating in the same run) on a well-conditioned n×n float64 matrix (symmetric positive
definite for cholesky/eigh), and prints milliseconds and jitlab/Numba.  Numba's `np.linalg` needs
SciPy (its LAPACK bindings); without SciPy the baseline is NumPy's own `np.linalg` called from
Python (the same LAPACK routines, and negligible call overhead at these sizes), and the column
says so.  Numba calls
LAPACK (blocked, vectorised): it wins on large n; jitlab's loops are plain O(n^3) row loops
(LU, Cholesky, Householder QR, tridiagonal/Hessenberg/bidiagonal reductions and the QR
iterations after them), which cost several times more.
"""
from __future__ import annotations

import argparse
import sys
import time

import numpy as np

from bench_support import optional_numba

FUNCTIONS = {
    "det": "np.linalg.det(a)",
    "inv": "np.linalg.inv(a)",
    "solve": "np.linalg.solve(a, a[:, 0].copy())",
    "cholesky": "np.linalg.cholesky(a)",
    "qr": "np.linalg.qr(a)",
    "eigh": "np.linalg.eigh(a)",
    "eig": "np.linalg.eig(a)",
    "svd": "np.linalg.svd(a)",
    "lstsq": "np.linalg.lstsq(a, a[:, 0].copy())",
}


def _make(body: str):
    ns = {"np": np}
    exec(f"def f(a):\n    return {body}\n", ns)
    return ns["f"]


def _best(f, a, repeat: int) -> float:
    f(a)
    best = float("inf")
    for _ in range(repeat):
        t = time.perf_counter()
        f(a)
        best = min(best, time.perf_counter() - t)
    return best * 1e3


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 500])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--only", nargs="*", default=None, help="function names to time")
    args = parser.parse_args(argv)
    import jitlab

    numba = optional_numba("scipy.linalg.cython_lapack")  # what Numba's np.linalg calls
    baseline = "numba" if numba else "numpy"
    rng = np.random.default_rng(0)
    print(f"{'function':10} {'n':>5} {'jitlab ms':>11} {baseline + ' ms':>10} {'ratio':>7}")
    for n in args.sizes:
        m = rng.standard_normal((n, n))
        spd = m @ m.T + n * np.eye(n)
        for name, body in FUNCTIONS.items():
            if args.only and name not in args.only:
                continue
            a = spd if name in ("cholesky", "eigh", "eig") else m + n * np.eye(n)
            jf = jitlab.jit(_make(body), cache=False, tier=1)  # optimised code from the first call
            ours = _best(jf, a, args.repeat)
            theirs = _best(numba.njit(_make(body)) if numba else _make(body), a, args.repeat)
            print(f"{name:10} {n:5d} {ours:11.2f} {theirs:10.2f} {ours / theirs:7.1f}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
