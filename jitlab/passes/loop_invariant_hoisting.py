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
"""
from __future__ import annotations

from dataclasses import dataclass

from jitlab.ir import Gamma, Lambda, LoopVar, Module, Op, Port, Region, Theta
from jitlab.ir.types import StateType

from .base import Pass, register_pass
from .purity import is_pure
from .rewrite import Names, bypass_state, const_values, map_functions, port_types, rename_uses, replace


class _Hoister:
    def __init__(self, fn: Lambda):
        self.names = Names(fn)
        self.types = port_types(fn)
        self.consts = const_values(fn)

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
        for op in node.body.nodes:
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
                    out = Port(self.names.fresh(v), c.outputs[0].type)
                    moved.append(replace(c, outputs=(out,)))
                    copied[v] = out.name
            inputs = tuple(copied.get(v) or outside[v] for v in values)
            outputs = tuple(Port(self.names.fresh(p.name), p.type) for p in op.outputs)
            if stateful:
                inputs += (state_in,)
                state_in = outputs[-1].name
                body_bypass.update(bypass_state(op))
            moved.append(replace(op, inputs=inputs, outputs=outputs))
            for p, q in zip(op.outputs[:-1] if stateful else op.outputs, outputs):
                outside[p.name] = q.name
                hoisted.append(p)
        if not moved:
            return [node]
        body = rename_uses(replace(node.body, nodes=tuple(kept)), body_bypass)
        # each hoisted value enters the body as an invariant loop variable under its old name
        extra = [LoopVar(outside[p.name], p, p.name, Port(self.names.fresh(p.name), p.type)) for p in hoisted]
        vars_ = [replace(lv, input=state_in) if lv is state else lv for lv in loop_vars] + extra
        body = replace(body, params=(*body.params, *(lv.pre for lv in extra)),
                       results=(*body.results, *(lv.post for lv in extra)))
        theta = replace(node, inputs=tuple(lv.input for lv in vars_), body=body,
                        outputs=(*node.outputs, *(lv.output for lv in extra)))
        return [*moved, theta]


def hoist_lambda(fn: Lambda) -> Lambda:
    return replace(fn, body=_Hoister(fn).region(fn.body))


@dataclass(frozen=True)
class LoopInvariantHoisting(Pass):
    name: str = "hoist"

    def run(self, module: Module) -> Module:
        return map_functions(module, hoist_lambda)


register_pass(LoopInvariantHoisting())
