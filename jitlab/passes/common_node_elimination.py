"""Common node elimination (`cne`): hash-consing, Reissmann et al. 2020 §5.2 (jlm's `cne`).

Within each region, walked in order, a simple node is keyed by its op, its
attributes, its (already renamed) value inputs and its output types; a node
whose key was seen before is dropped and its outputs renamed to the first
node's.  Only pure nodes are merged (`purity.is_pure`; `py.undef` never, since
its name says which variable is unbound), and a pure state-threading node
leaves the `!io` chain.  Attribute values are keyed with their types and floats
by `repr`, because `True == 1 == 1.0` and `0.0 == -0.0` in Python while these
are different constants.

A γ that receives one value through several entry variables keeps only the
first: each branch's other parameters are renamed to that one.  Regions are
separate scopes (no capture), so identical nodes in different regions stay.
"""
from __future__ import annotations

import operator
from dataclasses import dataclass

from jitlab.ir import Gamma, Lambda, Module, Op, Region

from .base import Pass, register_pass
from .purity import is_pure
from .rewrite import bypass_state, const_values, map_functions, port_types, rename_uses, replace, resolve


def attr_key(value):
    """A key that tells apart values Python calls equal (True/1/1.0, 0.0/-0.0, nan)."""
    if isinstance(value, tuple):
        return ("tuple", tuple(attr_key(v) for v in value))
    if isinstance(value, float):
        return ("float", repr(value))
    return (type(value).__name__, value)


class _Merger:
    def __init__(self, fn: Lambda):
        self.types = port_types(fn)
        self.consts = const_values(fn)

    def region(self, region: Region) -> Region:
        seen: dict[tuple, Op] = {}
        mapping: dict[str, str] = {}
        nodes = []
        for node in region.nodes:
            if mapping:
                node = rename_uses(Region((), (node,), ()), mapping).nodes[0]
            if isinstance(node, Op):
                if node.op != "py.undef" and is_pure(node, self.types, self.consts):
                    stateful = bool(bypass_state(node))
                    values = node.inputs[:-1] if stateful else node.inputs
                    outs = node.outputs[:-1] if stateful else node.outputs
                    key = (node.op, tuple((k, attr_key(v)) for k, v in node.attrs), values,
                           tuple(p.type for p in outs))
                    first = seen.get(key)
                    if first is not None:
                        first_outs = first.outputs[:-1] if bypass_state(first) else first.outputs
                        mapping.update((p.name, q.name) for p, q in zip(outs, first_outs))
                        mapping.update(bypass_state(node))
                        continue
                    seen[key] = node
            elif isinstance(node, Gamma):
                node = self.gamma(node)
            else:
                body = self.region(node.body)
                node = node if body is node.body else replace(node, body=body)
            nodes.append(node)
        if not mapping and len(nodes) == len(region.nodes) and all(map(operator.is_, nodes, region.nodes)):
            return region  # nothing merged here or below
        return replace(region, nodes=tuple(nodes), results=tuple(resolve(mapping, r) for r in region.results))

    def gamma(self, node: Gamma) -> Gamma:
        first: dict[str, int] = {}
        keep = []
        for j, name in enumerate(node.inputs):
            keep.append(name not in first)
            first.setdefault(name, j)
        if all(keep):  # no value enters twice: only the branches may change
            branches = tuple(self.region(b) for b in node.branches)
            if all(a is b for a, b in zip(branches, node.branches)):
                return node
            return replace(node, branches=branches)
        branches = []
        for b in node.branches:
            rename = {p.name: b.params[first[name]].name
                      for p, name, k in zip(b.params, node.inputs, keep) if not k}
            b = rename_uses(b, rename)
            b = replace(b, params=tuple(p for p, k in zip(b.params, keep) if k))
            branches.append(self.region(b))
        inputs = tuple(n for n, k in zip(node.inputs, keep) if k)
        return replace(node, inputs=inputs, branches=tuple(branches))


def eliminate_common_nodes(fn: Lambda) -> Lambda:
    body = _Merger(fn).region(fn.body)
    return fn if body is fn.body else replace(fn, body=body)


@dataclass(frozen=True)
class CommonNodeElimination(Pass):
    name: str = "cne"

    def run(self, module: Module) -> Module:
        return map_functions(module, eliminate_common_nodes)


register_pass(CommonNodeElimination())
