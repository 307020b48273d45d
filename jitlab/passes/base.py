"""The pass protocol, the registry of named passes and the default pipeline.

A pass is a small frozen object with a short `name` (its alias: `"dne"`) and
`run(module) -> module`; it never mutates its input (IR values are frozen) and
returns the module unchanged (the same object or an equal one) when it has
nothing to do.  Two ways to write one:

    @dataclass(frozen=True)
    class MyPass(Pass):                 # a class, with frozen options
        name: str = "mine"
        def run(self, module): ...

    @jitlab.passes.module_pass("mine")  # a function Module -> Module (e.g. in a notebook cell)
    def mine(module): ...

Both register themselves under their name (`get_pass("mine")`), so a pipeline can
be written as a list of names.  `DEFAULT_PIPELINE` is a plain list: print it,
copy it, change it, hand it to `jitlab.jit(passes=[...])`.

Where the default pipeline runs: `CANONICAL_PIPELINE` (untyped-safe cleanups,
then `canon`) runs inside the `rvsdg` stage, on the frontend's untyped output,
so that text is the same on every CPython version wherever the graphs agree.
`DEFAULT_PIPELINE` runs in the `opt` stage, after `typed`: before typing every
`py.*` op but `py.const`/`py.undef` may raise or call back into Python, so an
untyped pass could remove or move almost nothing; on typed IR the passes know
which ops are pure (`purity.is_pure`) and remove, merge, fold and hoist those.
Every pass also accepts untyped IR and is then conservative.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from jitlab.ir import Module

_REGISTRY: dict[str, Pass] = {}


@dataclass(frozen=True)
class Pass:
    """Base of every pass: a frozen object with a `name` and `run(module) -> module`."""

    name: str = "pass"

    def run(self, module: Module) -> Module:  # pragma: no cover - every pass overrides it
        raise NotImplementedError

    def for_compile(self, record) -> Pass:
        """This pass as the `opt` stage of one jitted compile runs it (`record`: its
        `pipeline.CompileRecord`, whose options and resolved callees a pass may read); by
        default the pass itself."""
        return self

    def __str__(self) -> str:
        return self.name


@dataclass(frozen=True)
class FunctionPass(Pass):
    """A pass made from a plain function `Module -> Module` (see `module_pass`)."""

    func: Callable[[Module], Module] | None = None

    def run(self, module: Module) -> Module:
        result = self.func(module)
        if not isinstance(result, Module):
            raise TypeError(f"pass {self.name!r} returned {type(result).__name__}, not a Module")
        return result


def register_pass(p: Pass, *, replace: bool = True) -> Pass:
    """Make `p` findable by its name; a later pass of the same name replaces it (notebook reruns)."""
    if not isinstance(p, Pass):
        raise TypeError(f"register_pass expects a Pass, got {type(p).__name__}")
    if not replace and p.name in _REGISTRY:
        raise ValueError(f"a pass named {p.name!r} is already registered")
    _REGISTRY[p.name] = p
    return p


def module_pass(name: str) -> Callable[[Callable[[Module], Module]], FunctionPass]:
    """Decorator: turn a function `Module -> Module` into a registered pass called `name`."""
    def wrap(func: Callable[[Module], Module]) -> FunctionPass:
        return register_pass(FunctionPass(name=name, func=func))
    return wrap


def get_pass(name: str) -> Pass:
    try:
        return _REGISTRY[name]
    except KeyError:
        raise KeyError(f"no pass named {name!r}; registered: {', '.join(sorted(_REGISTRY))}") from None


def registered_passes() -> dict[str, Pass]:
    return dict(_REGISTRY)


def resolve_passes(passes: Iterable[str | Pass]) -> tuple[Pass, ...]:
    """Names or pass objects → pass objects (a name is looked up in the registry)."""
    out = []
    for p in passes:
        if isinstance(p, str):
            out.append(get_pass(p))
        elif isinstance(p, Pass):
            out.append(p)
        else:
            raise TypeError(f"a pass is a name or a Pass object, not {type(p).__name__}")
    return tuple(out)


# What the `rvsdg` stage runs on the frontend's output: the untyped-safe cleanups (they only touch
# constants, `py.undef` and γ/θ plumbing, so they are correct before typing), then `canon`.  The
# cleanups remove restructuring leftovers that differ between CPython versions (a γ on a constant
# control variable, a value merged only to be dropped), so more functions print the same everywhere.
CANONICAL_PIPELINE: list[str] = ["fold", "ivr", "cne", "dne", "canon"]

# The optimisation pipeline of the `opt` stage (after typing).  Names, in order; change freely.
# `inline` first, so that every later pass sees through the calls of small jitted callees.
DEFAULT_PIPELINE: list[str] = ["inline", "fold", "ivr", "cne", "dne", "hoist", "ranges",
                               "fold", "ivr", "cne", "dne"]
