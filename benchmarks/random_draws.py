"""Random draws in compiled code: jitlab next to Numba, same process, alternating.

    python benchmarks/random_draws.py [--n N] [--repeat R] [--quick]

Kernels draw `n` numbers each (scalar draws in a loop, one `size=` array, a shuffle) through
NumPy's legacy API and the `random` module; prints the best of `repeat` runs in milliseconds and
jitlab/Numba per kernel, then the geometric mean.  jitlab's streams are NumPy's and CPython's
bit for bit; Numba's `np.random.randint` and `poisson` are its own algorithms (not NumPy's
stream), so those two rows compare different samplers.
"""
from __future__ import annotations

import random
import sys
import time

import numpy as np

from bench_support import gmean, optional_numba, sized_run


def loop_random(n):
    s = 0.0
    for _ in range(n):
        s += np.random.random()
    return s


def loop_normal(n):
    s = 0.0
    for _ in range(n):
        s += np.random.normal(1.0, 2.0)
    return s


def loop_randint(n):
    s = 0
    for _ in range(n):
        s += np.random.randint(0, 1000)
    return s


def array_normal(n):
    return np.random.standard_normal(n).sum()


def loop_poisson(n):
    s = 0
    for _ in range(n):
        s += np.random.poisson(12.5)
    return s


def shuffle(n):
    a = np.arange(n)
    np.random.shuffle(a)
    return a[0]


def py_random(n):
    s = 0.0
    for _ in range(n):
        s += random.random()
    return s


def py_randint(n):
    s = 0
    for _ in range(n):
        s += random.randint(1, 6)
    return s


KERNELS = (loop_random, loop_normal, loop_randint, array_normal, loop_poisson, shuffle, py_random, py_randint)


def best_ms(f, n: int, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        f(n)
        times.append(time.perf_counter() - start)
    return min(times) * 1e3


def main(argv: list[str] | None = None) -> int:
    n, repeat = sized_run(__doc__, 4_000_000, argv)
    import jitlab

    numba = optional_numba()
    print(f"{'kernel':14s} {'jitlab ms':>10s} {'numba ms':>10s} {'jitlab/numba':>13s}")
    ratios = []
    for kernel in KERNELS:
        jitted = jitlab.jit(kernel)
        other = numba.njit(kernel) if numba is not None else None
        jitted(10)
        if other is not None:
            other(10)
        tj, tn = [], []
        for _ in range(repeat):  # alternate, so both see the same machine load
            tj.append(best_ms(jitted, n, 1))
            if other is not None:
                tn.append(best_ms(other, n, 1))
        if other is None:
            print(f"{kernel.__name__:14s} {min(tj):10.1f} {'-':>10s} {'-':>13s}")
            continue
        ratio = min(tj) / min(tn)
        ratios.append(ratio)
        print(f"{kernel.__name__:14s} {min(tj):10.1f} {min(tn):10.1f} {ratio:13.2f}")
    if ratios:
        print(f"geometric mean jitlab/numba {gmean(ratios):.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
