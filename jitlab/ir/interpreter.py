"""The reference interpreter: executable semantics of jitlab IR.

    Interpreter(module).call("f", 2, 3.5)          # -> the return value, or raises like CPython
    for event in Interpreter(module).steps("f", 2, 3.5):
        print(event)                               # every region entered/left, every node evaluated

Why it exists: it is the oracle of the three-way differential tests (CPython vs this
interpreter vs native code, `tests/test_three_way.py`) and the engine of the
"step through a region" view for teaching.  It is written for clarity, not speed.

How a λ runs: its parameters are bound to the arguments (and a state token), then
each region runs its nodes in order, which is a valid order because every use
names an earlier value (V4).  Names are unique within a λ (V3), so one flat
environment per call holds every value.

* a simple node looks up its op's semantics (`OPS`, op name → `semantics(ctx, args)`;
  `py.*` in `interp_py.py`) and binds the values it returns to its outputs;
* a γ evaluates its predicate (`False`/`True` are 0/1), runs the one branch with that
  index on the entry values and binds the branch's results to its outputs;
* a θ runs its body on the loop values, again and again while the body's first
  result is true; the last iteration's other results are its outputs;
* the `!io` state token is a value like any other (`STATE_TOKEN`); effects happen in
  node order, which the token's linear use (V12) makes the order of the program.

Typed and untyped IR: a node whose value outputs have types (`typed` stage) computes
with the backend's machine semantics (int64 wraparound, float64, bool; see
`interp_values.py`), one without (`rvsdg` stage) with Python's.  Where types meet
(γ entries and exits, θ loop variables, the λ's arguments and result) values are
converted to the port's type as the backend converts them.  A `py.undef` value may
flow through ports; an op or predicate that reads it raises `UnboundLocalError`.

Calls: `builtins.*` and `math.*` (any `module.name`) by name; `global:g` through
`resolve(name) -> callable`, by default another λ of the module (interpreted) or
`globals[name]` (called); `rec:g` (a call inside a φ) always runs λ `g` of the module.
"""
from __future__ import annotations

from collections.abc import Callable, Generator, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from .interp_py import PY_SEMANTICS
from .interp_values import (
    InterpreterError, OpContext, Pending, RangeIter, Undefined, argument, cast, is_typed, result,
)
from .nodes import Gamma, Lambda, Module, Node, Op, Region, Theta, node_regions
from .types import Type

Semantics = Callable[[OpContext, list], tuple]
Resolver = Callable[[str], Callable[..., Any]]

# Op name → semantics.  `register_op` adds to it (user ops, new families).
OPS: dict[str, Semantics] = dict(PY_SEMANTICS)


def register_op(name: str) -> Callable[[Semantics], Semantics]:
    """Decorator: give op `name` its semantics, `semantics(ctx, args) -> tuple of outputs`."""
    def register(fn: Semantics) -> Semantics:
        OPS[name] = fn
        return fn
    return register


class StateToken:
    """The run-time value of `!io`: it carries nothing, it only orders effects."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "!io"


STATE_TOKEN = StateToken()


@dataclass(frozen=True, slots=True)
class PathStep:
    """One level of a region path: a structural node and which of its regions is running.

    `index` is the node's position in its parent region (-1 for the λ), `region` the
    branch a γ took (0 otherwise), `iteration` a θ's 0-based iteration (0 otherwise)."""

    kind: str  # "func", "gamma" or "theta"
    label: str  # "@f", or the structural node's first output, "%x.3"
    index: int = -1
    region: int = 0
    iteration: int = 0
    node: Lambda | Gamma | Theta | None = field(default=None, compare=False, repr=False)

    def __str__(self) -> str:
        if self.kind == "func":
            return self.label
        if self.kind == "gamma":
            return f"{self.index}:gamma[{self.region}]"
        return f"{self.index}:theta#{self.iteration}"


RegionPath = tuple[PathStep, ...]


@dataclass(frozen=True, slots=True)
class Event:
    """One step of `Interpreter.steps`.

    kind "enter": `region` starts, `inputs` are its parameters' values;
    kind "node":  `node` (in the innermost region of `path`) was evaluated on `inputs`
                  (a γ's predicate first) and gave `outputs`; for γ/θ this comes after
                  the events of their regions;
    kind "exit":  `region` finished with `outputs`, its results' values (for the λ:
                  the return value and the state token, the last event of a call).
    """

    kind: str
    path: RegionPath
    region: Region = field(compare=False, repr=False)
    node: Node | None = field(default=None, compare=False, repr=False)
    inputs: tuple = ()
    outputs: tuple = ()

    def __str__(self) -> str:
        where = "/".join(str(s) for s in self.path)
        if self.kind == "enter":
            names = ", ".join(f"%{p.name}={v!r}" for p, v in zip(self.region.params, self.inputs))
            return f"{where} enter ({names})"
        if self.kind == "exit":
            names = ", ".join(f"%{n}={v!r}" for n, v in zip(self.region.results, self.outputs))
            return f"{where} exit ({names})"
        outs = ", ".join(f"%{p.name}={v!r}" for p, v in zip(self.node.outputs, self.outputs))
        what = self.node.op if isinstance(self.node, Op) else type(self.node).__name__.lower()
        args = ", ".join(repr(x) for x in self.inputs)
        return f"{where} {what}({args}) -> {outs}"


class _Frame:
    """One call of a λ: its environment (name → value) and port types (name → type)."""

    __slots__ = ("fn", "env", "types", "typed", "stepping", "steps")

    def __init__(self, fn: Lambda, types: dict[str, Type], typed: bool, stepping: bool):
        self.fn = fn
        self.env: dict[str, Any] = {}
        self.types = types
        self.typed = typed
        self.stepping = stepping
        self.steps = 0


class Interpreter:
    """Runs the λs of one module.

    `globals`: the namespace `global:name` callees are looked up in when the module has
    no λ of that name.  `resolve(name) -> callable` replaces that lookup altogether.
    `ops` adds or overrides op semantics for this interpreter.  `max_steps` bounds the
    nodes one call may evaluate (an `InterpreterError` beyond it), for untrusted IR.
    `overflow`: what an i64 result that does not fit does, "raise" (`OverflowError`, the
    backend's default) or "wrap" (the backend's `LowerOptions.overflow = "wrap"`).
    """

    def __init__(self, module: Module, *, globals: Mapping[str, Any] | None = None,
                 resolve: Resolver | None = None, ops: Mapping[str, Semantics] | None = None,
                 max_steps: int | None = None, overflow: str = "raise"):
        if overflow not in ("raise", "wrap"):
            raise ValueError(f"overflow must be 'raise' or 'wrap', not {overflow!r}")
        if isinstance(module, Lambda):
            module = Module((module,))
        self.module = module
        self.functions = {fn.name: fn for fn in module.lambdas}
        # δ values: read-only arrays over the δ's bytes (a write raises NumPy's ValueError)
        self.deltas = {d.name: d.array() for d in module.deltas}
        self.globals = dict(globals or {})
        self.resolve = resolve or self.default_resolve
        self.ops = {**OPS, **(ops or {})}
        self.max_steps = max_steps
        self.overflow = overflow
        self._prepared: dict[int, tuple[Semantics, OpContext]] = {}
        self._types: dict[int, tuple[dict[str, Type], bool]] = {}

    # -- entry points --------------------------------------------------------------------
    def call(self, name: str, *args: Any) -> Any:
        """Run λ `name` on `args`; return its value or raise what the program raises."""
        run = self._call(name, args, stepping=False)
        while True:
            try:
                next(run)
            except StopIteration as done:
                return done.value

    def steps(self, name: str, *args: Any) -> Iterator[Event]:
        """Run λ `name` on `args` one event at a time (see `Event`); the generator's
        return value (and the last event's first output) is the function's value."""
        return self._call(name, args, stepping=True)

    def default_resolve(self, name: str) -> Callable[..., Any]:
        """`global:name`: another λ of this module (interpreted), else `globals[name]`."""
        if name in self.functions:
            return lambda *args: self.call(name, *args)
        if name in self.globals:
            return self.globals[name]
        raise NameError(f"name '{name}' is not defined")

    def _resolve(self, name: str) -> Callable[..., Any]:
        """What a call op reaches: `rec:g` is always λ `g` of this module (a member of the
        caller's φ, V13); any other name goes through `resolve`."""
        if name.startswith("rec:"):
            return lambda *args: self.call(name[4:], *args)
        return self.resolve(name)

    # -- λ ---------------------------------------------------------------------------------
    def _call(self, name: str, args: tuple, stepping: bool) -> Generator[Event, None, Any]:
        fn = self.functions.get(name)
        if fn is None:
            raise InterpreterError(f"the module has no function @{name}")
        types, typed = self._port_types(fn)
        params = fn.body.params[:-1]
        if len(args) != len(params):
            raise TypeError(f"{name}() takes {len(params)} positional arguments but {len(args)} were given")
        frame = _Frame(fn, types, typed, stepping)
        values = [argument(a, p.type, name, p.name) for a, p in zip(args, params)]
        path = (PathStep("func", f"@{fn.name}", node=fn),)
        value, _state = yield from self._region(frame, fn.body, [*values, STATE_TOKEN], path)
        if isinstance(value, Undefined):
            raise value.error()
        return result(value, types[fn.body.results[0]])

    def _port_types(self, fn: Lambda) -> tuple[dict[str, Type], bool]:
        """Every port's type by name (names are unique in a λ, V3), and whether any is typed."""
        found = self._types.get(id(fn))
        if found is None:
            types: dict[str, Type] = {}

            def add(region: Region) -> None:
                types.update((p.name, p.type) for p in region.params)
                for node in region.nodes:
                    types.update((p.name, p.type) for p in node.outputs)
                    for sub in node_regions(node):
                        add(sub)

            add(fn.body)
            found = self._types[id(fn)] = (types, any(is_typed(t) for t in types.values()))
        return found

    # -- regions and nodes -------------------------------------------------------------------
    def _region(self, frame: _Frame, region: Region, args: list, path: RegionPath
                ) -> Generator[Event, None, list]:
        env = frame.env
        for port, value in zip(region.params, args):
            env[port.name] = value
        if frame.stepping:
            yield Event("enter", path, region, inputs=tuple(args))
        for index, node in enumerate(region.nodes):
            frame.steps += 1
            if self.max_steps is not None and frame.steps > self.max_steps:
                raise InterpreterError(f"@{frame.fn.name} ran more than {self.max_steps} steps")
            if isinstance(node, Op):
                inputs = [env[name] for name in node.inputs]
                outputs = self._op(frame, node, inputs)
            elif isinstance(node, Gamma):
                inputs = [env[node.predicate], *(env[name] for name in node.inputs)]
                outputs = yield from self._gamma(frame, node, index, inputs, path)
            elif isinstance(node, Theta):
                inputs = [env[name] for name in node.inputs]
                outputs = yield from self._theta(frame, node, index, inputs, path)
            else:
                raise InterpreterError(f"not an IR node: {node!r}")
            for port, value in zip(node.outputs, outputs):
                env[port.name] = value
            if frame.stepping:
                yield Event("node", path, region, node, tuple(inputs), tuple(outputs))
        results = [env[name] for name in region.results]
        if frame.stepping:
            yield Event("exit", path, region, outputs=tuple(results))
        return results

    def _op(self, frame: _Frame, node: Op, inputs: list) -> tuple:
        prepared = self._prepared.get(id(node))
        if prepared is None:
            semantics = self.ops.get(node.op)
            if semantics is None:
                raise InterpreterError(f"the interpreter has no semantics for op {node.op}",
                                       line=node.loc.line if node.loc else None)
            types = frame.types
            ctx = OpContext(node, tuple(types.get(n) for n in node.inputs),
                            tuple(p.type for p in node.outputs),
                            any(is_typed(p.type) for p in node.outputs), self._resolve, self.overflow,
                            self.deltas)
            prepared = self._prepared[id(node)] = (semantics, ctx)
        semantics, ctx = prepared
        if node.attrs and node.attr("catch"):  # its exception waits on the state for `py.catch`
            try:
                outputs = _apply(semantics, ctx, inputs)
            except InterpreterError:
                raise
            except Exception as exc:
                outputs = (*(Undefined(p.name) for p in node.outputs[:-1]), Pending(exc, inputs[-1]))
        else:
            outputs = _apply(semantics, ctx, inputs)
        if len(outputs) != len(node.outputs):
            raise InterpreterError(f"{node.op} gave {len(outputs)} values for {len(node.outputs)} outputs")
        return outputs

    def _gamma(self, frame: _Frame, node: Gamma, index: int, inputs: list, path: RegionPath
               ) -> Generator[Event, None, list]:
        predicate, *values = inputs
        if type(predicate) is Undefined:
            raise predicate.error()
        k = int(predicate)
        if not 0 <= k < len(node.branches):
            raise InterpreterError(f"gamma predicate %{node.predicate} is {predicate!r}, but there are "
                                   f"{len(node.branches)} branches")
        branch = node.branches[k]
        if frame.typed:
            values = [cast(x, p.type) for x, p in zip(values, branch.params)]
        step = PathStep("gamma", _label(node), index, region=k, node=node)
        results = yield from self._region(frame, branch, values, (*path, step))
        if frame.typed:
            results = [cast(x, p.type) for x, p in zip(results, node.outputs)]
        return results

    def _theta(self, frame: _Frame, node: Theta, index: int, inputs: list, path: RegionPath
               ) -> Generator[Event, None, list]:
        body = node.body
        values = [cast(x, p.type) for x, p in zip(inputs, body.params)] if frame.typed else inputs
        iteration = 0
        while True:
            step = PathStep("theta", _label(node), index, iteration=iteration, node=node)
            again, *values = yield from self._region(frame, body, values, (*path, step))
            if frame.typed:
                values = [cast(x, p.type) for x, p in zip(values, body.params)]
            if type(again) is Undefined:
                raise again.error()
            if not again:
                break
            iteration += 1
        if frame.typed:
            values = [cast(x, p.type) for x, p in zip(values, node.outputs)]
        return values


def _apply(semantics: Semantics, ctx: OpContext, inputs: list) -> tuple:
    """An op's semantics on its inputs; reading an undefined value raises `UnboundLocalError`."""
    for value in inputs:
        if type(value) is Undefined:
            raise value.error()
    return semantics(ctx, inputs)


def _label(node: Gamma | Theta) -> str:
    return f"%{node.outputs[0].name}" if node.outputs else type(node).__name__.lower()


def interpret(module: Module, name: str, *args: Any, **options: Any) -> Any:
    """`Interpreter(module, **options).call(name, *args)`."""
    return Interpreter(module, **options).call(name, *args)


__all__ = ["OPS", "STATE_TOKEN", "Event", "Interpreter", "InterpreterError", "PathStep", "RangeIter",
           "RegionPath", "Resolver", "Semantics", "Undefined", "interpret", "register_op"]
