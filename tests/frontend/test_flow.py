"""Flow graph: blocks by real offsets, stack depth at entries, cross-check with dis."""
import dataclasses

import pytest

from jitlab.frontend import build_flow_graph, decode
from jitlab.frontend.bytecode.instructions import DecodedCode
from jitlab.frontend.flow import StackDepthMismatch

import corpus


@pytest.mark.parametrize("func", [f for f, _ in corpus.CORPUS], ids=lambda f: f.__name__)
def test_every_corpus_function_passes_the_cross_check(func):
    flow = build_flow_graph(decode(func))
    labels = {b.label for b in flow.blocks}
    for b in flow.blocks:
        for e in b.edges:
            assert e.target in labels
            assert flow.block(e.target).entry_depth == e.depth


def test_blocks_may_start_with_values_on_the_stack():
    flow = build_flow_graph(decode(corpus.and_or_values))
    assert any(b.entry_depth > 0 for b in flow.blocks)
    flow = build_flow_graph(decode(corpus.chained))
    assert any(b.entry_depth >= 2 for b in flow.blocks)


def test_for_loop_keeps_the_iterator_on_the_stack():
    flow = build_flow_graph(decode(corpus.for_range))
    head = next(b for b in flow.blocks if b.terminator.op == "for_iter")
    assert head.entry_depth == 1
    assert head.edge("next").depth == 2 and head.edge("jump").depth == 0


def test_wrong_decoder_effect_is_an_internal_error():
    decoded = decode(corpus.add)
    # Pretend the decoder forgot that `binary` pops: turn it into a `unary`.
    bad = tuple(i._replace(op="unary", arg="-") if i.op == "binary" else i
                for i in decoded.instructions)
    # With only one block the mismatch shows at the return; make it a two-block function.
    decoded2 = decode(corpus.cond_expr)
    bad2 = tuple(i._replace(op="nop", arg=None) if i.op == "compare" else i
                 for i in decoded2.instructions)
    with pytest.raises(StackDepthMismatch, match="dis.stack_effect"):
        build_flow_graph(dataclasses.replace(decoded2, instructions=bad2))
    assert isinstance(dataclasses.replace(decoded, instructions=bad), DecodedCode)


def test_flow_text_lists_blocks_and_edges():
    text = str(build_flow_graph(decode(corpus.while_loop)))
    assert text.startswith("flow while_loop") and "-> return" in text and "(jump, stack 0)" in text
