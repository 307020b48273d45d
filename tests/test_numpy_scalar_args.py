"""NumPy scalars narrower than 64 bits as arguments: typed as their NumPy types, unboxed by
the wrapper through `__index__`/`__float__`, range-checked (ints) or rounded (float32)."""
from __future__ import annotations

import numpy as np
import pytest

import jitlab
from jitlab.dispatch import typeof
from jitlab.ir.interpreter import Interpreter
from jitlab.ir.types import FloatType, IntType

SCALARS = [np.int8(-128), np.int16(300), np.int32(-7), np.uint8(255), np.uint16(65535),
           np.uint32(4_000_000_000), np.uint64(2**64 - 1), np.float32(1.1), np.float32("nan")]


def identity(x):
    return x


def twice_plus_one(x):
    return x * 2 + 1  # i64 arithmetic: NumPy promotion of a narrow int with a Python int constant


@pytest.mark.parametrize("value", SCALARS, ids=lambda v: f"{type(v).__name__}({v})")
def test_narrow_scalar_is_typed_and_unboxed(value):
    t = typeof(value)
    assert isinstance(t, (IntType, FloatType)) and t.bits == value.dtype.itemsize * 8
    got = jitlab.jit(identity)(value)
    assert got == value.item() or (got != got and value != value)


@pytest.mark.parametrize(("t", "value"), [(IntType(8), 128), (IntType(8, False), -1),
                                          (IntType(64, False), -1), (IntType(16), 2**40)])
def test_out_of_range_argument_is_an_overflow_error(t, value):
    compiled = jitlab.jit(identity).compile((t,))
    with pytest.raises(OverflowError, match=f"out of range for {t}"):
        compiled.entry(value)


def test_wrong_type_names_the_parameter():
    compiled = jitlab.jit(identity).compile((IntType(32),))
    with pytest.raises(TypeError, match=r"argument 'x' must be int, not str"):
        compiled.entry("3")


def test_interpreter_takes_numpy_scalars():
    compiled = jitlab.jit(twice_plus_one).compile((IntType(16),))
    module = compiled.record.artefacts["typed"]
    assert Interpreter(module).call("twice_plus_one", np.int16(300)) == 601
