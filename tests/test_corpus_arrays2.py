"""The second array corpus (`tests/corpus_arrays2.py`), compiled vs NumPy on the same inputs.

The rules of `test_corpus_arrays.py` (same kind, dtype, shape and values, in-place writes seen by
the caller, float32 within 1e-6), stricter in two ways: complex items compare part by part with
NaN equal to NaN (and within the float tolerance), and a raised exception must have NumPy's type
*and* message (`AxisError: axis 2 is out of bounds for array of dimension 2`).
"""
from __future__ import annotations

import warnings

import numpy as np
import pytest

import jitlab

from corpus_arrays2 import CASES, UNSUPPORTED
from test_corpus_arrays import _kind, _same, check_case, check_unsupported


def _rtol(x) -> float:
    return 1e-6 if getattr(x, "dtype", None) in (np.float32, np.complex64) else 1e-12


def _close(expected, actual, rtol) -> bool:
    e, a = np.asarray(expected), np.asarray(actual)
    if e.dtype.kind == "c":
        return _close(e.real, a.real, rtol) and _close(e.imag, a.imag, rtol)
    if e.dtype.kind != "f":
        return np.array_equal(e, a)
    return bool(np.all((e == a) | (np.isnan(e) & np.isnan(a)) | (np.abs(e - a) <= rtol * np.abs(e))))


def _agree(expected, actual, path="result"):
    """None when they agree, else why not."""
    if isinstance(expected, np.ndarray):
        if not isinstance(actual, np.ndarray):
            return f"{path}: expected an array, got {type(actual).__name__}"
        if expected.dtype != actual.dtype or expected.shape != actual.shape:
            return f"{path}: expected {expected.dtype}{expected.shape}, got {actual.dtype}{actual.shape}"
        ok = _close(expected, actual, _rtol(expected))
        return None if ok else f"{path}: expected {expected!r}, got {actual!r}"
    if isinstance(expected, tuple):
        if not isinstance(actual, tuple) or len(actual) != len(expected):
            return f"{path}: expected {expected!r}, got {actual!r}"
        for k, (e, a) in enumerate(zip(expected, actual)):
            why = _agree(e, a, f"{path}[{k}]")
            if why:
                return why
        return None
    if _kind(expected) is complex and _kind(actual) is complex:
        ok = _close(np.complex128(expected), np.complex128(actual), _rtol(expected))
        return None if ok else f"{path}: expected {expected!r}, got {actual!r}"
    return _same(expected, actual, path)


def _case_id(case):
    func, args = case
    shown = [a.__name__ if callable(a) else repr(a) for a in args]
    return f"{func.__name__}({', '.join(shown)})"


@pytest.mark.parametrize("func, args", CASES, ids=[_case_id(c) for c in CASES])
def test_corpus2_function(func, args):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # NumPy's warnings about NaN and empty slices
        check_case(func, args, _agree, messages=True)


@pytest.mark.parametrize("func, args, words", UNSUPPORTED, ids=[c[0].__name__ for c in UNSUPPORTED])
def test_corpus2_unsupported_is_a_clear_error(func, args, words):
    check_unsupported(func, args, words)


def test_axis_error_is_numpys():
    """An axis out of range raises NumPy's AxisError, a ValueError and an IndexError."""
    f = jitlab.jit(lambda a, k: a.sum(axis=k))
    with pytest.raises(np.exceptions.AxisError, match="axis 2 is out of bounds for array of dimension 2"):
        f(np.ones((2, 3)), 2)
    with pytest.raises(IndexError):
        f(np.ones((2, 3)), -3)
    assert f(np.ones((2, 3)), -1).tolist() == [3.0, 3.0]
