"""`hoist` out of a γ in a θ: invariant nodes leave the branch and the loop only when they may run
where they did not (`purity.can_speculate`); the compiled functions keep CPython's results
(differential corpus cases `*_in_branch*`), interpreted on the `opt` stage and natively."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

import jitlab

from jitlab.dispatch import typeof
from jitlab.ir import BOOL, I64, Gamma, Op, Theta, parse, verify
from jitlab.ir.interpreter import Interpreter
from jitlab.passes.purity import can_speculate, is_pure
from jitlab.passes.rewrite import port_types

sys.path.insert(0, str(Path(__file__).parents[1]))
import differential_corpus as corpus
from differential_support import disagreement, outcome
from test_differential import _jitted_namespace

NAMES = {"invariant_in_branch", "division_in_branch_never_taken", "overflow_in_branch_never_taken",
         "invariant_in_nested_branch"}
CASES = {f.__name__: argsets for f, argsets in corpus.CASES if f.__name__ in NAMES}


def top_level_ops(fn) -> set[tuple[str, object]]:
    """(op, its `op` attribute) of the simple nodes outside every θ and γ."""
    return {(n.op, n.attr("op")) for n in fn.body.nodes if isinstance(n, Op)}


def in_loops(fn) -> set[tuple[str, object]]:
    out = set()
    for n in fn.body.nodes:
        if isinstance(n, (Theta, Gamma)):
            for sub in (n.branches if isinstance(n, Gamma) else (n.body,)):
                out |= {(m.op, m.attr("op")) for m in sub.walk() if isinstance(m, Op)}
    return out


def record_of(name: str, args: tuple):
    return _jitted_namespace()[name].compile(tuple(typeof(a) for a in args)).record


def opt_of(name: str, args: tuple):
    return record_of(name, args).artefacts["opt"]


def test_the_corpus_cases_exist():
    assert set(CASES) == NAMES


@pytest.mark.parametrize("name", sorted(CASES))
def test_interpreted_opt_stage_and_native_code_agree_with_cpython(name):
    func = getattr(corpus, name)
    for args in CASES[name]:
        record = record_of(name, args)
        opt = record.artefacts["opt"]
        verify(opt)
        expected = outcome(func, args)
        interpreter = Interpreter(opt, overflow=record.options.overflow)
        assert disagreement(expected, outcome(interpreter.call, (name, *args))) is None, args
        assert disagreement(expected, outcome(_jitted_namespace()[name], args)) is None, args


def test_a_float_product_leaves_the_branch_and_the_loop():
    fn = opt_of("invariant_in_branch", (5, 2.0, 0)).functions[0]
    assert ("py.binop", "*") in top_level_ops(fn) and ("py.binop", "*") not in in_loops(fn)
    nested = opt_of("invariant_in_nested_branch", (6, 1.5, 1, 4)).functions[0]
    assert ("py.binop", "*") in top_level_ops(nested) and ("py.binop", "*") not in in_loops(nested)


def test_what_may_raise_stays_in_its_branch():
    fn = opt_of("division_in_branch_never_taken", (5, 0, False)).functions[0]
    floordivs_in_loop = [n for n in fn.body.walk() if isinstance(n, Op) and n.attr("op") == "//"]
    # `n // 2` (a constant divisor) left the loop; `n // d` stays where it was
    assert ("py.binop", "//") in top_level_ops(fn) and ("py.binop", "//") in in_loops(fn)
    assert len(floordivs_in_loop) == 2



def test_int64_arithmetic_is_speculated_only_where_overflow_wraps():
    func = corpus.overflow_in_branch_never_taken
    raising = jitlab.jit(func, cache=False, overflow="raise")
    record = raising.compile((I64, I64, BOOL)).record
    fn = record.artefacts["opt"].functions[0]
    assert ("py.binop", "*") in in_loops(fn) and ("py.binop", "*") not in top_level_ops(fn)
    for args in [(3, 2**62, False), (3, 5, True)]:  # big * 4 overflows, in a branch never taken
        expected = outcome(func, args)
        interpreter = Interpreter(record.artefacts["opt"], overflow="raise")
        assert disagreement(expected, outcome(interpreter.call, (func.__name__, *args))) is None
        assert disagreement(expected, outcome(raising, args)) is None
    wrapping = jitlab.jit(func, cache=False)  # jitlab's default: int64 wraps, nothing raises
    fn = wrapping.compile((I64, I64, BOOL)).record.artefacts["opt"].functions[0]
    assert ("py.binop", "*") in top_level_ops(fn) and ("py.binop", "*") not in in_loops(fn)
    assert wrapping(3, 2**62, False) == 3 and wrapping(3, 5, True) == 60


SPECULATION = """module {
  func @f(%a: i64, %b: i64, %x: f64, %u: u8, %io: !io) {
    %c0: i64 = py.const {value = 0} ()
    %m1: i64 = py.const {value = -1} ()
    %c2: i64 = py.const {value = 2} ()
    %add: i64, %io.1: !io = py.binop {op = "+"} (%a, %b, %io)
    %safe: i64, %io.2: !io = py.binop {op = "+", nooverflow = true} (%a, %b, %io.1)
    %neg: i64, %io.3: !io = py.unop {op = "-"} (%a, %io.2)
    %abs: i64, %io.4: !io = py.call {callee = "builtins.abs"} (%a, %io.3)
    %div2: i64, %io.5: !io = py.binop {op = "//"} (%a, %c2, %io.4)
    %divm1: i64, %io.6: !io = py.binop {op = "//"} (%a, %m1, %io.5)
    %divb: i64, %io.7: !io = py.binop {op = "//"} (%a, %b, %io.6)
    %fmul: f64, %io.8: !io = py.binop {op = "*"} (%x, %x, %io.7)
    %wrap: u8, %io.9: !io = py.binop {op = "*"} (%u, %u, %io.8)
    %lt: bool, %io.10: !io = py.compare {op = "<"} (%a, %b, %io.9)
    %shl: i64, %io.11: !io = py.binop {op = "<<"} (%a, %c2, %io.10)
    %not: i64, %io.12: !io = py.unop {op = "~"} (%a, %io.11)
    return (%c0, %io.12)
  }
}
"""


def test_can_speculate_refuses_what_may_raise():
    module = parse(SPECULATION)
    fn = module.functions[0]
    types = port_types(fn)
    consts = {n.outputs[0].name: n.attr("value") for n in fn.body.nodes if n.op == "py.const"}
    got = {n.outputs[0].name: (is_pure(n, types, consts), can_speculate(n, types, consts))
           for n in fn.body.nodes if n.op != "py.const"}
    assert all(can_speculate(n, types, consts, "wrap") for n in fn.body.nodes
               if n.op != "py.const" and n.outputs[0].name != "divb")  # int64 wraps: nothing overflows
    assert got == {"add": (True, False), "safe": (True, True), "neg": (True, False), "abs": (True, False),
                   "div2": (True, True), "divm1": (True, False), "divb": (False, False),
                   "fmul": (True, True), "wrap": (True, True), "lt": (True, True),
                   "shl": (True, False), "not": (True, True)}
