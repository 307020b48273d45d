"""A third array corpus: sorts of long arrays (the introsort kernels' partitions, not only their
insertion sort), `keepdims=` and tuple axes of reductions, and NumPy functions added after the
second corpus.

`CASES` lists (function, arguments) as `corpus_arrays.py` does; `tests/test_corpus_arrays3.py`
checks them against NumPy with `test_corpus_arrays.py`'s rules, exception messages included.
"""
from __future__ import annotations

import numpy as np

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


_LONG = [long_f64, long_nan, long_i64, long_i8_ties, long_u16, long_f32, long_bool, long_c128, organ_pipe,
         saw_teeth, sorted_long, reversed_long, all_equal]
CASES = [
    *((sorts, (make,)) for make in _LONG),
    *((sort_in_place, (make,)) for make in _LONG),
    *((sort_stats, (make,)) for make in [long_f64, long_nan, long_i64, long_i8_ties, saw_teeth]),
    *((sorts_along, case) for make in [rows_f64, rows_f, rows_strided, cube_i32] for case in axes_of(make)),
    *((sort_in_place_along, case) for make in [rows_f64, rows_f, rows_strided, cube_i32]
      for case in axes_of(make)),
]

UNSUPPORTED = []
