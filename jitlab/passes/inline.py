"""Inlining of jitted callees (`inline`), Reissmann et al. 2020 §5.5 (jlm's `FunctionInlining`).

A call `py.call {callee = "global:g"} (args…, io)` is replaced by `g`'s body: every
port of the copy gets a fresh name in the caller (derived from the callee's name for
it), `g`'s parameters become the call's arguments and `g`'s results (value, state)
the call's outputs, and every copied node takes the call's source location (the
caller's file: an error raised by an inlined op points at the call).

Where `g` comes from:

* in the `opt` stage of a jitted compile (`jitlab.pipeline`), the pass is bound to
  the compile's resolved callees (`jitted`: native symbol → the callee's typed λ, its
  own `opt` artefact, already optimised and with its own small callees inlined);
  a typed call names its specialisation by its `symbol` attribute;
* otherwise (`jitlab opt`, goldens) a λ of the same module named `g`.

Not inlined: calls with keyword arguments (`kwnames`), calls whose argument count
differs from `g`'s, a callee calling itself (directly or through others in
this round), members of a φ (recursive groups: `rec:` calls stay calls), callees
the pipeline could not give as one λ (a recursive callee's module is a φ; PIXIE
functions have no IR) and callees of more than `max_nodes` nodes.  Those stay
calls, and the LLVM stage links their bitcode into the caller (JIT LTO) so LLVM may
still inline them.  One run inlines one level; in the JIT every callee's own `opt`
stage already inlined its callees, so one level there is all of them.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace

from jitlab.ir import Gamma, Lambda, Loc, Module, Op, Port, Region, Theta

from .base import Pass, register_pass
from .rewrite import Names, map_functions, rename_uses, resolve


def _copy_region(region: Region, names: Names, new: dict[str, str], loc: Loc | None) -> Region:
    """A copy of `region` with fresh names for every port it defines (`new` maps old → fresh)
    and every node at `loc`."""
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
            node = replace(node, inputs=inputs, outputs=tuple(define(p) for p in node.outputs), loc=loc)
        elif isinstance(node, Gamma):
            node = replace(node, predicate=new[node.predicate], inputs=inputs,
                           outputs=tuple(define(p) for p in node.outputs),
                           branches=tuple(_copy_region(b, names, new, loc) for b in node.branches), loc=loc)
        elif isinstance(node, Theta):
            node = replace(node, inputs=inputs, outputs=tuple(define(p) for p in node.outputs),
                           body=_copy_region(node.body, names, new, loc), loc=loc)
        nodes.append(node)
    return Region(params, tuple(nodes), use(region.results))


def size(fn: Lambda) -> int:
    """The number of nodes of `fn`, nested ones included: what `max_nodes` limits."""
    return sum(1 for _ in fn.body.walk())


@dataclass(frozen=True)
class Inline(Pass):
    name: str = "inline"
    max_nodes: int = 200
    # Bound by the jit pipeline for one compile: a callee's native symbol → its typed λ (None:
    # not inlinable).  Not an option of the pass (no part of its identity or repr).
    jitted: Callable[[str], Lambda | None] | None = field(default=None, repr=False, compare=False)

    def bind(self, jitted: Callable[[str], Lambda | None]) -> Inline:
        """This pass, inlining the jitted callees `jitted` gives by symbol (see `jitlab.pipeline`)."""
        return replace(self, jitted=jitted)

    def for_compile(self, record) -> Inline:
        return self.bind(record.inline_candidate) if record.callee_code else self

    def run(self, module: Module) -> Module:
        callees = {fn.name: fn for fn in module.functions}
        return map_functions(module, lambda fn: self.inline_into(fn, callees))

    def callee_of(self, node: Op, caller: Lambda, callees: dict[str, Lambda]) -> Lambda | None:
        if node.op != "py.call" or node.attr("kwnames") or node.attr("catch"):
            return None  # a caught call's exceptions must stay its own (docs/ir.md, py.catch)
        callee = node.attr("callee")
        if not isinstance(callee, str) or not callee.startswith(("global:", "closure:")):
            return None
        symbol = node.attr("symbol")
        if isinstance(symbol, str) and self.jitted is not None:
            g = self.jitted(symbol)
        else:
            g = callees.get(callee.removeprefix("global:"))
        if g is None or g.name == caller.name or len(g.body.params) != len(node.inputs):
            return None
        if isinstance(symbol, str) and self.jitted is not None \
                and any(isinstance(n, Op) and n.op == "py.global" for n in g.body.walk()):
            return None  # its δs (global arrays) live in its own module, not in the caller's
        if size(g) > self.max_nodes:
            return None
        return g

    def inline_into(self, fn: Lambda, callees: dict[str, Lambda]) -> Lambda:
        if not any(isinstance(n, Op) and n.op == "py.call" for n in fn.body.walk()):
            return fn
        names = Names(fn)
        inlined = False

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
                nonlocal inlined
                inlined = True
                copy = _copy_region(g.body, names, {}, node.loc)
                copy = rename_uses(copy, {p.name: a for p, a in zip(copy.params, node.inputs)})
                nodes.extend(copy.nodes)
                mapping.update((o.name, res) for o, res in zip(node.outputs, copy.results))
            return replace(r, nodes=tuple(nodes), results=tuple(resolve(mapping, n) for n in r.results))

        body = region(fn.body)
        return replace(fn, body=body) if inlined else fn


register_pass(Inline())
