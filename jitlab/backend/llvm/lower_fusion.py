"""Fusion of elementwise array expressions: `x * 2.0 + y` is one loop and one new array.

An elementwise op (`py.binop`/`py.compare`/`py.unop` on arrays, a NumPy ufunc call) whose
array result has exactly one use, by another elementwise op of the same region, is not
stored: it becomes a `Deferred` -- its operands, its (already broadcast-checked) shape and
its scalar operands already converted -- and the op that uses it computes its items inside
its own loop.  Only the result of the last op of such a tree is allocated.

Fusion changes nothing NumPy users can see:

* each op checks its broadcast where it stands (`lower_arrays_math.prepare`), so a shape
  error is raised by the op that raises it without fusion, in the same order;
* the ops on the state chain between the deferred op and its user are elementwise ops
  themselves, which write nothing but their own new arrays, so the operands the deferred op
  reads hold the same items when its user reads them;
* an op that may raise per item (integer `**` by a negative power) is never deferred.
"""

from __future__ import annotations

from dataclasses import dataclass

from llvmlite import ir

from jitlab.ir.nodes import Gamma, Lambda, Op, Region, Theta, node_inputs, node_regions
from jitlab.ir.types import ArrayType, IntType, StateType, Type


@dataclass
class Deferred:
    """An elementwise array value not materialised: computed item by item by its user."""

    op: str
    args: list  # ir.Value, or Deferred for a fused operand
    types: list[Type]
    rt: ArrayType
    dims: list[ir.Value]  # the broadcast shape, checked where the op stands
    work: Type  # the dtype the op computes in
    made: Type  # the dtype its scalar computation gives (before conversion to rt.dtype)
    scalars: dict[int, ir.Value]  # operand index -> scalar operand, converted to `work`


def elementwise_op(node: Op) -> str | None:
    """Whether `node` is an elementwise op on arrays lowered by `lower_arrays_math.elementwise`
    into a new array: its operator, else None (an in-place `a += b`, `@`, views, reductions,
    allocations and every other NumPy function are not)."""
    if not node.outputs or not isinstance(node.outputs[0].type, ArrayType):
        return None
    if node.op == "py.binop":
        # `a += b` on an array writes into `a` (its result is `a` itself); `@` is a product
        return None if node.attr("inplace") or node.attr("op") == "@" else node.attr("op")
    if node.op == "py.compare":
        return node.attr("op")
    if node.op == "py.unop":
        return {"-": "negative", "~": "invert"}.get(node.attr("op"))
    if node.op == "py.call":
        from jitlab.typing.rules.numpy_calls import BINARY_UFUNCS, NARY_FUNCS, UFUNC_ALIASES, UNARY_UFUNCS

        callee, nargs = node.attr("callee") or "", len(node.inputs) - 1
        name = callee[len("numpy."):] if callee.startswith("numpy.") else None
        if name in UNARY_UFUNCS and nargs == 1:
            return UFUNC_ALIASES.get(name, name)
        if name in BINARY_UFUNCS and nargs == 2:
            return BINARY_UFUNCS[name]
        if name in NARY_FUNCS and not (name == "where" and nargs == 1):
            return "round" if name == "around" else name
    return None


def plan(fn: Lambda) -> set[str]:
    """The names of the elementwise results to defer (see the module doc)."""
    types: dict[str, Type] = {p.name: p.type for p in fn.body.params}
    uses: dict[str, int] = {}
    user: dict[str, Op] = {}

    def visit(region: Region) -> None:
        for p in region.params:
            types[p.name] = p.type
        for node in region.nodes:
            for port in node.outputs:
                types[port.name] = port.type
            for name in node_inputs(node):
                uses[name] = uses.get(name, 0) + 1
                user[name] = node
            if isinstance(node, (Gamma, Theta)):
                for sub in node_regions(node):
                    visit(sub)
        for name in region.results:
            uses[name] = uses.get(name, 0) + 2  # never deferred

    visit(fn.body)
    deferred: set[str] = set()

    def candidate(node) -> bool:
        if not isinstance(node, Op):
            return False
        op = elementwise_op(node)
        if op is None or not node.inputs or not isinstance(types.get(node.inputs[-1]), StateType):
            return False
        return not (op == "**" and isinstance(node.outputs[0].type.dtype, IntType))

    def scan(region: Region) -> None:
        producer_of_state: dict[str, Op] = {}
        for node in region.nodes:
            if isinstance(node, Op):
                for port in node.outputs:
                    if isinstance(port.type, StateType):
                        producer_of_state[port.name] = node
            for sub in node_regions(node):
                scan(sub)
        members = set(map(id, region.nodes))
        for node in region.nodes:
            if not candidate(node):
                continue
            value = node.outputs[0].name
            consumer = user.get(value)
            if uses.get(value) != 1 or id(consumer) not in members or not candidate(consumer):
                continue
            states = [p.name for p in node.outputs if isinstance(p.type, StateType)]
            if not states:
                continue
            # walk the state chain back from the consumer: only elementwise ops in between
            state = consumer.inputs[-1]
            while state != states[0]:
                between = producer_of_state.get(state)
                if between is None or not candidate(between):
                    break
                state = between.inputs[-1]
            else:
                deferred.add(value)

    scan(fn.body)
    return deferred


__all__ = ["Deferred", "elementwise_op", "plan"]
