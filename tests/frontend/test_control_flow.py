"""Complete control flow (issue 3 item 3): multi-exit loops, returns at any depth, iteration
over arrays, tuples, `enumerate`, `zip`, `reversed(range)`, and `assert` inside loops — each
restructured, verified and evaluated against CPython (`control_flow_corpus.CASES`)."""
import copy

import pytest

from jitlab.frontend import to_rvsdg
from jitlab.ir import Op, Theta, print_module, verify
from jitlab.ir.parser import parse

import control_flow_corpus as corpus
from rvsdg_eval import evaluate


def _outcome(func, args):
    try:
        return ("value", repr(func(*copy.deepcopy(args))))
    except Exception as error:
        return ("raise", type(error).__name__, str(error))


@pytest.mark.parametrize("func, argsets", corpus.CASES, ids=lambda x: getattr(x, "__name__", ""))
def test_control_flow_computes_like_cpython(func, argsets):
    module = to_rvsdg(func)
    verify(module)
    assert parse(print_module(module)) == module
    for args in argsets:
        assert _outcome(lambda *a: evaluate(module, func, *a), args) == _outcome(func, args), args


def _ops(func):
    return [n for n in to_rvsdg(func).get(func.__name__).body.walk() if isinstance(n, Op)]


@pytest.mark.parametrize("func, callee", [(corpus.for_enumerate, "builtins.enumerate"),
                                          (corpus.for_zip, "builtins.zip"),
                                          (corpus.for_reversed_range, "builtins.reversed")])
def test_iterator_builtins_are_calls_and_items_unpack(func, callee):
    """`enumerate`/`zip`/`reversed` stay calls (typing gives them iterator types); a loop over
    pairs unpacks each item with `py.unpack {count = 2}`."""
    ops = _ops(func)
    assert callee in [n.attr("callee") for n in ops if n.op == "py.call"]
    if func is not corpus.for_reversed_range:
        assert [n.attr("count") for n in ops if n.op == "py.unpack"] == [2] * (len(
            [n for n in ops if n.op == "py.getiter"]))


def test_tuple_loop_iterates_a_constant_tuple():
    ops = _ops(corpus.for_over_tuple)
    consts = [n.attr("value") for n in ops if n.op == "py.const"]
    assert (1, 2, 3) in consts and (5, 7) in consts
    assert sum(n.op == "py.getiter" for n in ops) == 2


def test_while_true_with_several_breaks_is_one_theta():
    body = to_rvsdg(corpus.while_true_breaks).get("while_true_breaks").body
    assert sum(isinstance(n, Theta) for n in body.nodes) == 1
