"""A corpus of array functions written the way Numba users write them (NumPy arrays in, arrays out).

`CASES` lists (function, arguments); `tests/test_corpus_arrays.py` runs each one in CPython and
compiled and compares the outcomes (value, dtype, shape, in-place writes, exception type).
`UNSUPPORTED` lists the functions jitlab does not compile yet, with the words its clear error
must contain.
"""
from __future__ import annotations

import math

import numpy as np


# -- inputs (built fresh for every run) ------------------------------------------------------------
def f1():
    return np.linspace(-2.0, 3.0, 11)


def f1b():
    return np.cos(np.arange(11.0)) * 2.0


def i1():
    return np.arange(-4, 7, dtype=np.int64)


def i32():
    return np.arange(-3, 5, dtype=np.int32)


def f32():
    return np.linspace(-1.0, 2.0, 8).astype(np.float32)


def m34():
    return np.arange(12.0).reshape(3, 4) - 5.0


def m43():
    return (np.arange(12.0).reshape(4, 3) * 0.5) ** 2


def m34f():
    return np.asfortranarray(m34())


def im34():
    return np.arange(12, dtype=np.int64).reshape(3, 4) - 6


def sq3():
    return np.array([[2.0, -1.0, 0.5], [1.0, 3.0, -2.0], [0.0, 1.5, 4.0]])


def cube():
    return np.arange(24.0).reshape(2, 3, 4)


def strided():
    return np.arange(20.0)[::3]


def col_view():
    return np.arange(12.0).reshape(3, 4)[:, 1]


def with_nan():
    return np.array([1.0, np.nan, -np.inf, 2.5, np.inf, -0.0, 3.0])


def bools():
    return np.array([True, False, True, True, False])


def u8():
    return np.array([0, 7, 200, 255, 13], dtype=np.uint8)


# -- elementwise expressions -----------------------------------------------------------------------
def axpy_expr(a, b, c):
    return a + b * c


def poly_expr(x):
    return 3.0 * x * x - 2.0 * x + 1.0


def sqrt_abs(a):
    return np.sqrt(np.abs(a))


def exp_neg_sq(a):
    return np.exp(-a * a)


def positive_mask(a):
    return a > 0


def between_mask(a, lo, hi):
    return (a >= lo) & (a <= hi)


def not_mask(a):
    return ~(a > 0)


def int_float_mix(a, b):
    return a + b


def int32_times_float32(a, b):
    return a * b


def int_div_arrays(a, b):
    return a / b


def floordiv_mod(a, k):
    return a // k, a % k


def power_scalar(a):
    return a ** 2


def scalar_minus_array(a):
    return 10 - a


def float32_stays(a):
    return a * 2.0 + 1.0


def unary_neg_2d(m):
    return -m


def sin_cos_identity(a):
    return np.sin(a) ** 2 + np.cos(a) ** 2


def broadcast_row(m, r):
    return m + r


def broadcast_col_view(m, c):
    return m * c[0]


def mixed_compare(a, b):
    return a < b


def log1p_expm1(a):
    return np.log1p(np.abs(a)) + np.expm1(a * 0.1)


def arctan2_hypot(a, b):
    return np.arctan2(a, b) + np.hypot(a, b)


def ufunc_add(a, b):
    return np.add(a, b)


def ufunc_multiply_inplace_style(a, b):
    c = np.multiply(a, b)
    c = np.subtract(c, a)
    return c


def bitwise_int(a, b):
    return (a & b) | (a ^ 3)


def uint8_add(a):
    return a + 1


def shift_int(a):
    return a << 2


def square_floor_ceil(a):
    return np.square(a) + np.floor(a) - np.ceil(a)


# -- where / minimum / maximum / clip / round / abs ------------------------------------------------
def relu(a):
    return np.maximum(a, 0.0)


def clamp_min_max(a, lo, hi):
    return np.minimum(np.maximum(a, lo), hi)


def where_sign(a):
    return np.where(a > 0, 1.0, -1.0)


def where_arrays(a, b):
    return np.where(a > b, a, b)


def clip_fn(a):
    return np.clip(a, -1.0, 1.5)


def round_fn(a):
    return np.round(a)


def round_decimals(a):
    return np.round(a * 3.3, 2)


def abs_int(a):
    return np.abs(a)


def sign_fn(a):
    return np.sign(a)


# -- nan / inf -------------------------------------------------------------------------------------
def isnan_count(a):
    return np.isnan(a)


def isinf_mask(a):
    return np.isinf(a)


def isfinite_mask(a):
    return np.isfinite(a)


def nan_to_zero_loop(a):
    out = a.copy()
    for i in range(out.shape[0]):
        if np.isnan(out[i]):
            out[i] = 0.0
    return out


def count_finite_loop(a):
    n = 0
    for x in a:
        if np.isfinite(x):
            n += 1
    return n


def const_nan_inf_pi(n):
    out = np.empty(n)
    for i in range(n):
        out[i] = np.pi * i
    out[0] = np.nan
    if n > 1:
        out[1] = -np.inf
    return out


def min_with_inf(a):
    best = np.inf
    for i in range(len(a)):
        if a[i] < best:
            best = a[i]
    return best


# -- reductions ------------------------------------------------------------------------------------
def np_sum(a):
    return np.sum(a)


def method_sum(a):
    return a.sum()


def sum_axis0(m):
    return m.sum(axis=0)


def sum_axis1(m):
    return np.sum(m, axis=1)


def np_mean(a):
    return np.mean(a)


def method_mean(a):
    return a.mean()


def np_std(a):
    return np.std(a)


def np_var(a):
    return np.var(a)


def method_std(a):
    return a.std()


def np_max_min(a):
    return np.max(a), np.min(a)


def method_max_min(a):
    return a.max() - a.min()


def np_argmax_argmin(a):
    return np.argmax(a), np.argmin(a)


def method_argmax_2d(m):
    return m.argmax()


def np_prod(a):
    return np.prod(a)


def any_all(a):
    return np.any(a > 2.0), np.all(a > -10.0)


def any_method(a):
    return (a < 0).any()


def all_bool_array(b):
    return b.all()


def sum_bool_mask(a):
    return np.sum(a > 0)


def mean_2d(m):
    return m.mean()


def sum_2d_fortran(m):
    return m.sum()


def sum_strided(a):
    return a.sum()


def sum_int32(a):
    return a.sum()


def sum_float32(a):
    return np.sum(a)


def max_int(a):
    return a.max()


def norm_manual(a):
    return math.sqrt(np.sum(a * a))


def amax_fn(a):
    return np.amax(a)


def empty_max_raises(a):
    return a[:0].max()


# -- dot and matmul --------------------------------------------------------------------------------
def dot_1d(a, b):
    return np.dot(a, b)


def dot_2d(a, b):
    return np.dot(a, b)


def matmul_op(a, b):
    return a @ b


def matvec(m, v):
    return m @ v


def dot_method(a, b):
    return a.dot(b)


def dot_int(a, b):
    return np.dot(a, b)


def matmul_loop(a, b):
    n, k = a.shape
    m = b.shape[1]
    c = np.zeros((n, m))
    for i in range(n):
        for j in range(m):
            s = 0.0
            for p in range(k):
                s += a[i, p] * b[p, j]
            c[i, j] = s
    return c


# -- construction ----------------------------------------------------------------------------------
def zeros_1d(n):
    return np.zeros(n)


def zeros_2d(n, m):
    return np.zeros((n, m))


def ones_int32(n):
    return np.ones(n, dtype=np.int32)


def ones_float32_pos(n):
    return np.ones(n, np.float32)


def full_fn(n):
    return np.full((n, 2), 7.5)


def full_int(n):
    return np.full(n, 3)


def arange_int(n):
    return np.arange(n)


def arange_start_stop_step(n):
    return np.arange(2, n, 3)


def arange_float(n):
    return np.arange(0.0, n, 0.5)


def arange_dtype(n):
    return np.arange(n, dtype=np.float32)


def linspace_fn(n):
    return np.linspace(0.0, 1.0, n)


def empty_fill(n):
    a = np.empty(n)
    for i in range(n):
        a[i] = i * i
    return a


def empty_like_fill(a):
    out = np.empty_like(a)
    for i in range(len(a)):
        out[i] = a[i] * 2
    return out


def zeros_like_2d(m):
    z = np.zeros_like(m)
    z[0, 0] = 1.0
    return z


def zeros_3d(n):
    t = np.zeros((n, 2, 3))
    for i in range(n):
        for j in range(2):
            for k in range(3):
                t[i, j, k] = i * 100 + j * 10 + k
    return t


def zeros_bool(n):
    return np.zeros(n, dtype=np.bool_)


def identity_loop(n):
    e = np.zeros((n, n))
    for i in range(n):
        e[i, i] = 1.0
    return e


def np_eye(n):
    return np.eye(n)


def np_array_list(x):
    return np.array([x, x + 1.0, x * 2.0])


def np_copy(a):
    b = np.copy(a)
    b[0] = 100.0
    return b


def method_copy_2d(m):
    c = m.copy()
    c[1, 1] = -1.0
    return c


def astype_int(a):
    return a.astype(np.int64)


def astype_f32(a):
    return a.astype(np.float32)


# -- shape manipulation ----------------------------------------------------------------------------
def reshape_2d(a):
    return a.reshape(3, 4)


def reshape_tuple(a):
    return a.reshape((2, 6))


def reshape_minus_one(a):
    return a.reshape(-1, 2)


def ravel_fn(m):
    return m.ravel()


def flatten_fn(m):
    return m.flatten()


def transpose_attr(m):
    return m.T


def transpose_fn(m):
    return np.transpose(m)


def transpose_method(m):
    return m.transpose()


def transpose_copy_sum(m):
    t = m.T
    s = 0.0
    for i in range(t.shape[0]):
        for j in range(t.shape[1]):
            s += t[i, j] * (i + 1)
    return s


def shape_attrs(m):
    return m.shape[0], m.shape[1], m.size, m.ndim, len(m)


def shape_unpack(m):
    n, k = m.shape
    return n * 10 + k


def ndim3_shape(t):
    return t.shape


# -- slicing ---------------------------------------------------------------------------------------
def slice_assign_shift(a, b):
    a[1:-1] = b[2:]
    return a


def slice_assign_zero(a):
    a[:] = 0
    return a


def slice_assign_scalar_part(a):
    a[2:5] = -1.0


def reverse_slice(a):
    return a[::-1]


def step_slice_sum(a):
    s = 0.0
    for x in a[::2]:
        s += x
    return s


def central_diff(a):
    return (a[2:] - a[:-2]) * 0.5


def row_slice_2d(m):
    return m[1, :]


def col_slice_2d(m):
    return m[:, 2]


def sub_block(m):
    return m[1:, 1:3]


def block_assign(m):
    m[0:2, 0:2] = 9.0
    return m


def row_assign_array(m, r):
    m[1] = r
    return m


def col_assign_array(m, c):
    m[:, 0] = c
    return m


def stencil_1d(a):
    out = np.zeros_like(a)
    out[1:-1] = a[:-2] + a[2:] - 2.0 * a[1:-1]
    return out


def stencil_2d(u):
    out = u.copy()
    out[1:-1, 1:-1] = 0.25 * (u[:-2, 1:-1] + u[2:, 1:-1] + u[1:-1, :-2] + u[1:-1, 2:])
    return out


def view_write_through(a):
    v = a[1:4]
    v[0] = 42.0
    return a


def slice_var_bounds(a, lo, hi):
    return a[lo:hi].sum()


def slice_negative_step_var(a, k):
    return a[k::-1]


# -- loops -----------------------------------------------------------------------------------------
def rows_loop(m):
    out = np.empty(m.shape[0])
    i = 0
    for row in m:
        out[i] = row.sum()
        i += 1
    return out


def rows_loop_manual(m):
    total = 0.0
    for row in m:
        for x in row:
            total += x * x
    return total


def loop_2d_index(m):
    n, k = m.shape
    s = 0.0
    for i in range(n):
        for j in range(k):
            s += m[i, j] * (i - j)
    return s


def loop_3d(t):
    s = 0.0
    for i in range(t.shape[0]):
        for j in range(t.shape[1]):
            for k in range(t.shape[2]):
                s += t[i, j, k] * (i + 2 * j + 3 * k)
    return s


def loop_fortran(m):
    s = 0.0
    for j in range(m.shape[1]):
        for i in range(m.shape[0]):
            s = s * 0.5 + m[i, j]
    return s


def loop_strided(a):
    s = 0.0
    for i in range(a.shape[0]):
        s += a[i] * (i + 1)
    return s


def inplace_scale(a, k):
    for i in range(a.size):
        a[i] *= k


def inplace_augassign_array(a, b):
    a += b
    return a


def inplace_mul_scalar(a):
    a *= 2.0
    return a


def enumerate_array(a):
    s = 0.0
    for i, x in enumerate(a):
        s += i * x
    return s


def zip_arrays(a, b):
    s = 0.0
    for x, y in zip(a, b):
        s += x * y
    return s


def math_on_elements(a):
    out = np.empty_like(a)
    for i in range(len(a)):
        out[i] = math.exp(-abs(a[i])) + math.sqrt(abs(a[i]))
    return out


def math_floor_elements(a):
    s = 0
    for x in a:
        s += math.floor(x)
    return s


def histogram_loop(a, nbins):
    counts = np.zeros(nbins, dtype=np.int64)
    lo = a.min()
    hi = a.max()
    width = (hi - lo) / nbins
    for x in a:
        k = int((x - lo) / width)
        if k == nbins:
            k -= 1
        counts[k] += 1
    return counts


def prefix_sum_loop(a):
    out = np.empty_like(a)
    s = 0.0
    for i in range(len(a)):
        s += a[i]
        out[i] = s
    return out


def bubble_sort_inplace(a):
    n = len(a)
    for i in range(n):
        for j in range(n - 1 - i):
            if a[j] > a[j + 1]:
                a[j], a[j + 1] = a[j + 1], a[j]


def find_first(a, v):
    for i in range(len(a)):
        if a[i] == v:
            return i
    return -1


def out_of_bounds(a):
    return a[len(a)]


def out_of_bounds_2d(m):
    return m[0, m.shape[1]]


def index_bool_loop(b):
    n = 0
    for x in b:
        if x:
            n += 1
    return n


def int32_accumulate(a):
    out = np.zeros(len(a), dtype=np.int32)
    for i in range(len(a)):
        out[i] = a[i] * 3
    return out


def float32_loop(a):
    out = np.empty_like(a)
    for i in range(a.shape[0]):
        out[i] = a[i] * np.float32(0.5)
    return out


def pairwise_distances(x):
    n = x.shape[0]
    d = np.empty((n, n))
    for i in range(n):
        for j in range(n):
            s = 0.0
            for k in range(x.shape[1]):
                t = x[i, k] - x[j, k]
                s += t * t
            d[i, j] = math.sqrt(s)
    return d


def dtype_follow(a):
    out = np.zeros(a.shape, a.dtype)
    for i in range(a.shape[0]):
        out[i] = a[i]
    return out


# -- cumsum / diff / sort --------------------------------------------------------------------------
def cumsum_method(a):
    return a.cumsum()


def cumsum_fn(a):
    return np.cumsum(a)


def diff_fn(a):
    return np.diff(a)


def sort_fn(a):
    return np.sort(a)


def argsort_fn(a):
    return np.argsort(a)


def sort_inplace_method(a):
    a.sort()
    return a


def median_fn(a):
    return np.median(a)


# -- masks and fancy indexing ----------------------------------------------------------------------
def mask_select(a):
    return a[a > 0]


def mask_assign(a):
    a[a < 0] = 0.0
    return a


def fancy_index(a, idx):
    return a[idx]


def fancy_assign(a, idx):
    a[idx] = -1.0
    return a


def nonzero_fn(a):
    return np.nonzero(a > 0)[0]


def count_nonzero_fn(a):
    return np.count_nonzero(a)


# -- concatenate / stack / tuples of arrays --------------------------------------------------------
def concat_pair(a, b):
    return np.concatenate((a, b))


def vstack_pair(a, b):
    return np.vstack((a, b))


def hstack_pair(a, b):
    return np.hstack((a, b))


def return_two_arrays(a):
    return a * 2.0, a + 1.0


def return_array_and_scalar(a):
    b = a * a
    return b, b.sum()


def tuple_of_arrays_arg(a, b):
    t = (a, b)
    s = 0.0
    for i in range(len(t[0])):
        s += t[0][i] - t[1][i]
    return s


def min_max_loop(a):
    lo = a[0]
    hi = a[0]
    for x in a:
        if x < lo:
            lo = x
        if x > hi:
            hi = x
    return lo, hi


def outer_loop(a, b):
    out = np.empty((len(a), len(b)))
    for i in range(len(a)):
        for j in range(len(b)):
            out[i, j] = a[i] * b[j]
    return out


def np_outer(a, b):
    return np.outer(a, b)


def allclose_fn(a, b):
    return np.allclose(a, b)


def array_equal_loop(a, b):
    if a.shape != b.shape:
        return False
    for i in range(len(a)):
        if a[i] != b[i]:
            return False
    return True


def normalize(a):
    return (a - a.mean()) / a.std()


def softmax(a):
    e = np.exp(a - a.max())
    return e / e.sum()


def cumulative_max_loop(a):
    out = np.empty_like(a)
    m = -np.inf
    for i in range(a.shape[0]):
        if a[i] > m:
            m = a[i]
        out[i] = m
    return out


# -- more: shapes, axes, selections, joins, sorting ------------------------------------------------
def reshape_bad(a):
    return a.reshape(5, -1)


def reshape_fortran_copy(m):
    return m.reshape(2, 6)


def reshape_view_write(a):
    b = a.reshape(3, 4)
    b[1, 1] = -7.0
    return a


def arange_reshape(n):
    return np.arange(n * 4).reshape(n, 4)


def astype_fortran(m):
    return m.astype(np.int32)


def astype_bool(a):
    return a.astype(np.bool_)


def dot_mismatch(a, b):
    return np.dot(a, b)


def vecmat(v, m):
    return v @ m


def where_2d_broadcast(m, r):
    return np.where(m > 0, m, r)


def isnan_int(a):
    return np.isnan(a)


def sum_axis_3d(t):
    return t.sum(axis=1)


def argmax_axis(m):
    return np.argmax(m, axis=1)


def mean_axis0(m):
    return m.mean(axis=0)


def std_axis_neg(m):
    return m.std(axis=-1)


def any_axis(m):
    return np.any(m > 3.0, axis=0)


def mask_2d(m):
    return m[m > 0.0]


def mask_count_sum(a):
    pos = a[a > 0]
    return pos.sum(), len(pos)


def fancy_rows(m, idx):
    return m[idx]


def fancy_out_of_bounds(a):
    return a[np.array([0, 50])]


def mask_wrong_shape(a, b):
    return a[b > 0]


def concat_axis1(a, b):
    return np.concatenate((a, b), axis=1)


def vstack_2d(a, b):
    return np.vstack((a, b, a))


def concat_mismatch(a, b):
    return np.concatenate((a, b))


def sort_2d(m):
    return np.sort(m)


def sort_fortran_inplace(m):
    m.sort()
    return m


def argsort_int(a):
    return np.argsort(a)


def median_even(a):
    return np.median(a)


def cumprod_fn(a):
    return np.cumprod(a)


def count_nonzero_bool(b):
    return np.count_nonzero(b)


def fill_method(m):
    m.fill(2.5)
    return m


def identity_fn(n):
    return np.identity(n)


def outer_2d(m, v):
    return np.outer(m, v)


def round_scalar(x):
    return np.round(x), np.round(x, 1)


def clip_int(a):
    return np.clip(a, -2, 3)


def float64_of_array(a):
    return np.float64(a)


def invert_mask(a):
    m = a > 0
    return a[~m]


def inplace_broadcast(m, r):
    m += r
    m *= 2
    return m


def inplace_on_view(a):
    a[1:] += 1.0
    a[::2] *= -1.0
    return a


def inplace_int_by_int(a):
    a //= 2
    a -= 1
    return a


def dot_fortran(m, v):
    return np.dot(m, v)


def diff_int(a):
    return np.diff(a)


def np_float32_scalar(x):
    return np.float32(x) * np.float32(2.0)


def dtype_astype_roundtrip(a):
    return a.astype(np.float32).astype(np.float64)


def ravel_strided(m):
    return m[:, ::2].ravel()


def transpose_3d(t):
    return t.transpose()


def sum_then_divide_axis(m):
    return m / m.sum(axis=0)


def isclose_fn(a, b):
    return np.isclose(a, b + 1e-9)


def nonzero_2d(m):
    rows, cols = np.nonzero(m > 2.0)
    return rows * 10 + cols


def flatnonzero_fn(a):
    return np.flatnonzero(a)


def unique_floats(a):
    return np.unique(a)


def searchsorted_many(a, v):
    return np.searchsorted(a, v)


def norm_matrix(m):
    return np.linalg.norm(m)


def ufunc_aliases(a, b):
    return np.mod(b, 3), np.greater(a, 0.5), np.not_equal(b, 1), np.rint(a * 2.5), np.bitwise_xor(b, 5)


def ascontiguous(m):
    c = np.ascontiguousarray(m)
    c[0, 0] = 100.0
    return c, np.asarray(m)


def builtin_dtypes(a):
    return a.astype(float), np.zeros(len(a), dtype=int), np.ones(2, bool), np.arange(3, dtype=float)


def mask_assign_2d(m):
    m[m < 0.0] = 0.0
    return m


def mask_assign_values(a, b):
    a[a > 0] = b[a > 0] * 2.0
    return a


def mask_assign_too_many(a):
    a[a > 0] = np.arange(50.0)
    return a


def nan_reductions(a):
    return np.nansum(a), np.nanmean(a), np.nanmax(a), np.nanmin(a)


def trace_diag(m):
    return np.trace(m), np.diag(m), np.diag(np.diag(m))


def roll_fn(a):
    return np.roll(a, 3), np.roll(a, -1)


def bincount_fn(x, w):
    return np.bincount(x), np.bincount(x, w)


def array_equal_fn(a, b):
    return np.array_equal(a, b), np.array_equal(a, a)


def stack_fn(a, b):
    return np.stack((a, b)), np.stack((a, b), axis=1), np.column_stack((a, b))


def stack_mismatch(a, b):
    return np.stack((a, b))


def interp_fn(x, xp, fp):
    return np.interp(x, xp, fp), np.interp(0.7, xp, fp)


def average_fn(a, w):
    return np.average(a), np.average(a, weights=w)


def dot_self(a):
    return np.dot(a, a), a @ a


def matmul_self(m):
    return m @ m, np.dot(m, m)


# -- not supported yet (clear errors) --------------------------------------------------------------
def newaxis_broadcast(a):
    return a[:, None] - a[None, :]


def linalg_norm(a):
    return np.linalg.norm(a)


def argsort_2d(m):
    return np.argsort(m)


def where_one_arg(a):
    return np.where(a > 0)


def axis_not_constant(m, k):
    return m.sum(axis=k)


def unique_fn(a):
    return np.unique(a)


def searchsorted_fn(a, v):
    return np.searchsorted(a, v)


def float_inplace_into_int(a):
    a += 0.5
    return a


# (function, argument builders): each argument is a callable (fresh input) or a plain value
ALL_CASES = [
    (axpy_expr, (f1, f1b, 2.0)),
    (axpy_expr, (m34, m34, m34)),
    (poly_expr, (f1,)),
    (poly_expr, (i1,)),
    (sqrt_abs, (f1,)),
    (exp_neg_sq, (f1,)),
    (exp_neg_sq, (f32,)),
    (positive_mask, (f1,)),
    (positive_mask, (i1,)),
    (between_mask, (f1, -1.0, 1.0)),
    (not_mask, (f1,)),
    (int_float_mix, (i1, f1)),
    (int_float_mix, (i32, 1.5)),
    (int32_times_float32, (i32, f32)),
    (int_div_arrays, (i1, i1)),
    (floordiv_mod, (i1, 3)),
    (floordiv_mod, (f1, 0.75)),
    (power_scalar, (i1,)),
    (power_scalar, (f1,)),
    (scalar_minus_array, (i32,)),
    (float32_stays, (f32,)),
    (unary_neg_2d, (m34,)),
    (unary_neg_2d, (m34f,)),
    (sin_cos_identity, (f1,)),
    (broadcast_row, (m34, lambda: np.arange(4.0))),
    (broadcast_col_view, (m34, col_view)),
    (mixed_compare, (i1, f1)),
    (log1p_expm1, (f1,)),
    (arctan2_hypot, (f1, f1b)),
    (ufunc_add, (i32, i32)),
    (ufunc_multiply_inplace_style, (f1, f1b)),
    (bitwise_int, (i1, i1)),
    (uint8_add, (u8,)),
    (shift_int, (i32,)),
    (square_floor_ceil, (f1,)),
    (relu, (f1,)),
    (relu, (m34,)),
    (clamp_min_max, (f1, -1.0, 2.0)),
    (where_sign, (f1,)),
    (where_arrays, (f1, f1b)),
    (clip_fn, (f1,)),
    (round_fn, (f1,)),
    (round_decimals, (f1,)),
    (abs_int, (i1,)),
    (abs_int, (f32,)),
    (sign_fn, (f1,)),
    (isnan_count, (with_nan,)),
    (isinf_mask, (with_nan,)),
    (isfinite_mask, (with_nan,)),
    (nan_to_zero_loop, (with_nan,)),
    (count_finite_loop, (with_nan,)),
    (const_nan_inf_pi, (5,)),
    (min_with_inf, (f1,)),
    (np_sum, (f1,)),
    (np_sum, (i1,)),
    (np_sum, (m34,)),
    (method_sum, (f1,)),
    (method_sum, (cube,)),
    (sum_axis0, (m34,)),
    (sum_axis1, (m34,)),
    (np_mean, (f1,)),
    (method_mean, (i1,)),
    (np_std, (f1,)),
    (np_var, (f1,)),
    (method_std, (m34,)),
    (np_max_min, (f1,)),
    (method_max_min, (m34,)),
    (np_argmax_argmin, (f1b,)),
    (method_argmax_2d, (m34,)),
    (np_prod, (i32,)),
    (any_all, (f1,)),
    (any_method, (f1,)),
    (all_bool_array, (bools,)),
    (sum_bool_mask, (f1,)),
    (mean_2d, (m34f,)),
    (sum_2d_fortran, (m34f,)),
    (sum_strided, (strided,)),
    (sum_int32, (i32,)),
    (sum_float32, (f32,)),
    (max_int, (u8,)),
    (norm_manual, (f1,)),
    (amax_fn, (f1,)),
    (empty_max_raises, (f1,)),
    (dot_1d, (f1, f1b)),
    (dot_2d, (m34, m43)),
    (matmul_op, (m34, m43)),
    (matvec, (m34, lambda: np.arange(4.0))),
    (dot_method, (f1, f1b)),
    (dot_int, (i1, i1)),
    (matmul_loop, (m34, m43)),
    (matmul_loop, (m34f, m43)),
    (zeros_1d, (4,)),
    (zeros_2d, (2, 3)),
    (ones_int32, (3,)),
    (ones_float32_pos, (3,)),
    (full_fn, (3,)),
    (full_int, (4,)),
    (arange_int, (5,)),
    (arange_start_stop_step, (14,)),
    (arange_float, (3,)),
    (arange_dtype, (4,)),
    (linspace_fn, (6,)),
    (empty_fill, (5,)),
    (empty_like_fill, (i32,)),
    (zeros_like_2d, (m34f,)),
    (zeros_3d, (2,)),
    (zeros_bool, (3,)),
    (identity_loop, (3,)),
    (np_eye, (3,)),
    (np_array_list, (1.5,)),
    (np_copy, (f1,)),
    (method_copy_2d, (m34f,)),
    (astype_int, (f1,)),
    (astype_f32, (i1,)),
    (reshape_2d, (lambda: np.arange(12.0),)),
    (reshape_tuple, (lambda: np.arange(12),)),
    (reshape_minus_one, (lambda: np.arange(12.0),)),
    (ravel_fn, (m34,)),
    (flatten_fn, (m34f,)),
    (transpose_attr, (m34,)),
    (transpose_fn, (m34,)),
    (transpose_method, (m34,)),
    (transpose_copy_sum, (m34,)),
    (shape_attrs, (m34,)),
    (shape_unpack, (m34f,)),
    (ndim3_shape, (cube,)),
    (slice_assign_shift, (lambda: np.zeros(10), lambda: np.arange(10.0))),
    (slice_assign_zero, (f1,)),
    (slice_assign_zero, (m34,)),
    (slice_assign_scalar_part, (f1,)),
    (reverse_slice, (f1,)),
    (step_slice_sum, (f1,)),
    (central_diff, (f1,)),
    (row_slice_2d, (m34,)),
    (col_slice_2d, (m34,)),
    (sub_block, (m34,)),
    (block_assign, (m34,)),
    (block_assign, (m34f,)),
    (row_assign_array, (m34, lambda: np.arange(4.0))),
    (col_assign_array, (m34, lambda: np.arange(3.0))),
    (stencil_1d, (f1,)),
    (stencil_2d, (lambda: np.arange(25.0).reshape(5, 5) ** 1.5,)),
    (view_write_through, (f1,)),
    (slice_var_bounds, (f1, 2, 8)),
    (slice_var_bounds, (f1, -4, 100)),
    (slice_negative_step_var, (f1, 5)),
    (rows_loop, (m34,)),
    (rows_loop_manual, (m34f,)),
    (loop_2d_index, (m34,)),
    (loop_3d, (cube,)),
    (loop_fortran, (m34f,)),
    (loop_strided, (strided,)),
    (loop_strided, (col_view,)),
    (inplace_scale, (f1, 3.0)),
    (inplace_augassign_array, (f1, f1b)),
    (inplace_mul_scalar, (m34,)),
    (enumerate_array, (f1,)),
    (zip_arrays, (f1, f1b)),
    (math_on_elements, (f1,)),
    (math_floor_elements, (f1,)),
    (histogram_loop, (f1b, 4)),
    (prefix_sum_loop, (f1,)),
    (bubble_sort_inplace, (f1b,)),
    (find_first, (i1, 3)),
    (find_first, (i1, 99)),
    (out_of_bounds, (f1,)),
    (out_of_bounds_2d, (m34,)),
    (index_bool_loop, (bools,)),
    (int32_accumulate, (i32,)),
    (float32_loop, (f32,)),
    (pairwise_distances, (m34,)),
    (dtype_follow, (i32,)),
    (dtype_follow, (f32,)),
    (cumsum_method, (i32,)),
    (cumsum_fn, (f1,)),
    (diff_fn, (f1b,)),
    (sort_fn, (f1b,)),
    (argsort_fn, (f1b,)),
    (sort_inplace_method, (f1b,)),
    (median_fn, (f1b,)),
    (mask_select, (f1,)),
    (mask_assign, (f1,)),
    (fancy_index, (f1, lambda: np.array([3, 0, -1, 2]))),
    (fancy_assign, (f1, lambda: np.array([1, 4]))),
    (nonzero_fn, (f1,)),
    (count_nonzero_fn, (i1,)),
    (concat_pair, (f1, f1b)),
    (vstack_pair, (f1, f1b)),
    (hstack_pair, (f1, f1b)),
    (return_two_arrays, (f1,)),
    (return_array_and_scalar, (m34,)),
    (tuple_of_arrays_arg, (f1, f1b)),
    (min_max_loop, (f1b,)),
    (outer_loop, (f1, i1)),
    (np_outer, (f1, f1b)),
    (allclose_fn, (f1, f1)),
    (array_equal_loop, (f1, f1)),
    (normalize, (f1b,)),
    (softmax, (f1,)),
    (cumulative_max_loop, (f1b,)),
    (reshape_bad, (lambda: np.arange(12.0),)),
    (reshape_fortran_copy, (m34f,)),
    (reshape_view_write, (lambda: np.arange(12.0),)),
    (arange_reshape, (3,)),
    (astype_fortran, (m34f,)),
    (astype_bool, (f1,)),
    (dot_mismatch, (m34, m34)),
    (dot_mismatch, (f1, i1)),
    (vecmat, (lambda: np.arange(3.0), m34)),
    (where_2d_broadcast, (m34, lambda: np.arange(4.0) * 10)),
    (isnan_int, (i1,)),
    (sum_axis_3d, (cube,)),
    (argmax_axis, (m43,)),
    (mean_axis0, (im34,)),
    (std_axis_neg, (m34f,)),
    (any_axis, (m34,)),
    (mask_2d, (m34,)),
    (mask_count_sum, (f1b,)),
    (fancy_rows, (m34, lambda: np.array([2, 0, -1]))),
    (fancy_out_of_bounds, (f1,)),
    (mask_wrong_shape, (f1, i1)),
    (concat_axis1, (m34, im34)),
    (vstack_2d, (m34, m34f)),
    (concat_mismatch, (m34, m43)),
    (sort_2d, (m43,)),
    (sort_fortran_inplace, (lambda: np.asfortranarray(np.cos(np.arange(12.0)).reshape(3, 4)),)),
    (argsort_int, (lambda: np.array([5, -2, 9, 0, 3, 8], dtype=np.int32),)),
    (median_even, (f1b,)),
    (median_even, (with_nan,)),
    (cumprod_fn, (i32,)),
    (count_nonzero_bool, (bools,)),
    (fill_method, (m34f,)),
    (identity_fn, (4,)),
    (outer_2d, (m34, i32)),
    (round_scalar, (2.675,)),
    (clip_int, (i1,)),
    (float64_of_array, (i32,)),
    (invert_mask, (f1,)),
    (inplace_broadcast, (m34, lambda: np.arange(4.0))),
    (inplace_on_view, (f1,)),
    (inplace_int_by_int, (i1,)),
    (dot_fortran, (m34f, lambda: np.arange(4.0))),
    (diff_int, (i32,)),
    (np_float32_scalar, (1.1,)),
    (dtype_astype_roundtrip, (f1b,)),
    (ravel_strided, (m34,)),
    (transpose_3d, (cube,)),
    (sum_then_divide_axis, (lambda: np.arange(1.0, 13.0).reshape(3, 4),)),
    (newaxis_broadcast, (f1,)),
    (linalg_norm, (f1,)),
    (argsort_2d, (m34,)),
    (where_one_arg, (f1,)),
    (axis_not_constant, (m34, 1)),
    (unique_fn, (i1,)),
    (searchsorted_fn, (f1, 0.3)),
    (float_inplace_into_int, (i1,)),
    (isclose_fn, (f1, f1)),
    (nonzero_2d, (m34,)),
    (flatnonzero_fn, (i1,)),
    (unique_floats, (lambda: np.array([2.0, np.nan, 1.0, np.nan, 2.0, -0.0]),)),
    (searchsorted_many, (lambda: np.sort(np.cos(np.arange(9.0))), f1)),
    (norm_matrix, (m34f,)),
    (ufunc_aliases, (f1, i1)),
    (ascontiguous, (lambda: np.arange(12.0).reshape(3, 4)[:, ::2],)),
    (builtin_dtypes, (i32,)),
    (mask_assign_2d, (m34f,)),
    (mask_assign_values, (f1, f1b)),
    (mask_assign_too_many, (f1,)),
    (nan_reductions, (with_nan,)),
    (nan_reductions, (i32,)),
    (trace_diag, (m34,)),
    (roll_fn, (f1,)),
    (roll_fn, (im34,)),
    (bincount_fn, (lambda: np.array([3, 0, 3, 1, 7]), lambda: np.linspace(0.5, 2.5, 5))),
    (array_equal_fn, (f1, f1b)),
    (stack_fn, (f1, f1b)),
    (stack_fn, (m34, im34)),
    (stack_mismatch, (f1, i1)),
    (interp_fn, (f1, lambda: np.array([-1.0, 0.0, 1.5, 2.0]), lambda: np.array([2.0, -1.0, 0.5, 4.0]))),
    (average_fn, (f1b, f1)),
    (average_fn, (i1, lambda: np.arange(11, dtype=np.int32))),
    (dot_self, (f1,)),
    (dot_self, (u8,)),
    (dot_self, (i32,)),
    (matmul_self, (sq3,)),
]

# not compiled yet: function name -> words its clear error must contain
NOT_YET = {
    "float_inplace_into_int": "same_kind",
}
CASES = [case for case in ALL_CASES if case[0].__name__ not in NOT_YET]
UNSUPPORTED = [(func, args, NOT_YET[func.__name__]) for func, args in ALL_CASES if func.__name__ in NOT_YET]
