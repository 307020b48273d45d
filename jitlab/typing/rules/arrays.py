"""Typing rules of NumPy arrays and tuples: indexing, assignment, attributes, `len`, iteration.

An integer index on an N-d array gives an element (N == 1) or an (N-1)-d view:
a row of a C array is C-contiguous, a row of an F or strided array is strided
("A").  Indices are integers of any width (negative ones count from the end, as
in NumPy); a `bool` index means a mask in NumPy and is refused.  Assigning a
number converts it to the array's dtype, as NumPy's `a[i] = v` does.  A tuple
index (`a[i, j]`, from `py.build_tuple` or a constant tuple) indexes one axis
per item.  Attributes (`py.getattr {name}`): `shape` (a tuple of ints), `size`,
`ndim`.  A tuple is indexed with a constant (`a.shape[0]`).
"""
from __future__ import annotations

from jitlab.ir.types import (
    BOOL, I64, STATE, ArrayIterType, ArrayType, BoolType, ComplexType, RangeIterType, SliceType, TupleType,
    Type,
)

from ..infer import NO_CONST, RuleContext
from ..lattice import is_integer, is_numeric


def row_type(a: ArrayType, nindices: int = 1) -> Type:
    """The type of `a[i]` (or `a[i, j, ...]`): an element, or a view of the remaining axes."""
    if a.ndim == nindices:
        return a.dtype
    return ArrayType(a.dtype, a.ndim - nindices, "C" if a.layout == "C" else "A", a.readonly)


def _indices(ctx: RuleContext, a: ArrayType, index: Type) -> int:
    """How many axes `index` indexes (checking each item is an integer)."""
    items = index.items if isinstance(index, TupleType) else (index,)
    if len(items) > a.ndim:
        raise ctx.error(f"too many indices for array: {a} is {a.ndim}-dimensional, "
                        f"but {len(items)} were indexed")
    for item in items:
        _check_index(ctx, a, item)
    return len(items)


def constant_index(ctx: RuleContext, t: TupleType) -> int:
    """The constant index into tuple `t` (negative counts from the end), checked."""
    value = ctx.const(ctx.node.inputs[1])
    if value is NO_CONST or isinstance(value, bool) or not isinstance(value, int):
        raise ctx.error(f"a {t} can only be indexed with a constant integer",
                        hint="a tuple whose items have one type can be indexed with any integer")
    if not -len(t.items) <= value < len(t.items):
        raise ctx.error("tuple index out of range")
    return value % len(t.items)


def _check_index(ctx: RuleContext, a: ArrayType, index: Type) -> None:
    if isinstance(index, BoolType) or not is_integer(index):
        raise ctx.error(f"cannot index {a} with {index}",
                        hint="array indices must be integers (slices and masks are not supported yet)")


def getitem(ctx: RuleContext, args: list[Type]) -> tuple[Type, ...]:
    a, index = args[0], args[1]
    if isinstance(a, TupleType):
        if isinstance(index, SliceType):
            bounds = ctx.inferer.const_slices.get(ctx.node.inputs[1])
            if bounds is None:
                raise ctx.error(f"a slice of a {a} needs constant bounds",
                                hint="write the bounds as numbers: t[1:], t[:-1], t[::-1]")
            if bounds.step == 0:
                raise ctx.error("slice step cannot be zero")
            picked = tuple(range(len(a.items)))[bounds]
            ctx.attrs["tuple_slice"] = picked  # the items taken, for lowering
            return TupleType(tuple(a.items[k] for k in picked)), STATE
        if ctx.const(ctx.node.inputs[1]) is NO_CONST and is_integer(index) \
                and not isinstance(index, BoolType) and a.items and len(set(a.items)) == 1:
            return a.items[0], STATE  # t[i] of a tuple of one item type: a checked run-time index
        return a.items[constant_index(ctx, a)], STATE
    if not isinstance(a, ArrayType):
        raise ctx.error(f"{a} is not subscriptable", hint="only NumPy arrays and tuples can be indexed yet")
    return row_type(a, _indices(ctx, a, index)), STATE


def check_writable(ctx: RuleContext, a: Type, what: str) -> None:
    """A write into `a` (the node's first input): refused when it is a read-only array (a δ)."""
    if isinstance(a, ArrayType) and a.readonly:
        raise ctx.inferer.readonly_error(ctx.node.inputs[0], what, ctx.node.loc)


def global_(ctx: RuleContext, args: list[Type]) -> tuple[Type, ...]:
    """`py.global {name}`: the δ's type, `array<dtype, ndim, C, readonly>`."""
    name = ctx.node.attr("name")
    delta = ctx.inferer.deltas.get(name)
    if delta is None:
        raise ctx.error(f"global {name!r} is not a global constant of the module")
    ctx.inferer.origins[ctx.node.outputs[0].name] = f"the global {name}"
    return (delta.type,)


def setitem(ctx: RuleContext, args: list[Type]) -> tuple[Type, ...]:
    a, index, value = args[0], args[1], args[2]
    check_writable(ctx, a, "cannot assign to an element")
    if not isinstance(a, ArrayType):
        raise ctx.error(f"{a} does not support item assignment")
    if _indices(ctx, a, index) != a.ndim:
        raise ctx.error(f"assigning to a row of {a} is not supported",
                        hint="index every dimension: a[i, j] = v")
    if not (is_numeric(value) or isinstance(value, ComplexType)):
        raise ctx.error(f"cannot store a {value} value into {a}")
    if isinstance(value, ComplexType) and not isinstance(a.dtype, ComplexType):
        raise ctx.error(f"cannot store a {value} value into {a}", hint="store z.real or abs(z)")
    return (STATE,)


def getattr_(ctx: RuleContext, args: list[Type]) -> tuple[Type, ...]:
    a, name = args[0], ctx.node.attr("name")
    if isinstance(a, ArrayType):
        if name == "shape":
            return TupleType((I64,) * a.ndim), STATE
        if name in ("size", "ndim"):
            return I64, STATE
    raise ctx.error(f"{a} has no supported attribute {name!r}")


def build_tuple(ctx: RuleContext, args: list[Type]) -> tuple[Type, ...]:
    return TupleType(tuple(args[:-1])), STATE


def length(ctx: RuleContext, callee: str, args: list[Type]) -> Type:
    if len(args) != 1:
        raise ctx.error(f"len() takes exactly one argument ({len(args)} given)")
    if not isinstance(args[0], (ArrayType, TupleType, RangeIterType)):
        raise ctx.error(f"object of type {args[0]} has no len()")
    return I64


def getiter(a: ArrayType) -> ArrayIterType:
    return ArrayIterType(a)


def iternext(it: ArrayIterType) -> tuple[Type, ...]:
    return BOOL, row_type(it.array), it, STATE
