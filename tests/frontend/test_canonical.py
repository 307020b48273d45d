"""The canonical flow graph (`jitlab.frontend.canonical`): one graph whatever bytecode layout the
running CPython chose, without changing what the function computes."""
import ast
import inspect
from collections import Counter

import pytest

from jitlab.frontend import build_flow_graph, decode
from jitlab.frontend.canonical import canonicalize
from jitlab.frontend.flow import FlowGraph

import corpus


def canonical(func) -> FlowGraph:
    return canonicalize(build_flow_graph(decode(func)))


def _real(flow: FlowGraph):
    return [i for b in flow.blocks for i in b.instructions]


@pytest.mark.parametrize("func", [f for f, _ in corpus.CORPUS], ids=lambda f: f.__name__)
def test_canonical_form_is_a_fixpoint_with_consistent_depths(func):
    flow = canonical(func)
    again = canonicalize(flow)
    assert str(again) == str(flow)
    labels = {b.label: b for b in flow.blocks}
    assert flow.blocks[0].instructions[0] is _real(flow)[0]
    for b in flow.blocks:
        for e in b.edges:
            assert labels[e.target].entry_depth == e.depth
    assert not [i for i in _real(flow) if i.op in ("nop", "jump")]


def test_while_condition_is_one_block_on_every_version():
    """3.11-3.13 copy `i < n` to the loop's end, 3.14 does not: one compare either way."""
    compares = [i for i in _real(canonical(corpus.while_loop)) if i.op == "compare"]
    assert len(compares) == 1 and compares[0].arg == "<"


def test_copied_exit_block_merges_with_the_shared_one():
    """3.12+ copy `return 0` into the chained comparison's cleanup arm; 3.11 jumps to it."""
    flow = canonical(corpus.chained_branch)
    returns = Counter((i.line, i.op) for i in _real(flow) if i.op in ("const", "return"))
    line = corpus.chained_branch.__code__.co_firstlineno + 3
    assert returns[(line, "const")] == 1 and returns[(line, "return")] == 1


def test_only_identical_instructions_merge():
    def f(a):
        if a:
            return a + 1
        return a + 2
    ops = [i.op for i in _real(canonical(f))]
    assert ops.count("binary") == 2 and ops.count("return") == 2


def test_jump_cycle_survives_for_restructuring_to_refuse():
    def spin(n):
        while True:
            pass
    flow = canonical(spin)
    loops = [b for b in flow.blocks if b.label in b.succs]
    assert loops and all(i.op in ("nop", "jump") for i in loops[0].instructions)


def test_constant_tuple_items_get_their_own_columns():
    """`a, b = 0, 1`: 3.11-3.13 fold one constant tuple, 3.14 loads each item; same positions."""
    def f():
        a, b = 0, (1, 2)
        return a, b
    source = inspect.getsource(f)
    line = f.__code__.co_firstlineno + 1
    tup = ast.parse(source.splitlines()[1].strip()).body[0].value
    indent = len(source.splitlines()[1]) - len(source.splitlines()[1].lstrip())
    want = {(line, indent + e.col_offset) for e in tup.elts}
    consts = {(i.line, i.col) for i in decode(f).instructions if i.op == "const" and i.line == line}
    assert consts == want
