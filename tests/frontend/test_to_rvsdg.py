"""to_rvsdg: well-formed IR for the corpus, same results as CPython (golden text: test_rvsdg_golden.py)."""
import copy

import pytest

from jitlab.errors import UnsupportedError
from jitlab.frontend import to_rvsdg
from jitlab.ir import Gamma, Op, Theta, print_module, verify
from jitlab.ir.parser import parse

import corpus
from rvsdg_eval import evaluate

# The rvsdg stage's golden text of every corpus function: test_rvsdg_golden.py.


def check_well_formed(region, defined):
    """Every use is defined before it in the same region; γ/θ shapes match."""
    defined = set(defined) | {p.name for p in region.params}
    for node in region.nodes:
        uses = (node.predicate, *node.inputs) if isinstance(node, Gamma) else node.inputs
        for u in uses:
            assert u in defined, f"{u} used before definition"
        if isinstance(node, Gamma):
            for b in node.branches:
                assert len(b.params) == len(node.inputs) and len(b.results) == len(node.outputs)
                check_well_formed(b, ())
        elif isinstance(node, Theta):
            assert len(node.body.params) == len(node.inputs) == len(node.outputs)
            assert len(node.body.results) == len(node.inputs) + 1
            check_well_formed(node.body, ())
        else:
            assert node.loc is not None
        defined |= {p.name for p in node.outputs}
    for r in region.results:
        assert r in defined


@pytest.mark.parametrize("func, argsets", corpus.CORPUS, ids=lambda x: getattr(x, "__name__", ""))
def test_corpus_is_well_formed_and_computes_like_cpython(func, argsets):
    module = to_rvsdg(func)
    verify(module)
    fn = module.get(func.__name__)
    code = func.__code__
    assert [p.name for p in fn.body.params[:-1]] == list(code.co_varnames[:code.co_argcount])
    assert str(fn.body.params[-1].type) == "!io" and len(fn.body.results) == 2
    check_well_formed(fn.body, ())
    assert parse(print_module(module)) == module
    for args in argsets:
        expected = func(*copy.deepcopy(args))
        got = evaluate(module, func, *copy.deepcopy(args))
        assert got == expected and type(got) is type(expected), (args, expected, got)


def test_undefined_variable_reads_undef():
    module = to_rvsdg(corpus.undefined_on_path)
    ops = [n.op for n in module.get("undefined_on_path").body.walk() if isinstance(n, Op)]
    assert "py.undef" in ops
    undefs = [n for n in module.get("undefined_on_path").body.walk()
              if isinstance(n, Op) and n.op == "py.undef"]
    assert [n.attr("name") for n in undefs] == ["y"]
    with pytest.raises(UnboundLocalError) as got:
        evaluate(module, corpus.undefined_on_path, -1)
    with pytest.raises(UnboundLocalError) as expected:
        corpus.undefined_on_path(-1)
    assert str(got.value) == str(expected.value)


@pytest.mark.parametrize("func, argsets", corpus.CORPUS, ids=lambda x: getattr(x, "__name__", ""))
def test_undef_names_only_python_variables(func, argsets):
    """`py.undef {name = "x"}` for a Python variable (its port is named after it); stack slots,
    control variables and `$ret` have no name."""
    for node in to_rvsdg(func).get(func.__name__).body.walk():
        if isinstance(node, Op) and node.op == "py.undef":
            base = node.outputs[0].name.split(".")[0]
            assert node.attr("name") == (None if base.startswith("$") else base), node


def test_globals_resolve_at_compile_time():
    text = print_module(to_rvsdg(corpus.global_calls))
    # keywords and defaults of a jitted callee are bound at compile time: positional calls
    assert 'callee = "global:helper"' in text and "kwnames" not in text
    text = print_module(to_rvsdg(corpus.math_calls))
    assert 'callee = "math.sqrt"' in text and "3.14159" in text
    text = print_module(to_rvsdg(corpus.calls))
    assert 'callee = "builtins.abs"' in text


def test_range_loop_uses_getiter_and_iternext():
    text = print_module(to_rvsdg(corpus.for_range))
    assert 'callee = "builtins.range"' in text and "py.getiter" in text and "py.iternext" in text
    assert "theta" in text and "gamma" in text


def test_unknown_global_is_named():
    def f(x):
        return input(x)
    with pytest.raises(UnsupportedError, match="input"):
        to_rvsdg(f)


def test_attribute_of_a_constant_is_refused():
    def f(x):
        return LIMIT_HOLDER.bit_length() + x
    with pytest.raises(UnsupportedError, match="attribute"):
        to_rvsdg(f)


LIMIT_HOLDER = 10


def test_slot_dead_on_one_path_is_undef_there_not_merged():
    """`a <= b < c <= d`: the short-circuit paths leave an int in the slot where the other
    path leaves the bool result; the int is dead after the join, so it leaves its arm as
    `py.undef` and cannot widen the result's type."""
    def chain4(a, b, c, d):
        return a <= b < c <= d
    module = to_rvsdg(chain4)
    gammas = [n for n in module.get("chain4").body.walk() if isinstance(n, Gamma)]
    undefs = [n for g in gammas for b in g.branches for n in b.nodes
              if isinstance(n, Op) and n.op == "py.undef"]
    assert undefs
    for args in [(1, 2, 3, 3), (2, 1, 3, 4), (1, 2, 2, 3), (1, 2, 3, 2)]:
        got = evaluate(module, chain4, *args)
        assert got is chain4(*args)


def slot_killed_in_one_arm(a, b, c, x, y, z):
    """Fuzz seed 1137: the `elif x:` arm ends with a shallower stack than the chained
    comparisons in its sibling leave, so it kills `$stack2`; the slot may not leave that arm
    as the port of the enclosing region (verifier V4) but as `py.undef`."""
    for i0 in range(3):
        if (a <= c != x):
            pass
        elif b:
            if (y == i0 <= y):
                pass
            for i1 in range(6, 1, -2):
                return 1
        elif x:
            if x:
                break
            z += -4
    return 0


_SLOT_KILLED_ARGS = [(a, b, c, x, y, z) for a in (0, 2) for b in (0, 1) for c in (1, 3)
                     for x in (0, 1, 3) for y in (0, 1, 2) for z in (0, 5)]


def test_stack_slot_killed_in_one_arm_leaves_it_undef():
    import jitlab
    module = to_rvsdg(slot_killed_in_one_arm)
    verify(module)
    check_well_formed(module.get("slot_killed_in_one_arm").body, ())
    compiled = jitlab.jit(slot_killed_in_one_arm)
    for args in _SLOT_KILLED_ARGS:
        expected = slot_killed_in_one_arm(*args)
        assert evaluate(module, slot_killed_in_one_arm, *args) == expected, args
        got = compiled(*args)
        assert got == expected and type(got) is type(expected), args
