"""The jit dispatcher: decoration forms, lazy and eager specialisation, signatures, errors."""
import math

import numpy as np
import pytest

import jitlab
from jitlab.dispatch import parse_signature, typeof
from jitlab.ir import BOOL, F64, I64, IntType


def test_parse_signature_numba_form():
    assert parse_signature("float64(float64, int64)") == (F64, (F64, I64))
    assert parse_signature("(int64,)") == (None, (I64,))
    assert parse_signature("boolean(i8, f8)") == (BOOL, (I64, F64))
    assert parse_signature("int32()") == (IntType(32), ())


def test_parse_signature_errors_name_the_problem():
    with pytest.raises(jitlab.TypingError, match="not of the form"):
        parse_signature("float64")
    with pytest.raises(jitlab.TypingError, match="unknown type name 'floot64'"):
        parse_signature("floot64(int64)")


def test_typeof_python_and_numpy_scalars():
    assert typeof(True) == BOOL and typeof(3) == I64 and typeof(2.5) == F64
    assert typeof(np.int64(3)) == I64 and typeof(np.float64(1.0)) == F64 and typeof(np.bool_(1)) == BOOL
    with pytest.raises(jitlab.TypingError, match="str"):
        typeof("abc")


def poly(x, n):
    acc = 0.0
    for i in range(n):
        acc = acc * x + i
    return acc


def test_bare_decorator_specialises_per_argument_types():
    f = jitlab.jit(poly)
    assert f(2.0, 4) == poly(2.0, 4)
    assert f(3, 5) == poly(3, 5)
    assert set(f.signatures) == {(F64, I64), (I64, I64)}
    assert f.last_compile is not None and "typed" in f.last_compile.timings


def test_decorator_with_options_and_keyword_arguments():
    f = jitlab.jit(fastmath=False, boundscheck=True)(poly)
    assert f(x=1.5, n=3) == poly(1.5, 3)


def test_eager_signature_compiles_at_decoration_and_converts_arguments():
    f = jitlab.jit("float64(float64, int64)")(poly)
    assert f.signatures == [(F64, I64)]
    assert f(2, 3) == poly(2.0, 3)          # int converted to the declared float64
    assert f.signatures == [(F64, I64)]     # no new specialisation
    with pytest.raises(jitlab.TypingError, match="no signature of poly matches"):
        f(2.0, 3.5)


def test_declared_return_type_must_match():
    with pytest.raises(jitlab.TypingError, match="declared to return i64 but returns f64"):
        jitlab.jit("int64(float64, int64)")(poly)


def test_stages_are_ordered_and_named():
    texts = jitlab.stages(poly, 1.0, 3)
    assert list(texts) == list(jitlab.STAGE_NAMES)
    for key in ("bytecode", "regions", "rvsdg", "typed", "llvm", "llvm-opt", "asm"):
        assert texts[key].strip(), key
    assert "def poly" in texts["source"]
    assert "theta" in texts["rvsdg"] and ": f64" in texts["typed"]
    assert "define" in texts["llvm-opt"]


def helper(x):
    return math.sqrt(x) + 1.0


def caller(x):
    return helper(x) * 2.0


def test_calls_between_jitted_functions():
    f = jitlab.jit(caller)
    assert f(9.0) == 8.0


def gen(n):
    yield n


def test_unsupported_construct_is_a_clear_error():
    with pytest.raises(jitlab.UnsupportedError) as info:
        jitlab.jit(gen)(3)
    text = str(info.value)
    assert "Python 3." in text and "line" in text


def test_jit_rejects_non_functions():
    with pytest.raises(TypeError, match="expects a Python function"):
        jitlab.jit(len)
