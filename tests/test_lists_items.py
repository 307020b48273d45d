"""Lists whose items are tuples, arrays or lists, against CPython: built, changed, iterated with
unpacking, sorted, compared, returned to Python (arrays as copies) and passed in (lists of
tuples, copied in and reflected back); memory stays flat over many calls."""
from __future__ import annotations


import numpy as np
import pytest
from memory_support import assert_flat

import jitlab
from jitlab.errors import TypingError


def pairs_unpacked(n):
    pairs = []
    for i in range(n):
        pairs.append((i % 4, i * 0.5))
    s = 0.0
    for i, x in pairs:
        s += i * x
    return s, pairs[-1], len(pairs)


def pairs_sorted(n):
    pairs = [((i * 7) % 5, -i) for i in range(n)]
    a = sorted(pairs)
    pairs.sort(reverse=True)
    return a, pairs, min(pairs), max(pairs)


def pairs_search(n):
    pairs = [(i % 3, i % 2 == 0) for i in range(n)]
    return (1, False) in pairs, (5, True) in pairs, pairs.count((0, True)), pairs.index((2, True))


def pairs_missing(n):
    pairs = [(i, 0.5) for i in range(n)]
    return pairs.index((n, 0.5))


def pairs_widen(n):
    pairs = [(1, 2)]
    pairs.append((n, 0.5))
    pairs.insert(0, (True + 1, n))
    return pairs, pairs.pop(1), pairs == [(2, float(n)), (n, 0.5)]


def triples_nested(n):
    out = [(i, (i * 1.5, i > 2)) for i in range(n)]
    out.reverse()
    del out[0]
    return out, out[1:3], out * 2 == out + out


def grid(n):
    g = [[0] * 3 for _ in range(n)]
    for i in range(n):
        for j in range(3):
            g[i][j] = i * j
    g[0].append(7)
    rows = [sum(r) for r in g]
    return g, rows, len(g[0]), g[1] == [0, 1, 2], g[1] != g[2]


def shared_rows(n):
    g = [[0] * 2] * n  # one inner list, n references (as in CPython)
    g[0][1] = 5
    return g, g[n - 1][1]


def ragged(n):
    rows = []
    for i in range(n):
        row = []
        for j in range(i):
            row.append(j * 0.5)
        rows.append(row)
    return rows, [len(r) for r in rows]


def array_rows(n):
    out = [np.zeros(3) for _ in range(n)]
    for i in range(n):
        out[i][1] = i
        out[i] += np.ones(3) * i
    s = 0.0
    for a in out:
        s += a.sum()
    return s, out


def array_append(n):
    out = []
    for i in range(n):
        t = np.arange(i + 1) * 2.0  # a new array per iteration, kept by the list
        out.append(t)
    return sum([a.sum() for a in out]), len(out), out[-1]


def array_views(n):
    x = np.arange(12.0).reshape(3, 4)
    return [x.T.copy()[:2], x[:, 1:3] + n, x[::2, ::-1] * 1]


def tuples_with_arrays(n):
    return [(np.ones((2, 2)) * i, [i] * i) for i in range(n)]


def slice_stores(n):
    xs = [i for i in range(n)]
    xs[1:3] = [90, 91, 92]      # grows
    ys = [i for i in range(n)]
    ys[n // 2:] = []            # shrinks
    zs = [i for i in range(n)]
    zs[::2] = [-i for i in range(len(zs[::2]))]
    ws = [i for i in range(n)]
    ws[:] = ws + ws             # reads the items before moving any
    return xs, ys, zs, ws


def slice_size_mismatch(n):
    xs = [i for i in range(n)]
    xs[::2] = [1]
    return xs


def slice_deletes(n):
    xs = [i for i in range(n)]
    del xs[1:3]
    ys = [i for i in range(n)]
    del ys[::-2]
    zs = [(i, i) for i in range(n)]
    del zs[1::3]
    return xs, ys, zs


def dict_values(n):
    d = {}
    groups = {}
    for i in range(n):
        d[i % 3] = np.zeros(2) + i
        groups.setdefault(i % 2, []).append(i * 1.5)
        if i % 3 not in groups:
            groups[i % 3] = []
    d[0][1] = 7.0
    return d, groups, [len(v) for v in groups.values()]


def dicts_from_pairs(n):
    ks = [i % 4 for i in range(n)]
    vs = [i * 0.5 for i in range(n)]
    return dict(zip(ks, vs)), dict([(i, (i, -i)) for i in range(n)]), dict(zip(range(10, 20), ks))


def lists_of_arrays(n):
    a = np.arange(2.0 * n).reshape(n, 2)
    rows = list(a)
    return rows, list(a[:, 0]), sorted(a[:, 1], reverse=True), sorted(range(n, 0, -2))


def lists_of_iterators(n):
    a = [i * 2 for i in range(n)]
    return list(zip(a, range(n))), list(enumerate(a)), list(reversed(a)), sorted(list(zip(a[::-1], a)))[:2]


def array_beside_a_list(n):
    grid = [[0.0] * n for _ in range(n)]
    for i in range(n):
        grid[i][i] = 1.0
    return np.array([sum(r) for r in grid]), grid


def stacked(n):
    a = np.arange(12.0).reshape(3, 4)
    return np.array([(i, i * 0.5) for i in range(n)]), np.array([[i, i + 1] for i in range(n)]), \
        np.array([np.ones((2, 3)) * i for i in range(n)]), np.array([a[:, k % 4] for k in range(n)]), \
        np.array([(i % 2 == 0, True) for i in range(n)])


def ragged_rows(n):
    return np.array([np.ones(i % 2 + 1) for i in range(n)])


def ragged_blocks(n):
    return np.array([np.ones((2, i % 2 + 2)) for i in range(n)])


def range_sequences(n):
    r = range(n, -5, -3)
    return sum(range(n), 10), sum(range(n), 0.5), max(r), min(r), r[-1], r[0], (n, (1, 2)) in ((3, (1, 2)),)


def range_index_outside(n):
    return range(0, n, 2)[n]


def max_of_empty_range(n):
    return max(range(n, 0))


CASES = [range_sequences, range_index_outside, max_of_empty_range, stacked, ragged_rows, ragged_blocks,
         lists_of_iterators, array_beside_a_list, slice_stores, slice_size_mismatch, slice_deletes,
         dict_values, dicts_from_pairs, lists_of_arrays, pairs_unpacked, pairs_sorted, pairs_search,
         pairs_missing, pairs_widen, triples_nested, grid, shared_rows, ragged, array_rows,
         array_append, array_views, tuples_with_arrays]


def _same(got, want) -> bool:
    if isinstance(want, np.ndarray):
        return isinstance(got, np.ndarray) and got.dtype == want.dtype and got.shape == want.shape \
            and np.array_equal(got, want)
    if isinstance(want, (list, tuple)):
        return type(got) is type(want) and len(got) == len(want) and all(map(_same, got, want))
    if isinstance(want, dict):
        return type(got) is dict and list(got) == list(want) and all(map(_same, got.values(), want.values()))
    # numbers by value: a list widens its ints to floats where floats meet them (NumPy's rule),
    # and a NumPy float64 CPython computes is a float here
    return isinstance(got, (int, float)) and not isinstance(want, (list, tuple, dict)) \
        and (got == want or got != got and want != want)


def _run(f, *args):
    try:
        return f(*args)
    except Exception as e:  # compared by type and message
        return e


@pytest.mark.parametrize("f", CASES, ids=lambda f: f.__name__)
@pytest.mark.parametrize("n", [0, 1, 5])
def test_items_match_cpython(f, n):
    if n == 0 and f in (stacked, ragged_rows, ragged_blocks):
        pytest.skip("np.array([]) is (0,) in NumPy, (0, 0, ...) here (the type fixes its dimensions)")
    want, got = _run(f, n), _run(jitlab.jit(f), n)
    if isinstance(want, Exception):
        assert type(got) is type(want) and str(got) == str(want)
    else:
        assert _same(got, want), (got, want)


def test_returned_arrays_are_copies_owned_by_numpy():
    def make(n):
        x = np.arange(6.0)
        return [x[::2], x[1:], x]
    out = jitlab.jit(make)(1)
    out[2][0] = 100.0
    assert out[0][0] == 0.0 and all(a.flags.owndata and a.flags.c_contiguous for a in out)


def test_list_of_tuples_argument_is_reflected():
    def f(ps, v):
        ps.append((v, 2.5))
        ps[0] = (ps[0][0] + 1, ps[0][1])
        ps.sort()
        return sum([i * x for i, x in ps])
    a = [(3, 1.0), (1, 2.0), (2, 0.5)]
    b = list(a)
    assert jitlab.jit(f)(a, 7) == f(b, 7)
    assert a == b

    def first(ps):
        ps[0] = (ps[0][0] + 1, 0.5)
        return len(ps)
    a = [(1, 0.5), (2, 1.5)]
    kept = a[1]
    assert jitlab.jit(first)(a) == 2 and a == [(2, 0.5), (2, 1.5)]
    assert a[1] is kept  # an item that did not change keeps its object


@pytest.mark.parametrize("arg, message", [
    ([(1, 2), 3], "holding tuple"), ([(1, 2), (1, 2, 3)], "mixing"), ([[1, 2]], "holding list"),
    ([(1, "a")], "holding tuple"),
])
def test_list_arguments_of_other_items_are_typing_errors(arg, message):
    def size(ps):
        return len(ps)
    with pytest.raises(TypingError, match=message):
        jitlab.jit(size)(arg)


@pytest.mark.parametrize("src, message", [
    ("def f(n):\n    xs = [np.zeros(2)]\n    xs.append(np.zeros((2, 2)))\n    return len(xs)\n",
     "meets items"),
    ("def f(n):\n    xs = [(1, 2)]\n    xs.append((1, 2, 3))\n    return len(xs)\n", "meets items"),
    ("def f(n):\n    xs = [[1]]\n    xs.append([1.5])\n    xs[0].append(True)\n    return len(xs)\n", "list"),
])
def test_items_of_different_kinds_are_refused_by_line(src, message):
    ns = {"np": np}
    exec(compile(src, "<items>", "exec"), ns)
    with pytest.raises(TypingError, match=message) as err:
        jitlab.jit(ns["f"])(3)
    assert "line 3" in str(err.value) or "line 4" in str(err.value)


def test_lists_of_arrays_and_lists_do_not_leak():
    def arrays(n):
        out = [np.zeros(3) for _ in range(n)]
        for i in range(n):
            out[i] += i
        return out

    def nested(n):
        g = [[i] * 3 for i in range(n)]
        g[0].append(1)
        return g

    def pairs(ps):
        ps.append((len(ps), 0.5))
        ps.pop(0)
        return [(a, np.ones(2) * b) for a, b in ps]
    f, g, h = jitlab.jit(arrays), jitlab.jit(nested), jitlab.jit(pairs)
    arg = [(1, 2.0), (3, 4.0)]
    assert_flat(lambda: (f(4), g(4), h(arg)), arg, 30_000)


@jitlab.jit
def _rows(n):
    return [np.ones(2) * i for i in range(n)]


@jitlab.jit
def _norms(rows):
    out = []
    for r in rows:
        out.append(np.sqrt((r * r).sum()))
    return out


@jitlab.jit
def _grow(grid, k):
    for row in grid:
        row.append(k)
    grid.append([k])


def test_lists_passed_to_and_returned_from_compiled_functions():
    def f(n):
        rows = _rows(n)
        rows.append(np.zeros(2))  # a list a callee returned is this function's
        g = [[i] for i in range(n)]
        _grow(g, 9)  # the callee changes the caller's list itself

        def twice_len(xs):
            return len(xs) * 2
        return _norms(rows), g, twice_len(g), twice_len([1.5])
    norms, g, a, b = jitlab.jit(f)(3)
    assert norms == [0.0, 2 ** 0.5, 2 * 2 ** 0.5, 0.0]
    assert g == [[0, 9], [1, 9], [2, 9], [9]] and (a, b) == (8, 2)
    with pytest.raises(TypingError, match="holding ndarray"):
        _norms([np.ones(2)])  # a list of arrays has no type from Python

    def widen(n):
        xs = [n]
        _grow([xs], 0.5)  # the callee may not change the element type of the caller's list
        return xs
    with pytest.raises(TypingError, match="list argument"):
        jitlab.jit(widen)(1)
