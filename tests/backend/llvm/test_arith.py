"""Arithmetic through the whole backend, checked against CPython on the same inputs."""
import math
import operator

import pytest

import jitlab
from irbuild import FunctionBuilder
from native import Native

from jitlab.ir.types import BOOL, F64, I64

INTS = [-7, -3, -1, 0, 1, 2, 3, 7, 2**62, -2**63]
FLOATS = [-7.5, -2.0, -0.0, 0.0, 0.5, 3.0, 1e300, math.inf, -math.inf, math.nan]
OPS = {"+": operator.add, "-": operator.sub, "*": operator.mul, "/": operator.truediv,
       "//": operator.floordiv, "%": operator.mod, "**": operator.pow}


def binop_fn(op):
    fb = FunctionBuilder("binop", ["a", "b"])
    return fb.finish(fb.binop(op, "a", "b"))


def python_result(op, a, b):
    try:
        return OPS[op](a, b), None
    except Exception as exc:
        return None, exc


def same(x, y):
    if isinstance(x, float) and math.isnan(x):
        return isinstance(y, float) and math.isnan(y)
    if isinstance(x, float):
        return type(y) is float and x == y and math.copysign(1, x) == math.copysign(1, y)
    return x == y and type(x) is type(y)


def check(native, op, a, b):
    expected, exc = python_result(op, a, b)
    if exc is not None:
        with pytest.raises(type(exc)) as info:
            native(a, b)
        assert str(info.value) == str(exc)
        return
    if isinstance(expected, int) and not isinstance(expected, bool) and not -2**63 <= expected < 2**63:
        with pytest.raises(OverflowError, match="int64 result does not fit"):
            native(a, b)  # a Python int would grow; jitlab's int64 raises
        return
    got = native(a, b)
    if isinstance(expected, complex):
        pytest.fail("complex results are not comparable")
    assert same(expected, got), (op, a, b, expected, got)


@pytest.mark.parametrize("op", ["+", "-", "*", "/", "//", "%"])
def test_int_int(op):
    native = Native(binop_fn(op), (I64, I64))
    for a in INTS:
        for b in INTS:
            check(native, op, a, b)


@pytest.mark.parametrize("op", ["+", "-", "*", "/", "//", "%", "**"])
def test_float_float(op):
    native = Native(binop_fn(op), (F64, F64))
    for a in FLOATS:
        for b in FLOATS:
            if op == "**" and a < 0 and not float(b).is_integer() and math.isfinite(a) and math.isfinite(b):
                with pytest.raises(ValueError):
                    native(a, b)  # Python returns a complex number
                continue
            check(native, op, a, b)


@pytest.mark.parametrize("op", ["+", "-", "*", "/", "//", "%"])
def test_int_float(op):
    native = Native(binop_fn(op), (I64, F64))
    for a in INTS[:-2]:
        for b in FLOATS:
            check(native, op, a, b)


def test_negative_floor_division_and_modulo():
    div, mod = Native(binop_fn("//"), (I64, I64)), Native(binop_fn("%"), (I64, I64))
    assert (div(-7, 2), mod(-7, 2)) == (-4, 1)
    assert (div(7, -2), mod(7, -2)) == (-4, -1)
    assert (div(-7, -2), mod(-7, -2)) == (3, -1)
    with pytest.raises(OverflowError, match="int64 result does not fit"):
        div(-2**63, -1)  # 2**63: neither wraps nor traps
    fdiv, fmod = Native(binop_fn("//"), (F64, F64)), Native(binop_fn("%"), (F64, F64))
    assert (fdiv(-7.5, 2.0), fmod(-7.5, 2.0)) == (-4.0, 0.5)
    assert math.copysign(1, fmod(4.0, -2.0)) == -1.0


@pytest.mark.parametrize(("op", "types"), [
    ("/", (I64, I64)), ("//", (I64, I64)), ("%", (I64, I64)),
    ("/", (F64, F64)), ("//", (F64, F64)), ("%", (F64, F64)),
])
def test_zero_division_messages(op, types):
    """The running CPython's words (3.14 says "division by zero" for all of them)."""
    native = Native(binop_fn(op), types)
    one, zero = (1, 0) if types[0] == I64 else (1.0, 0.0)
    _, expected = python_result(op, one, zero)
    with pytest.raises(ZeroDivisionError) as info:
        native(one, zero)
    assert str(info.value) == str(expected)


def test_zero_division_status_code():
    from jitlab.backend.llvm import excinfo
    native = Native(binop_fn("//"), (I64, I64))
    import ctypes
    out, msg = ctypes.c_int64(), ctypes.c_char_p()
    status = native._cfunc(ctypes.addressof(out), ctypes.addressof(msg), 1, 0)
    assert status == excinfo.code_of(ZeroDivisionError)
    assert msg.value.decode() == python_result("//", 1, 0)[1].args[0]


def test_int_power():
    native = Native(binop_fn("**"), (I64, I64))
    assert [native(b, e) for b, e in [(2, 10), (-3, 3), (0, 0), (7, 1), (-1, 63)]] == [1024, -27, 1, 7, -1]
    with pytest.raises(ValueError, match="negative exponent"):
        native(2, -1)


def test_int_power_negative_constant_is_float():
    fb = FunctionBuilder("pow", ["a"])
    fn = fb.finish(fb.binop("**", "a", fb.const(-2)))
    native = Native(fn, (I64,))
    assert native.rettype == F64
    assert native(2) == 0.25
    with pytest.raises(ZeroDivisionError) as info:
        native(0)
    assert str(info.value) == str(python_result("**", 0.0, -2.0)[1])


def test_float_power_overflow():
    native = Native(binop_fn("**"), (F64, F64))
    with pytest.raises(OverflowError):
        native(10.0, 400.0)


@pytest.mark.parametrize("op", ["&", "|", "^", "<<", ">>"])
def test_bitwise(op):
    native = Native(binop_fn(op), (I64, I64))
    fn = {"&": operator.and_, "|": operator.or_, "^": operator.xor, "<<": operator.lshift,
          ">>": operator.rshift}[op]
    for a in (-9, -1, 0, 5, 12345):
        for b in (0, 1, 3, 63, 70):
            expected = fn(a, b)
            if -2**63 <= expected < 2**63:
                assert native(a, b) == expected, (a, op, b)
    with pytest.raises(ValueError, match="negative shift count"):
        if op in ("<<", ">>"):
            native(1, -1)
        else:
            raise ValueError("negative shift count")


def test_bool_arithmetic():
    native = Native(binop_fn("+"), (BOOL, BOOL))
    assert native.rettype == I64
    assert native(1, 1) == 2
    band = Native(binop_fn("&"), (BOOL, BOOL))
    assert band.rettype == BOOL
    assert band(1, 1) is True and band(1, 0) is False


@pytest.mark.parametrize("op", ["-", "+", "~", "not"])
def test_unary(op):
    fb = FunctionBuilder("unary", ["a"])
    native = Native(fb.finish(fb.unop(op, "a")), (I64,))
    py = {"-": operator.neg, "+": operator.pos, "~": operator.invert, "not": operator.not_}[op]
    for a in (-5, 0, 3):
        assert native(a) == py(a)


@pytest.mark.parametrize("op", ["<", "<=", "==", "!=", ">", ">="])
def test_compare_int_float_exact(op):
    fb = FunctionBuilder("cmp", ["a", "b"])
    native = Native(fb.finish(fb.compare(op, "a", "b")), (I64, F64))
    fn = {"<": operator.lt, "<=": operator.le, "==": operator.eq, "!=": operator.ne,
          ">": operator.gt, ">=": operator.ge}[op]
    cases = [(2**53 + 1, 2.0**53), (2**53, 2.0**53), (3, 3.5), (-3, -3.5), (-3, -3.0), (5, math.nan),
             (2**63 - 1, 2.0**63), (-2**63, -2.0**63), (0, -0.0), (1, math.inf), (1, -math.inf)]
    for a, b in cases:
        assert native(a, b) == fn(a, b), (a, op, b)
    fb = FunctionBuilder("cmp_rev", ["a", "b"])
    reverse = Native(fb.finish(fb.compare(op, "b", "a")), (I64, F64))
    for a, b in cases:
        assert reverse(a, b) == fn(b, a), (b, op, a)


@pytest.mark.parametrize("op", ["<", "<=", "==", "!=", ">", ">="])
def test_compare_uint64_with_signed_int_exact(op):
    """uint64 against int64 compares the values, as Python does (NumPy's common type would be
    float64, which loses them; the lowering once emitted an integer compare of two doubles)."""
    import numpy as np

    f = jitlab.jit(eval(f"lambda a, b: a {op} b"))
    fn = {"<": operator.lt, "<=": operator.le, "==": operator.eq, "!=": operator.ne,
          ">": operator.gt, ">=": operator.ge}[op]
    for u in (0, 3, 2**63, 2**64 - 1):
        for i in (0, -1, 3, 2**63 - 1, -2**63):
            assert f(np.uint64(u), i) == fn(u, i), (u, op, i)
            assert f(i, np.uint64(u)) == fn(i, u), (i, op, u)


def test_truth():
    for t, values in ((I64, [0, 5, -1]), (F64, [0.0, -0.0, 2.5, math.nan])):
        fb = FunctionBuilder("truth", ["a"])
        native = Native(fb.finish(fb.truth("a")), (t,))
        for v in values:
            assert native(v) is bool(v)


def _floor_by_powers_of_two(x):
    return (x // 2, x % 2, x // 8, x % 8, x // 1, x % 1, x % 4 - x // 4, x // 2**62, x % 2**62)


@pytest.mark.parametrize("x", [0, 1, -1, 2, -2, 7, -7, 8, -8, 9, -9, 2**63 - 1, -2**63, -2**63 + 1, -12345])
def test_floor_division_and_modulo_by_powers_of_two_are_shifts_and_masks(x):
    f = jitlab.jit(_floor_by_powers_of_two)
    assert f(x) == _floor_by_powers_of_two(x)
    llvm = f.stages(x)["llvm"]
    assert "ashr" in llvm and "sdiv" not in llvm and "srem" not in llvm
