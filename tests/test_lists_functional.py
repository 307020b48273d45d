"""Functions applied per item -- `sorted`/`list.sort` with `key=` and `reverse=`, `min`/`max` with
`key=`, `map`, `filter` -- with lambdas, nested functions (capturing variables), jitted and plain
globals, functions passed as arguments and the builtins `abs`/`len`/`float`/`int`/`bool`:
CPython, both IR interpreters and native code agree (values, stability, exceptions)."""
from __future__ import annotations

import numpy as np
import pytest
from differential_support import disagreement, outcome

import jitlab
from jitlab.dispatch import typeof
from jitlab.errors import TypingError
from jitlab.frontend import closures, to_rvsdg
from jitlab.ir import parse, print_module, verify
from jitlab.ir.interpreter import Interpreter


@jitlab.jit
def spread(p):
    return p[1] - p[0]


def negated_size(v):
    return -abs(v)


def sort_by_lambda(n, m):
    xs = [(i * 7) % 11 for i in range(n)]
    a = sorted(xs, key=lambda v: v % m)             # stable: equal keys keep their order
    b = sorted(xs, key=lambda v: v % m, reverse=True)
    xs.sort(key=lambda v: (v % 3, -v))              # a tuple key
    return a, b, xs


def sort_pairs(n):
    pairs = [(i, (i * 5) % 7) for i in range(n)]

    def second(p):
        return p[1]
    return sorted(pairs, key=second), min(pairs, key=second), max(pairs, key=spread), \
        sorted(pairs, key=spread)


def builtin_keys(n):
    xs = [i - n / 2 for i in range(n)]
    return sorted(xs, key=abs), min(xs, key=abs), max(xs, key=negated_size), list(map(abs, xs)), \
        list(map(int, xs)), list(map(bool, xs))


def map_and_filter(n, t):
    xs = list(range(n))
    ys = [i * 0.5 for i in range(n)]
    evens = list(filter(lambda v: v % 2 == 0, xs))
    big = list(filter(lambda v: v > t, ys))         # captures t
    sums = list(map(lambda a, b: a + b, xs, ys[1:]))  # two lists, to the shorter
    return evens, big, sums, sum(map(lambda v: v * v, xs)), [v for v in map(lambda v: v + t, xs)]


def over_arrays_and_ranges(a, n):
    return sorted(a, key=lambda v: -v), list(map(lambda v: v * 2, a)), \
        min(range(n), key=lambda i: (i - 3) ** 2), list(filter(lambda i: i % 3, range(n)))


def key_raises(n):
    xs = [i for i in range(n)]
    xs.sort(key=lambda v: 10 // (v - 3))
    return xs


def min_of_nothing(n):
    return min([i for i in range(n)], key=lambda v: v)


def by_length(n):
    rows = [[j for j in range(i % 4)] for i in range(n)]
    rows.sort(key=len)
    return rows, max(rows, key=len), [len(r) for r in sorted(rows, key=len, reverse=True)]


def passed_function(f, n):
    xs = [(i * 3) % 5 for i in range(n)]
    return sorted(xs, key=f), list(map(f, xs)), max(xs, key=f)


def over_iterators(n):
    d = {i: (i * 7) % 5 for i in range(n)}
    a = [i * 2 for i in range(n)]
    return sorted(d.items(), key=lambda kv: kv[1]), list(filter(lambda kv: kv[1] > 2, d.items())), \
        list(map(lambda p: p[0] * p[1], enumerate(a))), \
        sorted(zip(a, a[::-1]), key=lambda p: p[1] - p[0] * 0.5)


def over_rows(m):
    return sorted(m, key=lambda r: -r[0])[0][1], list(map(lambda r: r.sum(), m)), \
        max(m, key=lambda r: r[1])[0]


CASES = [(over_iterators, (6,)), (over_iterators, (0,)), (over_rows, (np.arange(6.0).reshape(3, 2),)),
         (sort_by_lambda, (20, 4)), (sort_by_lambda, (0, 3)), (sort_pairs, (9,)), (builtin_keys, (7,)),
         (map_and_filter, (9, 2.0)), (map_and_filter, (0, 1.0)),
         (over_arrays_and_ranges, (np.arange(6) * 1.5, 6)),
         (key_raises, (6,)), (key_raises, (3,)), (min_of_nothing, (0,)), (min_of_nothing, (4,)),
         (by_length, (7,)), (passed_function, (negated_size, 8))]
IDS = [f"{f.__name__}-{i}" for i, (f, _) in enumerate(CASES)]


def _resolver(func):
    def resolve(name):
        if name.startswith("closure:"):
            return closures.python_callable(func, name)
        return func.__globals__[name.removeprefix("global:")]
    return resolve


def _plain(value):
    """NumPy scalars CPython's run gets from an array as the Python numbers jitlab gives."""
    if isinstance(value, (list, tuple)):
        return type(value)(_plain(v) for v in value)
    return value.item() if isinstance(value, np.generic) else value


@pytest.mark.parametrize(("func", "args"), CASES, ids=IDS)
def test_native_and_interpreters_match_cpython(func, args):
    expected = outcome(func, args)
    expected = (expected[0], _plain(expected[1])) if expected[0] == "value" else expected
    for tier in (0, 1):  # quick code links the per-item function in too
        native = outcome(jitlab.jit(func, cache=False, tier=tier), args)
        assert disagreement(expected, native) is None, disagreement(expected, native)
    untyped = Interpreter(to_rvsdg(func), resolve=_resolver(func))
    rvsdg = outcome(lambda *a: _plain(untyped.call(func.__name__, *a)), args)
    assert disagreement(expected, rvsdg) is None, disagreement(expected, rvsdg)
    module = jitlab.jit(func).compile(tuple(typeof(a) for a in args)).record.artefacts["typed"]
    verify(module)
    assert parse(print_module(module)) == module  # a nested function's value type prints and parses back
    interpreter = Interpreter(module, resolve=_resolver(func))
    typed = outcome(lambda *a: _plain(interpreter.call(func.__name__, *a)), args)
    assert disagreement(expected, typed) is None, disagreement(expected, typed)


def test_captured_variables_are_read_at_the_call():
    def f(n):
        m = 3
        key = lambda v: v % m  # a lambda held in a variable
        a = sorted(range(n), key=key)
        m = 4
        return a, sorted(range(n), key=key)
    assert jitlab.jit(f)(9) == f(9)


@pytest.mark.parametrize("src, message", [
    ("def f(n):\n    return sorted([1, 2], key=lambda v: np.ones(2))\n", "not supported as a key"),
    ("def f(n):\n    return sorted([1, 2], key=lambda v: v, reverse=n > 1)\n", "reverse must be a constant"),
    ("def f(n):\n    return min(1, 2, key=lambda v: v)\n", "one iterable"),
    ("def f(n):\n    return list(map(round, [1.5]))\n", r"round\(\) as a function value"),
])
def test_unsupported_uses_name_the_line(src, message):
    ns = {"np": np}
    exec(compile(src, "<functional>", "exec"), ns)
    with pytest.raises(TypingError, match=message) as err:
        jitlab.jit(ns["f"])(3)
    assert "line 2" in str(err.value)


def test_tuple_arguments_from_python():
    @jitlab.jit
    def f(t, k):
        a, b = t
        return a * b + k, t
    assert f((2, 3.5), 1) == (8.0, (2, 3.5))
    assert f((True, 2.0), 0) == (2.0, (True, 2.0))
    assert f((1, 2), 1) == (3, (1, 2))  # another specialisation, not the first one's
    with pytest.raises(TypingError, match="tuple"):
        f((1, "a"), 1)
