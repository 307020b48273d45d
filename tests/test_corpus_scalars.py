"""Differential test of ``corpus_scalars``: CPython vs ``jitlab.jit`` on scalar and control-flow code.

``@case`` functions: the CPython outcome is the oracle (same value and Python type, or the same
exception type and message).  ``@wraps_case`` functions: the given expected value or exception
type (int64 wraparound and float->int limits, where jitlab differs from CPython by design).
``@unsupported`` functions: the call raises a ``JitlabError`` naming a source line — never a
crash, an internal error or an llvmlite traceback.
"""

import types

import pytest

import jitlab
from jitlab.errors import JitlabError

import corpus_scalars as corpus
from differential_support import disagreement, outcome

_JITTED = {}


def _jitted():
    """Every corpus function as a jit object whose globals hold the other jit objects."""
    if not _JITTED:
        namespace = dict(vars(corpus))
        skip = (corpus.case, corpus.wraps_case, corpus.unsupported, corpus._make_scaler)
        for name, func in vars(corpus).items():
            if not isinstance(func, types.FunctionType) or func.__module__ != corpus.__name__ or func in skip:
                continue
            rebound = types.FunctionType(func.__code__, namespace, func.__name__, func.__defaults__,
                                         func.__closure__)
            rebound.__qualname__ = func.__qualname__
            rebound.__kwdefaults__ = func.__kwdefaults__
            rebound.__module__ = func.__module__
            namespace[name] = _JITTED[name] = jitlab.jit(rebound)
    return _JITTED


def _id(func, args):
    return f"{func.__name__}-({','.join(repr(a) for a in args)})"


PAIRS = [(f, args) for f, arg_sets in corpus.CASES for args in arg_sets]
WRAP_PAIRS = [(f, args, want) for f, pairs in corpus.WRAPS for args, want in pairs]
UNSUPPORTED = [(f, construct, args) for f, construct, arg_sets in corpus.UNSUPPORTED
               for args in arg_sets]


def test_corpus_size():
    assert len(corpus.CASES) + len(corpus.WRAPS) + len(corpus.UNSUPPORTED) >= 150
    names = [f.__name__ for f, _ in corpus.CASES] + [f.__name__ for f, _ in corpus.WRAPS]
    assert len(names) == len(set(names))


@pytest.mark.parametrize(("func", "args"), PAIRS, ids=[_id(f, a) for f, a in PAIRS])
def test_matches_cpython(func, args):
    expected = outcome(func, args)
    actual = outcome(_jitted()[func.__name__], args)
    if actual[0] == "raise" and isinstance(actual[1], JitlabError):
        raise AssertionError(f"jitlab rejected it: {actual[1]}")
    problem = disagreement(expected, actual)
    assert problem is None, problem


@pytest.mark.parametrize(("func", "args", "want"), WRAP_PAIRS,
                         ids=[_id(f, a) for f, a, _ in WRAP_PAIRS])
def test_typed_semantics(func, args, want):
    kind, got = outcome(_jitted()[func.__name__], args)
    if isinstance(want, type) and issubclass(want, BaseException):
        assert kind == "raise" and type(got) is want, f"expected {want.__name__}, got {got!r}"
    else:
        assert kind == "value" and type(got) is type(want) and got == want, f"expected {want!r}, got {got!r}"


@pytest.mark.parametrize(("func", "construct", "args"), UNSUPPORTED,
                         ids=[_id(f, a) for f, _, a in UNSUPPORTED])
def test_unsupported_is_a_clear_error(func, construct, args):
    with pytest.raises(JitlabError) as info:
        _jitted()[func.__name__](*args)
    assert info.value.line is not None, f"{construct}: error names no line: {info.value}"
