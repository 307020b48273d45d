"""The array corpus (`tests/corpus_arrays.py`), compiled vs CPython/NumPy on the same inputs.

A case agrees when both return equal values of the same kind — arrays of the same dtype, shape
and values (NaN equal to NaN, complex values part by part; floats within 1e-12 relative, float32
and complex64 within 1e-6, as NumPy sums pairwise and vectorises float32 math), scalars of the
same Python kind (a NumPy scalar counts as its Python number), tuples item by item — or both
raise the same exception type; and every array argument is left the same (in-place writes reach
the caller).  A function of
`UNSUPPORTED` must fail to compile with a jitlab error naming the construct and its line,
never a crash.
"""
from __future__ import annotations

import numpy as np
import pytest

import jitlab
from jitlab.errors import JitlabError

from corpus_arrays import CASES, UNSUPPORTED


def _fresh(args):
    return [a() if callable(a) else a for a in args]


def _kind(x):
    if isinstance(x, (bool, np.bool_)):
        return bool
    if isinstance(x, (int, np.integer)):
        return int
    if isinstance(x, (float, np.floating)):
        return float
    if isinstance(x, (complex, np.complexfloating)):
        return complex
    return type(x)


def _rtol(expected) -> float:
    """float32 results may differ in the last bits (NumPy's vectorised exp, pairwise sums)."""
    return 1e-6 if getattr(expected, "dtype", None) in (np.float32, np.complex64) else 1e-12


def _close(expected, actual, rtol: float) -> bool:
    """Equal within `rtol`, NaN equal to NaN; complex values part by part."""
    e, a = np.asarray(expected), np.asarray(actual)
    if e.dtype.kind == "c":
        return _close(e.real, a.real, rtol) and _close(e.imag, a.imag, rtol)
    return bool(np.allclose(e, a, rtol=rtol, atol=0.0, equal_nan=True))


def _same(expected, actual, path="result"):
    """None when they agree, else why not."""
    if isinstance(expected, np.ndarray):
        if not isinstance(actual, np.ndarray):
            return f"{path}: expected an array, got {type(actual).__name__}"
        if expected.dtype != actual.dtype or expected.shape != actual.shape:
            return f"{path}: expected {expected.dtype}{expected.shape}, got {actual.dtype}{actual.shape}"
        if expected.dtype.kind in "fc":
            ok = _close(expected, actual, _rtol(expected))
        else:
            ok = np.array_equal(expected, actual)
        return None if ok else f"{path}: expected {expected!r}, got {actual!r}"
    if isinstance(expected, tuple):
        if not isinstance(actual, tuple) or len(actual) != len(expected):
            return f"{path}: expected {expected!r}, got {actual!r}"
        for k, (e, a) in enumerate(zip(expected, actual)):
            why = _same(e, a, f"{path}[{k}]")
            if why:
                return why
        return None
    if _kind(expected) is not _kind(actual):
        return (f"{path}: expected {expected!r} ({type(expected).__name__}), "
                f"got {actual!r} ({type(actual).__name__})")
    if _kind(expected) is float:
        if np.isnan(expected):
            return None if np.isnan(actual) else f"{path}: expected nan, got {actual!r}"
        ok = expected == actual or abs(expected - actual) <= _rtol(expected) * abs(expected)
        return None if ok else f"{path}: expected {expected!r}, got {actual!r}"
    if _kind(expected) is complex:
        ok = _close(np.complex128(expected), np.complex128(actual), _rtol(expected))
        return None if ok else f"{path}: expected {expected!r}, got {actual!r}"
    return None if expected == actual else f"{path}: expected {expected!r}, got {actual!r}"


def _run(func, args):
    try:
        return "value", func(*args)
    except JitlabError:
        raise
    except Exception as error:  # the oracle's exceptions are part of the expected outcome
        return "raise", error


def _case_id(case):
    func, args = case
    return func.__name__


def check_case(func, args, same=_same, messages: bool = False) -> None:
    """Run `func` in CPython and compiled on fresh copies of `args` and compare the outcomes (with
    `messages`, a raised exception's message too)."""
    py_args, jit_args = _fresh(args), _fresh(args)
    expected = _run(func, py_args)
    actual = _run(jitlab.jit(func), jit_args)
    assert expected[0] == actual[0], f"{expected} vs {actual}"
    if expected[0] == "raise":
        assert type(expected[1]) is type(actual[1]), f"{expected[1]!r} vs {actual[1]!r}"
        assert not messages or str(expected[1]) == str(actual[1]), f"{expected[1]!r} vs {actual[1]!r}"
    else:
        why = same(expected[1], actual[1])
        assert why is None, why
    for k, (p, j) in enumerate(zip(py_args, jit_args)):
        if isinstance(p, np.ndarray):
            why = same(p, j, f"argument {k} after the call")
            assert why is None, why


def check_unsupported(func, args, words) -> None:
    """`func` fails to compile with a jitlab error naming a line of its body and `words`."""
    with pytest.raises(JitlabError) as info:
        jitlab.jit(func)(*_fresh(args))
    err = info.value
    assert err.line is not None and err.line > func.__code__.co_firstlineno, str(err)
    assert words in str(err), str(err)


@pytest.mark.parametrize("func, args", CASES, ids=[_case_id(c) for c in CASES])
def test_corpus_function(func, args):
    check_case(func, args)


@pytest.mark.parametrize("func, args, words", UNSUPPORTED, ids=[c[0].__name__ for c in UNSUPPORTED])
def test_corpus_unsupported_is_a_clear_error(func, args, words):
    check_unsupported(func, args, words)
