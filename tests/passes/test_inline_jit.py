"""The `inline` pass in the jit pipeline: a jitted caller's `opt` stage holds its small callees'
bodies instead of calls (so later passes see through them), recursive and large callees stay
calls that LLVM inlines after linking their bitcode in (JIT LTO), and results do not change."""
from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

import jitlab
from jitlab.dispatch import typeof
from jitlab.ir import Op, verify
from jitlab.ir.interpreter import Interpreter
from jitlab.passes import DEFAULT_PIPELINE, Inline, PassManager

sys.path.insert(0, str(Path(__file__).parents[1]))
import differential_corpus as corpus
from differential_support import disagreement, outcome
from test_differential import _jitted_namespace
from test_three_way import resolve_typed


@jitlab.jit(cache=False)
def poly(x):
    return 3 * x * x + 1


@jitlab.jit(cache=False)
def clipped(x, hi):
    if x > hi:
        return hi
    return x


@jitlab.jit(cache=False)
def at(a, i):
    return a[i]


@jitlab.jit(cache=False)
def countdown(n):
    if n <= 0:
        return 0
    return 1 + countdown(n - 1)


def calls(module, prefix: str = "global:") -> list[Op]:
    return [n for fn in module.lambdas for n in fn.body.walk()
            if isinstance(n, Op) and n.op == "py.call" and str(n.attr("callee")).startswith(prefix)]


def ops(module) -> set[tuple[str, str | None]]:
    return {(n.op, n.attr("op")) for fn in module.lambdas for n in fn.body.walk() if isinstance(n, Op)}


def test_a_jitted_callee_is_inlined_into_the_opt_stage():
    @jitlab.jit(cache=False)
    def caller(n):
        s = 0
        for i in range(n):
            s += clipped(poly(i), 50)
        return s

    assert caller(10) == sum(min(3 * i * i + 1, 50) for i in range(10))
    record = caller.last_compile
    typed, opt = record.artefacts["typed"], record.artefacts["opt"]
    assert len(calls(typed)) == 2 and calls(opt) == []
    verify(opt)
    # the callees' ops are in the caller: poly's products, clipped's γ
    assert ("py.binop", "*") in ops(opt) and ("py.compare", ">") in ops(opt)
    assert "gamma" in record.texts["opt"].split("theta", 1)[1]
    assert "global:" not in record.texts["opt"]
    # the pass timeline shows it: `inline` runs first and changed the module
    first = record.pass_records[0]
    assert first.name == "inline" and first.changed and "py.call {callee = \"global:" in first.before
    # nothing is left to link in for LLVM
    assert record.link_bitcode == []


def test_inlining_verifies_after_every_pass():
    @jitlab.jit(cache=False)
    def caller(x):
        return poly(x) + clipped(x, 2)

    assert caller(3) == 30
    record = caller.last_compile
    typed = record.artefacts["typed"]
    unbound, _ = PassManager(["inline"], verify=True).run(typed)
    assert unbound == typed  # by itself the pass has no jitted callee to copy in
    bound = Inline().for_compile(record)
    out, records = PassManager([bound, *DEFAULT_PIPELINE[1:]], verify=True).run(typed)  # V1-V13 each time
    assert records[0].changed and calls(out) == []
    assert out == record.artefacts["opt"]


def test_later_passes_see_through_an_inlined_call():
    @jitlab.jit(cache=False)
    def total(a):
        s = 0
        for i in range(len(a)):
            s += at(a, i)
        return s

    a = np.arange(7)
    assert total(a) == 21
    opt = total.last_compile.artefacts["opt"]
    getitems = [n for n in opt.functions[0].body.walk() if isinstance(n, Op) and n.op == "py.getitem"]
    assert getitems and all(n.attr("inbounds") is True for n in getitems)  # range analysis, BCE
    assert at.last_compile.artefacts["opt"] != opt
    alone = at.last_compile.artefacts["opt"].functions[0]
    assert all(n.attr("inbounds") is not True for n in alone.body.walk() if isinstance(n, Op))  # i: any


def test_a_recursive_callee_stays_a_call_linked_in_for_llvm():
    @jitlab.jit(cache=False)
    def caller(n):
        return countdown(n) * 2

    assert caller(5) == 10
    record = caller.last_compile
    left = calls(record.artefacts["opt"])
    assert [n.attr("callee") for n in left] == ["global:countdown"]
    assert len(record.link_bitcode) == 1  # JIT LTO for the call left standing


def test_a_callee_over_the_size_limit_stays_a_call():
    small = Inline(max_nodes=1)

    @jitlab.jit(cache=False, passes=[small, *DEFAULT_PIPELINE[1:]])
    def caller(x):
        return poly(x) + 1

    assert caller(2) == 14
    record = caller.last_compile
    assert [n.attr("callee") for n in calls(record.artefacts["opt"])] == ["global:poly"]
    assert len(record.link_bitcode) == 1
    assert not record.pass_records[0].changed


@jitlab.jit(cache=False, boundscheck=False)
def at_unchecked(a, i):
    return a[i]


def test_a_callee_with_other_code_options_stays_a_call():
    @jitlab.jit(cache=False)
    def caller(a, i):
        return at_unchecked(a, i) + at(a, i)

    assert caller(np.arange(4.0), 3) == 6.0
    record = caller.last_compile
    # `at` shares the caller's options and is inlined; `at_unchecked` would lose its
    # boundscheck=False (or a fastmath callee its flags) as nodes of the caller
    assert [n.attr("callee") for n in calls(record.artefacts["opt"])] == ["global:at_unchecked"]
    assert len(record.link_bitcode) == 1


def corpus_callers():
    """The corpus cases that call another corpus function (a global jitted in the namespace)."""
    functions = {name for name, value in vars(corpus).items() if callable(value) and
                 getattr(value, "__module__", None) == corpus.__name__ and name != "case"}
    return [(f, argsets) for f, argsets in corpus.CASES if functions & set(f.__code__.co_names)]


@pytest.mark.parametrize("func, argsets", corpus_callers(), ids=lambda x: getattr(x, "__name__", ""))
def test_corpus_callers_inline_and_agree_with_cpython(func, argsets):
    dispatcher = _jitted_namespace()[func.__name__]
    for args in argsets:
        record = dispatcher.compile(tuple(typeof(a) for a in args)).record
        opt = record.artefacts["opt"]
        verify(opt)
        left = calls(opt)
        recursive = {"fib_recursive", "gcd_recursive", "is_even_rec", "is_odd_rec", "factorial_or_raise",
                     "power_rec", "count_down_deep"}
        # a call inside a `try` body (`catch = true`) keeps its exceptions its own: never inlined
        assert all(n.attr("callee").removeprefix("global:") in recursive or n.attr("catch")
                   for n in left), \
            f"{func.__name__}: not inlined: {[n.attr('callee') for n in left]}"
        # the interpreter on the inlined `opt` stage, native code and CPython agree
        expected = outcome(func, args)
        interpreter = Interpreter(opt, resolve=resolve_typed, overflow=record.options.overflow)
        interpreted = outcome(interpreter.call, (func.__name__, *args))
        assert disagreement(expected, interpreted) is None, (func.__name__, args)
        assert disagreement(expected, outcome(dispatcher, args)) is None, (func.__name__, args)
