"""Per-call overhead of a compiled function: jitlab next to Numba and plain Python, same process.

    python benchmarks/call_overhead.py [--number N] [--repeat R]

Times `f(1, 2)` and `f(1.0, 2.0)` for `def f(a, b): return a + b` compiled by each (best of
`repeat` rounds of `number` calls, nanoseconds per call) and prints jitlab/Numba.
"""
from __future__ import annotations

import argparse
import sys
import timeit


def add(a, b):
    return a + b


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--number", type=int, default=200_000)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args(argv)
    import jitlab

    callers = {"jitlab": jitlab.jit(add, cache=False), "python": add}
    try:
        import numba

        callers["numba"] = numba.njit(add)
    except ImportError:
        print("numba is not installed (pip install -e '.[bench]'): jitlab and Python only")
    print(f"{'arguments':12}" + "".join(f"{name:>12}" for name in callers) + "   ns per call")
    for label, values in (("(int, int)", (1, 2)), ("(float, float)", (1.0, 2.0))):
        row = {}
        for name, f in callers.items():
            f(*values)  # compile outside the timing
            best = min(timeit.repeat(lambda f=f, v=values: f(*v), number=args.number, repeat=args.repeat))
            row[name] = best / args.number * 1e9
        line = f"{label:12}" + "".join(f"{row[name]:12.0f}" for name in callers)
        if "numba" in row:
            line += f"   jitlab/numba {row['jitlab'] / row['numba']:.2f}"
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
