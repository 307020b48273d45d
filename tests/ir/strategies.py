"""Hypothesis strategies for jitlab IR: random modules that verify by construction.

Use from any test (add this folder to `sys.path` first, as tests/typing/conftest.py does for
the backend's builder):

    from strategies import modules
    @given(modules())
    def test_my_pass_keeps_modules_valid(module): verify(my_pass(module))

What is generated: functions whose bodies nest γ and θ nodes up to `max_depth`, with
`test.*` simple nodes (random arity, attributes and locations) and the `py.*` ops whose
arity the verifier knows.  Ports are typed or untyped at random (`?` agrees with every
type), names include ones the printer must quote (`%"a b.3"`), attribute values include
`inf`, `-0.0`, big ints, tuples and `math.nan` (the one NaN object, see jitlab/ir/parser.py).

Valid by construction (every invariant of jitlab/ir/verifier.py): names come from one
counter per function (V3); a region only reads its own parameters and earlier outputs
(V4); the state token is threaded through every stateful node exactly once (V12); the
ports of one entry/exit/loop variable get one type or `?` (V9), predicates are bool,
integer or `?` (V8).
"""
from __future__ import annotations

import math
from dataclasses import replace
from functools import cache

from hypothesis import strategies as st

from jitlab.ir import (
    BOOL, F64, I64, NONE, STATE, UNKNOWN, BoolType, Delta, FloatType, FunctionType, Gamma, IntType, Lambda,
    Loc, Module, Op, Phi, Port, RangeIterType, Region, Theta, Type,
)

VALUE_TYPES: tuple[Type, ...] = (
    I64, F64, BOOL, NONE, IntType(32), IntType(8, signed=False), FloatType(32), RangeIterType(I64),
    FunctionType(),
)
# Name stems; the odd ones make the printer quote (`%"a b.3"`) or test unicode names.
NAME_STEMS = ("x", "t", "i", "acc", "café", "$t", "0", "a b", 'q"', "")
FUNC_STEMS = ("f", "g", "kernel", "<lambda>", "outer.<locals>.inner")
ATTR_KEYS = ("value", "op", "callee", "n", "odd key", "0", "true", "loc")
TEST_OPS = ("test.op", "test.sink", "test.make", "test.mix3", "test.fam.deep")
BINOPS = ("+", "-", "*", "/", "//", "%", "**", "&", "|", "^", "<<", ">>")


def _canonical_nan(x: float) -> float:
    return math.nan if math.isnan(x) else x


def attr_values() -> st.SearchStrategy:
    """Every kind of attribute value the printer can print (NaN as `math.nan`)."""
    return _ATTR_VALUES


def attrs() -> st.SearchStrategy:
    """A node's or function's attributes: a tuple of (key, value) with distinct keys."""
    return _ATTRS


def locs() -> st.SearchStrategy:
    return _LOCS


# Strategies are built once: building one per draw (validation, recursion analysis) costs
# far more than drawing from it.
_ATTR_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**70), 2**70) | st.floats().map(_canonical_nan)
    | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=3).map(tuple), max_leaves=6)
_ATTRS = st.one_of(st.just(()), st.dictionaries(st.sampled_from(ATTR_KEYS), _ATTR_VALUES, max_size=3)
                   .map(lambda d: tuple(d.items())))
_LOCS = st.none() | st.builds(Loc, st.integers(0, 999), st.integers(0, 120))


@cache
def _ints(lo: int, hi: int) -> st.SearchStrategy:
    return st.integers(lo, hi)


class _FunctionBuilder:
    """Draws one λ; `env` is the list of non-state values a region may read."""

    def __init__(self, draw, max_depth: int, max_nodes: int, typing: str):
        self.draw = draw
        self.max_depth = max_depth
        self.max_nodes = max_nodes
        self.typing = typing  # "none", "some" or "all": which fresh value ports get a type
        self.counter = 0

    # -- draws (through cached strategies, see `_ints`) ------------------------------------------
    def int(self, lo: int, hi: int) -> int:
        return self.draw(_ints(lo, hi))

    def flag(self) -> bool:
        return self.int(0, 1) == 1

    def choice(self, seq):
        return seq[self.int(0, len(seq) - 1)]

    def some(self, seq: list[Port], max_size: int, unique: bool = False) -> list[Port]:
        """Up to `max_size` elements of `seq` (distinct ones when `unique`)."""
        if not seq:
            return []
        picked = [self.choice(seq) for _ in range(self.int(0, max_size))]
        return list({p.name: p for p in picked}.values()) if unique else picked

    def name(self) -> str:
        self.counter += 1
        return f"{self.choice(NAME_STEMS)}.{self.counter}"

    def value_type(self) -> Type:
        if self.typing == "all" or self.typing == "some" and self.flag():
            return self.choice(VALUE_TYPES)
        return UNKNOWN

    def port(self, t: Type | None = None) -> Port:
        return Port(self.name(), self.value_type() if t is None else t)

    def state_port(self) -> Port:
        return Port(self.name(), self.choice((STATE, UNKNOWN)))

    def or_unknown(self, t: Type) -> Type:
        """`t`, or `?` (which agrees with it) at random."""
        return self.choice((t, UNKNOWN))

    # -- λ --------------------------------------------------------------------------------------
    def function(self, name: str) -> Lambda:
        args = [self.port() for _ in range(self.int(0, 3))]
        state = self.state_port()
        nodes: list = []
        env, state_name = self.region_nodes(nodes, list(args), state.name, depth=0)
        ret = self.pick_or_make(nodes, env, UNKNOWN, any_type=True)
        body = Region((*args, state), tuple(nodes), (ret.name, state_name))
        return Lambda(name, body, self.draw(locs()), self.draw(attrs()))

    # -- regions --------------------------------------------------------------------------------
    def region_nodes(self, nodes: list, env: list[Port], state: str | None, depth: int):
        """Append random nodes to `nodes`; return the final env and state name."""
        kinds = ["op", "py"] + (["gamma", "theta"] if depth < self.max_depth else [])
        for _ in range(self.int(0, self.max_nodes)):
            kind = self.choice(kinds)
            if kind == "op":
                self.test_op(nodes, env)
            elif kind == "py":
                state = self.py_op(nodes, env, state)
            elif kind == "gamma":
                state = self.gamma(nodes, env, state, depth)
            else:
                state = self.theta(nodes, env, state, depth)
        return env, state

    def pick_or_make(self, nodes: list, env: list[Port], t: Type, any_type: bool = False) -> Port:
        """A value of type `t` or `?` from `env` (any value when `any_type`), else a new one."""
        fits = [p for p in env if any_type or p.type in (t, UNKNOWN)]
        if fits:
            return self.choice(fits)
        port = Port(self.name(), t)
        nodes.append(Op("test.make", (), (port,), self.draw(attrs()), self.draw(locs())))
        env.append(port)
        return port

    def predicate(self, nodes: list, env: list[Port]) -> Port:
        fits = [p for p in env if isinstance(p.type, (BoolType, IntType)) or p.type == UNKNOWN]
        if fits and self.flag():
            return self.choice(fits)
        port = Port(self.name(), self.choice((BOOL, I64, IntType(8), UNKNOWN)))
        inputs = tuple(p.name for p in self.some(env, 2))
        nodes.append(Op("test.cond", inputs, (port,), (), self.draw(locs())))
        env.append(port)
        return port

    # -- simple nodes ---------------------------------------------------------------------------
    def test_op(self, nodes: list, env: list[Port]) -> None:
        inputs = self.some(env, 3)
        outputs = [self.port() for _ in range(self.int(0, 2))]
        op = self.choice(TEST_OPS)
        nodes.append(Op(op, tuple(p.name for p in inputs), tuple(outputs), self.draw(attrs()),
                        self.draw(locs())))
        env.extend(outputs)

    def py_op(self, nodes: list, env: list[Port], state: str | None) -> str | None:
        """A `py.*` op with the arity the verifier knows (V11); returns the new state."""
        loc = self.draw(locs())
        if state is None or not env:
            value = self.draw(attr_values())
            out = self.port()
            nodes.append(Op("py.const", (), (out,), (("value", value),), loc))
            env.append(out)
            return state
        new_state = self.state_port()
        out = self.port()
        a, b = self.choice(env), self.choice(env)
        which = self.choice(("binop", "truth", "call", "iternext"))
        if which == "binop":
            op = Op("py.binop", (a.name, b.name, state), (out, new_state),
                    (("op", self.choice(BINOPS)),), loc)
        elif which == "truth":
            out = Port(out.name, self.or_unknown(BOOL))
            op = Op("py.truth", (a.name, state), (out, new_state), (), loc)
        elif which == "call":
            args = tuple(p.name for p in self.some(env, 3))
            op = Op("py.call", (*args, state), (out, new_state), (("callee", "builtins.abs"),), loc)
        else:
            ok, it = Port(self.name(), self.or_unknown(BOOL)), self.port()
            op = Op("py.iternext", (a.name, state), (ok, out, it, new_state), (), loc)
            env.extend((ok, it))
        nodes.append(op)
        env.append(out)
        return new_state.name

    # -- structural nodes -----------------------------------------------------------------------
    def entry_values(self, env: list[Port]) -> list[Port]:
        return self.some(env, 3, unique=True)

    def gamma(self, nodes: list, env: list[Port], state: str | None, depth: int) -> str | None:
        pred = self.predicate(nodes, env)
        n_branches = 2 if pred.type == BOOL else self.int(2, 3)
        entries = self.entry_values(env)
        route_state = state is not None and self.flag()
        exit_types = [self.value_type() for _ in range(self.int(0, 2))]
        branches = []
        for _ in range(n_branches):
            params = [Port(self.name(), self.or_unknown(p.type)) for p in entries]
            branch_state = self.state_port() if route_state else None
            body: list = []
            benv, bstate = self.region_nodes(body, list(params), branch_state and branch_state.name,
                                             depth + 1)
            # an exit of type `?` takes only untyped values: typed ones from two branches might differ
            results = [self.pick_or_make(body, benv, t).name for t in exit_types]
            if route_state:
                params.append(branch_state)
                results.append(bstate)
            branches.append(Region(tuple(params), tuple(body), tuple(results)))
        outputs = [Port(self.name(), self.or_unknown(t)) for t in exit_types]
        env.extend(outputs)
        inputs = [p.name for p in entries]
        new_state = state
        if route_state:
            inputs.append(state)
            out_state = self.state_port()
            outputs.append(out_state)
            new_state = out_state.name
        nodes.append(Gamma(pred.name, tuple(inputs), tuple(branches), tuple(outputs), self.draw(locs())))
        return new_state

    def theta(self, nodes: list, env: list[Port], state: str | None, depth: int) -> str | None:
        entries = self.entry_values(env)
        route_state = state is not None and self.flag()
        params = [Port(self.name(), self.or_unknown(p.type)) for p in entries]
        body_state = self.state_port() if route_state else None
        body: list = []
        benv, bstate = self.region_nodes(body, list(params), body_state and body_state.name, depth + 1)
        pred = self.predicate(body, benv)
        posts = [self.pick_or_make(body, benv, p.type).name for p in entries]
        outputs = [Port(self.name(), self.or_unknown(p.type)) for p in entries]
        env.extend(outputs)
        inputs = [p.name for p in entries]
        new_state = state
        if route_state:
            params.append(body_state)
            posts.append(bstate)
            inputs.append(state)
            out_state = self.state_port()
            outputs.append(out_state)
            new_state = out_state.name
        region = Region(tuple(params), tuple(body), (pred.name, *posts))
        nodes.append(Theta(tuple(inputs), region, tuple(outputs), self.draw(locs())))
        return new_state


@st.composite
def functions(draw, name: str = "f", max_depth: int = 3, max_nodes: int = 3) -> Lambda:
    """One valid λ named `name`."""
    typing = draw(st.sampled_from(("none", "some", "all")))
    return _FunctionBuilder(draw, max_depth, max_nodes, typing).function(name)


def _with_recursive_call(fn: Lambda, target: Lambda) -> Lambda:
    """`fn` with a `py.call {callee = "rec:target"}` appended to its top-level region: the
    arguments are `fn`'s own parameters (or a `test.make` value), repeated to `target`'s count."""
    body = fn.body
    nodes = list(body.nodes)
    args = [p.name for p in body.params[:-1]]
    if not args:
        nodes.append(Op("test.make", (), (Port("rec.arg"),)))
        args = ["rec.arg"]
    count = len(target.body.params) - 1
    call = Op("py.call", (*(args[i % len(args)] for i in range(count)), body.results[1]),
              (Port("rec.out"), Port("rec.io", STATE)), (("callee", f"rec:{target.name}"),))
    return replace(fn, body=Region(body.params, (*nodes, call), (body.results[0], "rec.io")))


DELTA_DTYPES = ("bool", "int8", "uint16", "int32", "int64", "uint64", "float32", "float64", "complex64",
                "complex128")


@st.composite
def deltas(draw, name: str) -> Delta:
    """A δ of a random dtype and shape (up to 3 dimensions, empty ones too), values from bytes."""
    import numpy as np

    dtype = np.dtype(draw(st.sampled_from(DELTA_DTYPES)))
    shape = tuple(draw(st.lists(st.integers(0, 3), min_size=1, max_size=3)))
    size = dtype.itemsize * math.prod(shape)
    raw = draw(st.binary(min_size=size, max_size=size))
    array = np.frombuffer(raw, dtype=np.uint8).view(dtype).reshape(shape) if raw else np.zeros(shape, dtype)
    if dtype.kind == "b":  # (a δ keeps booleans as 0/1 bytes, see Delta.from_array)
        array = np.frombuffer(raw, dtype=np.uint8).reshape(shape) > 1
    if dtype.kind in "fc":  # the text keeps one NaN (no payload or sign), as for attribute values
        array = np.where(np.isnan(array), np.nan, array).astype(dtype)
    return Delta.from_array(name, array, draw(_LOCS))


@st.composite
def modules(draw, max_functions: int = 3, max_depth: int = 3, max_nodes: int = 3,
            max_phi: int = 2, max_deltas: int = 2) -> Module:
    """A valid module of up to `max_functions` functions with distinct names, then a φ of up to
    `max_phi` λs of which some call a member of the φ (`rec:`) at the end of their body."""
    count = draw(st.integers(0, max_functions))
    stems = [draw(st.sampled_from(FUNC_STEMS)) for _ in range(count)]  # the index keeps names distinct
    top = tuple(draw(functions(f"{stem}{i}", max_depth, max_nodes)) for i, stem in enumerate(stems))
    count = draw(st.integers(0, max_phi))
    members = [draw(functions(f"rec{i}", max_depth, max_nodes)) for i in range(count)]
    members = [_with_recursive_call(fn, members[draw(st.integers(0, count - 1))]) if draw(st.booleans())
               else fn for fn in members]
    held = tuple(draw(deltas(f"D{i}")) for i in range(draw(st.integers(0, max_deltas))))
    return Module(top, (Phi(tuple(members), draw(locs())),) if members else (), held)
