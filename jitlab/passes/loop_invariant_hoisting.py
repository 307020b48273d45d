"""Loop-invariant hoisting (`hoist`): pure nodes of a θ body that read only invariant values
move in front of the θ.  Reissmann et al. 2020 §5.4 ("node hoisting"; jlm's `InvariantValueRedirection`
finds the invariant loop variables, its push-out transformation moves the nodes).

Invariant values of a body: parameters of loop variables whose next value is the
parameter itself (`post == pre`), constants, and outputs of nodes already found
invariant.  A pure simple node (`purity.is_pure`) that reads only invariant values
and at least one parameter or hoisted value is moved (a lone constant stays: it
costs nothing in the loop).  Moving it is safe because a θ is a do-while: the
body runs at least once, and a pure node cannot raise.

The moved node reads the θ's inputs instead of the parameters (constants it
reads are copied out), and its value enters the body as a new invariant loop
variable whose parameter keeps the node's old name, so the body is unchanged
but for the node's absence.  A state-threading node is threaded on the θ's `!io`
input outside; a θ without an `!io` loop variable keeps its stateful nodes.
Nested θs are hoisted first (innermost out), so a node can leave several loops
in successive runs.

Out of a γ in the body (at any depth of γs): a node in a branch whose inputs are
all invariant (entry variables fed by invariant values, constants, nodes moved
before it) leaves the γ for the θ body, and from there the θ, as above.  It then
runs in every iteration, taken branch or not, so it must be safe to speculate
(`purity.can_speculate`: pure, and no division that may raise, no int64 arithmetic
that may overflow -- in a compile whose int64 arithmetic wraps, `overflow = "wrap"`, none
raises -- no bounds-checked access).  Its value enters the γ as a new
entry variable whose parameter keeps the node's old name in its branch (a fresh,
unused one in the others); a state-threading node is threaded on the γ's `!io`
input.
"""
from __future__ import annotations

from collections import deque
from collections.abc import Container
from dataclasses import dataclass

from jitlab.ir import Gamma, Lambda, LoopVar, Module, Op, Port, Region, Theta
from jitlab.ir.types import StateType

from .base import Pass, register_pass
from .purity import can_speculate, is_pure
from .rewrite import Names, bypass_state, const_values, map_functions, port_types, rename_uses, replace


class _Either:
    """`name in _Either(a, b)`: in `a` or in `b`, without building their union (a θ body may hold
    many γs: copying its invariant names for each would be quadratic)."""

    __slots__ = ("a", "b")

    def __init__(self, a, b):
        self.a, self.b = a, b

    def __contains__(self, name: str) -> bool:
        return name in self.a or name in self.b


class _Hoister:
    def __init__(self, fn: Lambda, overflow: str = "raise"):
        self.overflow = overflow
        self.names = Names(fn)
        self.types = port_types(fn)  # shared (see `port_types`): copied before the first new port
        self.consts = const_values(fn)
        self.own = False

    def region(self, region: Region) -> Region:
        nodes = []
        for node in region.nodes:
            if isinstance(node, Gamma):
                nodes.append(replace(node, branches=tuple(self.region(b) for b in node.branches)))
            elif isinstance(node, Theta):
                nodes.extend(self.theta(replace(node, body=self.region(node.body))))
            else:
                nodes.append(node)
        return replace(region, nodes=tuple(nodes))

    def theta(self, node: Theta) -> list:
        loop_vars = node.loop_vars
        state = next((lv for lv in loop_vars if isinstance(lv.pre.type, StateType)), None)
        outside: dict[str, str] = {lv.pre.name: lv.input for lv in loop_vars if lv.post == lv.pre.name}
        const_of: dict[str, Op] = {}
        moved: list[Op] = []
        body_bypass: dict[str, str] = {}
        state_in = state.input if state is not None else None
        kept = []
        hoisted: list[Port] = []
        pending = deque(node.body.nodes)
        while pending:
            op = pending.popleft()
            if isinstance(op, Gamma) and state is not None:
                out_of_gamma, op = self.speculate(op, _Either(outside, const_of), outside)
                pending.extendleft(reversed(out_of_gamma))  # they run before the γ and leave the θ
                kept.append(op)
                continue
            if isinstance(op, Op) and op.op == "py.const":
                const_of[op.outputs[0].name] = op
            stateful = isinstance(op, Op) and bool(bypass_state(op))
            values = (op.inputs[:-1] if stateful else op.inputs) if isinstance(op, Op) else ()
            movable = (isinstance(op, Op) and values and is_pure(op, self.types, self.consts)
                       and all(v in outside or v in const_of for v in values)
                       and any(v in outside for v in values) and (not stateful or state is not None))
            if not movable:
                kept.append(op)
                continue
            copied = {}
            for v in values:
                if v in const_of and v not in outside:
                    c = const_of[v]
                    out = self.fresh(c.outputs[0], c.attr("value"), const=True)
                    moved.append(replace(c, outputs=(out,)))
                    copied[v] = out.name
            inputs = tuple(copied.get(v) or outside[v] for v in values)
            outputs = tuple(self.fresh(p) for p in op.outputs)
            if stateful:
                inputs += (state_in,)
                state_in = outputs[-1].name
                body_bypass.update(bypass_state(op))
            moved.append(replace(op, inputs=inputs, outputs=outputs))
            for p, q in zip(op.outputs[:-1] if stateful else op.outputs, outputs):
                outside[p.name] = q.name
                hoisted.append(p)
        if not moved:
            return [node] if tuple(kept) == node.body.nodes else [
                replace(node, body=replace(node.body, nodes=tuple(kept)))]
        body = rename_uses(replace(node.body, nodes=tuple(kept)), body_bypass)
        # each hoisted value enters the body as an invariant loop variable under its old name
        extra = [LoopVar(outside[p.name], p, p.name, self.fresh(p)) for p in hoisted]
        vars_ = [replace(lv, input=state_in) if lv is state else lv for lv in loop_vars] + extra
        body = replace(body, params=(*body.params, *(lv.pre for lv in extra)),
                       results=(*body.results, *(lv.post for lv in extra)))
        theta = replace(node, inputs=tuple(lv.input for lv in vars_), body=body,
                        outputs=(*node.outputs, *(lv.output for lv in extra)))
        return [*moved, theta]

    def fresh(self, p: Port, value: object = None, const: bool = False) -> Port:
        """A new port like `p` (its type known to the purity checks; `value` if a constant)."""
        q = Port(self.names.fresh(p.name), p.type)
        if not self.own:
            self.types, self.consts, self.own = dict(self.types), dict(self.consts), True
        self.types[q.name] = p.type
        if const:
            self.consts[q.name] = value
        return q

    def speculate(self, gamma: Gamma, invariant: Container[str], variable: Container[str]
                  ) -> tuple[list[Op], Gamma]:
        """Move the nodes of `gamma`'s branches that read only `invariant` values of the region around
        it, at least one of them in `variable` (not a constant), and may be speculated, to just before
        it: (the moved nodes, the new γ).  Nested γs first, so a node can leave several at once."""
        state_i = next((i for i, p in enumerate(gamma.branches[0].params) if isinstance(p.type, StateType)),
                       None)
        if state_i is None:
            return [], gamma
        state_in = gamma.inputs[state_i]
        moved: list[Op] = []
        new_entries: list[tuple[str, int, Port]] = []  # (outside name, branch index, parameter)
        branches = []
        for bi, branch in enumerate(gamma.branches):
            outer = {p.name: v for p, v in zip(branch.params, gamma.inputs) if v in invariant}
            nonconst = {p.name for p, v in zip(branch.params, gamma.inputs) if v in variable}
            consts: dict[str, Op] = {}
            kept, bypass = [], {}
            pending = deque(branch.nodes)
            while pending:
                op = pending.popleft()
                if isinstance(op, Gamma):
                    inner, op = self.speculate(op, _Either(outer, consts), nonconst)
                    pending.extendleft(reversed(inner))
                    kept.append(op)
                    continue
                if isinstance(op, Op) and op.op == "py.const" and not op.inputs:
                    consts[op.outputs[0].name] = op
                stateful = isinstance(op, Op) and bool(bypass_state(op))
                values = op.inputs[:-1] if stateful else ()
                invariant_inputs = all(v in outer or v in consts for v in values)
                if not (values and invariant_inputs and any(v in nonconst for v in values)
                        and can_speculate(op, self.types, self.consts, self.overflow)):
                    kept.append(op)
                    continue
                inputs = []
                for v in values:
                    if v in outer:
                        inputs.append(outer[v])
                        continue
                    c = consts[v]
                    out = self.fresh(c.outputs[0], c.attr("value"), const=True)
                    moved.append(replace(c, outputs=(out,)))
                    inputs.append(out.name)
                outputs = tuple(self.fresh(p) for p in op.outputs)
                moved.append(replace(op, inputs=(*inputs, state_in), outputs=outputs))
                state_in = outputs[-1].name
                bypass.update(bypass_state(op))
                for p, q in zip(op.outputs[:-1], outputs):
                    outer[p.name] = q.name
                    nonconst.add(p.name)
                    new_entries.append((q.name, bi, p))
            branches.append(rename_uses(replace(branch, nodes=tuple(kept)), bypass))
        if not moved:
            return [], gamma
        params = [list(b.params) for b in branches]
        for _, bi, p in new_entries:
            for i, ps in enumerate(params):
                ps.append(p if i == bi else self.fresh(p))
        inputs = list(gamma.inputs)
        inputs[state_i] = state_in
        return moved, replace(gamma, inputs=(*inputs, *(name for name, _, _ in new_entries)),
                              branches=tuple(replace(b, params=tuple(ps)) for b, ps in zip(branches, params)))


def hoist_lambda(fn: Lambda, overflow: str = "raise") -> Lambda:
    return replace(fn, body=_Hoister(fn, overflow).region(fn.body))


@dataclass(frozen=True)
class LoopInvariantHoisting(Pass):
    name: str = "hoist"
    overflow: str = "raise"  # what int64 overflow does in the code: "raise" (may not speculate) or "wrap"

    def run(self, module: Module) -> Module:
        return map_functions(module, lambda fn: hoist_lambda(fn, self.overflow))

    def for_compile(self, record) -> LoopInvariantHoisting:
        overflow = record.options.overflow
        return self if overflow == self.overflow else replace(self, overflow=overflow)


register_pass(LoopInvariantHoisting())
