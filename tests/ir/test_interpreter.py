"""The reference interpreter on hand-written IR: every py op, γ/θ, undefined values, typed
semantics (int64 wraparound, casts at merges), calls, stepping events, user ops."""
from __future__ import annotations

import math
import textwrap

import pytest

from jitlab.ir import interp_values
from jitlab.ir import parse, print_module
from jitlab.ir.interpreter import (
    STATE_TOKEN, Event, Interpreter, InterpreterError, RangeIter, register_op, OPS,
)


def module(body: str, params: str = "%a, %b", header: str = "f"):
    return parse(f"module {{\n  func @{header}({params}, %io: !io) {{\n"
                 + textwrap.indent(textwrap.dedent(body).strip("\n"), "    ") + "\n  }\n}\n")


def binop(op: str, ta: str = "", tr: str = ""):
    a = f"%a{': ' + ta if ta else ''}, %b{': ' + ta if ta else ''}"
    r = f"%r{': ' + tr if tr else ''}"
    return module(f'{r}, %io.1: !io = py.binop {{op = "{op}"}} (%a, %b, %io)\nreturn (%r, %io.1)', a)


@pytest.mark.parametrize(("op", "a", "b"), [
    ("+", 2, 3), ("-", 2, 5), ("*", 2**40, 2**40), ("/", 7, 2), ("//", -7, 2), ("%", -7, 2), ("**", 2, 100),
    ("&", 6, 3), ("|", 6, 3), ("^", 6, 3), ("<<", 1, 70), (">>", -9, 1), ("+", 1.5, 2), ("/", 1, 0),
    ("%", 1.0, 0.0), ("//", 5, 0),
])
def test_untyped_binop_is_python(op, a, b):
    m = binop(op)
    try:
        expected = ("value", eval(f"a {op} b"))
    except Exception as err:
        expected = ("raise", type(err), str(err))
    try:
        got = ("value", Interpreter(m).call("f", a, b))
    except Exception as err:
        got = ("raise", type(err), str(err))
    assert got == expected


@pytest.mark.parametrize(("op", "a", "b", "expected"), [
    ("+", 2**63 - 1, 1, -(2**63)), ("*", 2**40, 2**40, 0), ("-", -(2**63), 1, 2**63 - 1),
    ("**", 3, 50, (3**50 + 2**63) % 2**64 - 2**63), ("<<", 1, 63, -(2**63)), ("<<", 1, 64, 0),
    (">>", -5, 100, -1), ("//", -(2**63), -1, -(2**63)), ("%", -7, 2, 1),
])
def test_typed_int64_wraps_when_asked_like_the_backend(op, a, b, expected):
    assert Interpreter(binop(op, "i64", "i64"), overflow="wrap").call("f", a, b) == expected


@pytest.mark.parametrize(("op", "a", "b"), [
    ("+", 2**63 - 1, 1), ("*", 2**40, 2**40), ("-", -(2**63), 1), ("**", 3, 50), ("**", 2, 10**18),
    ("<<", 1, 63), ("<<", 1, 64), ("//", -(2**63), -1),
])
def test_typed_int64_overflow_raises_by_default(op, a, b):
    with pytest.raises(OverflowError, match="int64 result does not fit"):
        Interpreter(binop(op, "i64", "i64")).call("f", a, b)


def test_nooverflow_attribute_wraps():
    m = parse(print_module(binop("+", "i64", "i64")).replace('{op = "+"}', '{op = "+", nooverflow = true}'))
    assert Interpreter(m).call("f", 2**63 - 1, 1) == -(2**63)


@pytest.mark.parametrize(("op", "a", "b", "exc", "message"), [
    ("//", 1, 0, ZeroDivisionError, interp_values.INT_FLOORDIV_ZERO),
    ("%", 1, 0, ZeroDivisionError, interp_values.INT_MOD_ZERO),
    ("**", 2, -1, ValueError, None), ("<<", 1, -1, ValueError, "negative shift count"),
])
def test_typed_int64_raises_like_the_backend(op, a, b, exc, message):
    with pytest.raises(exc) as info:
        Interpreter(binop(op, "i64", "i64")).call("f", a, b)
    if message:
        assert str(info.value) == message


def test_typed_true_division_of_ints_is_float_with_int_message():
    m = binop("/", "i64", "f64")
    assert Interpreter(m).call("f", 7, 2) == 3.5
    with pytest.raises(ZeroDivisionError, match="^division by zero$"):
        Interpreter(m).call("f", 1, 0)


def test_typed_float_power_raises_instead_of_complex():
    with pytest.raises(ValueError, match="fractional power"):
        Interpreter(binop("**", "f64", "f64")).call("f", -8.0, 1 / 3)
    with pytest.raises(OverflowError):
        Interpreter(binop("**", "f64", "f64")).call("f", 10.0, 400.0)


def test_typed_arguments_are_checked_and_converted():
    m = binop("+", "f64", "f64")
    assert Interpreter(m).call("f", 1, True) == 2.0
    with pytest.raises(TypeError, match="must be f64"):
        Interpreter(m).call("f", "x", 1.0)
    with pytest.raises(TypeError, match="takes 2 positional arguments but 1 were given"):
        Interpreter(m).call("f", 1.0)


GAMMA = """
%p: bool, %io.1: !io = py.truth (%a, %io)
%x: f64, %io.4: !io = gamma %p (%b, %io.1) {
^(%b.1: i64, %io.2: !io):
  %k: f64 = py.const {value = 2.5} ()
  yield (%k, %io.2)
^(%b.2: i64, %io.3: !io):
  yield (%b.2, %io.3)
}
return (%x, %io.4)
"""


def test_gamma_picks_branch_and_casts_to_the_exit_type():
    m = module(GAMMA, "%a: bool, %b: i64")
    assert Interpreter(m).call("f", False, 7) == 2.5
    result = Interpreter(m).call("f", True, 7)
    assert result == 7.0 and type(result) is float


COUNT = """
%zero = py.const {value = 0} ()
%s.2, %i.2, %io.5 = theta (%zero, %zero, %io) {
^(%s, %i, %io.1):
  %s.1, %io.2 = py.binop {op = "+"} (%s, %i, %io.1)
  %one = py.const {value = 1} ()
  %i.1, %io.3 = py.binop {op = "+"} (%i, %one, %io.2)
  %go, %io.4 = py.compare {op = "<"} (%i.1, %a, %io.3)
  yield (%go, %s.1, %i.1, %io.4)
}
return (%s.2, %io.5)
"""


def test_theta_is_a_do_while_loop():
    m = module(COUNT, "%a")
    assert Interpreter(m).call("f", 5) == 0 + 1 + 2 + 3 + 4
    assert Interpreter(m).call("f", 0) == 0  # the body runs once


def test_max_steps_stops_a_long_loop():
    with pytest.raises(InterpreterError, match="more than 50 steps"):
        Interpreter(module(COUNT, "%a"), max_steps=50).call("f", 10**9)


def test_reading_undef_raises_unbound_local_error():
    m = module("""
%x.1 = py.undef ()
%r, %io.1 = py.unop {op = "-"} (%x.1, %io)
return (%r, %io.1)
""", "%a")
    with pytest.raises(UnboundLocalError, match="local variable 'x'"):
        Interpreter(m).call("f", 1)


def test_undef_may_flow_through_ports():
    m = module("""
%p, %io.1 = py.truth (%a, %io)
%x.1 = py.undef ()
%x.3, %io.4 = gamma %p (%x.1, %a, %io.1) {
^(%x, %a.1, %io.2):
  yield (%x, %io.2)
^(%x.2, %a.2, %io.3):
  yield (%a.2, %io.3)
}
return (%x.3, %io.4)
""", "%a")
    assert Interpreter(m).call("f", 3) == 3
    with pytest.raises(UnboundLocalError):
        Interpreter(m).call("f", 0)


def test_calls_builtins_math_globals_and_other_lambdas():
    text = """
module {
  func @f(%a, %io: !io) {
    %r, %io.1 = py.call {callee = "math.sqrt"} (%a, %io)
    %s, %io.2 = py.call {callee = "global:g"} (%r, %io.1)
    %t, %io.3 = py.call {callee = "global:h"} (%s, %io.2)
    %n = py.const {value = 2}
    %u, %io.4 = py.call {callee = "builtins.round", kwnames = ("ndigits",)} (%t, %n, %io.3)
    return (%u, %io.4)
  }
  func @g(%x, %io: !io) {
    %y, %io.1 = py.binop {op = "*"} (%x, %x, %io)
    return (%y, %io.1)
  }
}
""".replace("py.const {value = 2}", "py.const {value = 2} ()")
    m = parse(text)
    assert Interpreter(m, globals={"h": lambda x: x / 3}).call("f", 4.0) == round(4.0 / 3, 2)
    with pytest.raises(NameError, match="name 'h' is not defined"):
        Interpreter(m).call("f", 4.0)
    assert Interpreter(m, resolve=lambda name: lambda x: -x).call("f", 4.0) == 2.0


def test_typed_range_iteration_uses_value_iterators():
    m = module("""
%t: range_iter<i64>, %io.1: !io = py.call {callee = "builtins.range"} (%a, %io)
%it: range_iter<i64>, %io.2: !io = py.getiter (%t, %io.1)
%ok: bool, %v: i64, %it.1: range_iter<i64>, %io.3: !io = py.iternext (%it, %io.2)
%u: tuple<bool, i64>, %io.4: !io = py.build_tuple (%ok, %v, %io.3)
return (%u, %io.4)
""".replace("%u: tuple<bool, i64>", "%u"), "%a: i64")
    assert Interpreter(m).call("f", 3) == (True, 0)


def test_steps_yield_enter_node_exit_events_with_paths():
    m = module(COUNT, "%a")
    events = list(Interpreter(m).steps("f", 2))
    assert all(isinstance(e, Event) for e in events)
    assert events[0].kind == "enter" and events[0].inputs == (2, STATE_TOKEN)
    assert events[-1].kind == "exit" and events[-1].outputs == (1, STATE_TOKEN)
    paths = {"/".join(map(str, e.path)) for e in events}
    assert paths == {"@f", "@f/1:theta#0", "@f/1:theta#1"}
    binops = [e for e in events if e.kind == "node" and getattr(e.node, "op", "") == "py.binop"]
    assert [e.outputs[0] for e in binops] == [0, 1, 1, 2]
    theta_done = [e for e in events if e.kind == "node" and e.path == events[0].path and e.node is not None
                  and not hasattr(e.node, "op")]
    assert theta_done and theta_done[0].outputs[0] == 1
    assert "py.binop(0, 0, !io) -> %s.1=0" in str(binops[0])


def test_steps_generator_returns_the_value():
    run = Interpreter(module(COUNT, "%a")).steps("f", 3)
    with pytest.raises(StopIteration) as done:
        while True:
            next(run)
    assert done.value.value == 3


def test_user_ops_by_registry_or_per_interpreter():
    m = module("""
%r = test.twice (%a)
return (%r, %io)
""", "%a")
    with pytest.raises(InterpreterError, match="no semantics for op test.twice"):
        Interpreter(m).call("f", 2)
    assert Interpreter(m, ops={"test.twice": lambda ctx, args: (2 * args[0],)}).call("f", 21) == 42
    try:
        register_op("test.twice")(lambda ctx, args: (args[0] * 2,))
        assert Interpreter(m).call("f", 4) == 8
    finally:
        OPS.pop("test.twice")


def test_nan_and_signed_zero_survive():
    m = binop("*", "f64", "f64")
    assert math.isnan(Interpreter(m).call("f", math.nan, 1.0))
    assert math.copysign(1.0, Interpreter(m).call("f", -0.0, 1.0)) == -1.0


def test_range_iter_is_a_value():
    assert RangeIter(0, 3, 1) == RangeIter(0, 3, 1)
