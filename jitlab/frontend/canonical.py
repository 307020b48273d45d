"""Canonical flow graph: the same program gives the same graph, whatever CPython laid it out.

Why: CPython 3.11-3.14 compile one function into differently shaped bytecode that computes
the same thing.  3.11-3.13 copy a `while` condition to the loop's end, 3.14 jumps back to the
one at the top; 3.12+ copy small exit blocks (`pop; const 0; return`) into every arm that
jumps to them, 3.11 jumps to one shared block; 3.14 puts `NOT_TAKEN` markers after
conditional jumps and every version sprinkles jump-only blocks.  Restructuring would turn
each shape into another region tree and the RVSDG would differ per version.

What: one semantics-preserving normal form, computed on the instruction graph (one node per
vocabulary instruction, successors in edge order):

1. `nop` and `jump` are not nodes: an edge to one goes on to its successor (a cycle of
   jumps, `while True: pass`, keeps one jump so restructuring can refuse it).
2. Tail merging: two instructions that do the same (same op, argument, source position) and
   continue at the same nodes are one node, to a fixpoint.  This undoes every copy the
   compilers make (the duplicated `while` condition merges with the original, a duplicated
   exit block with the shared one), so every version reaches the smallest such graph.
   A `branch` on truth is compared by its (falsy, truthy) successors, whichever way the
   bytecode tests it.  Merging is sound: merged instructions compute the same values from
   the same stack and continue identically.
3. Blocks are re-cut: a block starts at the entry, at every node that has not exactly one
   predecessor, and after every terminator; it is labelled with the offset of its first
   instruction (the smallest instruction of its class, so the layout order is kept).

The result is a `FlowGraph` like `build_flow_graph`'s, with the same stack depths.
"""
from __future__ import annotations

from dataclasses import replace

from .flow import Block, Edge, FlowGraph

_SKIPPED = ("nop", "jump")
_TERMINATORS = ("branch", "branch_or_pop", "jump", "for_iter", "return", "raise")


def canonicalize(flow: FlowGraph) -> FlowGraph:
    """The canonical form of a flow graph (see the module docstring)."""
    # -- the instruction graph -------------------------------------------------------------
    instrs = []          # node -> Instruction
    depth = []           # node -> stack depth before it
    succ: list[list[tuple[str, int]]] = []  # node -> [(edge kind, node)]
    first: dict[int, int] = {}
    for b in flow.blocks:
        first[b.label] = len(instrs)
        d = b.entry_depth
        for ins in b.instructions:
            instrs.append(ins)
            depth.append(d)
            d += ins.effect or 0
    for b in flow.blocks:
        start = first[b.label]
        n = len(b.instructions)
        for k in range(n - 1):
            succ.append([("next", start + k + 1)])
        succ.append([(e.kind, first[e.target]) for e in b.edges])

    # 1. thread through nop/jump: resolve(node) = the first real node it reaches
    resolved: dict[int, int] = {}

    def resolve(node: int) -> int:
        got = resolved.get(node)
        if got is not None:
            return got
        path, seen = [], set()
        while instrs[node].op in _SKIPPED and len(succ[node]) == 1 and node not in seen:
            seen.add(node)
            path.append(node)
            node = succ[node][0][1]
            got = resolved.get(node)
            if got is not None:
                node = got
                break
        for p in path:
            resolved[p] = node
        return node

    entry = resolve(0)
    reach = {entry}
    work = [entry]
    rsucc: dict[int, list[tuple[str, int]]] = {}
    while work:
        node = work.pop()
        out = [(kind, resolve(t)) for kind, t in succ[node]]
        rsucc[node] = out
        for _, t in out:
            if t not in reach:
                reach.add(t)
                work.append(t)
    order = sorted(reach)

    # 2. tail merging to a fixpoint (reverse layout order: forward code settles in one round)
    content = {node: _content(instrs[node]) for node in order}
    cls = {node: node for node in order}
    for _ in range(len(order) + 1):
        table: dict[tuple, int] = {}
        new: dict[int, int] = {}
        for node in reversed(order):
            key = (content[node], _succ_key(instrs[node], rsucc[node], new, cls))
            new[node] = table.setdefault(key, node)
        # class id: the smallest member, so that ids do not depend on the processing order
        low: dict[int, int] = {}
        for node in order:
            low.setdefault(new[node], node)
        new = {node: low[new[node]] for node in order}
        if new == cls:
            break
        cls = new

    # 3. re-cut blocks over the class representatives
    reps = sorted({cls[n] for n in order})
    rs = {r: [(kind, cls[t]) for kind, t in rsucc[r]] for r in reps}
    preds: dict[int, int] = dict.fromkeys(reps, 0)
    pred_of: dict[int, int] = {}
    ent = cls[entry]
    for r in reps:
        for t in {t for _, t in rs[r]}:
            preds[t] += 1
            pred_of[t] = r
    leaders = [r for r in reps if r == ent or preds[r] != 1 or instrs[pred_of[r]].op in _TERMINATORS
               or pred_of[r] == r]
    labels: dict[int, int] = {}
    used: set[int] = set()
    spare = max(i.offset for i in instrs) + 1
    for r in leaders:
        label = instrs[r].offset
        if label in used:
            label, spare = spare, spare + 1
        used.add(label)
        labels[r] = label
    blocks = []
    for r in leaders:
        body = [r]
        node = r
        while instrs[node].op not in _TERMINATORS and rs[node] and rs[node][0][1] not in labels:
            node = rs[node][0][1]
            body.append(node)
        last = instrs[node]
        edges = []
        for kind, t in rs[node]:
            effect = last.jump_effect if kind == "jump" else last.effect
            edges.append(Edge(labels[t], kind, depth[node] + effect))
        ins_list = [instrs[n] for n in body]
        if last.target is not None and any(k == "jump" for k, _ in rs[node]):
            ins_list[-1] = replace(last, target=labels[next(t for k, t in rs[node] if k == "jump")])
        blocks.append(Block(labels[r], tuple(ins_list), depth[r], tuple(edges)))
    blocks.sort(key=lambda b: (b.label != labels[ent], b.label))
    return FlowGraph(flow.decoded, tuple(blocks))


def _content(ins) -> tuple:
    arg = ins.arg
    if ins.op == "branch" and arg in ("true", "false"):
        arg = "truth"
    return (ins.op, type(arg).__name__, repr(arg), ins.line, ins.col)


def _succ_key(ins, succs, new, cls) -> tuple:
    ids = tuple((kind, new.get(t, cls[t])) for kind, t in succs)
    if ins.op == "branch" and ins.arg in ("true", "false"):
        # (falsy, truthy): `branch true` jumps when truthy, `branch false` falls through then
        nxt = next(t for k, t in ids if k == "next")
        jmp = next(t for k, t in ids if k == "jump")
        return (jmp, nxt) if ins.arg == "false" else (nxt, jmp)
    return ids
