"""Typing of smaller array features: the attributes `a.itemsize`, `a.nbytes`, `a.strides`, the
method `a.item(...)`, `np.eye(N, M, k, dtype)`, `np.identity(n, dtype)` and
`np.asfortranarray(a)` (lowered by `backend/llvm/lower_arrays_extras.py`).

`a.item()` gives a Python number as NumPy does: a float for float32 items, an int for any integer
dtype, a complex for complex64 (the node's result type, widened from the item's).
"""
from __future__ import annotations

from jitlab.ir.types import BOOL, C128, F64, I64, ArrayType, BoolType, ComplexType, DTypeType, FloatType, \
    NoneType, TupleType, Type

from ..infer import RuleContext
from ..lattice import is_integer

ATTRIBUTES = {"itemsize", "nbytes", "strides"}


def attribute_type(a: ArrayType, name: str) -> Type:
    return TupleType((I64,) * a.ndim) if name == "strides" else I64


def python_scalar(dtype: Type) -> Type:
    """The Python number `a.item()` gives for items of `dtype`."""
    if isinstance(dtype, BoolType):
        return BOOL
    if isinstance(dtype, ComplexType):
        return C128
    if isinstance(dtype, FloatType):
        return F64
    return I64


def item_type(ctx: RuleContext, a: ArrayType, extra: list[Type]) -> Type:
    if ctx.node.attr("kwnames"):
        raise ctx.error("item() takes no keyword arguments")
    if len(extra) == 1 and isinstance(extra[0], TupleType):
        extra = list(extra[0].items)
    if len(extra) not in (0, 1, a.ndim):
        raise ctx.error(f"item() of a {a.ndim}-d array takes 0, 1 or {a.ndim} indices, not {len(extra)}",
                        hint="NumPy: incorrect number of indices for array")
    for t in extra:
        if not is_integer(t) or t == BOOL:
            raise ctx.error(f"item() indices must be integers, not {t}")
    return python_scalar(a.dtype)


def _bind(ctx: RuleContext, callee: str, names: tuple[str, ...], args: list[Type]) -> dict:
    kwnames = tuple(ctx.node.attr("kwnames") or ())
    npos = len(args) - len(kwnames)
    if npos > len(names):
        raise ctx.error(f"{callee}() takes at most {len(names)} arguments")
    bound = dict(zip(names, args[:npos]))
    for kw, t in zip(kwnames, args[npos:]):
        if kw not in names or kw in bound:
            raise ctx.error(f"{callee}() got an unexpected keyword argument {kw!r}")
        bound[kw] = t
    return bound


def eye_type(ctx: RuleContext, callee: str, name: str, args: list[Type]) -> Type:
    """`np.eye(N, M=None, k=0, dtype=float)`, `np.identity(n, dtype=float)`."""
    names = ("N", "M", "k", "dtype") if name == "eye" else ("n", "dtype")
    bound = _bind(ctx, callee, names, args)
    for param in names[:-1]:
        t = bound.get(param)
        if t is None or (param == "M" and isinstance(t, NoneType)):
            continue
        if not is_integer(t) or t == BOOL:
            raise ctx.error(f"{callee}() {param} must be an integer, not {t}")
    if names[0] not in bound:
        raise ctx.error(f"{callee}() missing required argument {names[0]!r}")
    dtype = bound.get("dtype", NoneType())
    if isinstance(dtype, NoneType):
        return ArrayType(F64, 2, "C")
    if not isinstance(dtype, DTypeType):
        raise ctx.error(f"{callee}() dtype must be a NumPy dtype known at compile time, not {dtype}")
    return ArrayType(dtype.dtype, 2, "C")


__all__ = ["ATTRIBUTES", "attribute_type", "eye_type", "item_type", "python_scalar"]
