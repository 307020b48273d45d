"""Shared helpers of the differential tests: run a callable into an outcome, compare outcomes.

An outcome is ``("value", v)`` or ``("raise", exc)``.  Two outcomes agree when both return
values of the same Python type (``int``, ``float``, ``complex`` and ``bool`` told apart) that are
equal — floats and the parts of complex numbers exactly, NaN equal to NaN, the sign of zero
compared, tuples item by item — or both raise exceptions of the
same type with the same message.  ``tests/test_differential.py`` and ``tests/test_three_way.py``
use them.
"""
from __future__ import annotations

import math


def outcome(func, args):
    try:
        return ("value", func(*args))
    except Exception as error:  # the oracle's exceptions are part of the expected outcome
        return ("raise", error)


def same_value(expected, actual) -> bool:
    if type(expected) is not type(actual):
        return False
    if type(expected) is list:  # a list's items keep their Python types (no silent int -> float)
        return len(expected) == len(actual) and all(map(same_value, expected, actual))
    if type(expected) is float:
        if math.isnan(expected):
            return math.isnan(actual)
        return expected == actual and math.copysign(1.0, expected) == math.copysign(1.0, actual)
    if type(expected) is complex:
        return same_value(expected.real, actual.real) and same_value(expected.imag, actual.imag)
    if type(expected) is tuple:
        return len(expected) == len(actual) and all(map(same_value, expected, actual))
    return expected == actual


def show(result) -> str:
    kind, value = result
    if kind == "raise":
        return f"raises {type(value).__name__}({str(value)!r})"
    return f"returns {value!r} ({type(value).__name__})"


def disagreement(expected, actual) -> str | None:
    """None when the outcomes agree, else why not."""
    (ekind, evalue), (akind, avalue) = expected, actual
    if ekind != akind:
        return f"{show(expected)} but {show(actual)}"
    if ekind == "raise":
        if type(evalue) is not type(avalue) or str(evalue) != str(avalue):
            return f"{show(expected)} but {show(actual)}"
        return None
    return None if same_value(evalue, avalue) else f"{show(expected)} but {show(actual)}"
