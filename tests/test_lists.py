"""Typed lists of scalars end to end: what the differential corpus cannot express (NumPy results,
list arguments, int/float widening, typing errors, memory).

The corpus (`differential_corpus.py`, `list_*`, `*comp*`) checks CPython semantics three ways.
"""
from __future__ import annotations

import math


import numpy as np
import pytest
from memory_support import assert_flat

import jitlab
from jitlab.errors import TypingError, UnsupportedError


def squares(n):
    return np.array([i * i for i in range(n)])


def halves(n):
    xs = [0.5]
    for i in range(n):
        xs.append(i / 2)
    return np.array(xs)


def flags(n):
    return np.array([i % 3 == 0 for i in range(n)])


@pytest.mark.parametrize("func, dtype", [(squares, np.int64), (halves, np.float64), (flags, np.bool_)])
def test_np_array_of_a_list(func, dtype):
    got, want = jitlab.jit(func)(7), func(7)
    assert got.dtype == dtype and np.array_equal(got, want)


def test_int_and_float_widen_to_float_like_numpy():
    def widen(n):
        xs = [1, 2]
        xs.append(n * 0.5)
        return xs
    got = jitlab.jit(widen)(3)
    assert got == [1.0, 2.0, 1.5] and all(type(x) is float for x in got)


def test_list_arguments_reflect_changes_back():
    def total(xs, ys):
        xs.append(100)
        t = 0.0
        for y in ys:
            t += y
        return len(xs), sum(xs), t, xs[-1]
    xs = [1, 2, 3]
    assert jitlab.jit(total)(xs, [0.5, 1]) == (4, 106, 1.5, 100)
    assert xs == [1, 2, 3, 100]  # the caller's list sees the append, as in CPython
    assert jitlab.jit(total)([], [1, 2.5]) == (1, 100, 3.5, 100)


def _mutators():
    def store_and_append(xs, v):
        xs[0] = v
        xs.append(v)
        return len(xs)

    def pop_all_but_one(xs, v):
        while len(xs) > 1:
            xs.pop()
        return xs[0]

    def grow_a_lot(xs, v):
        for k in range(50):
            xs.append(xs[k % 2])
        xs[-1] = xs[0]
        return 0

    def read_only(xs, v):
        s = 0.0
        for x in xs:
            s += x
        return s + v

    def raise_after_change(xs, v):
        xs.append(v)
        xs[0] = v
        return xs[100]

    return [store_and_append, pop_all_but_one, grow_a_lot, read_only, raise_after_change]


@pytest.mark.parametrize("f", _mutators(), ids=lambda f: f.__name__)
@pytest.mark.parametrize("items, v", [([1, 2, 3], 5), ([1.5, 2, 3], 0.25), ([True, False], False),
                                      ([0.0, float("nan"), -0.0], -0.0)])
def test_list_argument_mutations_match_cpython(f, items, v):
    want_list, got_list = list(items), list(items)
    want = got = None
    try:
        want = f(want_list, v)
    except IndexError as e:
        want = e
    try:
        got = jitlab.jit(f)(got_list, v)
    except IndexError as e:
        got = e
    if isinstance(want, Exception):
        assert type(got) is type(want) and str(got) == str(want)
    else:
        assert got == want or (got != got and want != want)
    assert len(got_list) == len(want_list)
    for g, w in zip(got_list, want_list):  # NaN for NaN, -0.0 for -0.0
        same = g == w and math.copysign(1, g) == math.copysign(1, w)
        assert (g != g and w != w) or same, (got_list, want_list)
    if f.__name__ == "read_only":  # items not written keep their objects (an int stays an int)
        assert [type(x) for x in got_list] == [type(x) for x in want_list]


def test_one_list_passed_twice_is_one_list():
    def both(xs, ys):
        xs.append(7)
        ys[0] = -1
        return len(ys), xs[0]
    a, b = [1, 2], [1, 2]
    assert jitlab.jit(both)(a, a) == both(b, b)
    assert a == b == [-1, 2, 7]


def test_list_argument_of_another_kind_is_a_typing_error():
    def first(xs):
        return xs[0]
    with pytest.raises(TypingError, match="list argument holding str"):
        jitlab.jit(first)([1, "a"])


def test_pop_with_an_index_and_its_errors():
    def pops(n, i):
        xs = [k * 10 for k in range(n)]
        a = xs.pop(i)
        return a, xs
    for n, i in ((5, 0), (5, -1), (5, 2), (3, 3), (3, -4), (0, 0)):
        try:
            want = pops(n, i)
        except IndexError as e:
            with pytest.raises(IndexError, match=str(e)):
                jitlab.jit(pops)(n, i)
        else:
            assert jitlab.jit(pops)(n, i) == want


def test_element_type_clash_names_list_types_and_line():
    def clash(n):
        xs = [True, False]
        xs.append(n)
        return xs
    with pytest.raises(TypingError) as err:
        jitlab.jit(clash)(3)
    text = str(err.value)
    assert "list xs" in text and "i64" in text and "bool" in text and "^" in text
    assert f"line {clash.__code__.co_firstlineno + 2}" in text


def test_a_list_cannot_hold_itself():
    def itself(n):
        xs = [[n]]
        xs.append(xs)
        return len(xs)
    with pytest.raises(TypingError, match="list xs"):
        jitlab.jit(itself)(3)


@pytest.mark.parametrize("src, construct", [
    ("def f(n):\n    return len([{i for i in range(n)}])\n", "cannot hold a set"),
    ("def f(n):\n    return len([{i: i for i in range(n)}])\n", "cannot hold a dict"),
])
def test_lists_of_sets_and_dicts_are_refused_by_name(src, construct):
    ns = {}
    exec(compile(src, "<lists>", "exec"), ns)
    with pytest.raises((TypingError, UnsupportedError)) as err:
        jitlab.jit(ns["f"])(3)
    assert construct in str(err.value) and "line 2" in str(err.value)


def test_returned_lists_do_not_leak():
    def make(n):
        return [i * 2 for i in range(n)]

    def grow(xs):  # a reflected argument that changes but keeps its length
        xs.append(xs[0] + 1)
        xs.pop(0)
        return xs
    f, g = jitlab.jit(make), jitlab.jit(grow)
    arg = [1, 2, 3]
    assert_flat(lambda: (f(10), g(arg)), arg, 100_000)
