"""Facts about array arguments that the lowering hands LLVM (`FunctionLowerer.array_argument`).

Each extent of an array argument is loaded on its own with `!range` (never negative; times the
item size it fits an i64, as NumPy and jitlab's own allocations ensure) and `!noundef`, so LLVM
folds the user's `0 <= k < len(a)` into one unsigned compare and a `range(len(a))` trip count
needs no `max(n, 0)`.  The results must stay CPython's.
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
