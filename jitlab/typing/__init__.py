"""Type inference: give every port of a λ a concrete type for one argument signature.

`infer(module, argtypes)` types one function of `module` (the only one, or the
one named `func_name`) and returns a module holding that typed function; this is
the `typed` pipeline stage.  See `infer.py` for the algorithm, `lattice.py` for
how types join, and `rules/` for the per-op rules.
"""
from __future__ import annotations

from dataclasses import replace

from jitlab.ir.nodes import Gamma, Lambda, Module, Op, Region, Theta
from jitlab.ir.types import Type

from .infer import ResolveCall, infer_lambda, infer_phi
from .lattice import join, promote


def infer(module: Module, argtypes: tuple[Type, ...], resolve_call: ResolveCall | None = None,
          func_name: str | None = None, *, filename: str | None = None) -> Module:
    """Type `func_name` (default: the module's only/first function) for `argtypes`.

    `resolve_call(name, argtypes) -> (return_type, symbol)` types calls of jitted
    globals (`py.call {callee = "global:name"}`); without it such calls are errors.
    `filename` locates `TypingError`s (the cell's or file's name).
    """
    if not module.lambdas:
        raise ValueError("cannot type an empty module")
    fn = module.get(func_name) if func_name is not None else module.lambdas[0]
    for phi in module.phis:
        if fn in phi.functions:  # a recursive group: the φ of every specialisation it reaches
            return Module((), (infer_phi(phi, fn.name, tuple(argtypes), resolve_call, filename,
                                         module.deltas),), module.deltas)
    return Module((infer_lambda(fn, tuple(argtypes), resolve_call, filename, module.deltas),), (),
                  module.deltas)


def with_symbol(module: Module, symbol: str) -> Module:
    """The typed module with native symbols: `symbol` on its entry λ (the first); in a φ, the
    other λs get `symbol.rec.NAME` and every `rec:` call its callee's symbol."""
    def named(fn: Lambda, sym: str) -> Lambda:
        return replace(fn, attrs=(*(a for a in fn.attrs if a[0] != "symbol"), ("symbol", sym)))

    if not module.phis:
        fn = module.functions[0]
        return replace(module, functions=(named(fn, symbol), *module.functions[1:]))
    phi = module.phis[0]
    symbols = {fn.name: symbol if i == 0 else f"{symbol}.rec.{fn.name}" for i, fn in enumerate(phi.functions)}

    def calls(region: Region) -> Region:
        nodes = []
        for node in region.nodes:
            callee = node.attr("callee") if isinstance(node, Op) else None
            if isinstance(callee, str) and callee.startswith("rec:"):
                sym = symbols[callee[len("rec:"):]]
                node = replace(node, attrs=(*(a for a in node.attrs if a[0] != "symbol"), ("symbol", sym)))
            elif isinstance(node, Gamma):
                node = replace(node, branches=tuple(calls(b) for b in node.branches))
            elif isinstance(node, Theta):
                node = replace(node, body=calls(node.body))
            nodes.append(node)
        return replace(region, nodes=tuple(nodes))

    functions = tuple(replace(named(fn, symbols[fn.name]), body=calls(fn.body)) for fn in phi.functions)
    return replace(module, phis=(replace(phi, functions=functions), *module.phis[1:]))


__all__ = ["infer", "infer_phi", "join", "promote", "ResolveCall", "with_symbol"]
