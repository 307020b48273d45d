"""Type inference: give every port of a λ a concrete type for one argument signature.

`infer(module, argtypes)` types one function of `module` (the only one, or the
one named `func_name`) and returns a module holding that typed function; this is
the `typed` pipeline stage.  See `infer.py` for the algorithm, `lattice.py` for
how types join, and `rules/` for the per-op rules.
"""
from __future__ import annotations

from jitlab.ir.nodes import Module
from jitlab.ir.types import Type

from .infer import ResolveCall, infer_lambda
from .lattice import join, promote


def infer(module: Module, argtypes: tuple[Type, ...], resolve_call: ResolveCall | None = None,
          func_name: str | None = None, *, filename: str | None = None) -> Module:
    """Type `func_name` (default: the module's only/first function) for `argtypes`.

    `resolve_call(name, argtypes) -> (return_type, symbol)` types calls of jitted
    globals (`py.call {callee = "global:name"}`); without it such calls are errors.
    `filename` locates `TypingError`s (the cell's or file's name).
    """
    if not module.functions:
        raise ValueError("cannot type an empty module")
    fn = module.get(func_name) if func_name is not None else module.functions[0]
    return Module((infer_lambda(fn, tuple(argtypes), resolve_call, filename),))


__all__ = ["infer", "join", "promote", "ResolveCall"]
