"""Typing rules of whole-array operations: slices, views, methods, operators on arrays.

Each rule here handles its op when an array (or a slice, or a dtype string) is
involved and hands everything else to the scalar rule it wraps (`py.py`,
`arrays.py`), so the scalar rules stay as they are.

* `py.slice` builds `slice<start, stop, step>`; an index made of slices and
  integers (`a[1:n]`, `a[i, :]`, `a[::-1]`) gives a view: one axis per slice,
  none per integer.  A view of a C array stays "C" when it keeps whole trailing
  rows (integers first, then at most one slice without a step, then only `:`);
  other views are strided ("A").
* assigning to a view (`a[1:3] = v`, `a[i] = row` on a 2-d array) takes a number
  (broadcast) or an array of the view's dimension count;
* `a.T` reverses the axes (C ↔ F), `a.dtype` is a `dtype<…>` value;
* methods: `copy`, `sum`, `prod`, `min`, `max`, `mean`, `argmin`, `argmax`,
  `cumsum`, without `axis` (result dtypes from NumPy, `numpy_calls.numpy_result`);
* `+ - * / // % ** & | ^ << >>`, comparisons and unary `-` on arrays are
  elementwise with NumPy broadcasting and give a new C array; the in-place form
  `a += b` (`inplace`) of an array `a` writes into `a` and gives `a`.
"""

from __future__ import annotations

import numpy as np

from jitlab.ir.types import (
    I64,
    NONE,
    STATE,
    ArrayType,
    BoolType,
    ComplexType,
    DTypeType,
    NoneType,
    SliceType,
    TupleType,
    Type,
)

from ..infer import RuleContext
from ..lattice import from_dtype, is_integer, is_numeric, to_dtype
from . import arrays, py
from .numpy_calls import elementwise

REDUCTIONS = {"sum", "prod", "min", "max", "mean", "argmin", "argmax"}


# -- constants: dtype names ------------------------------------------------------------------
def const(ctx: RuleContext, args: list[Type]) -> tuple[Type, ...]:
    value = ctx.node.attr("value")
    if isinstance(value, str):
        return (DTypeType(dtype_named(ctx, value)),)
    return py.const(ctx, args)


def dtype_named(ctx: RuleContext, name: str) -> Type:
    try:
        return from_dtype(np.dtype(name.removeprefix("numpy.")))
    except TypeError:
        raise ctx.error(
            f"constants of type str are only supported as NumPy dtype names ({name!r} is not one)",
            hint="strings are only supported as dtype names",
        ) from None


# -- slices and views ------------------------------------------------------------------------
def slice_(ctx: RuleContext, args: list[Type]) -> tuple[Type, ...]:
    for part, t in zip(("start", "stop", "step"), args[:3]):
        if not (isinstance(t, NoneType) or (is_integer(t) and not isinstance(t, BoolType))):
            raise ctx.error(f"slice {part} must be an integer or None, not {t}")
    return SliceType(*args[:3]), STATE


def index_items(index: Type) -> tuple[Type, ...]:
    return index.items if isinstance(index, TupleType) else (index,)


def is_view_index(a: Type, index: Type) -> bool:
    """Whether `a[index]` is a view taken by slicing (not a scalar rule's element or row)."""
    return isinstance(a, ArrayType) and any(isinstance(t, SliceType) for t in index_items(index))


def view_type(ctx: RuleContext, a: ArrayType, index: Type) -> Type:
    items = index_items(index)
    if len(items) > a.ndim:
        raise ctx.error(
            f"too many indices for array: {a} is {a.ndim}-dimensional, but {len(items)} were indexed"
        )
    for t in items:
        if not isinstance(t, SliceType) and (isinstance(t, BoolType) or not is_integer(t)):
            raise ctx.error(f"cannot index {a} with {t}", hint="indices are integers and slices")
    ndim = a.ndim - sum(not isinstance(t, SliceType) for t in items)
    if ndim == 0:
        return a.dtype
    return ArrayType(a.dtype, ndim, _view_layout(a, items), a.readonly)


def _full(t: Type) -> bool:
    return t == SliceType(NONE, NONE, NONE)


def _view_layout(a: ArrayType, items: tuple[Type, ...]) -> str:
    if all(_full(t) for t in items) and a.layout != "A":
        return a.layout
    if a.layout != "C":
        return "A"
    k = 0
    while k < len(items) and not isinstance(items[k], SliceType):
        k += 1
    if k < len(items) and not isinstance(items[k].step, NoneType):
        return "A"
    return "C" if all(_full(t) for t in items[k + 1 :]) else "A"


def getitem(ctx: RuleContext, args: list[Type]) -> tuple[Type, ...]:
    if is_view_index(args[0], args[1]):
        return view_type(ctx, args[0], args[1]), STATE
    return arrays.getitem(ctx, args)


def setitem(ctx: RuleContext, args: list[Type]) -> tuple[Type, ...]:
    a, index, value = args[0], args[1], args[2]
    arrays.check_writable(ctx, a, "cannot assign to a slice" if is_view_index(a, index)
                          else "cannot assign to an element")
    if not isinstance(a, ArrayType):
        return arrays.setitem(ctx, args)
    target = (
        view_type(ctx, a, index) if is_view_index(a, index) else arrays.row_type(a, len(index_items(index)))
    )
    if not isinstance(target, ArrayType):
        return arrays.setitem(ctx, args)
    if is_numeric(value):
        return (STATE,)
    if isinstance(value, ArrayType) and value.ndim <= target.ndim:
        return (STATE,)
    raise ctx.error(
        f"cannot assign a {value} value to a view {target}",
        hint="assign a number or an array of the same shape",
    )


# -- attributes and methods ------------------------------------------------------------------
def transposed(a: ArrayType) -> ArrayType:
    return ArrayType(a.dtype, a.ndim, {"C": "F", "F": "C"}.get(a.layout, "A") if a.ndim > 1 else a.layout,
                     a.readonly)


def getattr_(ctx: RuleContext, args: list[Type]) -> tuple[Type, ...]:
    a, name = args[0], ctx.node.attr("name")
    if isinstance(a, ArrayType):
        if name == "T":
            return transposed(a), STATE
        if name == "dtype":
            return DTypeType(a.dtype), STATE
        if name in ("real", "imag") and isinstance(a.dtype, ComplexType):
            return parts_view(a), STATE
        if name == "real":
            return a, STATE  # a real array's `.real` is the array itself
    return arrays.getattr_(ctx, args)


def parts_view(a: ArrayType) -> ArrayType:
    """The type of `a.real` / `a.imag` of a complex array: a strided view of the parts."""
    return ArrayType(a.dtype.part, a.ndim, "A", a.readonly)


def method_result(ctx: RuleContext, a: ArrayType, name: str) -> Type:
    dtype = to_dtype(a.dtype)
    if name == "copy":
        return ArrayType(a.dtype, a.ndim, "C")
    if isinstance(a.dtype, ComplexType) and name in ("min", "max", "argmin", "argmax"):
        raise ctx.error(f"{name}() of a complex array is not supported yet (NumPy orders complex "
                        "numbers lexicographically)")
    if name in ("argmin", "argmax"):
        return I64
    if name == "cumsum":
        return ArrayType(from_dtype(np.zeros(1, dtype).cumsum().dtype), 1, "C")
    if name in REDUCTIONS:
        with np.errstate(all="ignore"):
            return from_dtype(getattr(np.zeros(1, dtype), name)().dtype)
    raise ctx.error(
        f"{a} has no supported method {name!r}",
        hint="supported: copy, sum, prod, min, max, mean, argmin, argmax, cumsum",
    )


def callmethod(ctx: RuleContext, args: list[Type]) -> tuple[Type, ...]:
    a, name = args[0], ctx.node.attr("name")
    if not isinstance(a, ArrayType):
        raise ctx.error(f"{a} has no supported method {name!r}")
    if len(args) > 2:
        raise ctx.error(
            f"{name}() with arguments is not supported on arrays",
            hint="reductions over all elements only (no axis, dtype or out)",
        )
    return method_result(ctx, a, name), STATE


# -- operators -------------------------------------------------------------------------------
def _involves_array(args: list[Type]) -> bool:
    return any(isinstance(t, ArrayType) for t in args)


def binop(ctx: RuleContext, args: list[Type]) -> tuple[Type, ...]:
    if _involves_array(args[:2]):
        op = ctx.node.attr("op")
        result = elementwise(ctx, op, args[:2])
        if ctx.node.attr("inplace") and isinstance(args[0], ArrayType):
            return inplace_target(ctx, op, args[0], result), STATE
        return result, STATE
    return py.binop(ctx, args)


def inplace_target(ctx: RuleContext, op: str, a: ArrayType, result: ArrayType) -> ArrayType:
    """`a op= b` writes `a op b` into `a` (NumPy's `out=a`): the result must broadcast to `a`
    and cast to its dtype by the "same_kind" rule."""
    arrays.check_writable(ctx, a, f"cannot apply {op}= in place")
    if result.ndim > a.ndim:
        raise ctx.error(f"non-broadcastable output operand: {op}= of a {a} with a {result.ndim}-dimensional "
                        "result", hint="write `a = a op b` to make a new array")
    if not np.can_cast(to_dtype(result.dtype), to_dtype(a.dtype), "same_kind"):
        raise ctx.error(f"cannot cast the {op}= result from {result.dtype} to {a.dtype} with casting rule "
                        "'same_kind'", hint=f"write `a = a {op} b` to make a new array of the result type")
    return a


def compare(ctx: RuleContext, args: list[Type]) -> tuple[Type, ...]:
    if _involves_array(args[:2]):
        op = ctx.node.attr("op")
        if op in ("is", "isnot"):
            raise ctx.error("`is` on arrays compares identity", hint="use == for elementwise equality")
        return elementwise(ctx, op, args[:2]), STATE
    return py.compare(ctx, args)


def unop(ctx: RuleContext, args: list[Type]) -> tuple[Type, ...]:
    a, op = args[0], ctx.node.attr("op")
    if isinstance(a, ArrayType):
        if op == "-":
            return elementwise(ctx, "negative", [a]), STATE
        if op == "+":
            return ArrayType(a.dtype, a.ndim, "C"), STATE  # +a is a copy in NumPy
        raise ctx.error(f"unary {op} on arrays is not supported")
    return py.unop(ctx, args)


__all__ = [
    "binop",
    "callmethod",
    "compare",
    "const",
    "getattr_",
    "getitem",
    "setitem",
    "slice_",
    "unop",
    "view_type",
    "transposed",
    "method_result",
    "is_view_index",
    "index_items",
]
