"""Inlining of jitted callees (`inline`), Reissmann et al. 2020 §5.5 (jlm's `FunctionInlining`).

A call `py.call {callee = "global:g"} (args…, io)` whose callee `g` is a λ of
the same module is replaced by `g`'s body: every port of the copy gets a fresh
name in the caller (derived from the callee's name for it), `g`'s parameters
become the call's arguments and `g`'s results (value, state) the call's outputs.
Not inlined: calls with keyword arguments (`kwnames`), calls whose argument count
differs from `g`'s, a callee calling itself (directly or through others in
this round), and callees of more than `max_nodes` nodes.  One run inlines one
level; run it again to inline the callees' callees.
"""
from __future__ import annotations

from dataclasses import dataclass, replace

from jitlab.ir import Gamma, Lambda, Module, Op, Port, Region, Theta

from .base import Pass, register_pass
from .rewrite import Names, rename_uses, resolve


def _copy_region(region: Region, names: Names, new: dict[str, str]) -> Region:
    """A copy of `region` with fresh names for every port it defines (`new` maps old → fresh)."""
    def define(p: Port) -> Port:
        new[p.name] = names.fresh(p.name)
        return replace(p, name=new[p.name])

    def use(ns: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(new[n] for n in ns)

    params = tuple(define(p) for p in region.params)
    nodes = []
    for node in region.nodes:
        inputs = use(node.inputs)
        if isinstance(node, Op):
            node = replace(node, inputs=inputs, outputs=tuple(define(p) for p in node.outputs))
        elif isinstance(node, Gamma):
            node = replace(node, predicate=new[node.predicate], inputs=inputs,
                           outputs=tuple(define(p) for p in node.outputs),
                           branches=tuple(_copy_region(b, names, new) for b in node.branches))
        elif isinstance(node, Theta):
            node = replace(node, inputs=inputs, outputs=tuple(define(p) for p in node.outputs),
                           body=_copy_region(node.body, names, new))
        nodes.append(node)
    return Region(params, tuple(nodes), use(region.results))


@dataclass(frozen=True)
class Inline(Pass):
    name: str = "inline"
    max_nodes: int = 1000

    def run(self, module: Module) -> Module:
        callees = {fn.name: fn for fn in module.functions}
        functions = tuple(self.inline_into(fn, callees) for fn in module.functions)
        return module if functions == module.functions else replace(module, functions=functions)

    def callee_of(self, node: Op, caller: Lambda, callees: dict[str, Lambda]) -> Lambda | None:
        if node.op != "py.call" or node.attr("kwnames"):
            return None
        callee = node.attr("callee")
        if not isinstance(callee, str) or not callee.startswith("global:"):
            return None
        g = callees.get(callee.removeprefix("global:"))
        if g is None or g.name == caller.name or len(g.body.params) != len(node.inputs):
            return None
        if sum(1 for _ in g.body.walk()) > self.max_nodes:
            return None
        return g

    def inline_into(self, fn: Lambda, callees: dict[str, Lambda]) -> Lambda:
        names = Names(fn)

        def region(r: Region) -> Region:
            nodes = []
            mapping: dict[str, str] = {}
            for node in r.nodes:
                node = rename_uses(Region((), (node,), ()), mapping).nodes[0]
                if isinstance(node, Gamma):
                    nodes.append(replace(node, branches=tuple(region(b) for b in node.branches)))
                    continue
                if isinstance(node, Theta):
                    nodes.append(replace(node, body=region(node.body)))
                    continue
                g = self.callee_of(node, fn, callees)
                if g is None:
                    nodes.append(node)
                    continue
                copy = _copy_region(g.body, names, {})
                copy = rename_uses(copy, {p.name: a for p, a in zip(copy.params, node.inputs)})
                nodes.extend(copy.nodes)
                mapping.update((o.name, res) for o, res in zip(node.outputs, copy.results))
            return replace(r, nodes=tuple(nodes), results=tuple(resolve(mapping, n) for n in r.results))

        return replace(fn, body=region(fn.body))


register_pass(Inline())
