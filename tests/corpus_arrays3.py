"""A third array corpus: sorts of long arrays (the introsort kernels' partitions, not only their
insertion sort), `keepdims=` and tuple axes of reductions, and NumPy functions added after the
second corpus.

`CASES` lists (function, arguments) as `corpus_arrays.py` does; `tests/test_corpus_arrays3.py`
checks them against NumPy with `test_corpus_arrays.py`'s rules, exception messages included.
"""
from __future__ import annotations

import numpy as np

from corpus_arrays2 import f2, f2f, f2s, f3, f3f  # the same inputs: C, Fortran and strided

NAN, INF = float("nan"), float("inf")
_RNG_SEED = 7


def _rng():
    return np.random.default_rng(_RNG_SEED)


# -- inputs (built fresh for every run) ------------------------------------------------------------
def long_f64():
    return _rng().random(1000) * 100.0 - 50.0


def long_nan():
    a = long_f64()
    a[::7] = NAN
    a[3::11] = INF
    a[5::13] = -INF
    return a


def long_i64():
    return _rng().integers(-1 << 40, 1 << 40, 777)


def long_i8_ties():
    return _rng().integers(-3, 3, 500).astype(np.int8)


def long_u16():
    return _rng().integers(0, 65535, 300).astype(np.uint16)


def long_f32():
    return (_rng().random(401) * 10.0).astype(np.float32)


def long_bool():
    return _rng().random(300) < 0.4


def long_c128():
    r = _rng()
    z = r.integers(-2, 3, 300) + 1j * r.integers(-2, 3, 300)
    z[::17] = complex(NAN, 1.0)
    return z


def organ_pipe():
    return np.concatenate([np.arange(300.0), np.arange(300.0)[::-1]])


def saw_teeth():
    return np.arange(2000) % 37


def sorted_long():
    return np.arange(1500.0)


def reversed_long():
    return np.arange(1500, 0, -1)


def all_equal():
    return np.full(900, 2.5)


def rows_f64():
    return _rng().random((40, 60)) - 0.5


def rows_f():
    return np.asfortranarray(_rng().integers(-9, 9, (50, 30)))


def rows_strided():
    return (_rng().random((90, 80)) * 5.0)[::3, ::2]


def cube_i32():
    return _rng().integers(-5, 5, (4, 30, 25)).astype(np.int32)


def axes_of(make, extra=()):
    ndim = make().ndim
    return [(make, k, *extra) for k in range(-ndim, ndim)]


# -- sorts of long arrays --------------------------------------------------------------------------
def sorts(a):
    return np.sort(a), np.argsort(a, kind="stable"), np.sort(a, kind="mergesort"), np.sort(a, kind="heapsort")


def sorts_along(a, k):
    return np.sort(a, axis=k), np.argsort(a, axis=k, kind="stable")


def sort_in_place(a):
    a.sort()


def sort_in_place_along(a, k):
    a.sort(axis=k)


def sort_stats(a):
    return np.median(a), np.unique(a), np.searchsorted(np.sort(a), a[:20])


# -- keepdims=, tuple axes, ddof= -------------------------------------------------------------------
def f32_3():
    return f3().astype(np.float32)


def i32_3():
    return ((np.arange(24, dtype=np.int32).reshape(2, 3, 4) * 5) % 9 - 3).astype(np.int32)


def u8_2():
    return np.array([[200, 3, 0], [7, 255, 13]], dtype=np.uint8)


def b3():
    return f3() > 0.0


def nan3():
    a = f3()
    a[0, 1, :] = NAN
    a[1, 2, 3] = NAN
    return a


def c2():
    return np.array([[1 + 2j, -3 + 0.5j, 0j], [2 - 1j, 1 - 1j, 4 + 0j]])


def f1():
    return np.array([3.0, -1.0, 2.5, -1.0, 0.0, 7.0, 2.5])


def empty2():
    return np.zeros((0, 3))


def keepdims_axis(a, k):
    return (a.sum(axis=k, keepdims=True), np.prod(a, axis=k, keepdims=True), a.min(k, keepdims=True),
            np.max(a, axis=k, keepdims=True), np.mean(a, k, keepdims=True), a.any(axis=k, keepdims=True),
            np.all(a, axis=k, keepdims=True), a.argmax(axis=k, keepdims=True), np.argmin(a, k, keepdims=True),
            np.count_nonzero(a, axis=k, keepdims=True))


def keepdims_stats(a, k):
    return np.std(a, axis=k, keepdims=True), a.var(axis=k, keepdims=True), np.median(a, axis=k, keepdims=True)


def keepdims_all(a):
    return (a.sum(keepdims=True), np.mean(a, keepdims=True), a.max(keepdims=True), np.any(a, keepdims=True),
            np.sum(a, axis=None, keepdims=True), a.std(keepdims=True), np.median(a, keepdims=True),
            np.sum(a, keepdims=False))


def keepdims_false(a):
    return a.sum(axis=0, keepdims=False), np.mean(a, 0, keepdims=False)


def keepdims_nan(a, k):
    return (np.nansum(a, axis=k, keepdims=True), np.nanmax(a, axis=k, keepdims=True),
            np.nanmean(a, axis=k, keepdims=True), np.nanmin(a, keepdims=True))


def keepdims_broadcast(a):
    """The common use: normalising by a reduction that broadcasts back."""
    return a - a.mean(axis=-1, keepdims=True), a / np.abs(a).max(axis=0, keepdims=True)


def tuple_axes(a):
    return (a.sum(axis=(0, 2)), np.sum(a, axis=(1, 2)), a.max(axis=(0, 1)), np.min(a, axis=(-1, 0)),
            np.mean(a, axis=(0, 2)), a.prod(axis=(0, 2)), np.any(a, axis=(1, 2)), a.all(axis=(0, 1)),
            np.count_nonzero(a, axis=(0, 2)), a.sum(axis=(0, 1, 2)), np.mean(a, axis=(2, 0), keepdims=True),
            a.sum(axis=(1,), keepdims=True))


def tuple_axes_2d(a):
    return a.sum(axis=(0, 1)), np.max(a, axis=(1, 0), keepdims=True), a.mean(axis=(0,)), a.sum(axis=())


def tuple_axes_nan(a):
    return np.nansum(a, axis=(0, 2)), np.nanmax(a, axis=(1, 2)), np.nanmin(a, axis=(0, 1), keepdims=True)


def tuple_axis_out_of_range(a):
    return a.sum(axis=(0, 3))


def tuple_axis_negative_out_of_range(a):
    return np.max(a, axis=(-4, 1))


def tuple_axis_repeated(a):
    return a.sum(axis=(1, -2))


def ddof(a):
    return (np.var(a, ddof=1), a.std(ddof=1), np.std(a, axis=0, ddof=1), a.var(axis=-1, ddof=2),
            np.var(a, ddof=0.5), np.std(a, axis=0, ddof=1, keepdims=True))


def ddof_run_time(a, d, k):
    return np.var(a, ddof=d), a.std(axis=k, ddof=d)


# -- functions compiled from jitlab/lib/arrays.py ---------------------------------------------------
def i1():
    return np.array([3, 1, 4, 1, 5, 9, 2, 6])


def c1():
    return np.array([1 + 2j, -3 + 0.5j, 0j, 2 - 1j])


def nan1():
    return np.array([1.0, NAN, 3.0, -2.0, NAN, 0.5])


def triangles(a, k):
    return np.tril(a), np.triu(a), np.tril(a, k), np.triu(a, k=k)


def tri(n, m, k):
    return np.tri(n), np.tri(n, m), np.tri(n, m, k), np.tri(n, k=k)


def vander(x, n):
    return np.vander(x), np.vander(x, n), np.vander(x, n, increasing=True)


def spaces(n):
    return (np.logspace(0, 2, n), np.logspace(0.0, 1.0, n, endpoint=False), np.geomspace(1, 1000, n),
            np.logspace(1, 2, n, base=2.0), np.geomspace(-1.0, -16.0, n))


def fill_diagonal(a, v):
    np.fill_diagonal(a, v)


def fill_diagonal_wrap(a):
    np.fill_diagonal(a, 7, wrap=True)


def gather(a):
    return np.take(a, np.array([0, 2, -1])), np.take(a, 1), np.repeat(a, 2), np.append(a, a), np.ediff1d(a)


def gather_out_of_range(a):
    return np.take(a, np.array([0, 99]))


def repeat_each(a):
    return np.repeat(a[:3], np.array([1, 0, 2]))


def repeat_negative(a):
    return np.repeat(a, -1)


def tile(a, n):
    return np.tile(a, n)


def append_number(a):
    return np.append(a, 1.0), np.append(a, 7)


def where_true(a):
    return np.argwhere(a), np.extract(a > 0, a), np.compress((a > 0).ravel(), a)


def convolutions(a, v):
    return (np.convolve(a, v), np.convolve(a, v, "same"), np.convolve(a, v, mode="valid"), np.correlate(a, v),
            np.correlate(a, v, "full"), np.correlate(a, v, "same"))


def convolve_empty(a):
    return np.convolve(a, a[:0])


def polyval(p, x):
    return np.polyval(p, x), np.polyval(p, 2.5)


def trapezoid(y, x):
    return np.trapezoid(y), np.trapezoid(y, dx=0.5), np.trapezoid(y, x)


def digitize(x, bins):
    return np.digitize(x, bins), np.digitize(x, bins, right=True), np.digitize(1.0, bins)


def histogram(a, n):
    return np.histogram(a), np.histogram(a, n), np.histogram(a, bins=n)


def membership(a, b):
    return (np.isin(a, b), np.isin(a, b, invert=True), np.union1d(a, b), np.intersect1d(a, b),
            np.setdiff1d(a, b))


def ptp(a):
    return np.ptp(a), np.ptp(a, axis=0), np.ptp(a, -1)


def quantiles(a, q):
    return (np.percentile(a, q * 100.0), np.quantile(a, q), np.percentile(a, np.array([0.0, 10.0, 100.0])),
            np.quantile(a, np.array([0.25, 0.75])), np.median(a))


def quantile_out_of_range(a):
    return np.quantile(a, 1.5)


def percentile_out_of_range(a):
    return np.percentile(a, -1.0)


def nan_statistics(a):
    return (np.nanstd(a), np.nanvar(a), np.nanvar(a, ddof=1), np.nanargmin(a), np.nanargmax(a),
            np.nanmedian(a),
            np.nanpercentile(a, 40.0), np.nanquantile(a, 0.9))


def all_nan_argmin(a):
    return np.nanargmin(a * NAN)


def covariance(a):
    return np.cov(a), np.corrcoef(a), np.cov(a, ddof=0), np.cov(a[0], a[1]), np.corrcoef(a[0], a[-1])


def products(a, b):
    return np.inner(a, b), np.vdot(a, b)


# -- more ufuncs, np.matmul, views that rearrange axes ----------------------------------------------
def edges():
    return np.array([3.0, -1.0, 2.5, -0.0, 0.0, 7.0, NAN, INF, -INF, 1e-300])


def logical(a, b):
    return (np.logical_and(a > 0, b < 3), np.logical_or(a, b), np.logical_xor(a > 0, b > 0),
            np.logical_and(a, 1.0), np.logical_or(0, b))


def float_ufuncs(a, b):
    return (np.fmax(a, b), np.fmin(a, b), np.copysign(a, b), np.fmod(a, 2.5), np.nextafter(a, b),
            np.logaddexp(a, b), np.logaddexp2(a, 1.0), np.heaviside(a, 0.5), np.deg2rad(a), np.rad2deg(a),
            np.degrees(a), np.radians(b), np.cbrt(a), np.reciprocal(a), np.positive(b))


def int_ufuncs(a, b):
    return (np.fmax(a, b), np.fmin(a, 3), np.fmod(a, b), np.deg2rad(a), np.cbrt(a), np.positive(a),
            np.floor(a), np.ceil(b), np.trunc(a), np.rint(a))


def scalar_ufuncs(x, y):
    return (np.logical_and(x, y), np.fmax(x, y), np.copysign(x, y), np.logaddexp(x, y), np.fmod(x, y),
            np.cbrt(x))


def matmul(a, b):
    return np.matmul(a, b), a @ b


def transposes(a):
    return (np.transpose(a, (1, 0, 2)), a.transpose(2, 0, 1), a.transpose((0, 2, 1)),
            np.transpose(a, (-1, 0, 1)),
            np.swapaxes(a, 0, 2), a.swapaxes(1, -1), np.moveaxis(a, 0, -1), np.moveaxis(a, -1, 0),
            np.moveaxis(a, (0, 1), (2, 0)))


def transposes_2d(a):
    return (np.transpose(a, (1, 0)), a.transpose(0, 1), np.swapaxes(a, 0, 1), a.swapaxes(1, 1),
            np.moveaxis(a, 1, 0))


def new_axes(a):
    return (np.expand_dims(a, 0), np.expand_dims(a, axis=-1), np.expand_dims(a, (0, 2)), np.atleast_1d(a),
            np.atleast_2d(a), np.atleast_3d(a))


def squeezes(a):
    return np.squeeze(a, 1), a.squeeze(axis=1), np.squeeze(a, axis=(1,)), np.expand_dims(a, 0).squeeze(0)


def view_writes(a):
    v = np.swapaxes(a, 0, 1)
    v[0, 1] = -7.0
    w = np.expand_dims(a, 0)
    w[0, 1, 0] = 9.0
    return a.sum(), v.sum(), np.moveaxis(a, 0, 1).copy()


def view_sums(a):
    """Views into reductions and elementwise work (their strides, not their layout)."""
    t = np.transpose(a, (2, 0, 1))
    return t.sum(axis=0), (t * 2.0).sum(), np.swapaxes(a, 0, 1) + 1.0, np.expand_dims(a[0], 1).max(axis=0)


def transpose_bad_axes(a):
    return np.transpose(a, (0, 1))


def transpose_repeated(a):
    return np.transpose(a, (0, 0, 1))


def swapaxes_out_of_range(a):
    return np.swapaxes(a, 0, 3)


def squeeze_not_one(a):
    return np.squeeze(a, 0)


def expand_out_of_range(a):
    return np.expand_dims(a, 4)


def moveaxis_errors(a, which):
    if which == 0:
        return np.moveaxis(a, 3, 0)
    if which == 1:
        return np.moveaxis(a, 0, -4)
    if which == 2:
        return np.moveaxis(a, (0, 0), (1, 2))
    return np.moveaxis(a, (0, 1), (2,))


def squeeze_errors(a, which):
    if which == 0:
        return np.squeeze(a, 2)
    return np.squeeze(a, (0, 0))


# -- integer arrays inside tuple indices, stores through index arrays --------------------------------
def fancy_reads(a):
    rows, cols = np.array([0, 2]), np.array([1, -1])
    return (a[:, cols], a[rows, cols], a[rows, 1:], a[1, cols], a[np.array([2]), np.array([0, 1, 3])],
            a[None, :, cols], a[rows[::-1], ::2], a[rows, 0])


def fancy_reads_3d(a):
    return (a[:, np.array([0, 2]), :], a[1, :, np.array([3, 0])], a[np.array([1, 0]), np.array([2, 1]), 1:],
            a[np.array([0, 1]), :, np.array([1, 2])], a[:, 1, np.array([0, 3, 2])])


def fancy_stores(a):
    a[:, np.array([1, 3])] = -1.0
    a[np.array([0, 2]), np.array([0, 0])] = np.array([7.0, 8.0])
    a[np.array([1])] = 5
    a[np.array([0, 0]), 1:] = np.array([1.5, 2.5, 3.5])


def fancy_row_copy(a):
    b = a[0].copy()
    b[np.array([0, 2])] = np.array([10.0, 20.0])
    a[np.array([0, 2])] = a[np.array([1, 1])]
    return b


def fancy_out_of_range(a, i):
    return a[np.array([0, i]), np.array([0, 1])]


def fancy_mismatch(a):
    return a[np.array([0, 1]), np.array([0, 1, 2])]


def fancy_store_mismatch(a):
    a[np.array([0, 1]), np.array([0, 1])] = np.array([1.0, 2.0, 3.0])


# -- a list display of arrays passed to np.concatenate and the stacking functions --------------------
def joins_of_lists(a, b):
    return (np.concatenate([a, b]), np.concatenate([a, b, a], axis=-1), np.vstack([a, b]), np.hstack([a, b]),
            np.stack([a, b]), np.stack([b, a], axis=-1), np.column_stack([a, b]),
            np.concatenate([a, b], axis=None))


def join_mismatch(a, b):
    return np.stack([a, b])


# -- attributes, a.item(), np.eye/identity with M, k, dtype, np.asfortranarray ------------------------
def attributes(a):
    return a.itemsize, a.nbytes, a.strides, a.item(1), a.item(-1), a.T.item(1), a.ravel()[:1].item()


def item_at(a):
    return a.item(1, 2), a.item((0, -1)), a[0].item(2)


def item_errors(a, k):
    if k == 0:
        return a.item(a.size)
    if k == 1:
        return a.item()
    return a.item(0, 9)


def eyes(n, m, k):
    return (np.eye(n, m), np.eye(n, k=k), np.eye(n, m, k, np.int32), np.identity(n, dtype=np.float32),
            np.eye(n, dtype=np.bool_), np.eye(N=n, M=m, k=k, dtype=np.complex128))


def fortran(a):
    f = np.asfortranarray(a)
    return f, f.strides, np.asfortranarray(a[0]).strides, np.asfortranarray(a.T).strides


def function_methods(a):
    return (a.clip(0.0, 2.0), a.take(np.array([1, 0, -1])), a.repeat(2), a.nonzero(),
            np.sort(a.ravel()).searchsorted(1.5), a.round(), (a * 1.2345).round(2))


def linspaces(n, e):
    return (np.linspace(0.0, 1.0, n, endpoint=False), np.linspace(2, 3, n, e),
            np.linspace(-1.0, 5.0, num=n, endpoint=e))


def diagonals(a, k):
    return np.diag(a, k), np.diag(a, -k), np.diag(a, 0)


def rolls(a, k):
    return np.roll(a, 2, 0), np.roll(a, -1, axis=-1), np.roll(a, 7, axis=k), np.roll(a, k, 1)


def roll_bad_axis(a):
    return np.roll(a, 1, 2)


def search_sides(s, v):
    return (np.searchsorted(s, v, side="right"), np.searchsorted(s, v, "left"),
            np.searchsorted(s, 2.5, "right"), np.searchsorted(s, v, side="left"))


def nested_displays(x):
    return (np.array([[1.0, x], [3.0, 4.0]]), np.array([[1, 2], [3, 4]], dtype=np.float32),
            np.array([1, 2, 3], dtype=np.int8),
            np.array([[[1.0], [x]], [[3.0], [4.0]]]), np.asarray([[1, 2]]), np.array(((x, 2), (3, 4))),
            np.array([[True, False]]), np.array([[1 + 2j, x]]), np.array([1.0, x]),
            np.array([(1, 2), (3, 4)]), np.array([(x, 2.0), (3.0, x)]))


def float_helpers(a):
    return np.sinc(a), np.sinc(0.5), np.sinc(0), np.fix(a), np.isposinf(a), np.isneginf(a), np.nan_to_num(a)


def insert_delete(a):
    return (np.delete(a, 2), np.insert(a, 1, 5), np.delete(a, -1), np.insert(a, a.size, 1.5),
            np.insert(a, -2, 0))


def delete_out_of_range(a):
    return np.delete(a, a.size)


_KEEP = [f2, f2f, f2s, f3, f3f, f32_3, i32_3, u8_2, b3]
_LONG = [long_f64, long_nan, long_i64, long_i8_ties, long_u16, long_f32, long_bool, long_c128, organ_pipe,
         saw_teeth, sorted_long, reversed_long, all_equal]
CASES = [
    *((sorts, (make,)) for make in _LONG),
    *((sort_in_place, (make,)) for make in _LONG),
    *((sort_stats, (make,)) for make in [long_f64, long_nan, long_i64, long_i8_ties, saw_teeth]),
    *((sorts_along, case) for make in [rows_f64, rows_f, rows_strided, cube_i32] for case in axes_of(make)),
    *((sort_in_place_along, case) for make in [rows_f64, rows_f, rows_strided, cube_i32]
      for case in axes_of(make)),
    *((keepdims_axis, case) for make in [*_KEEP, f1] for case in axes_of(make)),
    *((keepdims_axis, (make, k)) for make in [f2, f3] for k in (-4, 3)),  # out of range: AxisError
    *((keepdims_stats, case) for make in [f2, f3f, i32_3, f32_3, f2s] for case in axes_of(make)),
    *((keepdims_all, (make,)) for make in [f1, f2, f3f, f2s, i32_3, f32_3]),
    (keepdims_false, (f2,)),
    *((keepdims_nan, case) for make in [nan3, f2] for case in axes_of(make)),
    *((keepdims_broadcast, (make,)) for make in [f2, f2f, f2s, f3, f32_3]),
    *((tuple_axes, (make,)) for make in [f3, f3f, i32_3, b3, f32_3, nan3]),
    *((tuple_axes_2d, (make,)) for make in [f2, f2f, f2s, u8_2, c2]),
    *((tuple_axes_nan, (make,)) for make in [nan3, f3]),
    (tuple_axis_out_of_range, (f3,)),
    (tuple_axis_negative_out_of_range, (f3,)),
    (tuple_axis_repeated, (f3,)),
    *((ddof, (make,)) for make in [f2, f2f, f2s, i32_3, f32_3]),
    *((ddof_run_time, (make, d, k)) for make in [f2, f3] for d in (0, 1, 2, 3) for k in (0, 1)),
    *((triangles, (make, k)) for make in [f2, f2f, f2s, i32_3, c2, b3, f1, i1] for k in (-2, -1, 1, 3)
      if make().ndim <= 2),
    *((tri, (n, m, k)) for n, m, k in [(3, 4, 0), (4, 2, -1), (1, 1, 2), (0, 3, 0)]),
    *((vander, (make, n)) for make in [f1, i1, c1] for n in (1, 3)),
    *((spaces, (n,)) for n in (1, 2, 5)),
    *((fill_diagonal, (make, 2)) for make in [f2, f2f, f2s, lambda: np.zeros((5, 3)), u8_2]),
    *((fill_diagonal_wrap, (make,)) for make in [lambda: np.zeros((7, 3)), f2]),
    *((gather, (make,)) for make in [f1, i1, c1, f2, f2s]),
    (gather_out_of_range, (f1,)),
    *((repeat_each, (make,)) for make in [f1, i1]),
    (repeat_negative, (f1,)),
    *((tile, (make, n)) for make in [f1, f2, f2s, c1] for n in (0, 1, 3)),
    *((append_number, (make,)) for make in [f1, i1, f2s]),
    *((where_true, (make,)) for make in [f1, f2, f2s, i1]),
    *((convolutions, (a, v)) for a, v in [(f1, lambda: np.array([1.0, -2.0, 0.5])), (i1, f1), (f1, i1),
                                          (c1, f1), (lambda: f1()[::2], lambda: np.array([2, 3]))]),
    (convolve_empty, (f1,)),
    *((polyval, (p, x)) for p, x in [(f1, 2.0), (i1, lambda: np.array([1, -2, 3])), (f1, f2s), (c1, f1)]),
    *((trapezoid, (y, x)) for y, x in [(f1, lambda: np.arange(7.0) ** 2), (i1, lambda: np.arange(8))]),
    *((digitize, (x, bins)) for x, bins in [(f1, lambda: np.array([-1.0, 0.0, 2.5, 5.0])),
                                            (f2, lambda: np.array([5.0, 2.5, 0.0, -1.0])),
                                            (nan1, lambda: np.array([0.0, 1.0])),
                                            (i1, lambda: np.array([2, 4]))]),
    *((histogram, (make, n)) for make in [f1, i1, f2s, lambda: np.full(4, 2.0), lambda: np.zeros(0)]
      for n in (1, 3)),
    *((membership, (a, b)) for a, b in [(f1, lambda: np.array([2.5, 7.0, 9.0])),
                                        (i1, lambda: np.array([1, 9])),
                                        (f2, f1), (i1, f1)]),
    *((ptp, (make,)) for make in [f2, f2f, f2s, i32_3, f3]),
    *((quantiles, (make, q)) for make in [f1, i1, f2, f2s, nan1] for q in (0.0, 0.3, 0.5, 1.0)),
    (quantile_out_of_range, (f1,)),
    (percentile_out_of_range, (f1,)),
    *((nan_statistics, (make,)) for make in [nan1, f1, f2s]),
    (all_nan_argmin, (f1,)),
    *((covariance, (make,)) for make in [f2, f2f, f2s, i32_3().reshape(6, 4).copy]),
    *((products, (a, b)) for a, b in [(f1, f1), (i1, lambda: i1()[::-1].copy()), (c1, c1)]),
    *((logical, (a, b)) for a, b in [(edges, lambda: edges()[::-1].copy()), (f2, f2f), (i32_3, b3),
                                     (f2s, 2)]),
    *((float_ufuncs, (a, b)) for a, b in [(edges, lambda: edges()[::-1].copy()), (f2, f2f), (f32_3, -1.5),
                                          (f2s, lambda: f2s()[::-1].copy())]),
    *((int_ufuncs, (a, b)) for a, b in [(i1, lambda: np.array([2, -3, 4, 5, -7, 1, 1, 3])),
                                        (i32_3, lambda: i32_3() + 5)]),
    *((scalar_ufuncs, (x, y)) for x, y in [(2.5, -1.5), (0.0, NAN), (-8.0, 3.0), (7, -2)]),
    *((matmul, (a, b)) for a, b in [(f2, lambda: f2().T.copy()), (f1, f1), (i1, lambda: np.ones((8, 2))),
                                    (f2s, lambda: np.arange(3.0))]),
    *((transposes, (make,)) for make in [f3, f3f, i32_3, b3, lambda: f3()[:, ::2, ::-1]]),
    *((transposes_2d, (make,)) for make in [f2, f2f, f2s, c2]),
    *((new_axes, (make,)) for make in [f1, f2, f2f, f2s, c1]),
    *((squeezes, (make,)) for make in [lambda: np.ones((3, 1, 4)), lambda: f2()[:, 1:2],
                                       lambda: f2f()[:, :1]]),
    *((view_writes, (make,)) for make in [f2, f2f, f2s]),
    *((view_sums, (make,)) for make in [f3, f3f, i32_3]),
    (transpose_bad_axes, (f3,)),
    (transpose_repeated, (f3,)),
    (swapaxes_out_of_range, (f3,)),
    (squeeze_not_one, (f2,)),
    (expand_out_of_range, (f2,)),
    *((moveaxis_errors, (f3, k)) for k in range(4)),
    *((squeeze_errors, (lambda: np.ones((1, 2)), k)) for k in range(2)),
    *((fancy_reads, (make,)) for make in [f2, f2f, f2s, lambda: c2()[:, ::-1], u8_2, lambda: b3()[0]]),
    *((fancy_reads_3d, (make,)) for make in [f3, f3f, i32_3]),
    *((fancy_stores, (make,)) for make in [f2, f2f, f2s, lambda: i32_3()[0]]),
    *((fancy_row_copy, (make,)) for make in [f2, f2f, f2s]),
    *((fancy_out_of_range, (f2, i)) for i in (2, -3, 3, -4)),
    (fancy_mismatch, (f2,)),
    (fancy_store_mismatch, (f2,)),
    *((joins_of_lists, (a, b)) for a, b in [(f1, lambda: f1()[::-1].copy()), (f2, f2f),
                                            (f2s, lambda: f2s() * 2), (i32_3, lambda: i32_3()[::-1])]),
    (join_mismatch, (f1, lambda: f1()[:3])),
    *((attributes, (make,)) for make in [f2, f2f, f2s, f3, i32_3, u8_2, b3, c2, f32_3]),
    *((item_at, (make,)) for make in [f2, f2f, f2s, u8_2, c2]),
    *((item_errors, (f2, k)) for k in range(3)),
    *((eyes, (n, m, k)) for n, m, k in [(3, 4, 1), (4, 2, -1), (1, 1, 0), (0, 2, 0), (3, 3, 5)]),
    *((fortran, (make,)) for make in [f2, f2f, f2s, f3, i32_3]),
    *((float_helpers, (make,)) for make in [edges, f2s, f32_3, i1]),
    *((diagonals, (make, k)) for make in [f1, f2, f2f, f2s, i1] for k in (0, 1, 2, 9)),
    *((rolls, (make, k)) for make in [f2, f2f, f2s, f3, i32_3] for k in (0, 1, -1, 5)),
    (roll_bad_axis, (f2,)),
    *((nested_displays, (x,)) for x in (2.0, -1.5, NAN)),
    *((search_sides, (s, v)) for s, v in [(lambda: np.sort(f1()), f1), (lambda: np.sort(i1()), i1),
                                          (lambda: np.array([1.0, 2.5, 2.5, NAN]), edges)]),
    *((linspaces, (n, e)) for n in (0, 1, 2, 7) for e in (True, False)),
    *((function_methods, (make,)) for make in [f1, f2, f2s, i32_3, f32_3]),
    *((insert_delete, (make,)) for make in [f1, i1, f2s, c1, lambda: b3()[0]]),
    (delete_out_of_range, (f1,)),
    (keepdims_axis, (empty2, 1)),
    (keepdims_all, (empty2,)),
]

# not compiled: (function, argument builders, words its clear error must contain)
def keepdims_run_time(a, keep):
    return a.sum(axis=0, keepdims=keep)


def tuple_axis_median(a):
    return np.median(a, axis=(0, 1))


def sum_out(a):
    return a.sum(axis=0, out=a[0])


def histogram_range(a):
    return np.histogram(a, 4, (0.0, 4.0))


def take_axis(a):
    return np.take(a, np.array([0]), axis=0)


def cov_single_vector(a):
    return np.cov(a)


def convolve_mode(a):
    return np.convolve(a, a, "middle")


def squeeze_everything(a):
    return np.squeeze(a)


def transpose_run_time(a, k):
    return np.transpose(a, (k, 0))


def fancy_mask_in_tuple(a):
    return a[:, a[0] > 0]


def search_side_unknown(a):
    return np.searchsorted(a, 1.0, side="middle")


def ragged_display(x):
    return np.array([[1.0, x], [2.0]])


UNSUPPORTED = [
    (ragged_display, (1.0,), "an inhomogeneous shape"),
    (search_side_unknown, (f1,), "side must be one of 'left', 'right'"),
    (fancy_mask_in_tuple, (f2,), "a boolean array inside a tuple index"),
    (squeeze_everything, (f2,), "squeeze() without an axis is not supported"),
    (transpose_run_time, (f2, 1), "needs its axes as constants"),
    (histogram_range, (f1,), "histogram() takes 2 positional arguments"),
    (take_axis, (f2,), "axis=0 is not supported"),
    (cov_single_vector, (f1,), "two 1-d arrays are supported"),
    (convolve_mode, (f1,), "mode must be 'full', 'same' or 'valid'"),
    (keepdims_run_time, (f2, True), "keepdims must be True or False, given as a constant"),
    (tuple_axis_median, (f3,), "median() with a tuple axis is not supported"),
    (sum_out, (f2,), "sum() with these arguments is not supported"),
]
