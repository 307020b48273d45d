"""Dicts and sets in compiled code: jitlab next to Numba and CPython, same process, alternating.

    python benchmarks/dicts_sets.py [--n N] [--repeat R] [--quick]

Each kernel takes `n` and builds its own keys (no argument conversion is timed): counting into
a dict, deduplicating into a set, filling and reading a memo table, tuple keys, set algebra,
iterating a dict's items.  Prints the best of `repeat` runs in milliseconds, jitlab/Numba and
jitlab/CPython per kernel, then the geometric means.  The kernels test `k in d` before storing
because Numba cannot type `d.get(k, 0)` on an empty `{}` (jitlab can).
"""
from __future__ import annotations

import sys
import time

from bench_support import gmean, optional_numba, sized_run


def count(n):
    d = {}
    for i in range(n):
        k = i * 7919 % 1009
        if k in d:
            d[k] += 1
        else:
            d[k] = 1
    return len(d)


def dedup(n):
    s = set()
    for i in range(n):
        s.add(i * 7919 % 100003)
    return len(s)


def memo(n):
    d = {}
    for i in range(n):
        d[i] = i * 2
    t = 0
    for i in range(n):
        t += d[i]
    return t


def tuple_keys(n):
    d = {}
    for i in range(n):
        d[(i % 101, i % 7)] = i
    t = 0
    for i in range(n):
        t += d[(i % 101, i % 7)]
    return t


def set_algebra(n):
    a = set()
    b = set()
    for i in range(n):
        a.add(i * 3 % n)
        b.add(i * 5 % n)
    return len(a | b) + len(a & b) + len(a - b) + len(a ^ b)


def items_sum(n):
    d = {}
    for i in range(n):
        d[i] = i * 0.5
    t = 0.0
    for k, v in d.items():
        t += k * v
    return t


KERNELS = (count, dedup, memo, tuple_keys, set_algebra, items_sum)


def best_ms(f, n: int, clock=time.perf_counter) -> float:
    start = clock()
    f(n)
    return (clock() - start) * 1e3


def main(argv: list[str] | None = None) -> int:
    return compare(KERNELS, __doc__, argv)


def compare(kernels, doc: str, argv: list[str] | None = None, default_n: int = 1_000_000) -> int:
    """Time `kernels` (functions of `n`) under jitlab, Numba and CPython, alternating, and print the
    table; `--cpu` times the thread's CPU time instead of wall time (a loaded machine)."""
    argv = list(sys.argv[1:] if argv is None else argv)
    clock = time.thread_time if "--cpu" in argv else time.perf_counter
    n, repeat = sized_run(doc, default_n, [a for a in argv if a != "--cpu"])
    import jitlab

    numba = optional_numba()
    print(f"{'kernel':12s} {'jitlab ms':>10s} {'numba ms':>10s} {'cpython ms':>11s} {'jitlab/numba':>13s} "
          f"{'jitlab/cpython':>15s}")
    vs_numba, vs_cpython = [], []
    for kernel in kernels:
        jitted = jitlab.jit(kernel)
        other = numba.njit(kernel) if numba is not None else None
        try:
            numba_ok = other is None or other(1000) == kernel(1000)
        except Exception as e:  # a kernel Numba cannot compile: "-" in its column
            print(f"({kernel.__name__}: Numba fails: {type(e).__name__})", file=sys.stderr)
            other, numba_ok = None, True
        assert jitted(1000) == kernel(1000) and numba_ok
        jitted.wait_optimized()  # time the optimised code, not the quick first tier
        tj, tn, tc = [], [], []
        for _ in range(repeat):  # alternate, so all see the same machine load
            tj.append(best_ms(jitted, n, clock))
            if other is not None:
                tn.append(best_ms(other, n, clock))
            tc.append(best_ms(kernel, n, clock))
        vs_cpython.append(min(tj) / min(tc))
        shown_numba, ratio = "-", "-"
        if other is not None:
            vs_numba.append(min(tj) / min(tn))
            shown_numba, ratio = f"{min(tn):.1f}", f"{vs_numba[-1]:.2f}"
        print(f"{kernel.__name__:12s} {min(tj):10.1f} {shown_numba:>10s} {min(tc):11.1f} {ratio:>13s} "
              f"{vs_cpython[-1]:15.3f}")
    if vs_numba:
        print(f"geometric mean jitlab/numba {gmean(vs_numba):.2f}")
    print(f"geometric mean jitlab/cpython {gmean(vs_cpython):.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
