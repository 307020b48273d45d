"""θ → an LLVM loop, with the loop's leading test computed in its latch.

A θ becomes a loop block with a φ per loop variable (per scalar field of an aggregate), entered
from the block before it and from its latch; the body region follows; the repeat predicate
branches back or out.  A `for` loop's body starts with `py.iternext` ("has a next item?") and a
γ on it, a `while` loop's with its condition: LLVM takes that leading test for the loop's header
and rotates the loop (the test moves to the latch: a guarded do-while) when the latch does not
leave the loop itself.  A loop that may also stop on a condition of the program's own
(`may_exit_early`: `break`, `return`, `while a and b`) has its latch on that second exit, so
LLVM would leave it unrotated -- and the loop vectorizer only takes a loop with an early exit
(a search, `for i in range(n): if a[i] > x: return i`) whose latch holds the counted exit.

So for such a loop the leading ops (`latch_prefix`: cheap scalar ops, `py.iternext` of a range
and the comparisons and arithmetic of a `while` condition) are computed ahead of each iteration:
once before the loop on the initial values, and in a latch block of their own on the next
values, handing their results to the loop block through φs.  Every op still runs exactly when
it ran before -- after the previous iteration's body, before this one's -- so a raising op
raises at the same point; only the block that computes it differs.
"""
from __future__ import annotations

from typing import TYPE_CHECKING


from jitlab.ir.nodes import Op, Theta
from jitlab.ir.types import BoolType, FloatType, IntType, RangeIterType, StateType

from .signature import llvm_type

if TYPE_CHECKING:
    from .lower import FunctionLowerer

_SCALAR_OPS = ("py.const", "py.compare", "py.binop", "py.unop", "py.truth")
_SCALARS = (IntType, FloatType, BoolType, StateType)


def latch_prefix(fl: FunctionLowerer, node: Theta) -> list[Op]:
    """The leading ops of `node`'s body that its latch computes ahead of each iteration: none
    unless the loop may stop early (`may_exit_early`: otherwise LLVM rotates it as it is);
    then each op in turn while it is `py.iternext` of a range iterator, or a constant, a
    comparison or arithmetic of scalars, not caught and reading no maybe-unbound value."""
    from .lower import may_exit_early

    if not may_exit_early(node):
        return []
    prefix = []
    for n in node.body.nodes:
        if not isinstance(n, Op) or (n.attrs and n.attr("catch")):
            break
        if any(name in fl.maybe_unbound for name in n.inputs):
            break
        types = [fl.types.get(name) for name in n.inputs] + [p.type for p in n.outputs]
        if n.op == "py.iternext":
            if not isinstance(fl.types.get(n.inputs[0]), RangeIterType):
                break
        elif n.op not in _SCALAR_OPS or not all(isinstance(t, _SCALARS) for t in types):
            break
        prefix.append(n)
    return prefix


def _run_prefix(fl: FunctionLowerer, node: Theta, prefix: list[Op], env, values: list) -> list:
    """Lower `prefix` with the loop variables bound to `values` (fields per variable, None for
    state); the fields of each non-state output of the prefix, in order."""
    sub = env.new_child()
    for lv, fields in zip(node.loop_vars, values):
        fl.types[lv.pre.name] = lv.pre.type
        sub[lv.pre.name] = None if fields is None else fl.assemble(llvm_type(lv.pre.type), fields)
    for n in prefix:
        fl.node(n, sub)
    return [fl.fields(sub[p.name]) for n in prefix for p in n.outputs if not isinstance(p.type, StateType)]


def lower_theta_loop(fl: FunctionLowerer, node: Theta, env) -> None:
    """Lower θ `node` as one loop (see the module doc)."""
    from .lower import UNBOUND_ID, _leaves

    inputs = [fl.fields(fl.cast(fl.lookup(env, lv.input), fl.types[lv.input], lv.pre.type))
              if not isinstance(lv.pre.type, StateType) else None for lv in node.loop_vars]
    for lv in node.loop_vars:
        fl.types[lv.pre.name] = lv.pre.type
    prefix = latch_prefix(fl, node)
    ahead = _run_prefix(fl, node, prefix, env, inputs) if prefix else []
    before = fl.builder.block
    loop = fl.func.append_basic_block("theta.body")
    fl.builder.branch(loop)
    fl.builder.position_at_end(loop)
    sub = env.new_child()
    phis = []
    for lv, value in zip(node.loop_vars, inputs):
        fl.types[lv.pre.name] = lv.pre.type
        if isinstance(lv.pre.type, StateType):
            sub[lv.pre.name] = None
            phis.append(None)
            continue
        ty = llvm_type(lv.pre.type)
        field_phis = [fl.builder.phi(leaf, name=lv.pre.name) for _, leaf in _leaves(ty)]
        for phi, field in zip(field_phis, value):
            phi.add_incoming(field, before)
        phis.append(field_phis)
    ahead_ports = [p for n in prefix for p in n.outputs if not isinstance(p.type, StateType)]
    ahead_phis = []
    for port, fields in zip(ahead_ports, ahead):
        field_phis = [fl.builder.phi(leaf, name=port.name) for _, leaf in _leaves(llvm_type(port.type))]
        for phi, field in zip(field_phis, fields):
            phi.add_incoming(field, before)
        ahead_phis.append(field_phis)
    id_phis = {}
    for lv in node.loop_vars:
        if lv.pre.name in fl.maybe_unbound:
            phi = fl.builder.phi(UNBOUND_ID, name=f"{lv.pre.name}.unbound")
            phi.add_incoming(fl.unbound_id_of(lv.input), before)
            fl.unbound[lv.pre.name] = id_phis[lv.pre.name] = phi
    for port, field_phis in zip(ahead_ports, ahead_phis):  # every φ first: φs lead their block
        sub[port.name] = fl.assemble(llvm_type(port.type), field_phis)
    for n in prefix:
        for p in n.outputs:
            if isinstance(p.type, StateType):
                sub[p.name] = None
    for lv, field_phis in zip(node.loop_vars, phis):
        if field_phis is not None:
            sub[lv.pre.name] = fl.assemble(llvm_type(lv.pre.type), field_phis)
    results = fl.region_body(node.body, sub, skip=len(prefix))
    fl.check_bound(node.body.results[0])
    repeat = fl.truth(results[0], fl.types[node.body.results[0]])
    nexts = [None if phi is None else fl.cast(v, fl.types[lv.post], lv.pre.type)
             for v, lv, phi in zip(results[1:], node.loop_vars, phis)]
    next_fields = [None if value is None else fl.fields(value) for value in nexts]
    after = fl.func.append_basic_block("theta.end")
    if prefix:
        latch_block = fl.func.append_basic_block("theta.latch")
        fl.builder.cbranch(repeat, latch_block, after)
        fl.builder.position_at_end(latch_block)
        ahead = _run_prefix(fl, node, prefix, env, next_fields)
    latch = fl.builder.block
    for field_phis, fields in zip([*phis, *ahead_phis], [*next_fields, *ahead]):
        if field_phis is not None:
            for phi, field in zip(field_phis, fields):
                phi.add_incoming(field, latch)
    for lv in node.loop_vars:
        if lv.pre.name in id_phis:
            id_phis[lv.pre.name].add_incoming(fl.unbound_id_of(lv.post), latch)
        if lv.post in fl.unbound:
            fl.unbound[lv.output.name] = fl.unbound[lv.post]
    if prefix:
        fl.builder.branch(loop)
    else:
        fl.builder.cbranch(repeat, loop, after)
    fl.builder.position_at_end(after)
    for lv, value in zip(node.loop_vars, nexts):
        env[lv.output.name] = value
