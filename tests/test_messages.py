"""Exception messages that show values, made when the exception is raised (`formatted.py`).

The differential corpus checks the messages against CPython (`fstring_*`, `message_*`); these
tests pin down what the corpus cannot: the refusals and where the formatting happens.
"""
import numpy as np
import pytest

import jitlab
from jitlab.errors import TypingError


def test_a_float32_value_in_a_message_is_refused_with_a_hint():
    @jitlab.jit
    def f(x):
        raise ValueError(f"x is {x}")

    with pytest.raises(TypingError, match="cannot show a f32 value") as info:
        f(np.float32(1.5))
    assert info.value.line == f.py_func.__code__.co_firstlineno + 2
    assert "float(x)" in str(info.value)


def test_the_native_code_formats_nothing():
    """The raising block stores the values into a record; only the wrapper makes text."""
    @jitlab.jit
    def f(x, n):
        if x > n:
            raise ValueError(f"{x:.3f} > {n}")
        return x

    assert f(1.0, 2) == 1.0
    native = f.compile((jitlab.ir.F64, jitlab.ir.I64)).record.artefacts["llvm"]
    text = str(native)
    assert "jitlab.raised" in text and "jitlab.recipe" in text
    assert "snprintf" not in text and "@\"Py" not in text and "@Py" not in text
    with pytest.raises(ValueError, match=r"^1\.500 > 1$"):
        f(1.5, 1)


def test_a_message_record_survives_many_raises():
    @jitlab.jit
    def f(i):
        raise IndexError(f"index {i} out of range {-i!r}")

    for i in range(0, 3000, 7):
        with pytest.raises(IndexError) as info:
            f(i)
        assert str(info.value) == f"index {i} out of range {-i!r}"


def test_narrow_integers_show_as_python_ints():
    @jitlab.jit
    def f(a, b):
        raise ValueError(f"{a} {b} {a:>5} {b!r}")

    for a, b in ((np.int8(-128), np.uint64(2**64 - 1)), (np.int8(5), np.uint64(0))):
        with pytest.raises(ValueError) as info:
            f(a, b)
        assert str(info.value) == f"{int(a)} {int(b)} {int(a):>5} {int(b)!r}"
