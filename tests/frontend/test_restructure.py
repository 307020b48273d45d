"""Restructuring (Bahmann et al. 2015 §4.1/§4.2): shapes of the region tree on nasty graphs."""
import pytest

from jitlab.errors import UnsupportedError
from jitlab.frontend import build_flow_graph, decode, restructure
from jitlab.frontend.restructure import Branch, Leaf, Linear, Loop

import corpus


def regions(func):
    return restructure(build_flow_graph(decode(func)))


def walk(region):
    yield region
    if isinstance(region, Linear):
        for item in region.items:
            yield from walk(item)
    elif isinstance(region, Branch):
        yield Leaf(region.head)
        for arm in region.branches:
            yield from walk(arm)
    elif isinstance(region, Loop):
        yield from walk(region.body)


def loop_depth(region, depth=0):
    if isinstance(region, Loop):
        return loop_depth(region.body, depth + 1)
    if isinstance(region, Linear):
        return max([loop_depth(i, depth) for i in region.items], default=depth)
    if isinstance(region, Branch):
        return max(loop_depth(a, depth) for a in region.branches)
    return depth


def blocks_of(root):
    return [r.node.block.label for r in walk(root) if isinstance(r, Leaf) and r.node.kind == "block"]


@pytest.mark.parametrize("func", [f for f, _ in corpus.CORPUS], ids=lambda f: f.__name__)
def test_every_reachable_block_appears_once_and_one_exit(func):
    s = regions(func)
    labels = blocks_of(s.root)
    assert sorted(labels) == sorted(b.label for b in s.flow.blocks)
    exits = [r for r in walk(s.root) if isinstance(r, Leaf) and r.node.kind == "exit"]
    assert len(exits) == 1 and s.root.items[-1] == exits[0]


def test_loop_with_several_exits_gets_exit_variable():
    s = regions(corpus.loop_several_exits)
    assert loop_depth(s.root) == 1
    assert "$exit" in str(s)


def test_break_continue_at_depth_three():
    s = regions(corpus.break_continue_depth3)
    # 3.11 compiles `continue` in `while True` to a NOP before the loop's first
    # block: a second back edge into the SCC, restructured as one more nested loop.
    assert loop_depth(s.root) >= 3


def test_return_inside_nested_loops_leaves_both_loops():
    s = regions(corpus.return_nested)
    assert loop_depth(s.root) == 2
    text = str(s)
    assert text.count("loop (repeat while") == 2 and "$exit" in text


def test_while_true_with_breaks():
    s = regions(corpus.while_true_breaks)
    assert loop_depth(s.root) == 1


def test_branch_arms_are_regions():
    s = regions(corpus.if_elif_else)
    branches = [r for r in walk(s.root) if isinstance(r, Branch)]
    assert branches and all(len(b.branches) >= 2 for b in branches)


def test_infinite_loop_is_refused():
    def spin(n):
        while True:
            n += 1
    with pytest.raises(UnsupportedError, match="never exits"):
        regions(spin)


def test_restructuring_is_deterministic():
    assert str(regions(corpus.break_continue_depth3)) == str(regions(corpus.break_continue_depth3))
