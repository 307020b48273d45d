"""Run time of compiled kernels: jitlab (bounds checks on and off) vs Numba, in one process.

    python benchmarks/runtime.py [--json] [--repeat N] [--size large|cache|both] [--quick] [--cpu]
                                 [--only KERNEL ...]

Each kernel is compiled by jitlab with its defaults (`boundscheck=True`, `overflow="wrap"`),
with `boundscheck=False`, and with `overflow="raise"` (int64 overflow raises OverflowError) --
each called once, then `f.wait_optimized()`, so the timed code is the optimised (tier-1) code,
never the quick tier-0 code a first call may run (docs/architecture.md, "tiers.py") --, by
`numba.njit` (whose bounds checks are off by default), and
written in C (`runtime_c.py`, `cc -O3 -march=native`); every variant gets the same inputs,
results are compared, and the best of `--repeat` timed runs is kept (each run loops until
~20 ms have passed, so one measurement is well above timer noise; each call is timed alone, with
fresh arguments, and the clock's own cost -- the least of many empty measurements -- is taken
off, which matters for the in-cache calls of a few microseconds; `--cpu` counts the thread's CPU
time, `time.thread_time`, instead of wall time: on a machine shared with other work, time spent
descheduled does not count, while contention for caches and memory still does).  Two tables: large inputs
(one call >= 10 ms on a current x86-64 core; 256 MB arrays, so an allocating kernel also measures
the allocator: jitlab asks for huge pages from 4 MiB as NumPy does, Numba does not) and in-cache
inputs (L2-sized).  Ratios are jitlab / Numba and jitlab / C:
below 1.0 jitlab is faster.  The geometric means cover the issue's kernel suite; the
allocation kernels at the end are shown but not averaged.  Without Numba installed, only
jitlab (and C) times print.
"""
from __future__ import annotations

import argparse
import json
import math
import sys
import time

import numpy as np

import jitlab

sys.path.insert(0, __import__("os").path.dirname(__import__("os").path.abspath(__file__)))

from bench_support import gmean, optional_numba


# -- kernels -------------------------------------------------------------------------------
def sum_array(a):
    s = 0.0
    for i in range(len(a)):
        s += a[i]
    return s


def dot(a, b):
    s = 0.0
    for i in range(len(a)):
        s += a[i] * b[i]
    return s


def stencil(a, out):
    n = len(a)
    m = len(a[0])
    for i in range(1, n - 1):
        for j in range(1, m - 1):
            out[i][j] = 0.25 * (a[i - 1][j] + a[i + 1][j] + a[i][j - 1] + a[i][j + 1]) - a[i][j]
    return out[n // 2][m // 2]


def mandelbrot(width, height, max_iter):
    total = 0
    for y in range(height):
        ci = -1.5 + 3.0 * y / height
        for x in range(width):
            cr = -2.0 + 3.0 * x / width
            zr = 0.0
            zi = 0.0
            n = 0
            while n < max_iter and zr * zr + zi * zi <= 4.0:
                zr, zi = zr * zr - zi * zi + cr, 2.0 * zr * zi + ci
                n += 1
            total += n
    return total


def fib_loop(n):
    total = 0
    for k in range(n):
        a = 0
        b = 1
        for _ in range(k % 90):
            a, b = b, a + b
        total += a % 1000
    return total


def prefix_sum(a):
    for i in range(1, len(a)):
        a[i] = a[i] + a[i - 1]
    return a[len(a) - 1]


def matmul(a, b, c):
    n = len(a)
    k = len(b)
    m = len(b[0])
    for i in range(n):
        for j in range(m):
            s = 0.0
            for p in range(k):
                s += a[i][p] * b[p][j]
            c[i][j] = s
    return c[0][0]


def nbody_step(pos, vel, mass, dt):
    n = len(mass)
    for i in range(n):
        ax = 0.0
        ay = 0.0
        az = 0.0
        for j in range(n):
            if i != j:
                dx = pos[j, 0] - pos[i, 0]
                dy = pos[j, 1] - pos[i, 1]
                dz = pos[j, 2] - pos[i, 2]
                d2 = dx * dx + dy * dy + dz * dz + 1e-9
                inv = mass[j] / (d2 * math.sqrt(d2))
                ax += dx * inv
                ay += dy * inv
                az += dz * inv
        vel[i, 0] += dt * ax
        vel[i, 1] += dt * ay
        vel[i, 2] += dt * az
    for i in range(n):
        for k in range(3):
            pos[i, k] += dt * vel[i, k]
    return pos[0, 0]


def collatz_max(n):
    best = 0
    for start in range(1, n):
        x = start
        steps = 0
        while x != 1:
            if x % 2 == 0:
                x = x // 2
            else:
                x = 3 * x + 1
            steps += 1
        if steps > best:
            best = steps
    return best


def histogram(data, counts, lo, hi):
    nbins = len(counts)
    scale = nbins / (hi - lo)
    for i in range(len(data)):
        k = int((data[i] - lo) * scale)
        if 0 <= k < nbins:
            counts[k] += 1
    return counts[nbins // 2]


def insertion_sort(a):
    for i in range(1, len(a)):
        v = a[i]
        j = i - 1
        while j >= 0 and a[j] > v:
            a[j + 1] = a[j]
            j -= 1
        a[j + 1] = v
    return a[len(a) // 2]


def piecewise(x, out):
    for i in range(len(x)):
        v = x[i]
        if v < -1.0:
            out[i] = -v * v
        elif v < 0.0:
            out[i] = v
        elif v < 1.0:
            out[i] = v * v * v
        else:
            out[i] = math.sqrt(v)
    return out[len(out) - 1]


def find_first(a, limit):
    for i in range(len(a)):
        if a[i] > limit:
            return i
    return -1


def min_max(a):
    lo = a[0]
    hi = a[0]
    for i in range(1, len(a)):
        v = a[i]
        if v < lo:
            lo = v
        if v > hi:
            hi = v
    return hi - lo


# -- allocation-heavy kernels: arrays made in compiled code and returned ------------------------
def zeros_fill(n):
    a = np.zeros(n)
    for i in range(n):
        a[i] = i * 0.5
    return a


def axpy_new(x, y):
    out = np.empty(len(x))
    for i in range(len(x)):
        out[i] = 2.0 * x[i] + y[i]
    return out


def vector_expr(x, y):
    return x * 2.0 + y


def temporaries(n):
    s = 0.0
    for k in range(n):
        t = np.ones(8)
        t[k % 8] = k
        s += t[k % 8] + t[(k + 1) % 8]
    return s


# (large, in-cache) sizes: large inputs make one call take >= 10 ms; in-cache ones fit in L2.
SIZES = {"large": 0, "cache": 1}


def _inputs(size: str):
    rng = np.random.default_rng(0)
    big = size == "large"
    n = 32_000_000 if big else 16_384
    v, w = rng.standard_normal(n), rng.standard_normal(n)
    side = 3200 if big else 48
    g = rng.standard_normal((side, side))
    ms = 270 if big else 24
    m = rng.standard_normal((ms, ms))
    bodies = 1700 if big else 40
    pos, vel = rng.standard_normal((bodies, 3)), rng.standard_normal((bodies, 3))
    mass = rng.random(bodies) + 0.5
    unsorted = rng.standard_normal(11_000 if big else 200)
    spread = rng.standard_normal(n) * 2.0
    needle = v.copy()
    needle[-10] = 100.0  # the one element past the limit: the search scans almost everything
    return {
        "sum": (sum_array, lambda: (v,)),
        "dot": (dot, lambda: (v, w)),
        "axpy": (axpy_new, lambda: (v, w)),
        "stencil2d": (stencil, lambda: (g, np.zeros_like(g))),
        "prefix_sum": (prefix_sum, lambda: (v.copy(),)),
        "matmul": (matmul, lambda: (m, m.T.copy(), np.zeros_like(m))),
        "mandelbrot": (mandelbrot, lambda: (500, 380, 200) if big else (24, 16, 50)),
        "nbody": (nbody_step, lambda: (pos.copy(), vel.copy(), mass, 0.01)),
        "collatz": (collatz_max, lambda: (150_000 if big else 500,)),
        "histogram": (histogram, lambda: (spread, np.zeros(64, np.int64), -4.0, 4.0)),
        "insertion_sort": (insertion_sort, lambda: (unsorted.copy(),)),
        "piecewise": (piecewise, lambda: (spread, np.empty(n))),
        "find_first": (find_first, lambda: (needle, 50.0)),
        "min_max": (min_max, lambda: (v,)),
        "fib_loop": (fib_loop, lambda: (1_200_000 if big else 2_000,)),
        "zeros_fill": (zeros_fill, lambda: (n,)),
        "zeros_fill_1k": (zeros_fill, lambda: (1000,)),
        "vector_expr": (vector_expr, lambda: (v, w)),
        "temporaries": (temporaries, lambda: (1_200_000 if big else 2_000,)),
    }


# the tuple-swap kernels need the frontend's tuple unpacking; fall back to plain assignments
def _mandelbrot_no_tuples(width, height, max_iter):
    total = 0
    for y in range(height):
        ci = -1.5 + 3.0 * y / height
        for x in range(width):
            cr = -2.0 + 3.0 * x / width
            zr = 0.0
            zi = 0.0
            n = 0
            while n < max_iter and zr * zr + zi * zi <= 4.0:
                t = zr * zr - zi * zi + cr
                zi = 2.0 * zr * zi + ci
                zr = t
                n += 1
            total += n
    return total


def _fib_loop_no_tuples(n):
    total = 0
    for k in range(n):
        a = 0
        b = 1
        for _ in range(k % 90):
            t = a + b
            a = b
            b = t
        total += a % 1000
    return total


_FALLBACK = {"mandelbrot": _mandelbrot_no_tuples, "fib_loop": _fib_loop_no_tuples}


def _clock_cost(clock) -> float:
    """Seconds that reading `clock` around a call adds to it by itself: the least of many empty
    measurements.  `time.thread_time` is a system call (about 1 us in a VM), as long as a short
    in-cache call: left in, it would pull every in-cache ratio towards 1."""
    best = math.inf
    for _ in range(2000):
        start = clock()
        best = min(best, clock() - start)
    return best


def _time_round(f, make_args, clock, cost: float) -> float:
    """Seconds per call over one round of >= 20 ms (of `clock`), less the clock's own `cost`."""
    calls, elapsed = 0, 0.0
    while elapsed < 0.02:
        args = make_args()
        start = clock()
        f(*args)
        elapsed += clock() - start
        calls += 1
    return elapsed / calls - cost


def _time(variants: dict, make_args, repeat: int, clock) -> dict[str, float]:
    """Best seconds per call of each variant; rounds alternate between variants so that
    a noisy moment on the machine hits them all alike."""
    best = dict.fromkeys(variants, math.inf)
    cost = _clock_cost(clock)
    for _ in range(repeat):
        for label, f in variants.items():
            best[label] = min(best[label], _time_round(f, make_args, clock, cost))
    return best


ALLOCATING = ("zeros_fill", "zeros_fill_1k", "vector_expr", "temporaries")  # not in the suite


def run(repeat: int, size: str, only: list[str] | None = None, cpu: bool = False) -> dict:
    from runtime_c import c_kernels

    numba = optional_numba()

    c = c_kernels()
    results = {}
    for name, (kernel, make_args) in _inputs(size).items():
        if only and name not in only:
            continue
        row: dict = {}
        variants = {}
        for label, bc, overflow in (("jitlab", True, "wrap"), ("jitlab_nobc", False, "wrap"),
                                    ("jitlab_raise", True, "raise")):
            f = jitlab.jit(kernel, boundscheck=bc, overflow=overflow)
            try:
                f(*make_args())
            except jitlab.JitlabError:
                kernel = _FALLBACK.get(name, kernel)
                f = jitlab.jit(kernel, boundscheck=bc, overflow=overflow)
                f(*make_args())
            if not f.wait_optimized():  # time the optimised (tier-1) code, never the quick code
                raise AssertionError(f"{name}: {label} has no optimised code")
            variants[label] = f
        if numba is not None:
            variants["numba"] = numba.njit(kernel)
        if name in c:
            variants["c"] = c[name]
        outputs = {label: f(*make_args()) for label, f in variants.items()}
        reference = kernel(*make_args()) if size == "cache" or name in ("mandelbrot", "fib_loop", "collatz") \
            else outputs["jitlab"]
        for label, out in outputs.items():
            if isinstance(out, np.ndarray):
                if not np.allclose(out, reference, rtol=1e-9, atol=1e-9):
                    raise AssertionError(f"{name}: {label} returned a different array")
            elif not math.isclose(float(out), float(reference), rel_tol=1e-9, abs_tol=1e-9):
                raise AssertionError(f"{name}: {label} returned {out!r}, expected {reference!r}")
        row.update(_time(variants, make_args, repeat, time.thread_time if cpu else time.perf_counter))
        if "numba" in row:
            row["ratio_bc_on"] = row["jitlab"] / row["numba"]
            row["ratio_bc_off"] = row["jitlab_nobc"] / row["numba"]
        if "c" in row:
            row["ratio_c"] = row["jitlab"] / row["c"]
        row["boundscheck_cost"] = row["jitlab"] / row["jitlab_nobc"]
        row["overflow_cost"] = row["jitlab_raise"] / row["jitlab"]
        results[name] = row
    summary = {}
    for key in ("ratio_bc_on", "ratio_bc_off", "ratio_c", "boundscheck_cost", "overflow_cost"):
        values = [r[key] for k, r in results.items() if key in r and k not in ALLOCATING]
        if values:
            summary[f"geomean_{key}"] = gmean(values)
    worst = [(r["ratio_bc_on"], k) for k, r in results.items() if "ratio_bc_on" in r and k not in ALLOCATING]
    if worst:
        summary["worst_ratio_bc_on"] = max(worst)
    allocating = {k: r["ratio_bc_on"] for k, r in results.items() if k in ALLOCATING and "ratio_bc_on" in r}
    return {"kernels": results, "summary": summary, "allocating_ratio_bc_on": allocating, "size": size,
            "clock": "cpu" if cpu else "wall",
            "numba": getattr(numba, "__version__", None), "python": sys.version.split()[0]}


def _print(out: dict) -> None:
    nan = float("nan")
    clock = "CPU ms" if out.get("clock") == "cpu" else "ms"
    print(f"\n{out['size']} inputs ({clock} per call; ratios are jitlab / other, below 1.0 jitlab is faster)")
    print(f"{'kernel':<15} {'jitlab':>9} {'no-bc':>9} {'raise':>9} {'numba':>9} {'C -O3':>9} "
          f"{'bc on/nb':>9} {'bc off/nb':>9} {'bc on/C':>8} {'bc cost':>8} {'ovf cost':>8}")
    for name, r in out["kernels"].items():
        ms = [r.get(k, nan) * 1e3 for k in ("jitlab", "jitlab_nobc", "jitlab_raise", "numba", "c")]
        mark = "  (allocating; not in the geomean)" if name in ALLOCATING else ""
        print(f"{name:<15} {ms[0]:>9.3f} {ms[1]:>9.3f} {ms[2]:>9.3f} {ms[3]:>9.3f} {ms[4]:>9.3f} "
              f"{r.get('ratio_bc_on', nan):>9.3f} {r.get('ratio_bc_off', nan):>9.3f} "
              f"{r.get('ratio_c', nan):>8.3f} {r['boundscheck_cost']:>8.3f} {r['overflow_cost']:>8.3f}{mark}")
    for key, value in out["summary"].items():
        if key == "worst_ratio_bc_on":
            print(f"{key}: {value[0]:.3f} ({value[1]}; goal <= 1.10)")
        else:
            goal = {"geomean_ratio_bc_on": " (goal <= 0.95)", "geomean_boundscheck_cost": " (goal <= 1.05)",
                    "geomean_overflow_cost": " (overflow='raise' vs the default 'wrap')"}
            print(f"{key}: {value:.3f}{goal.get(key, '')}")
    if out.get("allocating_ratio_bc_on"):
        shown = ", ".join(f"{k} {v:.3f}" for k, v in out["allocating_ratio_bc_on"].items())
        print(f"allocating kernels, jitlab / Numba (not in the geomean; goal <= 1.10 each): {shown}")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    parser.add_argument("--repeat", type=int, default=7, help="timed rounds per variant (best is kept)")
    parser.add_argument("--quick", action="store_true", help="only the in-cache inputs")
    parser.add_argument("--size", choices=("large", "cache", "both"), default="both")
    parser.add_argument("--only", nargs="+", metavar="KERNEL", help="run only these kernels")
    parser.add_argument("--cpu", action="store_true",
                        help="time the thread's CPU time instead of wall time (for a busy machine)")
    args = parser.parse_args(argv)
    sizes = ["cache"] if args.quick else ["large", "cache"] if args.size == "both" else [args.size]
    outs = [run(args.repeat, size, args.only, args.cpu) for size in sizes]
    if args.json:
        print(json.dumps(outs, indent=2))
        return 0
    for out in outs:
        _print(out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
