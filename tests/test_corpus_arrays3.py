"""The third array corpus (`tests/corpus_arrays3.py`), compiled vs NumPy on the same inputs, with
the rules of `test_corpus_arrays2.py` (exception types and messages included)."""
from __future__ import annotations

import warnings

import pytest

from corpus_arrays3 import CASES, UNSUPPORTED
from test_corpus_arrays import _same, check_case, check_unsupported
from test_corpus_arrays2 import _case_id


@pytest.mark.parametrize("func, args", CASES, ids=[_case_id(c) for c in CASES])
def test_corpus3_function(func, args):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # NumPy's warnings about NaN and empty slices
        check_case(func, args, _same, messages=True)


@pytest.mark.parametrize("func, args, words", UNSUPPORTED, ids=[c[0].__name__ for c in UNSUPPORTED])
def test_corpus3_unsupported_is_a_clear_error(func, args, words):
    check_unsupported(func, args, words)
