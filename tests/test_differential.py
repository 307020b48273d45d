"""Differential tests: every corpus function under CPython and under ``jitlab.jit``.

For each (function, args) pair of ``differential_corpus.CASES`` the CPython result (or
exception) is the oracle. The compiled function must return an equal value of the same Python
type (``type(a) is type(b)``: int, float and bool are told apart), floats compared exactly with
nan equal to nan and the sign of zero compared; or raise an exception of the same type with the
same message.  How calls between corpus functions are compiled is described in the corpus
module's docstring: all functions are jitted into one shared namespace.
"""

import types

import pytest

import jitlab

import differential_corpus as corpus
from differential_support import outcome as _outcome
from differential_support import same_value as _same_value

_JITTED = {}


def _jitted_namespace():
    """Every corpus function (cases and the helpers they call) as a jit object whose globals hold
    the other jit objects."""
    if not _JITTED:
        namespace = dict(vars(corpus))
        helpers = [f for f in vars(corpus).values() if isinstance(f, types.FunctionType)
                   and f.__module__ == corpus.__name__ and f is not corpus.case]
        for func in helpers:
            rebound = types.FunctionType(
                func.__code__, namespace, func.__name__, func.__defaults__, func.__closure__
            )
            rebound.__qualname__ = func.__qualname__
            rebound.__kwdefaults__ = func.__kwdefaults__
            rebound.__module__ = func.__module__
            namespace[func.__name__] = jitlab.jit(rebound)
        _JITTED.update((func.__name__, namespace[func.__name__]) for func in helpers)
    return _JITTED


def _case_id(func, args):
    return f"{func.__name__}-({','.join(repr(arg) for arg in args)})"


PAIRS = [(func, args) for func, arg_sets in corpus.CASES for args in arg_sets]
IDS = [_case_id(func, args) for func, args in PAIRS]


def test_corpus_is_big_enough():
    assert len(corpus.CASES) >= 80
    assert len(PAIRS) >= 250


def test_case_ids_are_unique():
    names = [func.__name__ for func, _ in corpus.CASES]
    assert len(names) == len(set(names))
    assert len(IDS) == len(set(IDS))


@pytest.mark.parametrize(("func", "args"), PAIRS, ids=IDS)
def test_matches_cpython(func, args):
    expected_kind, expected = _outcome(func, args)
    compiled = _jitted_namespace()[func.__name__]
    actual_kind, actual = _outcome(compiled, args)

    if expected_kind == "raise":
        assert actual_kind == "raise", f"CPython raised {expected!r}, jitlab returned {actual!r}"
        assert type(actual) is type(expected), f"expected {expected!r}, got {actual!r}"
        assert str(actual) == str(expected)
    else:
        if actual_kind == "raise":
            raise AssertionError(f"CPython returned {expected!r}, jitlab raised") from actual
        assert _same_value(expected, actual), (
            f"CPython: {expected!r} ({type(expected).__name__}), jitlab: {actual!r} ({type(actual).__name__})"
        )
