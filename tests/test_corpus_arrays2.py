"""The second array corpus (`tests/corpus_arrays2.py`), compiled vs NumPy on the same inputs.

The rules of `test_corpus_arrays.py` (same kind, dtype, shape and values, complex ones part by part,
in-place writes seen by the caller, float32 within 1e-6), and a raised exception must have NumPy's
type *and* message (`AxisError: axis 2 is out of bounds for array of dimension 2`).
"""
from __future__ import annotations

import warnings

import numpy as np
import pytest

import jitlab

from corpus_arrays2 import CASES, UNSUPPORTED
from test_corpus_arrays import _same, check_case, check_unsupported


def _case_id(case):
    func, args = case
    shown = [a.__name__ if callable(a) else repr(a) for a in args]
    return f"{func.__name__}({', '.join(shown)})"


@pytest.mark.parametrize("func, args", CASES, ids=[_case_id(c) for c in CASES])
def test_corpus2_function(func, args):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # NumPy's warnings about NaN and empty slices
        check_case(func, args, _same, messages=True)


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
