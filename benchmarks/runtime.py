"""Run time of compiled kernels: jitlab (bounds checks on and off) vs Numba, in one process.

    python benchmarks/runtime.py [--json] [--repeat N] [--quick] [--only KERNEL ...]

Each kernel is compiled by jitlab with `boundscheck=True` (the default) and
`boundscheck=False`, and by `numba.njit` (whose bounds checks are off by
default); every variant gets the same inputs, results are compared, and the
best of `--repeat` timed runs is kept (each run loops until ~20 ms have passed,
so one measurement is well above timer noise).  Ratios are jitlab / Numba:
below 1.0 jitlab is faster.  Without Numba installed, only jitlab times print.
"""
from __future__ import annotations

import argparse
import json
import math
import sys
import time

import numpy as np

import jitlab


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


def _inputs(quick: bool):
    rng = np.random.default_rng(0)
    scale = 8 if quick else 1
    n = 4_000_000 // scale
    v, w = rng.standard_normal(n), rng.standard_normal(n)
    g = rng.standard_normal((1500 // int(math.sqrt(scale)), 1500 // int(math.sqrt(scale))))
    m = rng.standard_normal((160 // (2 if quick else 1), 160 // (2 if quick else 1)))
    return {
        "sum": (sum_array, lambda: (v,)),
        "dot": (dot, lambda: (v, w)),
        "stencil2d": (stencil, lambda: (g, np.zeros_like(g))),
        "prefix_sum": (prefix_sum, lambda: (v.copy(),)),
        "matmul": (matmul, lambda: (m, m.T.copy(), np.zeros_like(m))),
        "mandelbrot": (mandelbrot, lambda: (200 // scale + 50, 150 // scale + 40, 200)),
        "fib_loop": (fib_loop, lambda: (200_000 // scale,)),
        "zeros_fill": (zeros_fill, lambda: (n,)),
        "zeros_fill_1k": (zeros_fill, lambda: (1000,)),
        "axpy_new": (axpy_new, lambda: (v, w)),
        "vector_expr": (vector_expr, lambda: (v, w)),
        "temporaries": (temporaries, lambda: (200_000 // scale,)),
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


def _time_round(f, make_args) -> float:
    """Seconds per call over one round of >= 20 ms."""
    calls, elapsed = 0, 0.0
    while elapsed < 0.02:
        args = make_args()
        start = time.perf_counter()
        f(*args)
        elapsed += time.perf_counter() - start
        calls += 1
    return elapsed / calls


def _time(variants: dict, make_args, repeat: int) -> dict[str, float]:
    """Best seconds per call of each variant; rounds alternate between variants so that
    a noisy moment on the machine hits them all alike."""
    best = dict.fromkeys(variants, math.inf)
    for _ in range(repeat):
        for label, f in variants.items():
            best[label] = min(best[label], _time_round(f, make_args))
    return best


def run(repeat: int, quick: bool, only: list[str] | None = None) -> dict:
    try:
        import numba
    except ImportError:
        numba = None
    results = {}
    for name, (kernel, make_args) in _inputs(quick).items():
        if only and name not in only:
            continue
        row: dict = {}
        variants = {}
        for label, bc in (("jitlab", True), ("jitlab_nobc", False)):
            f = jitlab.jit(kernel, boundscheck=bc)
            try:
                f(*make_args())
            except jitlab.JitlabError:
                kernel = _FALLBACK.get(name, kernel)
                f = jitlab.jit(kernel, boundscheck=bc)
            variants[label] = f
        if numba is not None:
            variants["numba"] = numba.njit(kernel)
        outputs = {label: f(*make_args()) for label, f in variants.items()}
        reference = kernel(*make_args()) if name in ("mandelbrot", "fib_loop") else outputs["jitlab"]
        for label, out in outputs.items():
            if isinstance(out, np.ndarray):
                if not np.allclose(out, reference, rtol=1e-9, atol=1e-9):
                    raise AssertionError(f"{name}: {label} returned a different array")
            elif not math.isclose(float(out), float(reference), rel_tol=1e-9, abs_tol=1e-9):
                raise AssertionError(f"{name}: {label} returned {out!r}, expected {reference!r}")
        row.update(_time(variants, make_args, repeat))
        if "numba" in row:
            row["ratio_bc_on"] = row["jitlab"] / row["numba"]
            row["ratio_bc_off"] = row["jitlab_nobc"] / row["numba"]
        row["boundscheck_cost"] = row["jitlab"] / row["jitlab_nobc"]
        results[name] = row
    summary = {}
    for key in ("ratio_bc_on", "ratio_bc_off", "boundscheck_cost"):
        values = [r[key] for r in results.values() if key in r]
        if values:
            summary[f"geomean_{key}"] = math.exp(sum(map(math.log, values)) / len(values))
    return {"kernels": results, "summary": summary,
            "numba": getattr(numba, "__version__", None), "python": sys.version.split()[0]}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    parser.add_argument("--repeat", type=int, default=7, help="timed rounds per variant (best is kept)")
    parser.add_argument("--quick", action="store_true", help="smaller inputs (in-cache sizes)")
    parser.add_argument("--only", nargs="+", metavar="KERNEL", help="run only these kernels")
    args = parser.parse_args(argv)
    out = run(args.repeat, args.quick, args.only)
    if args.json:
        print(json.dumps(out, indent=2))
        return 0
    print(f"{'kernel':<12} {'jitlab ms':>10} {'no-bc ms':>10} {'numba ms':>10} "
          f"{'bc on/nb':>9} {'bc off/nb':>9} {'bc cost':>8}")
    for name, r in out["kernels"].items():
        nb = r.get("numba")
        print(f"{name:<12} {r['jitlab'] * 1e3:>10.3f} {r['jitlab_nobc'] * 1e3:>10.3f} "
              f"{(nb * 1e3 if nb else float('nan')):>10.3f} {r.get('ratio_bc_on', float('nan')):>9.3f} "
              f"{r.get('ratio_bc_off', float('nan')):>9.3f} {r['boundscheck_cost']:>8.3f}")
    for key, value in out["summary"].items():
        print(f"{key}: {value:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
