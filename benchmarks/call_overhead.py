"""Per-call overhead of a compiled function: jitlab next to Numba and plain Python, same process.

    python benchmarks/call_overhead.py [--number N] [--repeat R]

Times `f(1, 2)` and `f(1.0, 2.0)` for `def f(a, b): return a + b`, and `g(x, 1)` for
`def g(a, i): return a[i]` with 1-D float64 and int32 arrays (`a[i, i]` for a 2-D array), compiled by each
(best of `repeat` rounds of `number` calls, nanoseconds per call), and prints jitlab/Numba.
"""
from __future__ import annotations

import argparse
import sys
import timeit

from bench_support import optional_numba


def add(a, b):
    return a + b


def item(a, i):
    return a[i]


def item2(a, i):
    return a[i, i]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--number", type=int, default=200_000)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args(argv)
    import jitlab

    import numpy as np

    numba = optional_numba(missing="numba is not installed (pip install -e '.[bench]'): "
                                   "jitlab and Python only")
    cases = [("(int, int)", add, (1, 2)), ("(float, float)", add, (1.0, 2.0)),
             ("(f8[:], int)", item, (np.arange(100.0), 1)),
             ("(f8[:, :], int)", item2, (np.ones((10, 10)), 1)),
             ("(i4[:], int)", item, (np.arange(100, dtype=np.int32), 1))]
    names = ["jitlab", "python"] + (["numba"] if numba else [])
    print(f"{'arguments':16}" + "".join(f"{name:>12}" for name in names) + "   ns per call")
    for label, func, values in cases:
        callers = {"jitlab": jitlab.jit(func, cache=False), "python": func}
        if numba:
            callers["numba"] = numba.njit(func)
        row = {}
        for name, f in callers.items():
            f(*values)  # compile outside the timing
            if name == "jitlab" and not f.wait_optimized():  # the optimised code and its native entry
                raise AssertionError(f"{label}: no optimised code")
            best = min(timeit.repeat(lambda f=f, v=values: f(*v), number=args.number, repeat=args.repeat))
            row[name] = best / args.number * 1e9
        line = f"{label:16}" + "".join(f"{row[name]:12.0f}" for name in callers)
        if "numba" in row:
            line += f"   jitlab/numba {row['jitlab'] / row['numba']:.2f}"
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
