"""The acceptance corpus (`corpus_acceptance*.py`): every function under CPython/NumPy and compiled.

Each corpus module's functions are rebound into one namespace of jit objects, so a case's calls to
helpers (`_name`) and to other cases run compiled, as they would under `@jit`.  A case agrees when
the values agree by `test_corpus_arrays`'s rules (same kind, dtype and shape; floats within 1e-12
relative, float32 within 1e-6; tuples item by item) and array arguments are left the same, or
both raise the same exception type (and message, unless the case opts out).  `@expect` cases give
the wanted value or exception (int64 wraparound, one type per variable); `@gap` cases must fail
with a `JitlabError` naming a line of the function, never a crash.
"""
from __future__ import annotations

import types
import warnings

import numpy as np
import pytest

import jitlab
from jitlab.dispatch import Dispatcher
from jitlab.errors import JitlabError

import corpus_acceptance
import corpus_acceptance_arrays
import corpus_kernels
from test_corpus_arrays import _fresh, _same

MODULES = (corpus_acceptance, corpus_acceptance_arrays, corpus_kernels)
_JITTED: dict = {}
_HELPERS = {"case", "expect", "gap"}


def _jitted(func):
    """`func` compiled, in a namespace where the module's other functions are compiled too."""
    module = next(m for m in MODULES if m.__name__ == func.__module__)
    if module.__name__ not in _JITTED:
        namespace = dict(vars(module))
        table = {}
        for name, f in vars(module).items():
            if (isinstance(f, types.FunctionType) and f.__module__ == module.__name__
                    and name not in _HELPERS):
                rebound = types.FunctionType(f.__code__, namespace, f.__name__, f.__defaults__,
                                             f.__closure__)
                rebound.__qualname__ = f.__qualname__
                rebound.__kwdefaults__ = f.__kwdefaults__
                rebound.__module__ = f.__module__
                try:
                    namespace[name] = table[name] = jitlab.jit(rebound)
                except JitlabError as error:  # e.g. *args: raised when the case is run
                    namespace[name], table[name] = rebound, error
        _JITTED[module.__name__] = table
    jitted = _JITTED[module.__name__][func.__name__]
    if isinstance(jitted, JitlabError):
        raise jitted
    return jitted


def _run(func, args, jitted=False):
    try:
        return "value", func(*args)
    except JitlabError as error:
        if jitted:
            return "raise", error
        raise
    except Exception as error:  # the oracle's exceptions are part of the expected outcome
        return "raise", error


def _show(args):
    return ", ".join(a.__name__ if callable(a) else repr(a) for a in args)


CASES = [(f, args, msgs) for f, arg_sets, msgs in corpus_acceptance.CASES for args in arg_sets]
EXPECTS = [(f, args, want) for f, pairs in corpus_acceptance.EXPECTS for args, want in pairs]
GAPS = [(f, area, args) for f, area, arg_sets in corpus_acceptance.GAPS for args in arg_sets]


def test_corpus_size_and_names():
    names = [f.__name__ for f, _, _ in corpus_acceptance.CASES]
    names += [f.__name__ for f, _ in corpus_acceptance.EXPECTS]
    assert len(names) == len(set(names))
    assert len(names) >= 200


@pytest.mark.parametrize(("func", "args", "messages"), CASES,
                         ids=[f"{f.__name__}({_show(a)})" for f, a, _ in CASES])
def test_matches_python(func, args, messages):
    py_args, jit_args = _fresh(args), _fresh(args)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        expected = _run(func, py_args)
        try:
            actual = _run(_jitted(func), jit_args, jitted=True)
        except JitlabError as error:  # refused when wrapping it (`*args`)
            actual = ("raise", error)
    if actual[0] == "raise" and isinstance(actual[1], JitlabError):
        if expected[0] == "raise" and type(expected[1]) is TypeError and actual[1].line is not None:
            return  # a TypeError of the types (`1j < 2`) is a compile-time TypingError, as in Numba
        raise actual[1]
    assert expected[0] == actual[0], f"{expected} vs {actual}"
    if expected[0] == "raise":
        assert type(expected[1]) is type(actual[1]), f"{expected[1]!r} vs {actual[1]!r}"
        assert not messages or str(expected[1]) == str(actual[1]), f"{expected[1]!r} vs {actual[1]!r}"
    else:
        why = _same(expected[1], actual[1])
        assert why is None, why
    for k, (p, j) in enumerate(zip(py_args, jit_args)):
        if isinstance(p, np.ndarray):
            why = _same(p, j, f"argument {k} after the call")
            assert why is None, why


@pytest.mark.parametrize(("func", "args", "want"), EXPECTS,
                         ids=[f"{f.__name__}({_show(a)})" for f, a, _ in EXPECTS])
def test_typed_semantics(func, args, want):
    """The given value (or exception class), where typed code differs from CPython by design."""
    if isinstance(want, type) and issubclass(want, BaseException):
        with pytest.raises(want) as info:
            _jitted(func)(*_fresh(args))
        assert not isinstance(info.value, JitlabError), str(info.value)
        return
    got = _jitted(func)(*_fresh(args))
    assert type(got) is type(want) and got == want, f"expected {want!r}, got {got!r}"


@pytest.mark.parametrize(("func", "area", "args"), GAPS,
                         ids=[f"{f.__name__}-{area}" for f, area, _ in GAPS])
def test_known_gap_is_a_clean_error(func, area, args):
    with pytest.raises(JitlabError) as info:
        _jitted(func)(*_fresh(args))
    assert info.value.line is not None, str(info.value)


def test_jitlab_runs_its_own_compiled_callees():
    """The rebinding really compiles the helpers: a case's callee is a jit object."""
    jitted = _jitted(corpus_acceptance.count_primes)
    assert isinstance(jitted, Dispatcher)
    assert jitted.py_func.__globals__["is_prime"] is _jitted(corpus_acceptance.is_prime)
