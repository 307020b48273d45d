"""A second array corpus: axes known at run time, `axis=` of cumulative sums, sorts, `np.diff` and
`np.flip`, `axis=None`, and the complex functions (sign, round, clip, angle, sorts, searches,
median, the `nan*` reductions, the parts as views).

`CASES` lists (function, arguments) as `corpus_arrays.py` does; `tests/test_corpus_arrays2.py`
checks them against NumPy with `test_corpus_arrays.py`'s rules, exception messages included.
Inputs cover several dtypes, the C, Fortran and strided layouts and 1 to 3 dimensions; an axis
argument runs over every valid axis, negative ones, and one out of range on each side.
"""
from __future__ import annotations

import numpy as np

NAN, INF = float("nan"), float("inf")


# -- inputs (built fresh for every run) ------------------------------------------------------------
def f1():
    return np.array([3.0, -1.0, 2.5, -1.0, 0.0, 7.0, 2.5])


def f2():
    return np.array([[3.0, -1.0, 2.5, 0.5], [-2.0, 4.0, 2.5, -1.0], [1.0, 1.0, -3.0, 6.0]])


def f2f():
    return np.asfortranarray(f2())


def f2s():
    return np.arange(40.0).reshape(5, 8)[::2, ::-3] % 7 - 2.0


def f3():
    return (np.arange(24.0).reshape(2, 3, 4) * 7.0) % 11.0 - 4.0


def f3f():
    return np.asfortranarray(f3())


def f32_2():
    return (f2() * 1.25).astype(np.float32)


def i2():
    return np.array([[5, -2, 7, 0], [3, 3, -8, 1], [0, 4, 2, -6]], dtype=np.int64)


def i32_3():
    return ((np.arange(24, dtype=np.int32).reshape(2, 3, 4) * 5) % 9 - 3).astype(np.int32)


def u8_2():
    return np.array([[200, 3, 0], [7, 255, 13]], dtype=np.uint8)


def b2():
    return np.array([[True, False, True], [False, False, True]])


def nan2():
    return np.array([[1.0, NAN, -2.0], [NAN, NAN, NAN], [0.5, 3.0, INF]])


def c1():
    return np.array([1 + 2j, -3 + 0.5j, 0j, 2 - 1j, -3 - 2j, 1 + 2j, 0.5j])


def c1_64():
    return c1().astype(np.complex64)


def c2():
    return np.array([[1 + 2j, -3 + 0.5j, 0j, 2 - 1j], [1 - 1j, 1 + 1j, -2j, 4 + 0j],
                     [0.5 + 0.5j, -1 + 3j, 2 + 2j, 1 + 2j]])


def c2f():
    return np.asfortranarray(c2())


def c2s():
    return c2()[::2, ::-1]


def c3():
    return (np.arange(24.0).reshape(2, 3, 4) % 5 - 2) + 1j * (np.arange(24.0).reshape(2, 3, 4) % 3 - 1)


def cnan():
    """Complex items with NaN and infinite parts, in NumPy's sort groups."""
    return np.array([complex(1, NAN), 2 + 1j, complex(NAN, 0), complex(NAN, -1), -1 + 0j, complex(INF, 1),
                     complex(2, NAN), complex(NAN, NAN), 2 + 1j, complex(1, -INF), 0j])


def cnan2():
    return cnan()[:10].reshape(2, 5)


def cnan2_finite():
    """NaN parts but no infinite ones (NumPy 2.4 and 2.5 multiply infinite complex items differently)."""
    return np.array([[complex(1, NAN), 2 + 1j, complex(NAN, 0), -1 + 0j, 3 - 2j],
                     [complex(2, NAN), 0.5j, 2 + 1j, complex(NAN, NAN), 1 + 1j]])


def cedges():
    """Every pair of parts from 0, -0, ±1.5, ±inf, NaN."""
    values = [0.0, -0.0, 1.5, -1.5, INF, -INF, NAN]
    return np.array([complex(a, b) for a in values for b in values])


def empty2():
    return np.zeros((0, 3))


def axes_of(make, extra=()):
    """Cases of (make, k, *extra) for every axis k of `make()`'s array, negative ones and one out
    of range on each side."""
    ndim = make().ndim
    return [(make, k, *extra) for k in range(-ndim - 1, ndim + 1)]


# -- reductions along an axis known at run time ---------------------------------------------------
def reductions_axis(a, k):
    return (a.sum(axis=k), np.sum(a, k), a.prod(axis=k), a.min(axis=k), np.max(a, axis=k), a.mean(axis=k),
            a.argmin(axis=k), np.argmax(a, axis=k), np.any(a, axis=k), a.all(axis=k))


def reductions_outer_axes(a):
    """Constant outer axes of C arrays: reduced in memory order."""
    return (a.sum(axis=0), a.prod(axis=0), a.max(axis=0), a.min(axis=-2), np.mean(a, 0), a.all(axis=0),
            np.any(a, axis=0))


def stats_axis(a, k):
    return a.std(axis=k), np.var(a, axis=k), np.median(a, axis=k), np.count_nonzero(a, axis=k)


def nan_axis(a, k):
    return (np.nansum(a, axis=k), np.nanprod(a, k), np.nanmean(a, axis=k), np.nanmax(a, axis=k),
            np.nanmin(a, axis=k))


def cumulative_axis(a, k):
    return np.cumsum(a, axis=k), np.cumprod(a, k), a.cumsum(axis=k), a.cumprod(k)


def cumulative_outer(a):
    """Constant outer axes of C arrays: accumulated in memory order."""
    return np.cumsum(a, axis=0), np.cumprod(a, axis=0), a.cumsum(axis=-2)


def negative_zeros():
    return np.array([[-0.0, 0.0, -0.0], [-0.0, -0.0, 0.0], [NAN, -0.0, INF]])


def sorts_axis(a, k):
    return np.sort(a, axis=k), np.argsort(a, axis=k, kind="stable"), np.sort(a, k, "quicksort")


def sort_in_place_axis(a, k):
    a.sort(axis=k)
    return a.sum()


def diff_axis(a, k):
    return np.diff(a, 1, k), np.diff(a, n=2, axis=k)


def flip_axis(a, k):
    return np.flip(a, k)


def axis_in_loop(a):
    """The axis a loop variable: one compiled reduction serves every axis."""
    total = 0.0
    for k in range(a.ndim):
        total += a.sum(axis=k).max() + a.cumsum(axis=k)[0].sum()
    return total


def axis_caught(a, k):
    try:
        return a.sum(axis=k).sum()
    except ValueError:
        return -1.0


# -- constant axes and axis=None -------------------------------------------------------------------
def axis_constant(a):
    return (np.cumsum(a, axis=0), a.cumprod(axis=-1), np.sort(a, axis=0),
            np.argsort(a, axis=0, kind="stable"),
            np.diff(a, axis=0), np.diff(a, 2), np.median(a, axis=-1), np.count_nonzero(a, axis=0),
            np.nanmean(a, axis=0))


def constant_axis_out_of_range(a):
    return a.sum(axis=2)


def constant_axis_out_of_range_sort(a):
    return np.sort(a, axis=-3)


def constant_axis_out_of_range_cumsum(a):
    return np.cumsum(a, axis=1)


def sort_in_place_first(a):
    a.sort(axis=0)


def flat(a):
    return (np.sort(a, axis=None), np.argsort(a, axis=None, kind="stable"), np.concatenate((a, a), axis=None),
            np.cumsum(a, axis=None))


def concat_flat_mixed(a, b):
    return np.concatenate((a, b), axis=None)


def diff_orders(a, n):
    return np.diff(a, n)


def diff_bools(a):
    return np.diff(a), np.diff(a, axis=0)


def flips(a):
    return np.flip(a), np.flip(a, 0), np.flipud(a), np.fliplr(a), np.flip(a, axis=-1)


def flip_1d(a):
    return np.flip(a), np.flipud(a), np.flip(a)[::2]


def flip_writes(a):
    v = np.flipud(a)
    v[0] = -1.0
    w = np.flip(a)
    w[0] = 9.0
    return v.sum()


# -- complex arrays --------------------------------------------------------------------------------
def complex_elementwise(z):
    return (np.sign(z), np.round(z), np.round(z * 1.2345, 2), np.around(z * 123.45, -1),
            np.clip(z, -1.0, 2 + 1j),
            np.angle(z), np.real(z), np.imag(z), np.abs(z), np.conj(z))


def complex_elementwise_edges(z):
    """No multiplication: NumPy 2.4 and 2.5 multiply infinite complex items differently."""
    return (np.sign(z), np.round(z), np.around(z, 1), np.clip(z, -1.0, 2 + 1j), np.angle(z), np.abs(z),
            np.conj(z))


def complex_scalar_sign(z):
    return np.sign(z[1]), np.angle(z[1]), np.round(z[0] * 1.26, 1)


def real_angle(a):
    return np.angle(a)


def complex_sorted(z):
    s = np.sort(z)
    return s, np.argsort(z, kind="stable"), np.unique(z), np.searchsorted(s, z), np.searchsorted(s, 1 + 1j)


def complex_median(z):
    return np.median(z)


def complex_nan(z):
    return np.nansum(z), np.nanprod(z), np.nanmean(z), np.nanmax(z), np.nanmin(z)


def complex_cumulative(z):
    return np.cumsum(z), np.cumprod(z), np.diff(z)


def complex_sort_in_place(z):
    z.sort()


def complex_parts_write(z):
    z.real[:] = 5.0
    z.imag[1:] = z.real[:-1] * 2.0
    return z.real.sum(), z.imag.sum()


# (function, argument builders): each argument is a callable (fresh input) or a plain value
_REAL_AXES = [f2, f2f, f2s, f3, f3f, f32_2, i2, i32_3, u8_2]
_SOME_AXES = [f2f, f2s, f3, i32_3, u8_2]
CASES = [
    *((reductions_axis, case) for make in [*_REAL_AXES, b2, c2s, f1] for case in axes_of(make)),
    *((reductions_axis, case) for case in axes_of(nan2)),
    *((reductions_outer_axes, (make,)) for make in [nan2, f3, i32_3, u8_2, b2, c3, f2s]),
    *((cumulative_outer, (make,)) for make in [f3, i32_3, u8_2, b2, cnan2_finite, negative_zeros, c3]),
    *((stats_axis, case) for make in [f2, f3f, i32_3, f32_2, c2f, f1] for case in axes_of(make)),
    *((nan_axis, case) for make in [nan2, f3, i2, cnan2_finite, c3] for case in axes_of(make)),
    *((cumulative_axis, case) for make in [*_SOME_AXES, b2, c2, c3, f1] for case in axes_of(make)),
    *((sorts_axis, case) for make in [*_SOME_AXES, f32_2, b2, c2f, cnan2, nan2, f1]
      for case in axes_of(make)),
    *((sort_in_place_axis, case) for make in [f2f, f2s, f3f, c2s, f1] for case in axes_of(make)),
    *((diff_axis, case) for make in [f2s, f3f, u8_2, c2, f1] for case in axes_of(make)),
    *((flip_axis, case) for make in [f2, f3f, c2s, f1] for case in axes_of(make)),
    (reductions_axis, (empty2, 0)),
    (reductions_axis, (empty2, 1)),
    (cumulative_axis, (empty2, 1)),
    (sorts_axis, (empty2, 0)),
    (axis_in_loop, (f3,)),
    (axis_in_loop, (f2s,)),
    (axis_caught, (f2, 1)),
    (axis_caught, (f2, 2)),
    (axis_caught, (f2, -3)),
    *((axis_constant, (make,)) for make in [f2, f2f, f2s, f3, i32_3, f32_2, nan2, c2, c2s]),
    *((sort_in_place_first, (make,)) for make in [f2, f2f, f2s, i32_3, c2]),
    (constant_axis_out_of_range, (f2,)),
    (constant_axis_out_of_range, (f3,)),
    (constant_axis_out_of_range_sort, (f2s,)),
    (constant_axis_out_of_range_cumsum, (f1,)),
    *((flat, (make,)) for make in [f2, f2f, f2s, f3f, i32_3, b2, c2s, cnan2, f1]),
    (concat_flat_mixed, (f2, i32_3)),
    (concat_flat_mixed, (f1, f2f)),
    *((diff_orders, (f1, n)) for n in (0, 1, 3, 7, 9, -1)),
    (diff_orders, (f3, 2)),
    (diff_bools, (b2,)),
    *((flips, (make,)) for make in [f2, f2f, f2s, f3, i32_3, c2f]),
    (flip_1d, (f1,)),
    (flip_1d, (c1,)),
    (flip_writes, (f2,)),
    (flip_writes, (f3f,)),
    *((complex_elementwise, (make,)) for make in [c1, c1_64, c2f, c2s, c3, cnan2_finite]),
    (complex_elementwise_edges, (cedges,)),
    (complex_elementwise_edges, (lambda: cedges().astype(np.complex64),)),
    (complex_scalar_sign, (c1,)),
    (complex_scalar_sign, (c1_64,)),
    *((real_angle, (make,)) for make in [f1, f2s, i2, f32_2, b2]),
    *((complex_sorted, (make,)) for make in [c1, c1_64, cnan, cedges]),
    *((complex_median, (make,)) for make in [c1, c1_64, cnan, c2, lambda: c1()[:6], lambda: cnan()[1:2],
                                             lambda: np.array([1 + 1j, 2 + 0j, complex(3, NAN)])]),
    *((complex_nan, (make,)) for make in [c1, c1_64, cnan, cedges, c2s]),
    *((complex_cumulative, (make,)) for make in [c1, c1_64, cnan, c3]),
    *((complex_sort_in_place, (make,)) for make in [c1, cnan, c2f, c2s]),
    *((complex_parts_write, (make,)) for make in [c1, c1_64, lambda: c1()[::2]]),
]


# not compiled: (function, argument builders, words its clear error must contain)
def fliplr_1d(a):
    return np.fliplr(a)


def sort_kind_unknown(a):
    return np.sort(a, kind="fastest")


def sort_in_place_flat(a):
    a.sort(axis=None)


def axis_float(a, k):
    return a.sum(axis=k)


UNSUPPORTED = [
    (fliplr_1d, (f1,), "numpy.fliplr() of a array"),
    (sort_kind_unknown, (f1,), "constants of type str"),
    (sort_in_place_flat, (f2,), "axis=None"),
    (axis_float, (f2, 1.0), "axis must be an integer or None"),
]
