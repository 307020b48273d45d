"""Typing of integer-array ("fancy") indexing beyond `a[idx]` and `a[mask]` (those are
`array_ops.selection_type`): a tuple index holding 1-d integer arrays next to integers, slices
and `None` (`a[:, idx]`, `a[rows, cols]`, `a[i, idx]`), and the stores `a[index] = x` into such
a selection or into `a[idx]` of an n-d array or with an array `x`.

NumPy's rule for index arrays: they broadcast together into one axis of the result, which stands
where they stand; the result is a new C array (`lower_arrays_fancy.py`).
Index arrays apart from each other (`a[idx, :, idx]`, `a[1, :, idx]`) give their axis first, as in
NumPy; boolean arrays inside a tuple are refused with a clear error.
"""
from __future__ import annotations

from jitlab.ir.types import ArrayType, BoolType, ComplexType, NoneType, SliceType, TupleType, Type

from ..infer import RuleContext
from ..lattice import is_integer, is_numeric


def is_fancy(a: Type, index: Type) -> bool:
    """A tuple index with an array in it (typed here)."""
    return (isinstance(a, ArrayType) and isinstance(index, TupleType)
            and any(isinstance(x, ArrayType) for x in index.items))


def is_fancy_store(a: Type, index: Type, value: Type) -> bool:
    """A store typed here: into a fancy tuple selection, or `a[idx] = x` of an n-d `a` or an array `x`."""
    if is_fancy(a, index):
        return True
    return (isinstance(a, ArrayType) and isinstance(index, ArrayType) and is_integer(index.dtype)
            and not isinstance(index.dtype, BoolType) and (a.ndim > 1 or isinstance(value, ArrayType)))


def advanced_together(index: Type) -> bool:
    """Whether the index arrays (and integers, which count as index arrays next to them) of a tuple
    index stand side by side: their axis stands there, else first (NumPy's rule)."""
    items = index.items if isinstance(index, TupleType) else (index,)
    where = [k for k, x in enumerate(items) if isinstance(x, ArrayType) or is_integer(x)]
    return where == list(range(where[0], where[-1] + 1))


def fancy_type(ctx: RuleContext, a: ArrayType, index: Type) -> ArrayType:
    items = index.items if isinstance(index, TupleType) else (index,)
    used = sum(not isinstance(x, NoneType) for x in items)
    if used > a.ndim:
        raise ctx.error(f"too many indices for array: array is {a.ndim}-dimensional, but {used} were indexed")
    where = [k for k, x in enumerate(items) if isinstance(x, ArrayType)]
    for k in where:
        x = items[k]
        if isinstance(x.dtype, BoolType):
            raise ctx.error(f"a boolean array inside a tuple index of {a} is not supported",
                            hint="index with the mask alone (a[mask]) or with np.nonzero(mask)[0]")
        if not is_integer(x.dtype) or x.ndim != 1:
            raise ctx.error(f"cannot index {a} with {x} inside a tuple",
                            hint="index arrays must be 1-d integers")
    for x in items:
        if not isinstance(x, (ArrayType, SliceType, NoneType)) and not is_integer(x):
            raise ctx.error(f"cannot index {a} with {x} inside a tuple")
    ndim = sum(isinstance(x, (SliceType, NoneType)) for x in items) + 1 + a.ndim - used
    return ArrayType(a.dtype, ndim, "C")


def store_type(ctx: RuleContext, a: ArrayType, index: Type, value: Type) -> None:
    target = fancy_type(ctx, a, index)
    if isinstance(value, ArrayType):
        if value.ndim > target.ndim:
            raise ctx.error(f"cannot assign a {value} to a {target.ndim}-d selection of {a}")
        value = value.dtype
    if not (is_numeric(value) or isinstance(value, (ComplexType, BoolType))):
        raise ctx.error(f"cannot assign a {value} to items of {a}")
    if isinstance(value, ComplexType) and not isinstance(a.dtype, ComplexType):
        raise ctx.error(f"cannot assign complex values to items of {a}")


__all__ = ["fancy_type", "is_fancy", "is_fancy_store", "store_type"]
