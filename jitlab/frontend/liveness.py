"""Liveness of environment keys over a region tree.

Why: the RVSDG builder routes values through γ and θ nodes explicitly, and
without liveness every stale stack slot and spent control variable would
become a port of every structural node.  `annotate` walks the tree backwards
once (θ bodies to a fixpoint) and records, for each branch and loop region,
the keys live after it; `live_in` of an arm or a loop body then says what must
flow in.  Keys are those of `to_rvsdg`: Python locals, `$stackN`, control
variables, `$ret` and `$io` (always live: state is never dead).
"""
from __future__ import annotations

from .restructure import Branch, Leaf, Linear

IO = "$io"
RET = "$ret"


def _leaf_live_in(node, live_out: frozenset) -> frozenset:
    if node.kind == "assign":
        return live_out - {k for k, _ in node.assigns}
    if node.kind == "switch":
        return live_out | {node.var}
    if node.kind == "exit":
        return live_out | {RET}
    block = node.block
    live = set(live_out) - {f"$stack{i}" for i in range(block.exit_depth)}
    live |= {f"$stack{i}" for i in range(block.entry_depth)}
    for ins in reversed(block.instructions):
        if ins.op == "store_local":
            live.discard(ins.arg)
        elif ins.op == "load_local":
            live.add(ins.arg)
        elif ins.op == "return":
            live.discard(RET)
    return frozenset(live)


class Liveness:
    """`live_out[id(region)]` for every Branch and Loop; `live_in(region, out)` for any region."""

    def __init__(self, root: Linear):
        self.live_out: dict[int, frozenset] = {}
        self.loop_in: dict[int, frozenset] = {}
        self.live_in(root, frozenset({IO}), record=True)

    def live_in(self, region, live_out: frozenset, record: bool = False) -> frozenset:
        live_out = live_out | {IO}
        if isinstance(region, Leaf):
            return _leaf_live_in(region.node, live_out) | {IO}
        if isinstance(region, Linear):
            live = live_out
            for item in reversed(region.items):
                live = self.live_in(item, live, record)
            return live
        if record:
            self.live_out[id(region)] = live_out
        if isinstance(region, Branch):
            arms = frozenset().union(*(self.live_in(a, live_out, record) for a in region.branches))
            return _leaf_live_in(region.head, arms) | {IO}
        # θ: what the next iteration needs is live at the end of the body, too.
        body_in = self.loop_in.get(id(region), frozenset())
        while True:
            new_in = self.live_in(region.body, live_out | body_in | {region.repeat}, record)
            if new_in <= body_in:
                break
            body_in = body_in | new_in
        self.loop_in[id(region)] = body_in
        return body_in
