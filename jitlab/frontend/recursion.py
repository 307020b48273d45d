"""Recursive groups: the functions that call each other in a cycle become one φ.

`recursive_group(func)` finds the functions of `func`'s strongly connected component in the
graph "f may call g": `g` is a Python function (or a jitted one's `py_func`) that a global name
read by `f`'s code refers to in `f`'s globals (`co_names`, nested code included).  The graph is
read off the code objects, without building any IR, so a function that is not recursive costs
one walk over the names it reads.  A name read but not called only adds a member the φ does not
need; typing specialises only the members that are really called.

`as_phi(members)` puts the members' λs (the compiling function's first) into one φ and turns
every call between them into `py.call {callee = "rec:g"}` (docs/ir.md, "φ").  A λ is named by
the function's `__name__`; two members of one group with one name are an `UnsupportedError`.
"""
from __future__ import annotations

import types
from collections.abc import Callable
from dataclasses import replace

from jitlab.errors import UnsupportedError
from jitlab.ir import Gamma, Module, Op, Phi, Region, Theta

from . import closures


def _read_names(code: types.CodeType) -> set[str]:
    names = set(code.co_names)
    for c in code.co_consts:
        if isinstance(c, types.CodeType):
            names |= _read_names(c)
    return names


def _callees(func: Callable) -> list[Callable]:
    """The Python functions `func`'s code may call through its globals, and the nested functions
    it may call (its own and, in a lifted one, the siblings it holds: `closures.lift`)."""
    out = []
    g = func.__globals__
    for name in sorted(_read_names(func.__code__)):
        target = g.get(name)
        if getattr(target, "_jitlab_dispatcher_", False):
            target = getattr(target, "py_func", target)
        if isinstance(target, types.FunctionType):
            out.append(target)
    names = list(closures.inner_codes(func.__code__))
    if getattr(func, "_jitlab_parent_", None) is not None:
        names += [fn.name for fn in closures.function_cells(func).values()]
    out += [closures.lift(func, name) for name in names]
    return out


def recursive_group(func: Callable) -> list[Callable]:
    """`func` and every function that both reaches and is reached from it (`func` first), or
    an empty list when `func` cannot reach itself."""
    reach: dict[Callable, list[Callable]] = {}

    def reachable(start: Callable) -> set[Callable]:
        seen, todo = set(), [start]
        while todo:
            f = todo.pop()
            if f not in reach:
                reach[f] = _callees(f)
            for g in reach[f]:
                if g not in seen:
                    seen.add(g)
                    todo.append(g)
        return seen

    from_func = reachable(func)
    if func not in from_func:
        return []
    others = [g for g in from_func if g is not func and func in reachable(g)]
    others.sort(key=lambda g: (g.__qualname__, g.__code__.co_firstlineno))
    return [func, *others]


def as_phi(members: list[tuple[Callable, Module]]) -> Module:
    """One φ of the members' λs (in order); calls among them become `rec:` calls."""
    by_function = {f: module.functions[0] for f, module in members}
    names: dict[str, Callable] = {}
    for f, fn in by_function.items():
        if names.setdefault(fn.name, f) is not f:
            raise UnsupportedError(f"recursive functions {names[fn.name].__qualname__} and "
                                   f"{f.__qualname__} share the name {fn.name}",
                                   line=f.__code__.co_firstlineno,
                                   filename=f.__code__.co_filename)
    lambdas = []
    for f, fn in by_function.items():
        def member(callee: str, g: dict = f.__globals__, f: Callable = f) -> str | None:
            target = g.get(callee.removeprefix("global:")) if callee.startswith("global:") else None
            if callee.startswith(closures.PREFIX):
                target = closures.lift(f, callee)
            target = getattr(target, "py_func", target)
            return by_function[target].name if target in by_function else None

        lambdas.append(replace(fn, body=_rec_calls(fn.body, member)))
    first = lambdas[0]
    deltas: dict = {}
    for f, module in members:
        for d in module.deltas:
            if not deltas.setdefault(d.name, d).same_value(d):
                raise UnsupportedError(f"recursive functions read different global arrays named {d.name}",
                                       line=f.__code__.co_firstlineno, filename=f.__code__.co_filename)
    return Module((), (Phi(tuple(lambdas), first.loc),), tuple(deltas.values()))


def _rec_calls(region: Region, member: Callable[[str], str | None]) -> Region:
    nodes = []
    for node in region.nodes:
        if isinstance(node, Op) and node.op == "py.call":
            name = member(str(node.attr("callee", "")))
            if name is not None:
                attrs = tuple((k, f"rec:{name}" if k == "callee" else v) for k, v in node.attrs)
                node = replace(node, attrs=attrs)
        elif isinstance(node, Gamma):
            node = replace(node, branches=tuple(_rec_calls(b, member) for b in node.branches))
        elif isinstance(node, Theta):
            node = replace(node, body=_rec_calls(node.body, member))
        nodes.append(node)
    return replace(region, nodes=tuple(nodes))
