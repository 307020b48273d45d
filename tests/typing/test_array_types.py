"""Array types: printing and parsing, typing of indexing, `len`, iteration, joins, and errors."""
import pytest
from irbuild import FunctionBuilder

from jitlab.errors import TypingError
from jitlab.ir import parse, print_module
from jitlab.ir.types import (
    BOOL, F64, I64, ArrayIterType, ArrayType, FloatType, IntType, TupleType, parse_type,
)
from jitlab.typing import infer, join

from test_infer import result_type

A1 = ArrayType(F64, 1, "C")
A2 = ArrayType(F64, 2, "C")


@pytest.mark.parametrize("t", [
    A1, A2, ArrayType(IntType(8, False), 3, "F"), ArrayType(BOOL, 1, "A"), ArrayType(FloatType(32), 2, "A"),
    ArrayIterType(A2), ArrayIterType(ArrayType(IntType(16), 1, "A")), TupleType((I64, F64)), TupleType(()),
    TupleType((A1, TupleType((BOOL,)))),
])
def test_array_types_round_trip(t):
    assert parse_type(str(t)) == t


def test_array_type_text():
    assert str(ArrayType(F64, 2, "C")) == "array<f64, 2, C>"
    assert str(ArrayIterType(A1)) == "array_iter<array<f64, 1, C>>"


@pytest.mark.parametrize("text", ["array<f64, 0, C>", "array<f64, 1, X>", "array<none, 1, C>",
                                  "array<f64, 1>", "array_iter<i64>"])
def test_bad_array_types_are_rejected(text):
    with pytest.raises(ValueError):
        parse_type(text)


def test_module_with_array_ports_round_trips():
    text = ("module {\n  func @f(%a: array<f64, 2, F>, %i: i64, %io: !io) {\n"
            "    %t: array<f64, 1, A>, %io.1: !io = py.getitem (%a, %i, %io)\n"
            "    return (%t, %io.1)\n  }\n}\n")
    assert print_module(parse(text)) == text


@pytest.mark.parametrize(("array", "expected"), [
    (A1, F64), (ArrayType(IntType(32), 1, "A"), IntType(32)), (ArrayType(BOOL, 1, "C"), BOOL),
    (A2, A1), (ArrayType(F64, 2, "F"), ArrayType(F64, 1, "A")),
    (ArrayType(F64, 3, "A"), ArrayType(F64, 2, "A")),
])
def test_getitem_gives_element_or_row(array, expected):
    fb = FunctionBuilder("f", ["a", "i"])
    assert result_type(fb, fb._op("py.getitem", ["a", "i"], 1)[0], (array, I64)) == expected


def test_element_arithmetic_follows_numpy_promotion():
    fb = FunctionBuilder("f", ["a", "i"])
    x = fb._op("py.getitem", ["a", "i"], 1)[0]
    assert result_type(fb, fb.binop("+", x, x), (ArrayType(FloatType(32), 1, "C"), I64)) == FloatType(32)
    fb = FunctionBuilder("f", ["a", "i"])
    x = fb._op("py.getitem", ["a", "i"], 1)[0]
    assert result_type(fb, fb.binop("+", x, "i"), (ArrayType(IntType(8), 1, "C"), I64)) == I64
    fb = FunctionBuilder("f", ["a", "i"])
    x = fb._op("py.getitem", ["a", "i"], 1)[0]
    assert result_type(fb, fb.binop("*", x, x), (ArrayType(IntType(64, False), 1, "C"), I64)) == \
        IntType(64, False)


def test_len_and_iteration():
    fb = FunctionBuilder("f", ["a"])
    assert result_type(fb, fb.call("builtins.len", "a"), (A2,)) == I64
    fb = FunctionBuilder("f", ["a"])
    ok, row, it = fb.iternext(fb.getiter("a"))
    assert result_type(fb, row, (A2,)) == A1


def test_layouts_join_to_strided():
    assert join(A1, ArrayType(F64, 1, "A")) == ArrayType(F64, 1, "A")
    assert join(ArrayType(F64, 2, "C"), ArrayType(F64, 2, "F")) == ArrayType(F64, 2, "A")
    assert join(A1, A2) is None
    assert join(A1, ArrayType(FloatType(32), 1, "C")) is None


def _typing_error(build, argtypes):
    fb = FunctionBuilder("f", ["a", "b"])
    with pytest.raises(TypingError) as err:
        infer(fb.module(build(fb)), argtypes)
    return str(err.value)


@pytest.mark.parametrize(("build", "argtypes", "message"), [
    (lambda fb: fb._op("py.getitem", ["a", "b"], 1)[0], (A1, F64), "cannot index array<f64, 1, C> with f64"),
    (lambda fb: fb._op("py.getitem", ["a", "b"], 1)[0], (A1, BOOL), "cannot index .* with bool"),
    (lambda fb: fb._op("py.getitem", ["a", "b"], 1)[0], (I64, I64), "i64 is not subscriptable"),
    (lambda fb: (fb._op("py.setitem", ["a", "b", "a"], 0), fb.const(None))[1], (A2, I64),
     "cannot assign a array<f64, 2, C> value to a view array<f64, 1, C>"),
    (lambda fb: (fb._op("py.setitem", ["b", "b", "b"], 0), fb.const(None))[1], (A1, I64),
     "does not support item assignment"),
    (lambda fb: fb.call("builtins.len", "b"), (A1, F64), "has no len"),
])
def test_array_typing_errors(build, argtypes, message):
    import re
    assert re.search(message, _typing_error(build, argtypes))
