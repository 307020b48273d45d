"""Early freeing of array temporaries: which new arrays are dead where their region ends.

Compiled code allocates every array in the arena (`nrt.py`), which the wrapper empties when
the call returns.  A loop that makes a temporary per iteration (`t = np.ones(8)` in a loop
body, `(a * b).sum()`) would hold every one of them until then: memory growing with the trip
count, every block cold in the cache.  This plan finds the new arrays that cannot outlive the
region (loop body, γ branch, function body) that makes them, and the lowerer frees those
where the region ends (`nrt.free_function`).

A value is a *fresh array* when an op allocates it: a NumPy allocator (`np.zeros`, …), an
elementwise op (`a * b`, `np.sqrt(a)`; one fused into its user allocates nothing and is not
freed), `a.copy()`, `+a`, `a.cumsum()`.  Its *holders* are itself and, transitively, every
output of a node of the same region that takes a holder and whose type may hold an array (a
view, a tuple, an iterator, a γ or θ output -- conservatively, whatever the node does with
it).  Only the region's results leave it (RVSDG has no other exit but an exception, after
which the wrapper frees the whole arena), so a fresh array none of whose holders is a result of its
region, nor an input of an op that also takes a list or a dict (which may keep it: `xs.append(a)`,
`d[k] = a`), is dead when the region ends: every use is
a node of the region, or inside one, and has run.  An op that catches exceptions
(`try`/`except`) is skipped: where it raised, its value is undefined.
"""

from __future__ import annotations

from jitlab.ir.nodes import Lambda, Op, Region, node_inputs, node_regions
from jitlab.ir.types import (
    BoolType, ComplexType, DictType, DTypeType, FloatType, IntType, ListType, NoneType, SetType, StateType,
    TupleType, Type,
)

from .lower_fusion import elementwise_op

_CONTAINERS = (ListType, DictType, SetType)

_NUMBERS = (IntType, FloatType, BoolType, ComplexType, NoneType, StateType, DTypeType)


def _may_hold_array(t: Type) -> bool:
    if isinstance(t, TupleType):
        return any(_may_hold_array(e) for e in t.items)
    return not isinstance(t, _NUMBERS)


def _fresh(node) -> bool:
    if not isinstance(node, Op) or not node.outputs or node.attr("catch"):
        return False
    from jitlab.ir.types import ArrayType
    from jitlab.typing.rules.numpy_calls import ALLOCATORS

    if not isinstance(node.outputs[0].type, ArrayType):
        return False
    if elementwise_op(node) is not None or node.op == "py.unop":
        return True
    if node.op == "py.call":
        return node.attr("callee") in ALLOCATORS
    return node.op == "py.callmethod" and node.attr("name") in ("copy", "cumsum")


def plan(fn: Lambda) -> dict[int, list[str]]:
    """id(region) -> the fresh arrays to free where that region ends, newest first."""
    frees: dict[int, list[str]] = {}
    types = {p.name: p.type for p in fn.body.params}
    for node in fn.body.walk():
        for p in getattr(node, "outputs", ()):
            types[p.name] = p.type
        for sub in node_regions(node):
            types.update((p.name, p.type) for p in sub.params)

    def visit(region: Region) -> None:
        for node in region.nodes:
            for sub in node_regions(node):
                visit(sub)
        dead = []
        for k, node in enumerate(region.nodes):
            if not _fresh(node):
                continue
            holders = {node.outputs[0].name}
            stored = False
            for later in region.nodes[k + 1:]:
                if any(name in holders for name in node_inputs(later)):
                    holders.update(p.name for p in later.outputs if _may_hold_array(p.type))
                    # put into a list or dict (`xs.append(a)`, `d[k] = a`): it lives on there
                    stored = stored or any(isinstance(types.get(name), _CONTAINERS)
                                           for name in node_inputs(later))
            if not stored and not holders.intersection(region.results):
                dead.append(node.outputs[0].name)
        if dead:
            frees[id(region)] = dead[::-1]

    visit(fn.body)
    return frees


__all__ = ["plan"]
