"""Sorting NumPy arrays in compiled code: jitlab's introsort kernels next to NumPy's own sort.

    python benchmarks/array_sort.py [--repeat R] [--quick]

`np.sort(a, axis=-1)`, `np.sort(a, axis=0)` and `np.argsort(a, kind="stable")` of random
float64, int64, float32 and int32 arrays (one long row, and 1000 rows of 1000), then inputs with
patterns (sorted, reversed, organ pipe, saw teeth, few distinct values).  jitlab and NumPy
alternate; each prints the best CPU time (`time.thread_time`: the machine is shared) of `repeat`
runs and the ratio jitlab/NumPy.  Results are checked against NumPy's first.
"""
from __future__ import annotations

import argparse
import math
import time

import numpy as np

import jitlab


def sort_last(a):
    return np.sort(a, axis=-1)


def sort_first(a):
    return np.sort(a, axis=0)


def argsort_stable(a):
    return np.argsort(a, axis=-1, kind="stable")


def _best(f, a, repeat: int) -> float:
    best = math.inf
    for _ in range(repeat):
        start = time.thread_time()
        f(a)
        best = min(best, time.thread_time() - start)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--quick", action="store_true", help="small inputs, one run (a smoke test)")
    args = parser.parse_args()
    n, rows, repeat = (10_000, 10, 1) if args.quick else (1_000_000, 1000, args.repeat)
    rng = np.random.default_rng(0)
    inputs = [("f64 random", rng.random(n)), (f"f64 {rows}x1000", rng.random((rows, 1000))),
              ("i64 random", rng.integers(0, 1 << 40, n)), ("f32 random", rng.random(n).astype(np.float32)),
              (f"i32 {rows}x1000", rng.integers(-1000, 1000, (rows, 1000)).astype(np.int32)),
              ("f64 sorted", np.arange(float(n))), ("f64 reversed", np.arange(float(n))[::-1].copy()),
              ("f64 organ pipe", np.concatenate([np.arange(n // 2), np.arange(n // 2)[::-1]]).astype(float)),
              ("f64 saw teeth", np.arange(float(n)) % 1000), ("f64 3 values", rng.integers(0, 3, n) * 1.0),
              ("f64 10% NaN", np.where(rng.random(n) < 0.1, np.nan, rng.random(n)))]
    kernels = [sort_last, sort_first, argsort_stable]
    compiled = {k: jitlab.jit(k) for k in kernels}
    ratios = []
    for label, a in inputs:
        for kernel in kernels if a.ndim > 1 or "random" in label else [sort_last]:
            fast = compiled[kernel]
            assert np.array_equal(fast(a), kernel(a), equal_nan=a.dtype.kind == "f"), (label, kernel.__name__)
            tj = tn = math.inf
            for _ in range(2):  # alternating
                tj, tn = min(tj, _best(fast, a, repeat)), min(tn, _best(kernel, a, repeat))
            ratios.append(tj / tn)
            print(f"{kernel.__name__:15s} {label:16s} jitlab {tj * 1e3:8.2f} ms  numpy {tn * 1e3:8.2f} ms  "
                  f"jitlab/numpy {tj / tn:5.2f}")
    print(f"geometric mean jitlab/numpy {math.exp(sum(map(math.log, ratios)) / len(ratios)):.2f}")


if __name__ == "__main__":
    main()
