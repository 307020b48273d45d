"""Facts about array arguments that the lowering hands LLVM (`FunctionLowerer.array_argument`).

Each extent of an array argument is loaded on its own with `!range` (never negative; times the
item size it fits an i64, as NumPy and jitlab's own allocations ensure) and `!noundef`, so LLVM
folds the user's `0 <= k < len(a)` into one unsigned compare and a `range(len(a))` trip count
needs no `max(n, 0)`; a contiguous array's bytes are `dereferenceable` from its data pointer and a
loop that may leave early computes its leading test in its latch (`lower_theta.py`), so a search
loop is vectorized.  The results must stay CPython's: every position, NaN, views, exceptions.
"""
import numpy as np
import pytest

import jitlab


def bins(data, counts):
    """A histogram's guarded increment: `0 <= k < nbins`."""
    nbins = len(counts)
    for i in range(len(data)):
        k = int(data[i])
        if 0 <= k < nbins:
            counts[k] += 1
    return counts.sum()


def column_total(a):
    total = 0.0
    for i in range(a.shape[0]):
        for j in range(a.shape[1]):
            if 0 <= j - 1 < a.shape[1]:
                total += a[i, j - 1]
    return total


def test_extents_carry_a_non_negative_range():
    text = jitlab.stages(jitlab.jit(bins), np.zeros(3), np.zeros(4, np.int64))["llvm"]
    assert "!range" in text and "!noundef" in text


def test_a_guarded_index_is_one_unsigned_compare():
    text = jitlab.stages(jitlab.jit(bins), np.zeros(3), np.zeros(4, np.int64))["llvm-opt"]
    assert "icmp ult" in text
    assert "icmp sgt i64" not in text and "llvm.smax" not in text


@pytest.mark.parametrize("nbins", [0, 1, 5])
def test_guarded_increments_match_python(nbins):
    data = np.array([-2.0, -1.0, -0.5, 0.0, 0.5, 1.0, 4.0, 5.0, 6.0, 1e6, -1e6, 3.0])
    got, want = np.zeros(nbins, np.int64), np.zeros(nbins, np.int64)
    assert jitlab.jit(bins)(data, got) == bins(data, want)
    assert got.tolist() == want.tolist()


@pytest.mark.parametrize("a", [np.arange(12.0).reshape(3, 4), np.arange(30.0).reshape(5, 6)[::2, ::-3],
                               np.zeros((0, 3)), np.zeros((3, 0)), np.asfortranarray(np.ones((2, 5)))])
def test_two_dimensional_views_match_python(a):
    assert jitlab.jit(column_total)(a) == column_total(a)


# -- searches: a loop that may leave early, vectorized over a contiguous array -------------------
def first_above(a, x):
    for i in range(len(a)):
        if a[i] > x:
            return i
    return -1


def first_equal(a, x):
    found = -1
    for i in range(len(a)):
        if a[i] == x:
            found = i
            break
    return found


def while_search(a, x):
    i = 0
    n = len(a)
    while i < n and a[i] != x:
        i += 1
    return i


def first_bad(a, x):
    """A search whose body may raise: the exception must come from the same element."""
    for i in range(len(a)):
        if 10 // int(a[i] - x) > 3:
            return i
    return -1


def test_a_search_loop_is_vectorized():
    text = jitlab.stages(jitlab.jit(first_above), np.zeros(3), 1.0)["llvm-opt"]
    assert "x double>" in text


@pytest.mark.parametrize("dtype", [np.float64, np.float32, np.int8, np.int64, np.uint16])
@pytest.mark.parametrize("kernel", [first_above, first_equal, while_search])
def test_searches_find_every_position(kernel, dtype):
    f = jitlab.jit(kernel)
    for n in (0, 1, 7, 8, 9, 31, 33, 70):
        a = np.zeros(n, dtype)
        assert f(a, 1) == kernel(a, 1)
        for k in range(n):
            a = np.zeros(n, dtype)
            a[k] = 5
            a[n - 1 - (k // 2)] = 5  # a second hit after the first
            assert f(a, 1) == kernel(a, 1), (n, k)


def test_searches_see_nan_and_views():
    f, g = jitlab.jit(first_above), jitlab.jit(while_search)
    base = np.arange(100.0)
    base[::7] = np.nan
    for a in (base, base[::3], base[50:], base[::-1], np.asfortranarray(base.reshape(10, 10))[:, 3]):
        for x in (-1.0, 40.5, 98.5, 200.0, np.nan):
            assert f(a, x) == first_above(a, x)
            assert g(a, x) == while_search(a, x)


def test_a_raising_search_raises_at_the_same_element():
    f = jitlab.jit(first_bad)
    for n in (5, 9, 17, 40):
        for k in range(n):
            a = np.full(n, 5.0)
            a[k] = 1.0  # 10 // 0: ZeroDivisionError at element k
            with pytest.raises(ZeroDivisionError):
                first_bad(a, 1.0)
            with pytest.raises(ZeroDivisionError):
                f(a, 1.0)
            a[k] = 4.0  # 10 // 3 = 3: no hit; 10 // 1 at a later 2.0 is a hit
            a[-1] = 2.0
            assert f(a, 1.0) == first_bad(a, 1.0)


# -- array sizes: every extent times the item size fits an i64, as in NumPy ---------------------
def make(n, m):
    return np.empty((n, m))


def reshaped(a, n, m):
    return a.reshape(n, m)


SIZES = [(make, (0, 2**62)), (make, (2**60, 0)), (make, (0, 2**59)), (make, (3, 4)),
         (reshaped, (np.zeros(0), 0, 2**62)), (reshaped, (np.zeros(0), 2**59, 0)),
         (reshaped, (np.zeros(12), 3, 4))]


@pytest.mark.parametrize("kernel, args", SIZES)
def test_array_sizes_follow_numpy(kernel, args):
    def outcome(f):
        try:
            return f(*args).shape
        except ValueError as exc:
            return str(exc)

    assert outcome(jitlab.jit(kernel)) == outcome(kernel)
