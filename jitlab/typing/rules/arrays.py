"""Typing rules of NumPy arrays: indexing, assignment, `len` and iteration.

An integer index on an N-d array gives an element (N == 1) or an (N-1)-d view:
a row of a C array is C-contiguous, a row of an F or strided array is strided
("A").  Indices are integers of any width (negative ones count from the end, as
in NumPy); a `bool` index means a mask in NumPy and is refused.  Assigning a
number converts it to the array's dtype, as NumPy's `a[i] = v` does.
"""
from __future__ import annotations

from jitlab.ir.types import BOOL, I64, STATE, ArrayIterType, ArrayType, BoolType, Type

from ..infer import RuleContext
from ..lattice import is_integer, is_numeric


def row_type(a: ArrayType) -> Type:
    """The type of `a[i]`: an element of a 1-d array, else an (N-1)-d view."""
    if a.ndim == 1:
        return a.dtype
    return ArrayType(a.dtype, a.ndim - 1, "C" if a.layout == "C" else "A")


def _check_index(ctx: RuleContext, a: ArrayType, index: Type) -> None:
    if isinstance(index, BoolType) or not is_integer(index):
        raise ctx.error(f"cannot index {a} with {index}",
                        hint="array indices must be integers (slices and masks are not supported yet)")


def getitem(ctx: RuleContext, args: list[Type]) -> tuple[Type, ...]:
    a, index = args[0], args[1]
    if not isinstance(a, ArrayType):
        raise ctx.error(f"{a} is not subscriptable", hint="only NumPy arrays can be indexed yet")
    _check_index(ctx, a, index)
    return row_type(a), STATE


def setitem(ctx: RuleContext, args: list[Type]) -> tuple[Type, ...]:
    a, index, value = args[0], args[1], args[2]
    if not isinstance(a, ArrayType):
        raise ctx.error(f"{a} does not support item assignment")
    _check_index(ctx, a, index)
    if a.ndim != 1:
        raise ctx.error(f"assigning to a row of {a} is not supported",
                        hint="index every dimension: a[i][j] = v")
    if not is_numeric(value):
        raise ctx.error(f"cannot store a {value} value into {a}")
    return (STATE,)


def length(ctx: RuleContext, callee: str, args: list[Type]) -> Type:
    if len(args) != 1:
        raise ctx.error(f"len() takes exactly one argument ({len(args)} given)")
    if not isinstance(args[0], ArrayType):
        raise ctx.error(f"object of type {args[0]} has no len()")
    return I64


def getiter(a: ArrayType) -> ArrayIterType:
    return ArrayIterType(a)


def iternext(it: ArrayIterType) -> tuple[Type, ...]:
    return BOOL, row_type(it.array), it, STATE
