"""Loop versioning for bounds checks: run a θ without the checks range analysis could not drop
statically but can decide with one test before the loop.

`passes/range_analysis.py` gives such an access `guard_loop = TAG` (TAG names the θ: its first
loop variable) and `guard = (lo, hi, size)` (a tuple index `x[i, j]`: `guards`, one
`(axis, lo, hi, size)` per axis the copy leaves unchecked): the index stays in `[lo, hi]` during the loop and
the indexed axis has `size` elements, each as `(kind, value, k)`, `kind` one of "const" (k),
"value" (value + k), "len" (len(value) + k) and "lenD" (axis D of array value), all defined
before the θ.  Before the loop the backend tests, for every guard of the θ, `lo >= 0 and
hi <= size - 1`; when all hold it runs a copy of the loop whose
guarded accesses skip their check, otherwise the loop with every check -- which raises the
same IndexError at the same iteration as without versioning.  An empty range may fail the
test; the checked loop then runs zero iterations all the same.  The guards name values in
attributes, which the later passes do not rename: a name `cne` merged away (`w // 2` hoisted out
of two loops, then merged with the same quotient computed before them) leaves the loop
unversioned, checked as before.

    ok = guards hold                  ; i64 compares, once
    br ok, fast, checked
    fast:    θ, guarded accesses unchecked
    checked: θ, as before
    merge:   φ of the θ's outputs
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from llvmlite import ir

from jitlab.ir.nodes import Gamma, Op, Region, Theta
from jitlab.ir.types import I64 as I64_T, ArrayType, BoolType, IntType, StateType


if TYPE_CHECKING:
    from .lower import FunctionLowerer

I64 = ir.IntType(64)


def loop_tag(node: Theta) -> str | None:
    return node.loop_vars[0].pre.name if node.inputs else None


def loop_guards(node: Theta) -> list[tuple]:
    """The distinct guards of the accesses inside `node` that name it."""
    tag = loop_tag(node)
    found: dict[tuple, None] = {}

    def walk(region: Region) -> None:
        for n in region.nodes:
            if isinstance(n, Op):
                if n.attr("guard_loop") == tag and isinstance(n.attr("guard"), tuple):
                    found[n.attr("guard")] = None
                if n.attr("guard_loop") == tag and isinstance(n.attr("guards"), tuple):
                    for axis_guard in n.attr("guards"):  # (axis, lo, hi, size) of a tuple index
                        found[axis_guard[1:]] = None
            elif isinstance(n, Gamma):
                for b in n.branches:
                    walk(b)
            else:
                walk(n.body)

    if tag is not None:
        walk(node.body)
    return list(found)


def _end(fl: FunctionLowerer, end: tuple, env) -> ir.Value | None:
    kind, name, k = end
    offset = ir.Constant(I64, k)
    if kind == "const":
        return offset
    if name not in env:  # a pass after range analysis merged or renamed it: no versioning
        return None
    t = fl.types.get(name)
    value = env[name]
    if kind.startswith("len"):
        axis = int(kind[3:] or 0)
        if not isinstance(t, ArrayType) or axis >= t.ndim:
            return None
        return fl.builder.add(fl.builder.extract_value(value, [1, axis]), offset)
    if not isinstance(t, (IntType, BoolType)):
        return None
    return fl.builder.add(fl.cast(value, t, I64_T), offset)


def guards_hold(fl: FunctionLowerer, guards: list[tuple], env) -> ir.Value | None:
    """i1: every guard holds (None when one cannot be evaluated: then no versioning)."""
    b = fl.builder
    ok = ir.Constant(ir.IntType(1), 1)
    for lo, hi, size_end in guards:
        lo_v, hi_v, size = _end(fl, lo, env), _end(fl, hi, env), _end(fl, size_end, env)
        if lo_v is None or hi_v is None or size is None:
            return None
        ok = b.and_(ok, b.icmp_signed(">=", lo_v, ir.Constant(I64, 0)))
        ok = b.and_(ok, b.icmp_signed("<", hi_v, size))
    return ok


def lower_versioned(fl: FunctionLowerer, node: Theta, env, lower_loop) -> bool:
    """Lower `node` as a versioned pair of loops when it has guards that can be tested here;
    False (nothing emitted) otherwise.  `lower_loop(node, env)` lowers one copy."""
    guards = loop_guards(node) if fl.options.boundscheck else []
    if not guards:
        return False
    ok = guards_hold(fl, guards, env)
    if ok is None:
        return False
    tag = loop_tag(node)
    fast, checked = fl.func.append_basic_block("theta.unchecked"), fl.func.append_basic_block("theta.checked")
    merge = fl.func.append_basic_block("theta.versions")
    fl.builder.cbranch(ok, fast, checked)
    incoming = []
    for block, unchecked in ((fast, True), (checked, False)):
        fl.builder.position_at_end(block)
        sub = env.new_child()
        if unchecked:
            fl.unchecked_loops.add(tag)
        lower_loop(node, sub)
        fl.unchecked_loops.discard(tag)
        ids = [fl.unbound_id_of(out.name) for out in node.outputs]  # each copy's own
        incoming.append(([None if isinstance(out.type, StateType) else fl.fields(sub[out.name])
                          for out in node.outputs], fl.builder.block, ids))
        fl.builder.branch(merge)
    fl.builder.position_at_end(merge)
    fl.join_outputs(node.outputs, incoming, env)  # the unbound ids join too
    return True
