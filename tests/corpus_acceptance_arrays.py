"""Acceptance corpus, part 2: array code in the style Numba users write -- explicit loops over
1-3-D arrays (stencils, reductions, prefix sums, sorts, searches, matrix products), in-place
updates of elements and slices, NumPy functions and ufuncs, dtypes other than float64.

Registered with `corpus_acceptance.py`'s `case`/`expect`/`gap`; every argument that is an array
is given as a function that builds a fresh one, so CPython and the compiled call each get their
own copy and in-place writes are compared too.
"""
from __future__ import annotations

import math

import numpy as np

from corpus_acceptance import case, gap

NAN, INF = float("nan"), float("inf")
KERNEL = np.array([0.25, 0.5, 0.25])
GRID_N = 6


# -- inputs ------------------------------------------------------------------------------------
def v8():
    return np.array([3.0, -1.0, 4.0, 1.5, -5.0, 9.0, 2.0, 6.0])


def v1():
    return np.array([42.0])


def v0():
    return np.zeros(0)


def vi():
    return np.array([5, 3, -8, 0, 7, 3, 1, -2, 9, 4], dtype=np.int64)


def vi32():
    return np.array([100000, -7, 2**30, 12, -2**30], dtype=np.int32)


def vf32():
    return np.array([1.5, -2.25, 3.0, 0.125, 8.0], dtype=np.float32)


def vbool():
    return np.array([True, False, True, True, False])


def vnan():
    return np.array([1.0, NAN, 3.0, -INF, 2.0])


def vsorted():
    return np.array([-3.0, -1.0, 0.0, 2.0, 2.0, 5.0, 8.0, 13.0])


def vc():
    return np.array([1 + 2j, -1j, 3 - 1j, 0.5 + 0.5j])


def m34():
    return np.arange(12.0).reshape(3, 4) * 1.5 - 4.0


def m33():
    return np.array([[4.0, -2.0, 1.0], [-2.0, 4.0, -2.0], [1.0, -2.0, 4.0]])


def m44i():
    return (np.arange(16, dtype=np.int64).reshape(4, 4) * 7) % 5


def m34f():
    return np.asfortranarray(m34())


def m_strided():
    return (np.arange(48.0).reshape(6, 8) % 7)[::2, 1::3]


def grid():
    a = np.zeros((GRID_N, GRID_N))
    a[2, 1:4] = 1.0
    a[1, 2] = 1.0
    return a


def life():
    a = np.zeros((6, 6), dtype=np.int64)
    a[1, 2] = a[2, 3] = a[3, 1] = a[3, 2] = a[3, 3] = 1
    return a


def t234():
    return np.arange(24.0).reshape(2, 3, 4) % 5 - 1.5


def pts():
    return np.array([[0.0, 0.0], [3.0, 4.0], [-1.0, 1.0], [2.0, -2.0]])


# -------------------------------------------------------------------------------- loops, 1-D


@case((v8,), (v1,), (v0,), (vi,), (vf32,))
def loop_sum(a):
    s = 0.0
    for i in range(a.shape[0]):
        s += a[i]
    return s


@case((v8,), (vi,), (vbool,), (vf32,))
def iterate_elements(a):
    s = 0
    for x in a:
        s += x
    return s


@case((v8,), (vi,))
def loop_mean_var(a):
    n = len(a)
    m = 0.0
    for x in a:
        m += x
    m /= n
    v = 0.0
    for x in a:
        v += (x - m) ** 2
    return m, v / n, math.sqrt(v / (n - 1))


@case((v8,), (vi,), (v1,))
def loop_argmax(a):
    best = a[0]
    k = 0
    for i in range(1, a.size):
        if a[i] > best:
            best = a[i]
            k = i
    return k, best


@case((v8,), (vi,), (v0,))
def prefix_sum_inplace(a):
    for i in range(1, a.shape[0]):
        a[i] += a[i - 1]
    return a


@case((v8,), (vi,))
def prefix_sum_new(a):
    out = np.empty_like(a)
    acc = a.dtype.type(0) if False else 0
    for i in range(a.size):
        acc += a[i]
        out[i] = acc
    return out


@case((v8, 3), (v8, 1), (v8, 8))
def moving_average(a, w):
    n = a.shape[0] - w + 1
    out = np.zeros(n)
    s = 0.0
    for i in range(w):
        s += a[i]
    out[0] = s / w
    for i in range(1, n):
        s += a[i + w - 1] - a[i - 1]
        out[i] = s / w
    return out


@case((v8,), (vi,))
def running_max(a):
    out = a.copy()
    for i in range(1, len(out)):
        out[i] = max(out[i], out[i - 1])
    return out


@case((v8,), (vi,), (v0,), (v1,))
def reverse_inplace(a):
    i, j = 0, len(a) - 1
    while i < j:
        a[i], a[j] = a[j], a[i]
        i += 1
        j -= 1
    return a


@case((v8,), (vi,), (v0,), (vf32,))
def bubble_sort(a):
    n = len(a)
    for i in range(n):
        swapped = False
        for j in range(n - 1 - i):
            if a[j] > a[j + 1]:
                a[j], a[j + 1] = a[j + 1], a[j]
                swapped = True
        if not swapped:
            break
    return a


@case((v8,), (vi,), (v1,))
def insertion_sort(a):
    for i in range(1, a.shape[0]):
        key = a[i]
        j = i - 1
        while j >= 0 and a[j] > key:
            a[j + 1] = a[j]
            j -= 1
        a[j + 1] = key


def _partition(a, lo, hi):
    pivot = a[hi]
    i = lo
    for j in range(lo, hi):
        if a[j] < pivot:
            a[i], a[j] = a[j], a[i]
            i += 1
    a[i], a[hi] = a[hi], a[i]
    return i


def _quicksort(a, lo, hi):
    if lo < hi:
        p = _partition(a, lo, hi)
        _quicksort(a, lo, p - 1)
        _quicksort(a, p + 1, hi)


@case((v8,), (vi,), (v0,))
def quicksort(a):
    _quicksort(a, 0, len(a) - 1)
    return a


@case((vsorted, 2.0), (vsorted, -10.0), (vsorted, 100.0), (vsorted, 4.0))
def binary_search(a, x):
    lo, hi = 0, len(a)
    while lo < hi:
        mid = (lo + hi) // 2
        if a[mid] < x:
            lo = mid + 1
        else:
            hi = mid
    return lo, lo < len(a) and a[lo] == x


@case((vi,), (v8,))
def count_in_range(a):
    c = 0
    for x in a:
        if -2 <= x < 5:
            c += 1
    return c


@case((v8, 4), (vi, 3))
def histogram_counts(a, nbins):
    lo, hi = a.min(), a.max()
    counts = np.zeros(nbins, dtype=np.int64)
    width = (hi - lo) / nbins
    for x in a:
        k = int((x - lo) / width)
        if k == nbins:
            k -= 1
        counts[k] += 1
    return counts


@case((v8,), (vnan,))
def nan_aware_sum(a):
    s = 0.0
    n = 0
    for x in a:
        if not np.isnan(x):
            s += x
            n += 1
    return s, n


@case((v8, v8), (vsorted, v8))
def dot_loop(a, b):
    s = 0.0
    for i in range(len(a)):
        s += a[i] * b[i]
    return s


@case((vc,),)
def complex_array_loop(a):
    s = 0j
    m = 0.0
    for z in a:
        s += z * z.conjugate()
        m = max(m, abs(z))
    return s, m


@case((vi32,),)
def int32_array_wraps(a):
    for i in range(len(a)):
        a[i] = a[i] * 3 + 1
    return a


@case((vf32,),)
def float32_stays_float32(a):
    out = np.zeros_like(a)
    for i in range(a.size):
        out[i] = a[i] * np.float32(0.5) + a[i] * a[i]
    return out


@gap("arrays: comparing dtypes", (vf32,))
def dtype_compare(a):
    return a.dtype == np.float32


@case((vbool,),)
def bool_array_logic(a):
    c = 0
    for i in range(len(a) - 1):
        if a[i] and not a[i + 1]:
            c += 1
    return c, a.sum(), a.any(), a.all()


@case((5,), (0,), (1,))
def build_arange_loop(n):
    a = np.empty(n)
    for i in range(n):
        a[i] = i * i * 0.5
    return a


@case((10,), (1,))
def sieve(n):
    flags = np.ones(n + 1, dtype=np.bool_)
    flags[:2] = False
    i = 2
    while i * i <= n:
        if flags[i]:
            flags[i * i::i] = False
        i += 1
    return np.nonzero(flags)[0]


@case((v8,), (vi,))
def index_negative(a):
    return a[-1], a[-2], a[len(a) - 1] == a[-1]


@case((v8, 8), (v8, -9), (v8, 3))
def index_out_of_bounds(a, i):
    return a[i]


@case((v8,), (vi,))
def slice_assign_aug(a):
    a[1:-1] += 1
    a[::2] *= 2
    a[:3] = a[5:]
    return a


@case((v8,),)
def slice_views_share(a):
    b = a[2:6]
    b[0] = 100.0
    b += 1.0
    return a, b.shape, b.size


@case((v8,), (vi,))
def mask_assign(a):
    a[a < 0] = 0
    return a, (a > 2).sum()


@case((v8,), (vnan,))
def mask_select(a):
    good = a[~np.isnan(a)]
    return good, good.sum()


@case((v8,),)
def fancy_index(a):
    idx = np.array([0, 2, 2, 7])
    b = a[idx]
    a[idx] = -1.0
    return b, a


# -------------------------------------------------------------------------------- loops, 2-D/3-D


@case((m34,), (m34f,), (m_strided,), (m44i,))
def nested_sum_2d(a):
    s = 0.0
    for i in range(a.shape[0]):
        for j in range(a.shape[1]):
            s += a[i, j]
    return s


@case((m34,), (m44i,))
def row_col_sums(a):
    n, m = a.shape
    rows = np.zeros(n)
    cols = np.zeros(m)
    for i in range(n):
        for j in range(m):
            rows[i] += a[i, j]
            cols[j] += a[i, j]
    return rows, cols


@case((m34,), (m33,))
def transpose_loop(a):
    out = np.empty((a.shape[1], a.shape[0]))
    for i in range(a.shape[0]):
        for j in range(a.shape[1]):
            out[j, i] = a[i, j]
    return out


@case((m33, m33), (m34, m34))
def matmul_loop(a, b):
    n, k = a.shape
    k2, m = b.shape[0], b.shape[1]
    if k != k2:
        raise ValueError("shapes do not align")
    c = np.zeros((n, m))
    for i in range(n):
        for j in range(m):
            acc = 0.0
            for p in range(k):
                acc += a[i, p] * b[p, j]
            c[i, j] = acc
    return c


@case((grid,), (m33,))
def laplacian_stencil(a):
    n, m = a.shape
    out = np.zeros_like(a)
    for i in range(1, n - 1):
        for j in range(1, m - 1):
            out[i, j] = a[i - 1, j] + a[i + 1, j] + a[i, j - 1] + a[i, j + 1] - 4 * a[i, j]
    return out


@case((grid, 3), (grid, 0))
def jacobi_iterations(a, steps):
    b = a.copy()
    for _ in range(steps):
        b[1:-1, 1:-1] = 0.25 * (a[:-2, 1:-1] + a[2:, 1:-1] + a[1:-1, :-2] + a[1:-1, 2:])
        a, b = b, a
    return a


@case((life,),)
def game_of_life_step(board):
    n, m = board.shape
    new = np.zeros_like(board)
    for i in range(n):
        for j in range(m):
            live = 0
            for di in (-1, 0, 1):
                for dj in (-1, 0, 1):
                    if di == 0 and dj == 0:
                        continue
                    ii, jj = (i + di) % n, (j + dj) % m
                    live += board[ii, jj]
            if board[i, j] == 1 and (live == 2 or live == 3):
                new[i, j] = 1
            elif board[i, j] == 0 and live == 3:
                new[i, j] = 1
    return new


@case((v8,), (vsorted,))
def convolve_kernel_global(a):
    n = a.shape[0]
    k = KERNEL.shape[0]
    out = np.zeros(n - k + 1)
    for i in range(n - k + 1):
        for j in range(k):
            out[i] += a[i + j] * KERNEL[j]
    return out


@case((pts,),)
def pairwise_distances(p):
    n = p.shape[0]
    d = np.empty((n, n))
    for i in range(n):
        for j in range(n):
            dx = p[i, 0] - p[j, 0]
            dy = p[i, 1] - p[j, 1]
            d[i, j] = math.sqrt(dx * dx + dy * dy)
    return d


@case((pts,),)
def closest_pair(p):
    n = p.shape[0]
    best = INF
    bi, bj = -1, -1
    for i in range(n):
        for j in range(i + 1, n):
            d = np.sqrt(((p[i] - p[j]) ** 2).sum())
            if d < best:
                best, bi, bj = d, i, j
    return best, bi, bj


@case((m34,), (m33,))
def normalize_rows(a):
    out = np.empty_like(a)
    for i in range(a.shape[0]):
        norm = np.sqrt(np.sum(a[i] ** 2))
        if norm > 0:
            out[i, :] = a[i, :] / norm
        else:
            out[i, :] = 0.0
    return out


@case((m34,),)
def row_iteration(a):
    s = 0.0
    for row in a:
        s += row.max() - row.min()
    return s


@case((m33,), (m34,))
def swap_rows_inplace(a):
    for j in range(a.shape[1]):
        a[0, j], a[-1, j] = a[-1, j], a[0, j]
    a[1, :] -= a[0, :] * 0.5
    return a


@case((m33, np.array([1.0, 2.0, 3.0])),)
def gaussian_elimination(a, b):
    n = a.shape[0]
    a = a.copy()
    b = b.copy()
    for k in range(n):
        p = k + np.argmax(np.abs(a[k:, k]))
        if p != k:
            for j in range(n):
                a[k, j], a[p, j] = a[p, j], a[k, j]
            b[k], b[p] = b[p], b[k]
        for i in range(k + 1, n):
            f = a[i, k] / a[k, k]
            a[i, k:] -= f * a[k, k:]
            b[i] -= f * b[k]
    x = np.zeros(n)
    for i in range(n - 1, -1, -1):
        x[i] = (b[i] - np.dot(a[i, i + 1:], x[i + 1:])) / a[i, i]
    return x


@case((m33,),)
def power_iteration(a):
    v = np.ones(a.shape[0])
    lam = 0.0
    for _ in range(50):
        w = a @ v
        lam = np.linalg.norm(w)
        v = w / lam
    return round(lam, 8)


@case((t234,),)
def loop_3d(a):
    s = 0.0
    n0, n1, n2 = a.shape
    for i in range(n0):
        for j in range(n1):
            for k in range(n2):
                s += a[i, j, k] * (i + 1) - j * k
    return s


@case((t234,),)
def slice_3d(a):
    a[0, :, 1:3] = -1.0
    b = a[:, 1, :]
    return b.sum(), a[1].sum(axis=0), a[:, :, 0]


@gap("arrays: Ellipsis in an index", (t234,))
def ellipsis_index(a):
    return a[..., 0]


@case((m34,), (m44i,))
def cumsum_2d_loop(a):
    out = np.zeros(a.shape)
    for i in range(a.shape[0]):
        acc = 0.0
        for j in range(a.shape[1]):
            acc += a[i, j]
            out[i, j] = acc
    return out


@case((m44i,),)
def trace_and_diag(a):
    t = 0
    for i in range(min(a.shape)):
        t += a[i, i]
    return t, np.trace(a), np.diag(a)


@case((4,), (1,))
def build_2d_identity_like(n):
    a = np.zeros((n, n), dtype=np.int64)
    for i in range(n):
        a[i, i] = 1
        if i + 1 < n:
            a[i, i + 1] = 2
    return a


# ------------------------------------------------------------------------------ NumPy API


@case((v8,), (vi,), (m34,), (vf32,))
def reductions(a):
    return a.sum(), a.prod(), a.min(), a.max(), a.argmin(), a.argmax(), a.mean()


@case((v8,), (m34,), (vf32,))
def stats(a):
    return np.std(a), np.var(a), np.median(a), a.std(), a.var()


@case((m34,), (m44i,), (t234,))
def axis_reductions(a):
    return a.sum(axis=0), a.max(axis=1), np.mean(a, axis=0), a.argmin(axis=1)


@case((v8,), (m34,))
def cumulative(a):
    return np.cumsum(a), np.cumprod(a), a.cumsum()


@case((v8,), (vi,), (vf32,))
def sorting_api(a):
    s = np.sort(a)
    idx = np.argsort(a, kind="stable")
    return s, idx, a[idx], np.searchsorted(s, 2.0)


@case((v8,), (vnan,))
def ufuncs_float(a):
    return (np.abs(a), np.sqrt(np.abs(a)), np.exp(a / 10), np.log1p(np.abs(a)), np.sin(a),
            np.floor(a), np.ceil(a), np.sign(a))


@case((v8,),)
def ufuncs_binary(a):
    b = a[::-1]
    return (np.maximum(a, b), np.minimum(a, b), np.arctan2(a, b), np.hypot(a, b), np.power(np.abs(a), 0.5),
            np.mod(a, 3.0), np.floor_divide(a, 2.0))


@case((v8,))
def np_fmod(a):
    return np.fmod(a, 3.0)


@case((vi,),)
def ufuncs_int(a):
    return np.abs(a), a // 3, a % 3, np.left_shift(a, 2), a & 6, -a, np.square(a)


@case((v8, 0.0), (vnan, 1.0))
def where_clip(a, t):
    return np.where(a > t, a, -a), np.clip(a, -2.0, 3.0), np.where(np.isfinite(a), a, 0.0)


@case((v8,), (vnan,))
def predicates(a):
    return np.isnan(a).sum(), np.isinf(a).any(), np.isfinite(a).all(), np.count_nonzero(a > 0)


@case((4,), (1,))
def constructors(n):
    return (np.zeros(n), np.ones((n, 2)), np.full(n, 7.5), np.arange(n), np.arange(1, n * 2, 2),
            np.arange(0.0, 1.0, 0.25), np.linspace(0, 1, n + 1), np.eye(n), np.identity(n), np.empty(n).shape)


@case((4,),)
def constructors_dtypes(n):
    return (np.zeros(n, dtype=np.int32), np.ones(n, dtype=np.float32), np.arange(n, dtype=np.float64),
            np.full((2, n), 3, dtype=np.int64), np.zeros((n,), np.uint8))


@case((m34,), (m34f,))
def shape_ops(a):
    return a.reshape(4, 3), a.reshape(-1), a.ravel(), a.T.copy(), a.flatten(), a.T.shape, a.ndim, a.size


@case((v8,), (vi,))
def astype_ops(a):
    return a.astype(np.int64), a.astype(np.float32), (a > 0).astype(np.int64), a.astype(np.bool_)


@case((v8,),)
def concat_stack(a):
    b = a[:3]
    return np.concatenate((a, b)), np.vstack((b, b)), np.hstack((b, b)), np.stack((b, b), axis=1)


@case((m33, m33), (m34, m34))
def linear_algebra(a, b):
    return a @ b.T, np.dot(a[0], b[0]), np.outer(a[0], b[1]), np.dot(a, b[0])


@case((v8,), (vi,))
def unique_and_counts(a):
    u = np.unique(a)
    return u, len(u), np.bincount(np.abs(a).astype(np.int64))


@case((v8,),)
def interp_diff(a):
    xp = np.arange(a.size) * 1.0
    return np.interp(np.array([0.5, 2.25, 10.0]), xp, a), np.diff(a), np.diff(a, 2)


@case((v8, v8),)
def allclose_array_equal(a, b):
    return np.allclose(a, b), np.array_equal(a, b), np.allclose(a, b + 1e-12), np.any(a != b)


@case((m34,),)
def array_arith_broadcast(a):
    col = a[:, 0:1]
    row = a[0]
    return a - row, a * col, a / (np.abs(row) + 1), (a + 1.0) ** 2, a - a.mean(axis=0)


@case((v8,), (vi,))
def inplace_ufunc_ops(a):
    b = np.zeros(a.shape)
    b += a
    b *= 2
    b -= 1
    b /= 4
    b **= 2
    return b


@case((vc,),)
def complex_array_api(a):
    return np.abs(a), a.real, a.imag, np.conj(a), np.angle(a), a * 1j, np.exp(a), a.sum()


@case((v8, 2), (v8, -3), (v8, 0))
def nan_functions(a, k):
    a[k] = NAN
    return np.nansum(a), np.nanmean(a), np.nanmax(a), np.nanmin(a), np.isnan(a).sum()


@case((m34,),)
def global_array_math(a):
    return np.convolve(a[0], KERNEL)


@case((v8,),)
def percentile_quantile(a):
    return np.percentile(a, 50), np.quantile(a, 0.25)


@case((v8,),)
def roll_repeat_tile(a):
    return np.roll(a, 2), np.repeat(a[:2], 3), np.tile(a[:2], 2)


@case((v8,),)
def ptp_and_average(a):
    return np.ptp(a), np.average(a), np.average(a, weights=np.arange(a.size) + 1.0)


@case((m33,),)
def empty_shape_errors(a):
    return a.reshape(4, 2)


@gap("arrays: the truth of an array (NumPy: ValueError; jitlab: a compile error)", (v8,))
def array_truth_error(a):
    if a:
        return 1
    return 0


@case((5,), (0,))
def random_shapes(n):
    np.random.seed(42)
    a = np.random.random(n)
    return a.shape, bool(((a >= 0) & (a < 1)).all())


@case((v8,),)
def argwhere_nonzero(a):
    return np.nonzero(a > 2)[0], np.flatnonzero(a < 0), np.argwhere(a > 5)


# -------------------------------------------------------------------------- docs-style programs


@case((m34,), (m33,))
def go_fast(a):
    trace = 0.0
    for i in range(a.shape[0]):
        trace += np.tanh(a[i, i])
    return a + trace


def _fractal_pixel(x, y, max_iters):
    c = complex(x, y)
    z = 0.0j
    for i in range(max_iters):
        z = z * z + c
        if (z.real * z.real + z.imag * z.imag) >= 4:
            return i
    return 255


@case((-2.0, 1.0, -1.0, 1.0, 8, 12, 20),)
def create_fractal(min_x, max_x, min_y, max_y, width, height, iters):
    image = np.zeros((height, width), dtype=np.uint8)
    pixel_x = (max_x - min_x) / width
    pixel_y = (max_y - min_y) / height
    for x in range(width):
        real = min_x + x * pixel_x
        for y in range(height):
            imag = min_y + y * pixel_y
            image[y, x] = _fractal_pixel(real, imag, iters)
    return image


def _cnd(d):
    return 0.5 * (1.0 + math.erf(d / math.sqrt(2.0)))


@case((100.0, 95.0, 0.5, 0.02, 0.3), (50.0, 60.0, 1.0, 0.05, 0.2))
def black_scholes_call(s, k, t, r, v):
    d1 = (math.log(s / k) + (r + 0.5 * v * v) * t) / (v * math.sqrt(t))
    d2 = d1 - v * math.sqrt(t)
    call = s * _cnd(d1) - k * math.exp(-r * t) * _cnd(d2)
    put = k * math.exp(-r * t) * _cnd(-d2) - s * _cnd(-d1)
    return call, put


@case((v8,), (vsorted,))
def softmax_logsumexp(x):
    m = np.max(x)
    e = np.exp(x - m)
    s = e.sum()
    return e / s, m + np.log(s)


@case((v8, 0.3), (vsorted, 0.9))
def ewma(x, alpha):
    out = np.empty_like(x)
    out[0] = x[0]
    for i in range(1, x.shape[0]):
        out[i] = alpha * x[i] + (1 - alpha) * out[i - 1]
    return out


@case((v8, 3),)
def rolling_std(x, w):
    n = x.shape[0]
    out = np.full(n, NAN)
    for i in range(w - 1, n):
        window = x[i - w + 1:i + 1]
        out[i] = window.std()
    return out


@case((v8, vsorted),)
def linear_fit(x, y):
    n = x.shape[0]
    sx = sy = sxx = sxy = 0.0
    for i in range(n):
        sx += x[i]
        sy += y[i]
        sxx += x[i] * x[i]
        sxy += x[i] * y[i]
    slope = (n * sxy - sx * sy) / (n * sxx - sx * sx)
    return slope, (sy - slope * sx) / n


def _deriv(t, y):
    return -2.0 * y + math.sin(t)


@case((1.0, 0.0, 1.0, 20), (0.5, 0.0, 2.0, 7))
def rk4(y0, t0, t1, n):
    h = (t1 - t0) / n
    y, t = y0, t0
    for _ in range(n):
        k1 = _deriv(t, y)
        k2 = _deriv(t + h / 2, y + h * k1 / 2)
        k3 = _deriv(t + h / 2, y + h * k2 / 2)
        k4 = _deriv(t + h, y + h * k3)
        y += h * (k1 + 2 * k2 + 2 * k3 + k4) / 6
        t += h
    return y


@case((pts, 2, 3),)
def kmeans_steps(p, k, iters):
    centers = p[:k].copy()
    labels = np.zeros(p.shape[0], dtype=np.int64)
    for _ in range(iters):
        for i in range(p.shape[0]):
            best, bj = INF, 0
            for j in range(k):
                d = (p[i, 0] - centers[j, 0]) ** 2 + (p[i, 1] - centers[j, 1]) ** 2
                if d < best:
                    best, bj = d, j
            labels[i] = bj
        for j in range(k):
            s0 = s1 = 0.0
            c = 0
            for i in range(p.shape[0]):
                if labels[i] == j:
                    s0 += p[i, 0]
                    s1 += p[i, 1]
                    c += 1
            if c > 0:
                centers[j, 0] = s0 / c
                centers[j, 1] = s1 / c
    return centers, labels


@case((pts, 0.01, 3),)
def nbody_steps(pos, dt, steps):
    n = pos.shape[0]
    vel = np.zeros_like(pos)
    pos = pos.copy()
    for _ in range(steps):
        acc = np.zeros_like(pos)
        for i in range(n):
            for j in range(n):
                if i != j:
                    dx = pos[j, 0] - pos[i, 0]
                    dy = pos[j, 1] - pos[i, 1]
                    r3 = (dx * dx + dy * dy + 0.01) ** 1.5
                    acc[i, 0] += dx / r3
                    acc[i, 1] += dy / r3
        vel += acc * dt
        pos += vel * dt
    return pos, vel


@case((v8,), (vsorted,))
def polyval_horner(x):
    out = np.zeros_like(x)
    coeffs = (2.0, -1.0, 0.5)
    for i in range(x.size):
        acc = 0.0
        for c in coeffs:
            acc = acc * x[i] + c
        out[i] = acc
    return out


@case((v8, vsorted),)
def cumulative_trapezoid(y, x):
    out = np.zeros(y.shape[0])
    for i in range(1, y.shape[0]):
        out[i] = out[i - 1] + 0.5 * (y[i] + y[i - 1]) * (x[i] - x[i - 1])
    return out


@case((m33,), (m34,))
def frobenius_and_max_abs(a):
    s = 0.0
    m = 0.0
    for i in range(a.shape[0]):
        for j in range(a.shape[1]):
            s += a[i, j] ** 2
            m = max(m, abs(a[i, j]))
    return math.sqrt(s), m, np.sqrt((a * a).sum()), np.abs(a).max()


# -------------------------------------------------------------------- aliasing and views


@case((v8,), (vi,))
def overlap_shift_add(a):
    a[1:] += a[:-1]
    return a


@case((v8,), (vi,))
def overlap_reverse_assign(a):
    a[:] = a[::-1]
    return a


@case((v8,),)
def overlap_shift_copy(a):
    a[2:] = a[:-2]
    return a


@case((m33,),)
def overlap_transpose_assign(a):
    a[:, :] = a.T
    return a


@case((v8,),)
def alias_inplace(a):
    b = a
    b += 1.0
    c = a[::2]
    c *= -1.0
    return a


@case((v8,),)
def rebind_not_inplace(a):
    a = a + 1.0
    a *= 2
    return a


@case((v8,), (vi,))
def negative_step_slices(a):
    return a[::-1], a[5:1:-2], a[-1:-4:-1], a[::-3], a[10:], a[-100:2]


@case((v8,),)
def assign_reversed_slice(a):
    a[6:1:-2] = np.array([10.0, 20.0, 30.0])
    return a


@case((m34,),)
def transposed_view_write(a):
    t = a.T
    t[0, :] = -7.0
    t[1:, 2] += 1.0
    return a


@case((m34,),)
def chained_index(a):
    a[1][2] = 99.0
    row = a[2]
    row[0] = -1.0
    return a[1][2] + a[2][0], a


@case((m34,),)
def column_assign_broadcast(a):
    a[:, 0] = np.array([1.0, 2.0, 3.0])
    a[1] = 5.0
    a[2, :] = a[0, :]
    return a


@case((m34,),)
def mask_2d(a):
    pos = a[a > 0]
    a[a < -2] = -2.0
    return pos, a


@case((m34,), (t234,))
def iterate_rows_enumerate(a):
    s = 0.0
    for i, row in enumerate(a):
        s += i * row.sum()
    return s, len(a)


@case((v8, vsorted),)
def zip_arrays(a, b):
    s = 0.0
    for x, y in zip(a, b):
        s += x * y
    for i, x in enumerate(a[::-1]):
        s -= i * x
    return s


@case((v8,),)
def fill_and_empty_like(a):
    b = np.empty_like(a)
    b.fill(3.5)
    c = np.zeros_like(a, dtype=np.int64)
    c[:] = 2
    return b, c


@case((v8, vi),)
def index_with_array_element(a, idx):
    s = 0.0
    for i in range(idx.shape[0]):
        s += a[idx[i] % a.shape[0]]
    return s


# ------------------------------------------------------------------ dtypes and promotion


def u8():
    return np.array([250, 3, 128, 0, 255], dtype=np.uint8)


@case((4,))
def linspace_endpoint(n):
    return np.linspace(0.0, 1.0, n, endpoint=False)


def i8a():
    return np.array([-128, 127, 5, -3, 100], dtype=np.int8)


@case((u8,),)
def uint8_wraps(a):
    b = a + np.uint8(10)
    c = a * 2
    return b, c, a.sum(), a.astype(np.int64).sum()


@case((i8a,),)
def int8_ops(a):
    return np.abs(a), -a, a // 3, a % 3, np.cumsum(a), a.sum(), a.max()


@case((vi32,), (vi,))
def int_array_promotion(a):
    return a + 1, a * 2.5, a / 2, a // 4, a + 3, a * 3


@case((vf32,),)
def float32_promotion(a):
    return a + 1.5, a * 2.0, a + np.ones(a.size), a.sum(), a.mean(), a * np.float32(3.0)


@case((vi,),)
def int_array_mean_sum(a):
    return a.mean(), a.sum(), np.sum(a > 0), np.cumsum(a > 0), a.std(), np.var(a)


@case((vi,),)
def int_array_floordiv_zero(a):
    return a // 0, a % 0


@case((v8,),)
def float_array_div_zero(a):
    return a / 0.0, a // 0.0, np.zeros(3) / 0.0


@case((vi,),)
def int_array_negative_power(a):
    return a ** -1


@case((vi,),)
def int_array_power(a):
    return a ** 2, a ** 0, np.power(a, 3), 2 ** np.abs(a)


@case((vnan,),)
def nan_reductions(a):
    return a.min(), a.max(), np.argmax(a), np.argmin(a), np.sort(a), a.sum(), np.median(a)


@case((v0,),)
def empty_reductions(a):
    return a.sum(), a.prod(), np.all(a), np.any(a), a.size


@case((v0,),)
def empty_min_raises(a):
    return a.min()


@case((v0,),)
def empty_argmax_raises(a):
    return np.argmax(a)


@case((v8,),)
def round_arrays(a):
    b = a * 1.2345
    return np.round(b, 2), np.round(b), np.round(b * 100, -1), np.floor(b), np.trunc(b)


@case((v8,),)
def astype_truncation(a):
    b = a * 1.7
    return b.astype(np.int64), b.astype(np.int32), (-b).astype(np.int64), np.abs(b).astype(np.uint8)


@case((v8,))
def ddof_stats(a):
    return np.std(a, ddof=1), np.var(a, ddof=1), a.var(ddof=0)


@case((4,),)
def linspace_arange_forms(n):
    return (np.linspace(0.0, 1.0, n), np.arange(0.1, 0.55, 0.1), np.arange(n, 0, -1),
            np.arange(-3, 3), np.linspace(2.0, 3.0, 1))


@case((m34,),)
def reshape_transposed(a):
    return a.T.reshape(12), a.T.ravel(), a.reshape(2, -1, 3)


@case((m33, m34),)
def matmul_shapes(a, b):
    v = b[:, 0].copy()
    return a @ b, v @ a, a @ v, np.dot(v, v)


@case((m44i,),)
def int_matmul(a):
    return a @ a, np.dot(a, a[0])


@case((m33, 5),)
def matrix_power_loop(a, n):
    r = np.eye(a.shape[0])
    for _ in range(n):
        r = r @ a
    return r


@case((v8,),)
def ufunc_domain_nan(a):
    return np.sqrt(a), np.log(a), np.arcsin(a / 10)


@case((v8,),)
def math_on_elements_raises(a):
    s = 0.0
    for x in a:
        s += math.sqrt(x)
    return s


@case((v8,), (vnan,))
def exp_overflow_array(a):
    return np.exp(a * 100), np.expm1(a), np.log10(np.abs(a) + 1)


@case((vc,),)
def complex_sort_and_abs(a):
    return np.sort(a), np.abs(a).argmax(), np.sqrt(a), a ** 2, a / (1 + 1j)


@case((m34,),)
def negative_axis_reductions(a):
    return a.sum(axis=-1), np.max(a, axis=-2), a.cumsum(axis=1), np.argmax(a, axis=0)


@case((vbool,),)
def bool_array_ops(a):
    return (~a, a & a[::-1], a | False, a ^ True, np.cumsum(a), a.astype(np.float64).mean(),
            np.count_nonzero(a))


@case((v8, v8),)
def compare_arrays(a, b):
    return a == b, a < b[::-1], np.maximum(a, b[::-1]) >= a, (a > 0) & (a < 5), (a > 0) | (a < -4)


# --------------------------------------------------------------- round four: more user patterns


@case((v8,), (vsorted,))
def out_parameter_default(a, out=None):
    if out is None:
        out = np.empty_like(a)
    for i in range(a.shape[0]):
        out[i] = 2 * a[i]
    return out


def _fill_out(a, out):
    for i in range(a.size):
        out[i] = a[i] ** 2
    return out


@case((v8,),)
def out_parameter_passed(a):
    out = np.zeros(a.size)
    _fill_out(a, out)
    b = _fill_out(a[::-1], np.empty(a.size))
    return out, b


@case((v8, 3), (v8, 8), (v8, 0))
def short_circuit_guards_index(a, n):
    c = 0
    i = 0
    while i < n and a[i] != 9.0:
        i += 1
    for j in range(10):
        if j < a.shape[0] and a[j] > 0:
            c += 1
        if j >= a.shape[0] or a[j] < 0:
            c += 100
    return c, i


def _merge_sort(a):
    n = a.shape[0]
    if n <= 1:
        return a.copy()
    left = _merge_sort(a[:n // 2])
    right = _merge_sort(a[n // 2:])
    out = np.empty(n, dtype=a.dtype)
    i = j = k = 0
    while i < left.shape[0] and j < right.shape[0]:
        if left[i] <= right[j]:
            out[k] = left[i]
            i += 1
        else:
            out[k] = right[j]
            j += 1
        k += 1
    while i < left.shape[0]:
        out[k] = left[i]
        i += 1
        k += 1
    while j < right.shape[0]:
        out[k] = right[j]
        j += 1
        k += 1
    return out


@case((v8,), (vi,), (v0,), (v1,))
def merge_sort_recursive(a):
    return _merge_sort(a)


def _stats(a):
    return a.min(), a.max(), a.mean()


def _split(a):
    return a[a >= 0], a[a < 0]


@case((v8,), (vi,))
def tuple_of_arrays_results(a):
    lo, hi, mean = _stats(a)
    pos, neg = _split(a)
    return lo, hi, mean, pos, neg, pos.size + neg.size == a.size


def _sum_pair(pair):
    return pair[0].sum() + pair[1].sum()


@gap("tuples: a tuple holding arrays passed to a compiled callee", (v8, vsorted))
def tuple_of_arrays_to_callee(a, b):
    return _sum_pair((a, b)), _sum_pair((a[:2], b[::-1]))


@case((v8,),)
def closure_over_array(a):
    scale = 2.0

    def scaled(i):
        return a[i] * scale

    s = 0.0
    for i in range(a.shape[0]):
        s += scaled(i)
    return s


@case((v8,),)
def closure_writes_array(a):
    def bump(i, v):
        a[i] += v

    for i in range(0, a.shape[0], 2):
        bump(i, 10.0)
    return a


@case((v8,), (vi,))
def generator_reductions(a):
    n = a.shape[0]
    return sum(a[i] * i for i in range(n)), max(a[i] - a[i - 1] for i in range(1, n)), any(x > 8 for x in a)


@case((vi,), (v8,))
def numpy_floor_mod_negative(a):
    return np.floor_divide(a, -3), np.mod(a, -3), a % 4, -a // 4, np.remainder(a, 3)


@case((vnan,), (v8,))
def sign_and_special(a):
    b = a.copy()
    b[0] = -0.0
    return np.sign(b), np.abs(b), np.isnan(np.sign(b)).sum()


@case((vi,),)
def argmin_ties_first(a):
    b = a.copy()
    b[:] = 1
    b[3] = b[7] = 0
    return np.argmin(b), np.argmax(b), b.argmin()


@case((vsorted,),)
def searchsorted_sides(a):
    return np.searchsorted(a, 2.0), np.searchsorted(a, np.array([-10.0, 2.0, 100.0]))


@case((vsorted,))
def searchsorted_side_right(a):
    return np.searchsorted(a, 2.0, side="right")


@case((v8,),)
def where_scalars(a):
    return np.where(a > 2, 1.0, 0.0), np.where(a > 2, a, 0), np.where(a > 100, a, -a)


@case((vi,),)
def cumprod_int_overflow(a):
    b = np.abs(a) + 10
    return np.cumprod(b), b.prod()


@case((m33,),)
def diag_ops(a):
    d = np.zeros(3)
    for i in range(3):
        d[i] = a[i, i]
    return np.diag(d), np.diag(a), np.trace(a), np.eye(3)


@case((3,))
def eye_dtype(n):
    return np.eye(n, dtype=np.int64)


@case((v8,), (vi,))
def early_return_from_nested_loop(a):
    n = a.shape[0]
    for i in range(n):
        for j in range(i + 1, n):
            if a[i] + a[j] == 5:
                return i, j
    return -1, -1


@case((t234,),)
def three_d_reductions(a):
    return a.sum(axis=0), a.sum(axis=2), a.max(axis=1), a.mean(), a[1, ::-1, ::2]


@case((m34,),)
def array_in_boolean_context_scalars(a):
    c = 0
    for i in range(a.shape[0]):
        if a[i].sum() > 0 and a[i, 0] < 10:
            c += 1
        if not (a[i] > 0).any():
            c += 10
    return c


@case((v8,),)
def local_array_constants(a):
    w = np.array([0.1, 0.2, 0.3, 0.4])
    idx = np.array([7, 0, 3])
    return np.dot(a[:4], w), a[idx]


@case((v8,),)
def nested_list_array(a):
    return np.array([[1.0, 2.0], [3.0, 4.0]]) @ a[:2]


def ones5():
    return np.ones(5)


@case((ones5, 3), (ones5, 1), (ones5, 0))
def loop_variables_after_checked_loops(a, n):
    for i in range(n):
        for j in range(i + 1, n):
            a[j] += a[i]
    return i, j


# ---------------------------------------------------------------------------- round five


@case((v8,), (vnan,))
def nan_constants_and_fill(a):
    b = a.copy()
    b[b != b] = 0.0
    c = np.empty(3)
    c[:] = np.nan
    return b, np.isnan(c).all(), np.inf > 1e308, np.pi * 2, np.e, -np.inf < 0


@case((v8,),)
def finfo_eps(a):
    eps = np.finfo(np.float64).eps
    big = np.iinfo(np.int32).max
    return (np.abs(a - a * (1 + eps)).max() < 1e-14, eps, big + 1, np.finfo(np.float32).tiny,
            np.iinfo(np.uint8).max)


@gap("arrays: np.finfo of a dtype known only from a value", (v8,))
def finfo_of_array_dtype(a):
    return np.finfo(a.dtype).eps


@case((4,),)
def reshape_with_tuple(n):
    a = np.arange(n * 3).reshape((n, 3))
    b = np.arange(6.0).reshape((-1, 2))
    return a, b, a.shape == (n, 3), b.shape[0]


@case((v8,),)
def row_view_zeroing(a):
    m = a.reshape(2, 4).copy()
    x = m[1, :]
    x[:] = 0
    m[0, ::2] = -1
    return m


@case((v8,),)
def like_constructors(a):
    return np.ones_like(a), np.full_like(a, 2.5), np.zeros_like(a, dtype=np.int64), np.empty_like(a).shape


@case((m34,),)
def any_all_axis(a):
    return np.any(a > 5, axis=0), np.all(a > -5, axis=1), (a > 0).sum(axis=0), np.isclose(a, 2.0)


@case((3,), (0,))
def random_seeded_values(n):
    np.random.seed(42)
    a = np.random.rand(n)
    b = np.random.randint(0, 10, n)
    c = np.random.normal(0.0, 1.0)
    return a, b, c


@case((m33,),)
def gram_matrix(a):
    g = a.T @ a
    s = 0.0
    for i in range(g.shape[0]):
        s += g[i, i]
    return g, s, np.trace(g) == s


@case((5,),)
def int_loop_into_float_array(n):
    out = np.zeros(n)
    for i in range(n):
        out[i] = i // 2 + (i % 2) * 0.5
    cnt = np.zeros(3, dtype=np.int64)
    for i in range(n * 4):
        cnt[i % 3] += 1
    return out, cnt


@case((v8, 2), (vi, 3))
def stride_loops(a, k):
    s = 0.0
    for i in range(0, a.shape[0], k):
        s += a[i]
    for i in range(a.shape[0] - 1, -1, -k):
        s -= a[i] * 0.5
    return s
