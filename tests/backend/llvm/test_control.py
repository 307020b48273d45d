"""γ, θ, range loops, math and builtins calls, and calls between jitted functions."""
import math

import pytest
from irbuild import FunctionBuilder
from native import Native

from jitlab.backend.llvm import emit_assembly, lower, optimize
from jitlab.ir.types import BOOL, F64, I64


def counting_loop():
    """total = 0; i = 0; do { total += i; i += 1 } while i < n; return total"""
    fb = FunctionBuilder("count", ["n"])

    def body(rb, i, total, n):
        total2 = rb.binop("+", total, i)
        i2 = rb.binop("+", i, rb.const(1))
        return rb.truth(rb.compare("<", i2, n)), [i2, total2, n]

    _, total, _ = fb.theta([fb.const(0), fb.const(0), "n"], body)
    return fb.finish(total)


def test_counting_loop():
    native = Native(counting_loop(), (I64,))
    assert native(10) == 45
    assert native(1) == 0


def test_loop_variable_widens_to_float():
    """x = 0; do { x = x + 0.5 } while x < n: x starts int, becomes float (θ fixpoint)."""
    fb = FunctionBuilder("widen", ["n"])

    def body(rb, x, n):
        x2 = rb.binop("+", x, rb.const(0.5))
        return rb.compare("<", x2, n), [x2, n]

    x, _ = fb.theta([fb.const(0), "n"], body)
    native = Native(fb.finish(x), (I64,))
    assert native.rettype == F64
    assert native(3) == 3.0


def abs_via_gamma():
    fb = FunctionBuilder("absval", ["x"])
    negative = fb.truth(fb.compare("<", "x", fb.const(0)))
    r, = fb.gamma(negative, ["x"], lambda rb, x: [x], lambda rb, x: [rb.unop("-", x)])
    return fb.finish(r)


def test_gamma():
    native = Native(abs_via_gamma(), (I64,))
    assert [native(v) for v in (-4, 0, 9)] == [4, 0, 9]


def test_gamma_merges_int_and_float():
    fb = FunctionBuilder("merge", ["x"])
    p = fb.truth("x")
    r, = fb.gamma(p, ["x"], lambda rb, x: [rb.const(1.5)], lambda rb, x: [x])
    native = Native(fb.finish(r), (I64,))
    assert native.rettype == F64
    assert (native(0), native(7)) == (1.5, 7.0)


def test_gamma_int_predicate_switch():
    fb = FunctionBuilder("switch", ["k"])
    r, = fb.gamma("k", [], lambda rb: [rb.const(10)], lambda rb: [rb.const(20)], lambda rb: [rb.const(30)])
    native = Native(fb.finish(r), (I64,))
    assert [native(k) for k in (0, 1, 2)] == [10, 20, 30]


def range_sum(n_args):
    """s = 0; for i in range(*args): s += i  (iterator threaded through a θ with a γ on `ok`)."""
    names = ["a", "b", "c"][:n_args]
    fb = FunctionBuilder("range_sum", names)
    it = fb.getiter(fb.call("builtins.range", *names))

    def body(rb, it, s):
        ok, value, it2 = rb.iternext(it)
        s2, = rb.gamma(ok, [s, value], lambda g, s, v: [s], lambda g, s, v: [g.binop("+", s, v)])
        return ok, [it2, s2]

    _, s = fb.theta([it, fb.const(0)], body)
    return fb.finish(s)


@pytest.mark.parametrize("args", [(5,), (0,), (2, 7), (10, -3, -2), (10, 0, -3), (0, 10, 3), (3, 3, -1),
                                  (1, 2, 2**63 - 1), (2**63 - 6, 2**63 - 1, 4), (-2**63 + 5, -2**63, -4)])
def test_range_loop(args):
    native = Native(range_sum(len(args)), (I64,) * len(args))
    expected = sum(range(*args))
    if -2**63 <= expected < 2**63:
        assert native(*args) == expected
    else:
        with pytest.raises(OverflowError):
            native(*args)


def test_range_zero_step():
    native = Native(range_sum(3), (I64, I64, I64))
    with pytest.raises(ValueError, match="range\\(\\) arg 3 must not be zero"):
        native(0, 1, 0)


def call_fn(callee, nargs, types):
    names = ["a", "b", "c"][:nargs]
    fb = FunctionBuilder("call_" + callee.replace(".", "_"), names)
    return Native(fb.finish(fb.call(callee, *names)), types)


@pytest.mark.parametrize(("name", "values"), [
    ("sqrt", [4.0, 2.0, 0.0, -1.0, math.inf]), ("exp", [0.0, 1.0, 1000.0, -math.inf]),
    ("log", [1.0, math.e, 0.0, -1.0]), ("sin", [0.0, 1.0, math.inf]), ("cos", [0.5]),
    ("tan", [0.5, math.inf]), ("fabs", [-2.5]), ("floor", [2.5, -2.5, math.nan, math.inf]),
    ("ceil", [2.5, -2.5]), ("isnan", [math.nan, 1.0]), ("isinf", [math.inf, 1.0]),
])
def test_math_unary(name, values):
    native = call_fn(f"math.{name}", 1, (F64,))
    for v in values:
        try:
            expected = getattr(math, name)(v)
        except (ValueError, OverflowError) as exc:
            with pytest.raises(type(exc), match=f"^{str(exc)}$"):
                native(v)
            continue
        if isinstance(expected, bool):
            assert native(v) is expected
        else:
            assert native(v) == pytest.approx(expected)


@pytest.mark.parametrize(("name", "cases"), [
    ("hypot", [(3.0, 4.0), (1e308, 1e308)]), ("atan2", [(1.0, -1.0)]),
    ("pow", [(2.0, 0.5), (0.0, -1.0), (-8.0, 0.5), (10.0, 400.0), (-2.0, 3.0)]),
])
def test_math_binary(name, cases):
    native = call_fn(f"math.{name}", 2, (F64, F64))
    for a, b in cases:
        try:
            expected = getattr(math, name)(a, b)
        except (ValueError, OverflowError) as exc:
            with pytest.raises(type(exc), match=f"^{str(exc)}$"):
                native(a, b)
            continue
        assert native(a, b) == pytest.approx(expected)


def test_math_of_int_argument():
    native = call_fn("math.sqrt", 1, (I64,))
    assert native(9) == 3.0
    assert call_fn("math.floor", 1, (I64,))(-3) == -3


def test_builtins():
    assert call_fn("builtins.abs", 1, (I64,))(-5) == 5
    assert call_fn("builtins.abs", 1, (F64,))(-2.5) == 2.5
    assert call_fn("builtins.min", 3, (I64, I64, I64))(4, -2, 9) == -2
    assert call_fn("builtins.max", 2, (I64, F64))(1, 2.5) == 2.5
    nan_max = call_fn("builtins.max", 2, (F64, F64))
    assert math.isnan(nan_max(math.nan, 1.0)) and nan_max(1.0, math.nan) == 1.0
    to_int = call_fn("builtins.int", 1, (F64,))
    assert (to_int(-2.7), to_int(2.7)) == (-2, 2)
    with pytest.raises(ValueError, match="cannot convert float NaN to integer"):
        to_int(math.nan)
    with pytest.raises(OverflowError, match="cannot convert float infinity to integer"):
        to_int(math.inf)
    assert call_fn("builtins.float", 1, (I64,))(3) == 3.0
    assert call_fn("builtins.bool", 1, (F64,))(0.0) is False


def test_round():
    round1 = call_fn("builtins.round", 1, (F64,))
    for v in (0.5, 1.5, 2.5, -0.5, -1.5, 2.4999, 1e15 + 0.5):
        assert round1(v) == round(v), v
    round2 = call_fn("builtins.round", 2, (F64, I64))
    for v, n in ((2.675, 2), (0.125, 2), (1234.5678, -2), (-1.25, 1), (1.0, 400), (5.5, 0)):
        assert round2(v, n) == round(v, n), (v, n)
    round_int = call_fn("builtins.round", 2, (I64, I64))
    for v, n in ((1250, -2), (1350, -2), (-1250, -2), (1234, 2), (5, -30)):
        assert round_int(v, n) == round(v, n), (v, n)


def test_call_between_jitted_functions():
    callee = Native(abs_via_gamma(), (I64,))

    def resolve(name, argtypes):
        assert name == "absval" and argtypes == (I64,)
        return callee.rettype, callee.symbol

    fb = FunctionBuilder("caller", ["x", "y"])
    s = fb.binop("+", fb.call("global:absval", "x"), "y")
    native = Native(fb.finish(s), (I64, I64), resolve_call=resolve)
    assert native(-5, 1) == 6
    assert dict(native.typed.functions[0].body.nodes[0].attrs)["symbol"] == callee.symbol


def test_call_propagates_exceptions():
    fb = FunctionBuilder("divide", ["a", "b"])
    callee = Native(fb.finish(fb.binop("//", "a", "b")), (I64, I64))
    fb = FunctionBuilder("outer", ["a"])
    r = fb.call("global:divide", "a", fb.const(0))
    native = Native(fb.finish(r), (I64,), resolve_call=lambda name, types: (callee.rettype, callee.symbol))
    with pytest.raises(ZeroDivisionError) as info:
        native(3)
    with pytest.raises(ZeroDivisionError) as python:
        3 // (3 - 3)
    assert str(info.value) == str(python.value)


def test_none_and_bool_results():
    fb = FunctionBuilder("nothing", ["a"])
    assert Native(fb.finish(fb.const(None)), (I64,))(1) is None
    fb = FunctionBuilder("flag", ["a"])
    native = Native(fb.finish(fb.unop("not", "a")), (BOOL,))
    assert native(1) is False and native(0) is True


def test_stages_print():
    from jitlab.typing import infer
    from jitlab.ir import Module
    typed = infer(Module((counting_loop(),)), (I64,))
    text = lower(typed)
    assert 'define external i32 @"jitlab.count.i64"(ptr %"ret", ptr %"excmsg", i64 %"n")' in text
    assert "phi" in optimize(text, level=0)  # O3 turns the sum into a closed form
    assert "i32 @jitlab.count.i64(" in optimize(text)
    assert "jitlab.count.i64" in emit_assembly(text)


def test_fastmath_keeps_nan_checks():
    from jitlab.typing import infer
    from jitlab.ir import Module
    fb = FunctionBuilder("fm", ["a", "b"])
    typed = infer(Module((fb.finish(fb.binop("/", "a", "b")),)), (F64, F64))
    text = lower(typed, fastmath=True)
    assert "fdiv reassoc contract arcp afn nsz double" in text
    assert "raise.ZeroDivisionError" in text
