"""The runtime benchmark's kernels in C, built with `cc -O3 -march=native` (the same host CPU the
JITs target) into a temporary shared library and called through ctypes (a benchmark aid only:
the calls take milliseconds, ctypes' microsecond is noise).

`c_kernels()` returns {kernel name: callable taking the Python kernel's arguments}, or {} when no
C compiler is found.  Each function follows the Python kernel line by line (same loop order, same
float operations), so a ratio compares code generation, not algorithms.
"""
from __future__ import annotations

import ctypes
import os
import shutil
import subprocess
import tempfile

import numpy as np

SOURCE = r"""
#include <math.h>
#include <stdint.h>

double sum_array(const double *a, int64_t n) {
    double s = 0.0;
    for (int64_t i = 0; i < n; i++) s += a[i];
    return s;
}

double dot(const double *a, const double *b, int64_t n) {
    double s = 0.0;
    for (int64_t i = 0; i < n; i++) s += a[i] * b[i];
    return s;
}

double stencil(const double *a, double *out, int64_t n, int64_t m) {
    for (int64_t i = 1; i < n - 1; i++)
        for (int64_t j = 1; j < m - 1; j++)
            out[i * m + j] = 0.25 * (a[(i - 1) * m + j] + a[(i + 1) * m + j] + a[i * m + j - 1]
                                     + a[i * m + j + 1]) - a[i * m + j];
    return out[(n / 2) * m + m / 2];
}

double prefix_sum(double *a, int64_t n) {
    for (int64_t i = 1; i < n; i++) a[i] = a[i] + a[i - 1];
    return a[n - 1];
}

double matmul(const double *a, const double *b, double *c, int64_t n, int64_t k, int64_t m) {
    for (int64_t i = 0; i < n; i++)
        for (int64_t j = 0; j < m; j++) {
            double s = 0.0;
            for (int64_t p = 0; p < k; p++) s += a[i * k + p] * b[p * m + j];
            c[i * m + j] = s;
        }
    return c[0];
}

int64_t mandelbrot(int64_t width, int64_t height, int64_t max_iter) {
    int64_t total = 0;
    for (int64_t y = 0; y < height; y++) {
        double ci = -1.5 + 3.0 * y / height;
        for (int64_t x = 0; x < width; x++) {
            double cr = -2.0 + 3.0 * x / width, zr = 0.0, zi = 0.0;
            int64_t n = 0;
            while (n < max_iter && zr * zr + zi * zi <= 4.0) {
                double t = zr * zr - zi * zi + cr;
                zi = 2.0 * zr * zi + ci;
                zr = t;
                n++;
            }
            total += n;
        }
    }
    return total;
}

int64_t fib_loop(int64_t n) {
    int64_t total = 0;
    for (int64_t k = 0; k < n; k++) {
        int64_t a = 0, b = 1;
        for (int64_t q = 0; q < k % 90; q++) { int64_t t = a + b; a = b; b = t; }
        total += a % 1000;
    }
    return total;
}

double nbody_step(double *pos, double *vel, const double *mass, int64_t n, double dt) {
    for (int64_t i = 0; i < n; i++) {
        double ax = 0.0, ay = 0.0, az = 0.0;
        for (int64_t j = 0; j < n; j++) {
            if (i != j) {
                double dx = pos[j * 3] - pos[i * 3], dy = pos[j * 3 + 1] - pos[i * 3 + 1];
                double dz = pos[j * 3 + 2] - pos[i * 3 + 2];
                double d2 = dx * dx + dy * dy + dz * dz + 1e-9;
                double inv = mass[j] / (d2 * sqrt(d2));
                ax += dx * inv; ay += dy * inv; az += dz * inv;
            }
        }
        vel[i * 3] += dt * ax; vel[i * 3 + 1] += dt * ay; vel[i * 3 + 2] += dt * az;
    }
    for (int64_t i = 0; i < n; i++)
        for (int64_t k = 0; k < 3; k++) pos[i * 3 + k] += dt * vel[i * 3 + k];
    return pos[0];
}

int64_t collatz_max(int64_t n) {
    int64_t best = 0;
    for (int64_t start = 1; start < n; start++) {
        int64_t x = start, steps = 0;
        while (x != 1) {
            x = (x % 2 == 0) ? x / 2 : 3 * x + 1;
            steps++;
        }
        if (steps > best) best = steps;
    }
    return best;
}

int64_t histogram(const double *data, int64_t n, int64_t *counts, int64_t nbins, double lo, double hi) {
    double scale = nbins / (hi - lo);
    for (int64_t i = 0; i < n; i++) {
        double f = (data[i] - lo) * scale;
        if (f > -1.0 && f < (double)nbins) {  /* int() truncates toward zero, as the cast does */
            int64_t k = (int64_t)f;
            if (k >= 0 && k < nbins) counts[k] += 1;
        }
    }
    return counts[nbins / 2];
}

double insertion_sort(double *a, int64_t n) {
    for (int64_t i = 1; i < n; i++) {
        double v = a[i];
        int64_t j = i - 1;
        while (j >= 0 && a[j] > v) { a[j + 1] = a[j]; j--; }
        a[j + 1] = v;
    }
    return a[n / 2];
}

double piecewise(const double *x, double *out, int64_t n) {
    for (int64_t i = 0; i < n; i++) {
        double v = x[i];
        if (v < -1.0) out[i] = -v * v;
        else if (v < 0.0) out[i] = v;
        else if (v < 1.0) out[i] = v * v * v;
        else out[i] = sqrt(v);
    }
    return out[n - 1];
}

int64_t find_first(const double *a, int64_t n, double limit) {
    for (int64_t i = 0; i < n; i++) if (a[i] > limit) return i;
    return -1;
}

double min_max(const double *a, int64_t n) {
    double lo = a[0], hi = a[0];
    for (int64_t i = 1; i < n; i++) {
        double v = a[i];
        if (v < lo) lo = v;
        if (v > hi) hi = v;
    }
    return hi - lo;
}
"""

_D = ctypes.POINTER(ctypes.c_double)
_I = ctypes.POINTER(ctypes.c_int64)
_i64, _f64 = ctypes.c_int64, ctypes.c_double


def _p(a: np.ndarray):
    assert a.flags.c_contiguous
    return a.ctypes.data_as(_I if a.dtype == np.int64 else _D)


def c_kernels() -> dict:
    cc = shutil.which("cc") or shutil.which("gcc")
    if cc is None:
        return {}
    folder = tempfile.mkdtemp(prefix="jitlab-bench-c-")
    src, lib = os.path.join(folder, "kernels.c"), os.path.join(folder, "kernels.so")
    with open(src, "w") as f:
        f.write(SOURCE)
    done = subprocess.run([cc, "-O3", "-march=native", "-shared", "-fPIC", src, "-o", lib, "-lm"],
                          capture_output=True, text=True)
    if done.returncode != 0:
        return {}
    so = ctypes.CDLL(lib)
    sigs = {
        "sum_array": (_f64, [_D, _i64]), "dot": (_f64, [_D, _D, _i64]),
        "stencil": (_f64, [_D, _D, _i64, _i64]), "prefix_sum": (_f64, [_D, _i64]),
        "matmul": (_f64, [_D, _D, _D, _i64, _i64, _i64]), "mandelbrot": (_i64, [_i64, _i64, _i64]),
        "fib_loop": (_i64, [_i64]), "nbody_step": (_f64, [_D, _D, _D, _i64, _f64]),
        "collatz_max": (_i64, [_i64]), "histogram": (_i64, [_D, _i64, _I, _i64, _f64, _f64]),
        "insertion_sort": (_f64, [_D, _i64]), "piecewise": (_f64, [_D, _D, _i64]),
        "find_first": (_i64, [_D, _i64, _f64]), "min_max": (_f64, [_D, _i64]),
    }
    fn = {}
    for name, (res, args) in sigs.items():
        f = getattr(so, name)
        f.restype, f.argtypes = res, args
        fn[name] = f
    return {
        "sum": lambda a: fn["sum_array"](_p(a), len(a)),
        "dot": lambda a, b: fn["dot"](_p(a), _p(b), len(a)),
        "stencil2d": lambda a, out: fn["stencil"](_p(a), _p(out), *a.shape),
        "prefix_sum": lambda a: fn["prefix_sum"](_p(a), len(a)),
        "matmul": lambda a, b, c: fn["matmul"](_p(a), _p(b), _p(c), a.shape[0], b.shape[0], b.shape[1]),
        "mandelbrot": lambda w, h, it: fn["mandelbrot"](w, h, it),
        "fib_loop": lambda n: fn["fib_loop"](n),
        "nbody": lambda pos, vel, mass, dt: fn["nbody_step"](_p(pos), _p(vel), _p(mass), len(mass), dt),
        "collatz": lambda n: fn["collatz_max"](n),
        "histogram": lambda d, c, lo, hi: fn["histogram"](_p(d), len(d), _p(c), len(c), lo, hi),
        "insertion_sort": lambda a: fn["insertion_sort"](_p(a), len(a)),
        "piecewise": lambda x, out: fn["piecewise"](_p(x), _p(out), len(x)),
        "find_first": lambda a, limit: fn["find_first"](_p(a), len(a), limit),
        "min_max": lambda a: fn["min_max"](_p(a), len(a)),
    }
