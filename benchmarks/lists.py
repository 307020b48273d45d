"""Lists of tuples, arrays and lists, key sorts, map and filter: jitlab next to Numba and CPython.

    python benchmarks/lists.py [--n N] [--repeat R] [--quick] [--cpu]

Each kernel takes `n` and builds its own data (no argument conversion is timed) and returns a
number: sorting (index, value) pairs by a key lambda, `min`/`max` with a key, filling and summing
a list of arrays, a grid of nested lists, `map`/`filter` with lambdas, a stack of tuples.  Same
table and timing rules as `dicts_sets.py` (alternating runs, best of `repeat`, ratios, geometric
means; `--cpu` times the thread's CPU time).
"""
from __future__ import annotations

import sys

import numpy as np
from dicts_sets import compare


def sort_pairs(n):
    pairs = []
    for i in range(n):
        pairs.append((i, (i * 7919) % 1009 * 0.5))
    pairs.sort(key=lambda p: p[1])
    t = 0
    for k in range(0, n, 97):
        t += pairs[k][0]
    return t


def sorted_key(n):
    xs = [(i * 7919) % 100003 - 50000 for i in range(n)]
    ys = sorted(xs, key=lambda v: abs(v))
    return ys[0] + ys[n // 2] + ys[-1]


def min_max_key(n):
    xs = [((i * 7919) % 1009, i) for i in range(n)]
    a = min(xs, key=lambda p: p[0] * 3 - p[1] % 5)
    b = max(xs, key=lambda p: p[1] - p[0])
    return a[1] + b[1]


def array_rows(n):
    rows = [np.zeros(4) for _ in range(n // 16)]
    for i in range(n):
        r = rows[i % len(rows)]
        r[i % 4] += i * 0.5
    t = 0.0
    for r in rows:
        t += r[0] + r[3]
    return t


def grid(n):
    m = 100
    g = [[0] * m for _ in range(n // m)]
    for i in range(len(g)):
        row = g[i]
        for j in range(m):
            row[j] = i * j % 7
    t = 0
    for row in g:
        t += sum(row)
    return t


def map_filter(n):
    xs = list(range(n))
    ys = list(map(lambda v: v * 3 % 11, xs))  # noqa: C417 - map itself is what is timed
    zs = list(filter(lambda v: v > 5, ys))
    return len(zs) + sum(zs)


def tuple_stack(n):
    stack = [(0, 0)]
    seen = 0
    while stack and seen < n:
        d, v = stack.pop()
        seen += 1
        stack.append((d + 1, v * 2 % 1000003))
        stack.append((d + 1, (v * 2 + 1) % 1000003))
    return seen + len(stack)


KERNELS = (sort_pairs, sorted_key, min_max_key, array_rows, grid, map_filter, tuple_stack)


def main(argv: list[str] | None = None) -> int:
    return compare(KERNELS, __doc__, argv, default_n=200_000)


if __name__ == "__main__":
    sys.exit(main())
