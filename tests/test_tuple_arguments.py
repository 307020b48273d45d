"""Tuples across calls (from Python and between compiled functions), constant tuple slices,
nested tuple constants and `isinstance`."""
from __future__ import annotations

import numpy as np
import pytest

import jitlab
from jitlab.errors import TypingError


def test_tuple_argument_from_python():
    @jitlab.jit
    def f(t, k):
        a, (b, c) = t
        return a * k + b - c, t

    assert f((1, (2.5, True)), 3) == (4.5, (1, (2.5, True)))
    assert f((np.int64(2), (np.float64(1.5), np.bool_(False))), 1) == (3.5, (2, (1.5, False)))
    got = f((2, (1.0, False)), 1)
    assert got == (3.0, (2, (1.0, False))) and type(got[1][1][0]) is float


def test_tuple_argument_of_the_wrong_shape_is_a_type_error():
    @jitlab.jit
    def f(t):
        return t[0] + t[1]

    assert f((1, 2)) == 3
    assert f((1.5, 2j)) == 1.5 + 2j
    with pytest.raises(TypingError, match="tuple argument holding str"):
        f((1, "x"))
    with pytest.raises(TypingError, match="tuple argument holding ndarray"):
        f((1, np.zeros(2)))


def test_tuple_passed_to_a_compiled_callee():
    @jitlab.jit
    def norm(p):
        return (p[0] * p[0] + p[1] * p[1]) ** 0.5

    @jitlab.jit
    def caller(x, y):
        total = 0.0
        for k in range(3):
            total += norm((x * k, y))
        return total, norm((3.0, 4.0))

    assert caller(3.0, 4.0) == caller.py_func(3.0, 4.0)


def test_shape_tuple_argument():
    @jitlab.jit
    def make(shape):
        return np.zeros(shape).sum() + shape[0]

    assert make((2, 3)) == 2.0


def test_constant_tuple_slices():
    @jitlab.jit
    def f(n):
        t = (n, n + 1, n * 2.5, -n, (n, 1))
        return t[1:3], t[::-1], t[::2], t[5:], t[-2:], t[1:-1:2]

    assert f(4) == f.py_func(4)

    @jitlab.jit
    def shape_tail(a):
        return a.shape[1:], a.shape[:-1]

    assert shape_tail(np.zeros((2, 3, 4))) == ((3, 4), (2, 3))


def test_tuple_slice_with_run_time_bounds_is_a_clear_error():
    @jitlab.jit
    def f(t, i):
        return t[i:]

    with pytest.raises(TypingError, match="needs constant bounds") as info:
        f((1, 2), 1)
    assert info.value.line is not None


def test_nested_tuple_constants():
    @jitlab.jit
    def f(n):
        s = 0
        for p in ((1, 2), (3, 4), (5, n)):
            s += p[0] * p[1]
        return s, ((1, 2.5), 3j)

    assert f(6) == f.py_func(6)


def test_isinstance_is_decided_by_the_type():
    @jitlab.jit
    def f(x):
        if isinstance(x, int):
            return x // 2, isinstance(x, (float, complex)), isinstance(True, int)
        return int(x * 10.0), isinstance(x, float), isinstance(x, bool)

    assert f(7) == (3, False, True)
    assert f(2.5) == (25, True, False)


def test_isinstance_of_other_classes_is_a_clear_error():
    @jitlab.jit
    def f(x):
        return isinstance(x, np.ndarray)

    with pytest.raises(jitlab.errors.UnsupportedError, match="isinstance"):
        f(1)


def test_function_in_a_closure_cell_is_called_compiled():
    """A jitted (or plain) function defined in an enclosing function, called from a jitted one,
    as Numba's own tests do: keywords and defaults bind as for a global callee."""
    @jitlab.jit
    def scale(x, factor=2.0, offset=0.0):
        return x * factor + offset

    def plain_square(x):
        return x * x

    @jitlab.jit
    def caller(x):
        return scale(x), scale(x, offset=1.0), plain_square(x) + scale(factor=0.5, x=x)

    assert caller(3.0) == caller.py_func(3.0) == (6.0, 7.0, 10.5)
    assert caller(2) == caller.py_func(2)
