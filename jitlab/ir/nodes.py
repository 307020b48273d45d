"""The RVSDG node classes of jitlab IR.

Why it looks like this: an RVSDG (Reissmann et al. 2020) has no control-flow
graph: control flow lives in structural nodes that own nested regions.

* a **region** has named parameters, an ordered tuple of nodes (each node only
  uses values defined before it, by a parameter of an enclosing region or by an
  earlier node) and a tuple of results;
* a **simple node** (`Op`) applies an operation, e.g. `py.binop {op="+"}`;
* a **gamma** (γ) picks one of N branch regions by an integer/bool predicate
  (branch `i` runs when the predicate equals `i`; `False` is 0, `True` is 1);
* a **theta** (θ) is a tail-controlled loop: its body's first result is the
  repeat predicate, the rest are the loop variables' next values;
* a **lambda** (λ) is a function, a **phi** (φ) a recursion environment: λs that
  call each other (and themselves) by name, `py.call {callee = "rec:g"}`; a
  **delta** (δ) is a global constant, a read-only array frozen when the module was
  built, which a λ reads by name (`py.global {name = "G"}`); an **omega** (ω,
  `Module`) holds δs, λs and φs.

Every value is a named `Port`; uses refer to values by name.  Names are unique
within one lambda (the verifier checks this, V3).  All classes are frozen
dataclasses: passes build new values with `dataclasses.replace`, never mutate.
Structural nodes hand out named port records (`EntryVar`, `ExitVar`,
`LoopVar`) so passes never do index arithmetic on inputs and outputs.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Union
from collections.abc import Iterator

from .types import UNKNOWN, ArrayType, BoolType, ComplexType, FloatType, IntType, Type

# Attribute values allowed on simple nodes (all print and parse back).
AttrValue = Union[int, float, bool, str, None, tuple]


@dataclass(frozen=True, slots=True)
class Loc:
    """A source location: 1-based line in the function's file (or cell), 0-based column."""

    line: int
    col: int = 0

    def __str__(self) -> str:
        return f"loc({self.line}:{self.col})"


@dataclass(frozen=True, slots=True)
class Port:
    """A value: its unique name (without the `%`) and its type."""

    name: str
    type: Type = UNKNOWN


@dataclass(frozen=True, slots=True)
class Region:
    params: tuple[Port, ...]
    nodes: tuple[Node, ...]
    results: tuple[str, ...]

    def walk(self) -> Iterator[Node]:
        """Every node of this region and of all nested regions, pre-order."""
        for node in self.nodes:
            yield node
            for sub in node_regions(node):
                yield from sub.walk()


@dataclass(frozen=True, slots=True)
class Op:
    """A simple node: `outputs = op {attrs} (inputs)`."""

    op: str
    inputs: tuple[str, ...]
    outputs: tuple[Port, ...]
    attrs: tuple[tuple[str, AttrValue], ...] = ()
    loc: Loc | None = None

    def attr(self, key: str, default: AttrValue = None) -> AttrValue:
        for k, v in self.attrs:
            if k == key:
                return v
        return default


@dataclass(frozen=True, slots=True)
class EntryVar:
    input: str
    branch_params: tuple[Port, ...]


@dataclass(frozen=True, slots=True)
class ExitVar:
    branch_results: tuple[str, ...]
    output: Port


@dataclass(frozen=True, slots=True)
class Gamma:
    """γ: `outputs = gamma predicate (inputs) { branch_0 ... branch_n-1 }`.

    Every branch region has one parameter per input and one result per output.
    """

    predicate: str
    inputs: tuple[str, ...]
    branches: tuple[Region, ...]
    outputs: tuple[Port, ...]
    loc: Loc | None = None

    @property
    def entry_vars(self) -> tuple[EntryVar, ...]:
        return tuple(
            EntryVar(inp, tuple(b.params[i] for b in self.branches)) for i, inp in enumerate(self.inputs)
        )

    @property
    def exit_vars(self) -> tuple[ExitVar, ...]:
        return tuple(
            ExitVar(tuple(b.results[i] for b in self.branches), out) for i, out in enumerate(self.outputs)
        )


@dataclass(frozen=True, slots=True)
class LoopVar:
    input: str
    pre: Port
    post: str
    output: Port


@dataclass(frozen=True, slots=True)
class Theta:
    """θ: `outputs = theta (inputs) { body }`, a do-while loop.

    `body.params` are the loop variables at the start of an iteration;
    `body.results[0]` is the repeat predicate, `body.results[1:]` the loop
    variables' values for the next iteration (and, after the last one, the outputs).
    """

    inputs: tuple[str, ...]
    body: Region
    outputs: tuple[Port, ...]
    loc: Loc | None = None

    @property
    def predicate(self) -> str:
        return self.body.results[0]

    @property
    def loop_vars(self) -> tuple[LoopVar, ...]:
        return tuple(
            LoopVar(inp, self.body.params[i], self.body.results[i + 1], self.outputs[i])
            for i, inp in enumerate(self.inputs)
        )


Node = Union[Op, Gamma, Theta]


@dataclass(frozen=True, slots=True)
class Lambda:
    """λ: a function.  `body.params` are the arguments followed by the `!io` state;
    `body.results` are the return value followed by the final state."""

    name: str
    body: Region
    loc: Loc | None = None
    attrs: tuple[tuple[str, AttrValue], ...] = ()

    def attr(self, key: str, default: AttrValue = None) -> AttrValue:
        for k, v in self.attrs:
            if k == key:
                return v
        return default


@dataclass(frozen=True, slots=True)
class Phi:
    """φ: a recursion environment, a group of λs that may call each other and themselves.

    RVSDG's φ is a region whose parameters are the λs it defines, so a recursive call needs no
    global name: here a call inside a member reads `py.call {callee = "rec:g"}`, `g` being a λ of
    the same φ (V13).  Calls of λs outside the φ stay `global:` calls."""

    functions: tuple[Lambda, ...]
    loc: Loc | None = None

    def get(self, name: str) -> Lambda:
        for fn in self.functions:
            if fn.name == name:
                return fn
        raise KeyError(name)


def numpy_dtype_name(t: Type) -> str:
    """The NumPy dtype name of an array element type (`f64` -> "float64", `u8` -> "uint8")."""
    if isinstance(t, BoolType):
        return "bool"
    if isinstance(t, IntType):
        return f"{'' if t.signed else 'u'}int{t.bits}"
    if isinstance(t, FloatType):
        return f"float{t.bits}"
    if isinstance(t, ComplexType):
        return f"complex{t.bits}"
    raise ValueError(f"{t} is not an array element type")


def element_type(dtype) -> Type | None:
    """The IR element type of a NumPy dtype (bool, int, float, complex; native byte order), else None."""
    if not dtype.isnative:
        return None
    if dtype.kind == "b":
        return BoolType()
    if dtype.kind in "iu" and dtype.itemsize in (1, 2, 4, 8):
        return IntType(8 * dtype.itemsize, dtype.kind == "i")
    if dtype.kind == "f" and dtype.itemsize in (4, 8):
        return FloatType(8 * dtype.itemsize)
    if dtype.kind == "c" and dtype.itemsize in (8, 16):
        return ComplexType(8 * dtype.itemsize)
    return None


@dataclass(frozen=True, slots=True)
class Delta:
    """δ: a global constant of the module, a read-only array, read by `py.global {name}`.

    RVSDG's δ node holds a module-level value that λs depend on.  Here it is the value a global
    (or closure) name held when the function was compiled: the frontend copies the array, so a
    later change of the Python global does not reach compiled code (Numba freezes global arrays
    the same way).  `type` is `array<dtype, ndim, C, readonly>`; `data` the elements' bytes in
    C order (bytes, so equality and hashing are exact and cheap); `shape` the extents.
    """

    name: str
    type: ArrayType
    shape: tuple[int, ...]
    data: bytes
    loc: Loc | None = None

    @classmethod
    def from_array(cls, name: str, array, loc: Loc | None = None) -> Delta:
        """A δ holding a frozen C-ordered copy of NumPy `array` (1 or more dimensions, a dtype that
        `element_type` knows)."""
        import numpy as np

        frozen = np.ascontiguousarray(array)
        if frozen.dtype.kind == "b":  # a bool stored as a byte other than 0/1 (a view) is True: 1
            frozen = frozen.view(np.uint8) != 0
        dtype = element_type(frozen.dtype)
        if dtype is None or frozen.ndim < 1:
            raise ValueError(f"a global array must have 1 or more dimensions and a numeric dtype, "
                             f"not {frozen.ndim} and {frozen.dtype}")
        return cls(name, ArrayType(dtype, frozen.ndim, "C", True), tuple(frozen.shape), frozen.tobytes(), loc)

    @classmethod
    def from_values(cls, name: str, type: ArrayType, shape: tuple[int, ...], values: tuple,
                    loc: Loc | None = None) -> Delta:
        """A δ from its printed form: the flat tuple of elements in C order (complex: (re, im))."""
        import numpy as np

        dtype = np.dtype(numpy_dtype_name(type.dtype))
        if dtype.kind == "c":
            values = tuple(complex(*v) for v in values)
        return cls(name, type, tuple(shape), np.array(values, dtype=dtype).tobytes(), loc)

    def same_value(self, other: Delta) -> bool:
        """Whether `other` holds the same array (its name and location aside)."""
        return (self.type, self.shape, self.data) == (other.type, other.shape, other.data)

    def array(self):
        """The value as a read-only NumPy array (a view of `data`)."""
        import numpy as np

        return np.frombuffer(self.data, dtype=numpy_dtype_name(self.type.dtype)).reshape(self.shape)

    def values(self) -> tuple:
        """The elements in C order as Python numbers (complex ones as (re, im) pairs)."""
        flat = self.array().reshape(-1).tolist()
        if isinstance(self.type.dtype, ComplexType):
            return tuple((z.real, z.imag) for z in flat)
        return tuple(flat)


@dataclass(frozen=True, slots=True)
class Module:
    """ω: the translation unit, an ordered tuple of λs, then the φs (recursive groups), and the
    δs (global constants) its λs read."""

    functions: tuple[Lambda, ...] = field(default_factory=tuple)
    phis: tuple[Phi, ...] = ()
    deltas: tuple[Delta, ...] = ()

    def delta(self, name: str) -> Delta:
        for d in self.deltas:
            if d.name == name:
                return d
        raise KeyError(name)

    @property
    def lambdas(self) -> tuple[Lambda, ...]:
        """Every λ: the top-level ones, then each φ's members (the pipeline's entry is the first)."""
        if not self.phis:
            return self.functions
        return (*self.functions, *(fn for phi in self.phis for fn in phi.functions))

    def get(self, name: str) -> Lambda:
        for fn in self.lambdas:
            if fn.name == name:
                return fn
        raise KeyError(name)


def node_regions(node: Node) -> tuple[Region, ...]:
    """The regions a node owns (none for a simple node)."""
    if isinstance(node, Gamma):
        return node.branches
    if isinstance(node, Theta):
        return (node.body,)
    return ()


def node_inputs(node: Node) -> tuple[str, ...]:
    """Every value name a node reads from its enclosing region."""
    if isinstance(node, Gamma):
        return (node.predicate, *node.inputs)
    return node.inputs
