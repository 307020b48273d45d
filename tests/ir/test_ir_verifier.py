"""The verifier: every invariant V1..V15 of jitlab/ir/verifier.py has negative tests here;
valid hand-written and generated modules pass."""
import dataclasses
import re

import pytest
from hypothesis import HealthCheck, given, settings
from strategies import modules

from jitlab.errors import VerificationError
from jitlab.ir import I64, Lambda, Module, Op, Port, Region, parse, verify
from jitlab.ir import verifier as verifier_module


def fn(*lines: str, params: str = "%a, %io: !io", ret: str = "return (%a, %io)") -> str:
    """A one-function module; the body lines start on line 3."""
    body = "".join(f"    {line}\n" for line in lines)
    return f"module {{\n  func @f({params}) loc(1:0) {{\n{body}    {ret}\n  }}\n}}\n"


def broken(invariant: str, text_or_module, fragment: str) -> VerificationError:
    module = parse(text_or_module) if isinstance(text_or_module, str) else text_or_module
    with pytest.raises(VerificationError) as info:
        verify(module)
    err = info.value
    assert err.invariant == invariant, str(err)
    assert err.message.startswith(f"[{invariant}] "), err.message
    assert fragment in err.message, err.message
    return err


VALID = fn(
    "%c = py.const {value = 1} () loc(2:4)",
    "%s, %io.1 = py.binop {op = \"+\"} (%a, %c, %io) loc(3:4)",
    "%p: bool = test.cond (%s)",
    "%r: i64, %io.2 = gamma %p (%s, %io.1) {",
    "^(%s.1, %io.3: !io):",
    "  %k: i64 = test.make ()",
    "  yield (%k, %io.3)",
    "^(%s.2, %io.4):",
    "  %j = test.make ()",
    "  yield (%j, %io.4)",
    "} loc(4:4)",
    "%n: i64, %io.5 = theta (%r, %io.2) {",
    "^(%n.1: i64, %io.6):",
    "  %n.2: i64 = arith.add (%n.1, %n.1)",
    "  %go, %io.7 = py.truth (%n.2, %io.6)",
    "  yield (%go, %n.2, %io.7)",
    "}",
    ret="return (%n, %io.5)",
)


def test_valid_module_verifies():
    verify(parse(VALID))
    verify(Module())


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(modules(max_depth=4))
def test_generated_modules_verify(module):
    # test_ir_roundtrip.py verifies 100 more at the default depth
    verify(module)


def test_docstring_lists_every_invariant_that_is_raised():
    doc_ids = re.findall(r"^(V\d+) ", verifier_module.__doc__, re.M)
    raised = set(re.findall(r'"(V\d+)"', open(verifier_module.__file__).read()))
    assert doc_ids == [f"V{i}" for i in range(1, len(doc_ids) + 1)]
    assert raised == set(doc_ids)


def test_error_carries_the_node_line():
    err = broken("V4", fn("%b = test.op (%zz) loc(7:3)"), "%zz")
    assert err.line == 7
    err = broken("V4", fn("%b = test.op (%zz)"), "%zz")
    assert err.line == 1  # no loc on the node: the function's


# -- V1 well-formed values ------------------------------------------------------------------------
def _module(*nodes) -> Module:
    return Module((Lambda("f", Region((Port("a"), Port("io")), tuple(nodes), ("a", "io"))),))


@pytest.mark.parametrize(("module", "fragment"), [
    (_module(Op("test.op", ["a"], ())), "uses must be a tuple of str"),
    (_module(Op("test.op", (), ("b",))), "is not a Port"),
    (_module(Op("test.op", (), (Port("b", "i64"),))), "is not a Port with a str name and a Type"),
    (_module("test.op"), "str is not an IR node"),
    (_module(Op("test.op", (), (), loc=(1, 2))), "is not a Loc"),
    (Module((Region((), (), ()),)), "not a Lambda"),
    (Module([]), "expected a Module"),
])
def test_v1_malformed_values(module, fragment):
    broken("V1", module, fragment)


# -- V2..V4 names and scopes ----------------------------------------------------------------------
def test_v2_function_names_unique():
    text = fn().replace("}\n}\n", "}\n" + fn().split("\n", 1)[1])
    broken("V2", text, "function @f is defined twice")


@pytest.mark.parametrize("lines", [
    ["%a = test.op ()"],
    ["%b = test.op ()", "%b = test.op ()"],
    ["%t = theta (%a) {", "^(%a):", "  %p = test.c ()", "  yield (%p, %a)", "}"],
    ["%p = test.c ()", "gamma %p () {", "^():", "  %p.1 = test.c ()", "  yield ()",
     "^():", "  %p.1 = test.c ()", "  yield ()", "}"],
])
def test_v3_names_unique_within_a_function(lines):
    broken("V3", fn(*lines), "is defined twice")


@pytest.mark.parametrize(("lines", "ret", "fragment"), [
    (["%b = test.op (%c)", "%c = test.op ()"], "return (%a, %io)", "%c used by op test.op defining %b is not "
                                                                    "defined before this use"),
    ([], "return (%nope, %io)", "%nope used by return"),
    (["theta () {", "^():", "  %b = test.op (%a)", "  %p = test.c ()", "  yield (%p)", "}"],
     "return (%a, %io)", "%a used by op test.op defining %b is defined in another region"),
    (["%p = test.c ()", "%x = gamma %p () {", "^():", "  yield (%a)", "^():", "  yield (%a)", "}"],
     "return (%a, %io)", "%a used by yield is defined in another region"),
    (["theta () {", "^():", "  %p = test.c ()", "  yield (%p)", "}", "test.op (%p)"],
     "return (%a, %io)", "%p used by op test.op is defined in another region"),
])
def test_v4_strict_scoping(lines, ret, fragment):
    broken("V4", fn(*lines, ret=ret), fragment)


# -- V5..V7 structural shapes ---------------------------------------------------------------------
@pytest.mark.parametrize(("params", "ret", "fragment"), [
    ("", "return (%a, %a)", "at least the state parameter"),
    ("%a, %io", "return (%a)", "returns (value, state), not 1 results"),
    ("%a, %io", "return (%a, %io, %io)", "not 3 results"),
    ("%a, %io: i64", "return (%a, %io)", "the last parameter %io is the state, typed i64"),
    ("%a: !io, %io", "return (%a, %io)", "parameter %a is typed !io but only the last"),
    ("%a, %io: !io", "return (%io, %a)", "the return value %io is the state token"),
    ("%a: f64, %io", "return (%io, %a)", "the returned state %a is typed f64"),
])
def test_v5_lambda_signature(params, ret, fragment):
    text = fn(params=params, ret=ret) if params else fn("%a = test.make ()", params="", ret=ret)
    broken("V5", text, fragment)


@pytest.mark.parametrize(("lines", "fragment"), [
    (["%p = test.c ()", "gamma %p () {", "^():", "  yield ()", "}"],
     "gamma has 1 branches, needs at least 2"),
    (["%p = test.c ()", "gamma %p () {", "}"], "gamma has 0 branches"),
    (["%p = test.c ()", "%x = gamma %p (%a) {", "^(%b):", "  yield (%b)", "^():", "  yield (%p)", "}"],
     "gamma branch 1 has 0 params and 1 results for 1 inputs and 1 outputs"),
    (["%p = test.c ()", "%x = gamma %p (%a) {", "^(%b):", "  yield (%b)", "^(%c):", "  yield ()", "}"],
     "gamma branch 1 has 1 params and 0 results"),
])
def test_v6_gamma_shape(lines, fragment):
    broken("V6", fn(*lines), fragment)


@pytest.mark.parametrize(("lines", "fragment"), [
    (["%x = theta (%a) {", "^(%b):", "  yield (%b)", "}"], "1 body results (needs 1, 1, 2)"),
    (["%x = theta (%a) {", "^():", "  %p = test.c ()", "  yield (%p, %p)", "}"], "0 body params"),
    (["theta (%a) {", "^(%b):", "  %p = test.c ()", "  yield (%p, %b)", "}"], "0 outputs"),
])
def test_v7_theta_shape(lines, fragment):
    broken("V7", fn(*lines), fragment)


# -- V8, V9 types ---------------------------------------------------------------------------------
@pytest.mark.parametrize(("lines", "fragment"), [
    (["%p: f64 = test.c ()", "gamma %p () {", "^():", "  yield ()", "^():", "  yield ()", "}"],
     "gamma predicate %p is typed f64, not bool or an integer"),
    (["%p: bool = test.c ()", "gamma %p () {", *["^():", "  yield ()"] * 3, "}"],
     "gamma on bool %p has 3 branches, not 2"),
    (["%x = theta (%a) {", "^(%b):", "  %p: none = test.c ()", "  yield (%p, %b)", "}"],
     "theta repeat predicate %p is typed none"),
])
def test_v8_predicate_types(lines, fragment):
    broken("V8", fn(*lines), fragment)


GAMMA_IO = ["%p: i8 = test.c ()", "%x{out} = gamma %p (%k) {", "^(%k.1{p0}):", "  %r0{r0} = test.c ()",
            "  yield (%r0)", "^(%k.2{p1}):", "  %r1{r1} = test.c ()", "  yield (%r1)", "}"]


def _gamma(k="", p0="", p1="", r0="", r1="", out=""):
    subst = {"{p0}": p0, "{p1}": p1, "{r0}": r0, "{r1}": r1, "{out}": out}
    lines = []
    for line in GAMMA_IO:
        for marker, t in subst.items():
            line = line.replace(marker, t)
        lines.append(line)
    return fn(f"%k{k} = test.c ()", *lines)


@pytest.mark.parametrize(("text", "fragment"), [
    (_gamma(k=": i64", p1=": f64"), "gamma input %k: i64 disagrees with branch 1 param %k.2: f64"),
    (_gamma(p0=": i64", p1=": f64"), "branch 0 param %k.1: i64 disagrees with branch 1 param %k.2: f64"),
    (_gamma(r0=": i64", out=": bool"), "branch 0 result %r0: i64 disagrees with gamma output %x: bool"),
    (_gamma(r0=": i64", r1=": u64"), "branch 0 result %r0: i64 disagrees with branch 1 result %r1: u64"),
    (fn("%x: i64 = theta (%a) {", "^(%b):", "  %p = test.c ()", "  %n: f32 = test.c ()",
        "  yield (%p, %n)", "}"),
     "next value %n: f32 disagrees with theta output %x: i64"),
    (fn("%k: i64 = test.c ()", "%x = theta (%k) {", "^(%b: i32):", "  %p = test.c ()",
        "  yield (%p, %b)", "}"),
     "theta input %k: i64 disagrees with loop param %b: i32"),
])
def test_v9_port_types_agree(text, fragment):
    broken("V9", text, fragment)


def test_v9_untyped_ports_agree_with_everything():
    verify(parse(_gamma(k=": i64", p0=": i64", r1=": f64")))


# -- V10, V11 ops ---------------------------------------------------------------------------------
@pytest.mark.parametrize(("module", "fragment"), [
    (_module(Op("add", (), ())), "op name 'add' is not of the form family.name"),
    (_module(Op("gamma", (), ())), "op name 'gamma'"),
    (_module(Op("py.", (), ())), "op name 'py.'"),
    (_module(Op("test.op", (), (), (("k", 1), ("k", 2)))), "attribute 'k' is given twice"),
    (_module(Op("test.op", (), (), (("k", [1]),))), "attribute 'k' has a value of type list"),
    (_module(Op("test.op", (), (), (("k", (1, {2})),))), "has a value of type tuple"),
    (_module(Op("test.op", (), (), ("k",))), "is not a (str, value) pair"),
    (Module((Lambda("f", Region((Port("io"),), (), ("io", "io")), attrs=((1, 2),)),)), "(str, value) pair"),
])
def test_v10_op_names_and_attributes(module, fragment):
    broken("V10", module, fragment)


@pytest.mark.parametrize(("line", "fragment"), [
    ('%r, %io.1 = py.binop {op = "+"} (%a, %io)', "py.binop takes 3 inputs and 2 outputs, not 2 and 2"),
    ('%r = py.binop {op = "+"} (%a, %a, %io)', "not 3 and 1"),
    ("%r, %io.1 = py.call {callee = \"f\"} ()", "py.call takes at least 1 inputs and 2 outputs, not 0 and 2"),
    ("%r = py.const ()", "py.const needs the attribute 'value'"),
    ("%r, %io.1 = py.binop (%a, %a, %io)", "py.binop needs the attribute 'op'"),
    ('%r, %io.1: i64 = py.truth (%a, %io)', "py.truth's state %io.1 is typed i64, not !io"),
    ('%r: !io, %io.1 = py.truth (%a, %io)', "py.truth's value output %r is typed !io"),
    ('%ok, %v, %it, %io.1 = py.iternext (%a, %a, %io)', "py.iternext takes 2 inputs and 4 outputs"),
    ('%x, %io.1 = py.unpack {count = 2} (%a, %io)', "py.unpack takes 2 inputs and 3 outputs, not 2 and 2"),
    ('%x, %io.1 = py.unpack {count = -1} (%a, %io)', "py.unpack's count must be an int >= 0, not -1"),
    ('%x, %io.1 = py.unpack (%a, %io)', "py.unpack needs the attribute 'count'"),
])
def test_v11_known_py_ops(line, fragment):
    broken("V11", fn(line, ret="return (%a, %a)"), fragment)


def test_v11_py_unpack_gives_count_items_and_the_state():
    verify(parse(fn("%x, %y, %io.1 = py.unpack {count = 2} (%a, %io)", ret="return (%x, %io.1)")))


def test_v11_state_input_typed():
    text = fn("%b: f64 = test.c ()", "%r, %io.1 = py.truth (%a, %b)")
    broken("V11", text, "py.truth's state %b is typed f64")


def test_v11_unknown_ops_of_any_family_are_allowed():
    verify(parse(fn("%r, %s, %t = py.brand_new (%a)", "%u = mine.op {x = 1} (%r, %s, %t, %a)")))


# -- V12 state linearity --------------------------------------------------------------------------
@pytest.mark.parametrize(("lines", "ret", "fragment"), [
    (["%r, %io.1 = py.truth (%a, %io)", "%s, %io.2 = py.truth (%a, %io)"], "return (%a, %io.2)",
     "state %io is consumed twice (second use by op py.truth defining %s)"),
    (["%r, %io.1 = py.truth (%a, %io)"], "return (%a, %io)",
     "state %io is consumed twice (second use by return)"),
    (["%s: !io = test.make ()", "test.a (%s)", "test.b (%s)"], "return (%a, %io)",
     "state %s is consumed twice"),
    (["%p = test.c ()", "%x = gamma %p (%io) {", "^(%i0):", "  test.eat (%i0)", "  yield (%i0)",
      "^(%i1):", "  yield (%i1)", "}"], "return (%a, %x)",
     "state %i0 is consumed twice (second use by yield)"),
    (["%x = theta (%io) {", "^(%i0):", "  %v = test.c ()", "  %p, %i1 = py.truth (%v, %i0)",
      "  yield (%p, %i1)", "}", "test.eat (%x)"], "return (%a, %x)", "state %x is consumed twice"),
])
def test_v12_state_used_linearly(lines, ret, fragment):
    broken("V12", fn(*lines, ret=ret), fragment)


def test_v12_allows_dropping_state_and_untracked_values():
    # a state value may be left unused, and values not known to be state may be used often
    verify(parse(fn("%s = test.make ()", "test.a (%s)", "test.b (%s)", "%r, %io.1 = py.truth (%a, %io)",
                    ret="return (%a, %a)")))


def test_verify_is_pure_and_accepts_rebuilt_values():
    module = parse(VALID)
    fn0 = module.functions[0]
    again = dataclasses.replace(fn0, body=dataclasses.replace(fn0.body, params=(Port("a", I64), Port("io"))))
    verify(Module((again,)))
    verify(module)


def test_v9_merges_widen_but_never_narrow():
    from jitlab.errors import VerificationError
    from jitlab.ir import parse, verify

    text = """module {
  func @f(%p: bool, %a: i64, %b: f64, %io: !io) {
    %r: RT, %io.1: !io = gamma %p (%a, %b, %io) {
    ^(%a.1: i64, %b.1: f64, %io.2: !io):
      yield (%a.1, %io.2)
    ^(%a.2: i64, %b.2: f64, %io.3: !io):
      yield (%b.2, %io.3)
    }
    return (%r, %io.1)
  }
}
"""
    verify(parse(text.replace("RT", "f64")))       # i64 widens to f64 at the merge
    with pytest.raises(VerificationError, match=r"\[V9\].*f64 disagrees with gamma output %r: i64"):
        verify(parse(text.replace("RT", "i64")))   # f64 never narrows to i64


FIB = """module {
  phi {
    func @fib(%n, %io: !io) loc(1:0) {
      %r, %io.1 = py.call {callee = "rec:fib"} (%n, %io) loc(2:4)
      return (%r, %io.1)
    }
    func @even(%m, %io: !io) loc(4:0) {
      %r, %io.1 = py.call {callee = "rec:fib"} (%m, %io) loc(5:4)
      return (%r, %io.1)
    }
  } loc(1:0)
}
"""


def test_v13_valid_phi_verifies():
    verify(parse(FIB))


@pytest.mark.parametrize(("text", "fragment"), [
    (FIB.replace('"rec:fib"} (%m, %io)', '"rec:odd"} (%m, %io)'), "call of rec:odd names no λ of its φ"),
    (FIB.replace('"rec:fib"} (%m, %io)', '"rec:fib"} (%m, %m, %io)'), "passes 3 values to 2 parameters"),
    (fn('%r, %io.1 = py.call {callee = "rec:f"} (%a, %io)', ret="return (%r, %io.1)"), "outside a φ"),
])
def test_v13_recursive_calls_stay_in_their_phi(text, fragment):
    broken("V13", text, fragment)


def test_v13_phi_shape():
    m = parse(FIB)
    broken("V13", dataclasses.replace(m, phis=(dataclasses.replace(m.phis[0], functions=()),)), "holds no λ")
    broken("V13", dataclasses.replace(m, phis=(m.phis[0].functions[0],)), "not a Phi")
    twice = dataclasses.replace(m, functions=(m.phis[0].functions[1],))
    broken("V2", twice, "function @even is defined twice")


# -- V14 / V15: global constants (δ) ----------------------------------------------------------------
DELTA = 'delta @G: array<f64, 1, C, readonly> shape (2,) = (1.5, 2.5) loc(1:0)'


def with_delta(*lines: str, delta: str = DELTA, ret: str = "return (%a, %io)") -> str:
    return fn(*lines, ret=ret).replace("module {\n", f"module {{\n  {delta}\n", 1)


def test_a_module_with_a_delta_verifies():
    verify(parse(with_delta('%g: array<f64, 1, C, readonly> = py.global {name = "G"} ()',
                            "%x: f64, %io.1: !io = py.getitem (%g, %a, %io)", ret="return (%x, %io.1)")))


@pytest.mark.parametrize(("make", "fragment"), [
    (lambda m: with_delta('%g = py.global {name = "H"} ()'), "names no global of the module"),
    (lambda m: with_delta('%g: array<f64, 1, C> = py.global {name = "G"} ()'),
     "is typed array<f64, 1, C>, the global is array<f64, 1, C, readonly>"),
    (lambda m: dataclasses.replace(m, deltas=m.deltas * 2), "global @G is defined twice"),
    (lambda m: dataclasses.replace(m, deltas=(dataclasses.replace(m.deltas[0], name="f"),)),
     "global @f is defined twice"),
    (lambda m: dataclasses.replace(m, deltas=(dataclasses.replace(m.deltas[0], data=b"\0" * 8),)),
     "holds 8 bytes, shape (2,) of f64 needs 16"),
    (lambda m: dataclasses.replace(m, deltas=(dataclasses.replace(m.deltas[0], shape=(2, 1)),)),
     "has shape (2, 1) for 1 dimensions"),
    (lambda m: dataclasses.replace(m, deltas=(dataclasses.replace(
        m.deltas[0], type=dataclasses.replace(m.deltas[0].type, readonly=False)),)),
     "not a read-only C array"),
    (lambda m: dataclasses.replace(m, deltas=("G",)), "holds str among its δs"),
])
def test_v14_global_constants(make, fragment):
    base = parse(with_delta())
    broken("V14", make(base), fragment)


def test_v15_a_read_only_array_is_never_written():
    text = with_delta('%g: array<f64, 1, C, readonly> = py.global {name = "G"} ()',
                      "%v: f64 = test.make ()",
                      "%io.1: !io = py.setitem (%g, %a, %v, %io)", ret="return (%a, %io.1)")
    broken("V15", text, "py.setitem writes into %g, a read-only array<f64, 1, C, readonly>")


def test_v15_no_in_place_operator_on_a_read_only_array():
    text = with_delta('%g: array<f64, 1, C, readonly> = py.global {name = "G"} ()',
                      "%v: f64 = test.make ()",
                      '%g.1: array<f64, 1, C, readonly>, %io.1: !io = py.binop {op = "+", inplace = true} '
                      "(%g, %v, %io)", ret="return (%a, %io.1)")
    broken("V15", text, "py.binop writes into %g")


def test_v15_a_merge_keeps_read_only():
    text = with_delta('%g: array<f64, 1, C, readonly> = py.global {name = "G"} ()',
                      "%p: bool = test.cond ()",
                      "%w: array<f64, 1, A> = gamma %p (%g) {",
                      "^(%g.1: array<f64, 1, C, readonly>):",
                      "  yield (%g.1)",
                      "^(%g.2: array<f64, 1, C, readonly>):",
                      "  yield (%g.2)",
                      "}")
    broken("V9", text, "disagrees with gamma output %w: array<f64, 1, A>")
    verify(parse(text.replace("%w: array<f64, 1, A>", "%w: array<f64, 1, A, readonly>")))
