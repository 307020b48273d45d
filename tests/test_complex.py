"""Complex numbers: typing errors, the IR form of `1j`, the call path, c64 values.

The arithmetic itself is checked bit for bit against CPython by the differential corpus
(`complex_*` functions in `differential_corpus.py`, run three ways).
"""
from __future__ import annotations

import cmath
import math

import pytest

import jitlab
from jitlab.errors import TypingError
from jitlab.frontend import to_rvsdg
from jitlab.ir import parse, print_module, verify
from jitlab.ir.types import C128, ComplexType, parse_type
from jitlab.typing.lattice import from_dtype, join, promote, to_dtype


def test_types_print_parse_and_promote():
    assert str(C128) == "c128" and parse_type("c64") == ComplexType(64)
    assert ComplexType(64).part == parse_type("f32")
    assert promote(parse_type("i64"), C128) == C128
    assert promote(parse_type("f64"), ComplexType(64)) == C128
    assert join(parse_type("f64"), C128) == C128
    assert from_dtype(to_dtype(ComplexType(64))) == ComplexType(64)


def test_complex_constant_is_its_parts_and_round_trips():
    def f():
        return 2j

    module = to_rvsdg(f)
    text = print_module(module)
    assert "value = (0.0, 2.0)" in text and "complex = true" in text
    assert print_module(parse(text)) == text
    verify(module)


@pytest.mark.parametrize(("source", "message"), [
    ("def f(z):\n    return z < 1\n", "'<' not supported between instances of 'complex' and 'int'"),
    ("def f(z):\n    return z // 2\n", "unsupported operand type(s) for //: 'complex' and 'int'"),
    ("def f(z):\n    return z % 2.0\n", "unsupported operand type(s) for %: 'complex' and 'float'"),
    ("def f(z):\n    return ~z\n", "bad operand type for unary ~: 'complex'"),
    ("def f(z):\n    return z.foo\n", "complex has no supported attribute 'foo'"),
    ("def f(z):\n    return complex(z, z)\n", "complex() argument must be a real number here"),
    ("def f(z):\n    return int(z)\n", "int() needs numbers, got c128"),
])
def test_typing_errors_name_the_operation_and_line(source, message):
    namespace = {}
    exec(compile(source, "<complex-test>", "exec"), namespace)
    with pytest.raises(TypingError) as info:
        jitlab.jit(namespace["f"])(1 + 2j)
    assert message in str(info.value)
    assert "line 2" in str(info.value)


def test_call_path_boxes_and_unboxes_complex():
    @jitlab.jit
    def f(z, x):
        return z * x + 1j, (z.real, z.imag)

    assert f(1 + 2j, 2.0) == ((2 + 5j), (1.0, 2.0))
    assert type(f(1 + 2j, 2.0)[0]) is complex
    with pytest.raises(TypeError):
        f.compile((C128, parse_type("f64"))).entry("x", 1.0)


def test_division_by_zero_message_is_cpythons():
    @jitlab.jit
    def f(z, w):
        return z / w

    with pytest.raises(ZeroDivisionError) as info:
        f(1j, 0j)
    try:
        (1j).__truediv__(0j)
    except ZeroDivisionError as error:
        assert str(info.value) == str(error)


def test_cmath_predicates_and_phase():
    @jitlab.jit
    def f(z):
        return cmath.isnan(z), cmath.isinf(z), cmath.isfinite(z), cmath.phase(z)

    for z in (1 + 1j, complex(math.nan, 0.0), complex(0.0, -math.inf), -1 + 0j, -1 - 0j):
        got, expected = f(z), (cmath.isnan(z), cmath.isinf(z), cmath.isfinite(z), cmath.phase(z))
        assert got[:3] == expected[:3]
        assert got[3] == expected[3] or (math.isnan(got[3]) and math.isnan(expected[3]))


def test_complex_merges_with_real_values():
    @jitlab.jit
    def f(n):
        z = 0
        for k in range(n):
            z = z + 1j * k if k % 2 else z - k
        return z

    assert f(5) == (lambda: sum((1j * k if k % 2 else -k) for k in range(5)))()
