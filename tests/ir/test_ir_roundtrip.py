"""Printer/parser round trip: `parse(print(m)) == m` and `print(parse(t)) == t`.

On hand-written texts (every construct of the grammar in docs/ir.md), on modules built in
Python (odd names, every kind of attribute value, NaN) and on Hypothesis-generated modules,
which must also verify.
"""
import math

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from strategies import VALUE_TYPES, attr_values, functions, modules

from jitlab.ir import (
    I64, STATE, UNKNOWN, Gamma, Lambda, Loc, Module, Op, Port, Region, Theta, parse, parse_function,
    print_ir, print_module, verify,
)

RANDOM = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])

DOC_EXAMPLE = """\
module {
  func @f(%a, %b, %io: !io) loc(1:0) {
    %c = py.const {value = 2} () loc(2:8)
    %t, %io.1 = py.binop {op = "*"} (%a, %c, %io) loc(2:8)
    %p, %io.2 = py.truth (%t, %io.1) loc(3:7)
    %r, %io.3 = gamma %p (%t, %b, %io.2) {
    ^(%t.1, %b.1, %io.4):
      yield (%b.1, %io.4)
    ^(%t.2, %b.2, %io.5):
      yield (%t.2, %io.5)
    } loc(3:4)
    %i.1, %io.6 = theta (%a, %io.3) {
    ^(%i, %io.7):
      %one = py.const {value = 1} ()
      %i.2, %io.8 = py.binop {op = "-"} (%i, %one, %io.7) loc(6:8)
      %again, %io.9 = py.truth (%i.2, %io.8) loc(5:10)
      yield (%again, %i.2, %io.9)
    } loc(5:4)
    return (%r, %io.6)
  }
}
"""

TYPED = """\
module {
  delta @TABLE: array<i32, 2, C, readonly> shape (2, 2) = (1, -2, 2147483647, -2147483648) loc(1:0)
  delta @"odd name": array<c64, 1, C, readonly> shape (2,) = ((0.5, -0.0), (inf, nan))
  delta @EMPTY: array<bool, 3, C, readonly> shape (2, 0, 1) = ()
  func @sum(%n: i64, %io: !io) {inline = true, nogil = false} loc(10:0) {
    %zero: i64 = arith.const {value = 0} ()
    %acc.1: i64, %i.1: i64 = theta (%zero, %zero) {
    ^(%acc: i64, %i: i64):
      %acc.2: i64 = arith.add (%acc, %i)
      %i.2: i64 = arith.add (%i, %i)
      %go: bool = arith.cmp {op = "<"} (%i.2, %acc.2)
      yield (%go, %acc.2, %i.2)
    }
    return (%acc.1, %io)
  }
  func @g(%io: !io) {
    %k: u8 = test.make {value = (1, -2.5, inf, -inf, nan, -0.0, 1e+99, "s\\n\\"", (), (none,), ((true,),))} ()
    %it: range_iter<i64> = test.make ()
    %f: func = test.make ()
    %p: i32 = test.make ()
    %tbl: array<i32, 2, C, readonly> = py.global {name = "TABLE"} () loc(3:4)
    %x: f32 = gamma %p (%k) {
    ^(%k.1: u8):
      %x.1: f32 = test.f (%k.1)
      yield (%x.1)
    ^(%k.2):
      %x.2: f32 = test.g (%k.2)
      yield (%x.2)
    ^(%k.3: u8):
      %x.3 = test.h ()
      yield (%x.3)
    }
    test.sink (%it, %f, %x)
    return (%k, %io)
  }
  func @"<lambda>"(%"a b", %"", %0: none, %io) {"odd key" = "\\u00e9", "0" = 1} {
    %"x\\"y" = "weird op" (%"a b", %"", %0)
    %café.1, %$t.2 = test.op {true = false, loc = none} (%"x\\"y")
    return (%café.1, %io)
  }
  func @empty(%io: !io) {
    return (%io, %io)
  }
}
"""


@pytest.mark.parametrize("text", [DOC_EXAMPLE, TYPED, "module {\n}\n"], ids=["doc", "typed", "empty"])
def test_hand_written_text_round_trips(text):
    module = parse(text)
    assert print_module(module) == text
    assert parse(print_module(module)) == module


def test_doc_example_verifies():
    verify(parse(DOC_EXAMPLE))


def test_parsed_structure():
    fn = parse(DOC_EXAMPLE).get("f")
    assert [p.name for p in fn.body.params] == ["a", "b", "io"] and fn.body.params[2].type == STATE
    assert fn.loc == Loc(1, 0) and fn.body.results == ("r", "io.6")
    const, binop, truth, gamma, theta = fn.body.nodes
    assert const == Op("py.const", (), (Port("c"),), (("value", 2),), Loc(2, 8))
    assert binop.inputs == ("a", "c", "io") and binop.attr("op") == "*"
    assert isinstance(gamma, Gamma) and gamma.predicate == "p" and len(gamma.branches) == 2
    assert gamma.branches[0].results == ("b.1", "io.4")
    assert isinstance(theta, Theta) and theta.predicate == "again"
    assert [lv.post for lv in theta.loop_vars] == ["i.2", "io.9"]


def test_odd_names_and_values_parse_to_what_they_print():
    fn = parse(TYPED).functions[2]
    assert fn.name == "<lambda>" and [p.name for p in fn.body.params] == ["a b", "", "0", "io"]
    assert fn.attrs == (("odd key", "é"), ("0", 1))
    assert fn.body.nodes[0].op == "weird op" and fn.body.nodes[0].outputs[0].name == 'x"y'
    k = parse(TYPED).functions[1].body.nodes[0].attr("value")
    assert k[:3] == (1, -2.5, math.inf) and k[3] == -math.inf and k[4] is math.nan
    assert math.copysign(1.0, k[5]) == -1.0 and k[6:] == (1e99, 's\n"', (), (None,), ((True,),))


def test_layout_and_comments_do_not_matter():
    squeezed = "module{func @f(%a,%io:!io){// comment\n%b=test.id(%a)return(%b,%io)}}"
    spread = """
        // a module
        module {
          func @f(%a, %io: !io) {
            %b = test.id (%a)   // trailing comment
            return (%b, %io)
          }
        }
    """
    assert parse(squeezed) == parse(spread) == parse(print_module(parse(spread)))


def test_built_module_round_trips_nan_inf_and_signed_zero():
    attrs = (("value", math.nan), ("t", (math.inf, -math.inf, -0.0, 5e-324, 2**80, True, 1)))
    op = Op("test.c", (), (Port("x", I64),), attrs, Loc(3, 1))
    fn = Lambda("f", Region((Port("io", STATE),), (op,), ("x", "io")), Loc(1, 0))
    module = Module((fn,))
    back = parse(print_module(module))
    assert back == module and hash(back) == hash(module)
    t = back.functions[0].body.nodes[0].attr("t")
    assert math.copysign(1.0, t[2]) == -1.0 and type(t[5]) is bool and type(t[6]) is int


def test_parse_function_reads_print_ir_of_a_lambda():
    fn = parse(DOC_EXAMPLE).functions[0]
    text = print_ir(fn)
    assert parse_function(text) == fn and print_ir(parse_function(text)) == text


def test_empty_gamma_and_zero_output_nodes_print_and_parse():
    # not valid (V6), but printable: the parser checks syntax only
    gamma = Gamma("p", (), (), ())
    theta = Theta((), Region((), (), ("p",)), ())
    fn = Lambda("f", Region((Port("p"), Port("io")), (gamma, theta), ("p", "io")))
    module = Module((fn,))
    assert parse(print_module(module)) == module


@RANDOM
@given(modules())
def test_generated_modules_verify_and_round_trip(module):
    verify(module)
    text = print_module(module)
    back = parse(text)
    assert back == module
    assert print_module(back) == text
    verify(back)


@RANDOM
@given(functions(max_depth=2))
def test_generated_functions_round_trip_through_parse_function(fn):
    text = print_ir(fn)
    assert parse_function(text) == fn and print_ir(parse_function(text)) == text


@settings(max_examples=300, deadline=None)
@given(attr_values(), st.sampled_from((UNKNOWN, STATE, *VALUE_TYPES)))
def test_every_attribute_value_and_type_round_trips(value, t):
    op = Op("test.v", (), (Port("x", t),), (("v", value),))
    module = Module((Lambda("f", Region((Port("io"),), (op,), ("x", "io"))),))
    assert parse(print_module(module)) == module


def test_random_modules_are_not_all_trivial():
    sizes = []

    @settings(max_examples=30, deadline=None, database=None)
    @given(modules(max_functions=1))
    def collect(module):
        sizes.append(sum(1 for fn in module.lambdas for _ in fn.body.walk()))

    collect()
    assert max(sizes) >= 8
