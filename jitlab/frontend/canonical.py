"""Canonical flow graph: the same program gives the same graph, whatever CPython laid it out.

Why: CPython 3.11-3.14 compile one function into differently shaped bytecode that computes
the same thing.  3.11-3.13 copy a `while` condition to the loop's end, 3.14 jumps back to the
one at the top; 3.12+ copy small exit blocks (`pop; const 0; return`) into every arm that
jumps to them, 3.11 jumps to one shared block; 3.14 puts `NOT_TAKEN` markers after
conditional jumps and every version sprinkles jump-only blocks.  Restructuring would turn
each shape into another region tree and the RVSDG would differ per version.

What: one semantics-preserving normal form of the instruction graph (one node per vocabulary
instruction, successors in edge order), computed block by block:

1. `nop` and `jump` are not nodes: an edge to one goes on to its successor (a cycle of
   jumps, `while True: pass`, keeps one jump so restructuring can refuse it).
2. Tail merging: two instructions that do the same (same op, argument, source position) and
   continue at the same nodes are one node, to a fixpoint.  Two such instructions end their
   blocks (a mid-block instruction's successor has one predecessor), so only blocks whose last
   instructions agree are compared, and their longest common tail becomes one block.  This
   undoes every copy the compilers make (the duplicated `while` condition merges with the
   original, a duplicated exit block with the shared one), so every version reaches the
   smallest such graph.
   A `branch` on truth is compared by its (falsy, truthy) successors, whichever way the
   bytecode tests it.  Merging is sound: merged instructions compute the same values from
   the same stack and continue identically.
3. Blocks are re-cut: a block starts at the entry, at every node that has not exactly one
   predecessor, and after every terminator; it is labelled with the offset of its first
   instruction (a merged tail keeps the instructions of the block laid out first).

Cost: linear in blocks plus the instructions of the merged tails.

The result is a `FlowGraph` like `build_flow_graph`'s, with the same stack depths.
"""
from __future__ import annotations

from .bytecode.instructions import TERMINATORS
from .flow import Block, Edge, FlowGraph

_SKIPPED = frozenset(("nop", "jump"))


class _Blk:
    __slots__ = ("label", "ins", "depth", "edges")

    def __init__(self, label: int, ins: list, depth: int, edges: list):
        self.label = label
        self.ins = ins          # Instructions, no nop/jump (but for a jump cycle)
        self.depth = depth      # stack depth at entry
        self.edges = edges      # [kind, target label, depth]


def canonicalize(flow: FlowGraph) -> FlowGraph:
    """The canonical form of a flow graph (see the module docstring)."""
    blocks: dict[int, _Blk] = {}
    forward: dict[int, int] = {}
    for b in flow.blocks:
        ins = [i for i in b.instructions if i.op not in _SKIPPED]
        edges = [[kind, target, depth] for target, kind, depth in b.edges]
        if not ins and len(edges) == 1:
            forward[b.label] = edges[0][1]
        if ins and b.instructions[-1].op == "jump":
            edges[0][0] = "next"
        blocks[b.label] = _Blk(b.label, ins, b.entry_depth, edges)
    # 1. jump threading; a cycle of forwarding blocks keeps its instructions
    resolved: dict[int, int] = {}
    for start in list(forward):
        path, node = [], start
        while node in forward and node not in resolved and node not in path:
            path.append(node)
            node = forward[node]
        if node in path:  # a cycle: `node` stays a block of its own
            blk = blocks[node]
            original = flow.block(node)
            blk.ins = list(original.instructions)
            blk.edges = [[e.kind, e.target, e.depth] for e in original.edges]
            del forward[node]
            path = path[:path.index(node)]
            resolved[node] = node
        end = resolved.get(node, node)
        for p in path:
            resolved[p] = end
    entry = resolved.get(flow.entry, flow.entry)
    live: dict[int, _Blk] = {}
    work = [entry]
    preds: dict[int, list[int]] = {entry: []}
    while work:
        label = work.pop()
        blk = live[label] = blocks[label]
        for e in blk.edges:
            t = e[1] = resolved.get(e[1], e[1])
            if t not in preds:
                preds[t] = []
                work.append(t)
            preds[t].append(label)
    # 2. tail merging
    moved: dict[int, int] = {}   # merged block -> the block that took its place
    # the next label past every offset, computed once a merged tail needs a fresh one
    spare = [None, flow.decoded.instructions]
    dirty = sorted(live)
    while dirty:
        # Blocks that may merge end in the same instruction: bucket them by its op and position
        # first, and compare the full keys only within a bucket of several.
        buckets: dict[tuple, list[int]] = {}
        for label in dirty:
            blk = live.get(label)
            if blk is not None and blk.ins:
                last = blk.ins[-1]
                buckets.setdefault((last.op, last.line, last.col), []).append(label)
        groups: dict[tuple, list[int]] = {}
        for bucket in buckets.values():
            if len(bucket) > 1:
                for label in bucket:
                    groups.setdefault(_key(live[label]), []).append(label)
        dirty_set: set[int] = set()
        for members in sorted(groups.values(), key=lambda m: m[0]):  # in label order, as built
            if len(members) > 1:
                members.sort()
                keep = members[0]
                for other in members[1:]:
                    keep = _merge(live, preds, moved, keep, other, spare)
                # every block that now continues at the tail may match another one
                dirty_set.update(preds[keep])
        dirty = sorted(dirty_set)
    while entry not in live:  # the entry block was merged into another
        entry = moved[entry]
    # 3. re-cut: a block with one predecessor that falls into it joins that predecessor
    for label in sorted(live):
        blk = live.get(label)
        while blk is not None and len(blk.edges) == 1 and blk.ins and blk.ins[-1].op not in TERMINATORS:
            t = blk.edges[0][1]
            if t in (entry, label) or len(preds[t]) != 1:
                break
            nxt = live.pop(t)
            blk.ins += nxt.ins
            blk.edges = nxt.edges
            for e in nxt.edges:
                ps = preds[e[1]]
                ps[ps.index(t)] = label
            del preds[t]
    out = []
    new = tuple.__new__  # Block(...) and Edge(...), built as the tuples they are
    order = sorted(live)  # the entry first, then by label
    if order[0] != entry:
        order.remove(entry)
        order.insert(0, entry)
    for label in order:
        blk = live[label]
        ins = blk.ins
        last = ins[-1]
        edges = []
        jt = None
        for k, t, d in blk.edges:
            if jt is None and (k == "jump" or k == "exc"):
                jt = t
            edges.append(new(Edge, (t, k, d)))
        if last.target is not None and jt is not None and jt != last.target:
            ins = ins[:-1] + [last._replace(target=jt)]
        out.append(new(Block, (label, tuple(ins), blk.depth, tuple(edges))))
    return FlowGraph(flow.decoded, tuple(out))


def _content(ins) -> tuple:
    arg = ins.arg
    if ins.op == "branch" and arg in ("true", "false"):
        arg = "truth"
    elif ins.op == "const":
        arg = (type(arg).__name__, repr(arg))
    return (ins.op, arg, ins.line, ins.col)


def _key(blk: _Blk) -> tuple:
    last = blk.ins[-1]
    targets = tuple((k, t) for k, t, _ in blk.edges)
    if last.op == "branch" and last.arg in ("true", "false"):
        # (falsy, truthy): `branch true` jumps when truthy, `branch false` falls through then
        nxt = next(t for k, t in targets if k == "next")
        jmp = next(t for k, t in targets if k == "jump")
        targets = (jmp, nxt) if last.arg == "false" else (nxt, jmp)
    return (_content(last), targets)


def _depth_before(blk: _Blk, k: int) -> int:
    return blk.depth + sum(i.effect or 0 for i in blk.ins[:k])


def _merge(live, preds, moved, a: int, b: int, spare: list) -> int:
    """Merge the common tail of blocks `a` and `b` (same last instruction, same successors);
    returns the label of the block that holds the tail."""
    A, B = live[a], live[b]
    n = 1
    limit = min(len(A.ins), len(B.ins))
    while n < limit and _content(A.ins[-1 - n]) == _content(B.ins[-1 - n]):
        n += 1
    # the tail keeps the instructions laid out first (their offset labels it)
    first, second = (A, B) if (A.ins[-n].offset, A.ins[-n].part) <= (B.ins[-n].offset, B.ins[-n].part) \
        else (B, A)
    if n == len(first.ins):
        label = first.label
    else:
        label = first.ins[-n].offset
        if label in live or label in preds:
            if spare[0] is None:
                spare[0] = max(i.offset for i in spare[1]) + 1
            label, spare[0] = spare[0], spare[0] + 1
        tail = _Blk(label, first.ins[-n:], _depth_before(first, len(first.ins) - n),
                    [list(e) for e in first.edges])
        live[label] = tail
        preds[label] = []
        for e in tail.edges:
            preds[e[1]].append(label)
        _cut(live, preds, first.label, n, label)
    if n == len(second.ins):
        _retarget(live, preds, moved, second.label, label)
    else:
        _cut(live, preds, second.label, n, label)
    return label


def _cut(live, preds, label: int, n: int, tail: int) -> None:
    """Block `label` loses its last `n` instructions and falls into block `tail` instead."""
    blk = live[label]
    depth = _depth_before(blk, len(blk.ins) - n)
    for e in blk.edges:
        preds[e[1]].remove(label)
    del blk.ins[-n:]
    blk.edges = [["next", tail, depth]]
    preds[tail].append(label)


def _retarget(live, preds, moved, old: int, new: int) -> None:
    """Block `old` is the same as block `new`: its predecessors go to `new`, it goes."""
    blk = live.pop(old)
    moved[old] = new
    for e in blk.edges:
        preds[e[1]].remove(old)
    for p in preds.pop(old):
        for e in live[p].edges:
            if e[1] == old:
                e[1] = new
        preds[new].append(p)
