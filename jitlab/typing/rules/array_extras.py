"""Typing of smaller array features: the attributes `a.itemsize`, `a.nbytes`, `a.strides`, the
method `a.item(...)`, the methods that are NumPy functions (`a.clip`, `a.take`, `a.repeat`,
`a.nonzero`, `a.searchsorted`), `np.eye(N, M, k, dtype)`, `np.identity(n, dtype)` and
`np.asfortranarray(a)` (lowered by `backend/llvm/lower_arrays_extras.py`).

`a.item()` gives a Python number as NumPy does: a float for float32 items, an int for any integer
dtype, a complex for complex64 (the node's result type, widened from the item's).
"""
from __future__ import annotations

from jitlab.ir.types import BOOL, C128, F64, I64, ArrayType, BoolType, ComplexType, DTypeType, FloatType, \
    NoneType, TupleType, Type

from ..infer import RuleContext
from ..lattice import from_dtype, is_integer, is_numeric

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


# array methods that are NumPy functions of the array: typed (and lowered) as the function's call
NUMPY_METHODS = {"clip": "numpy.clip", "nonzero": "numpy.nonzero", "take": "numpy.take",
                 "repeat": "numpy.repeat", "searchsorted": "numpy.searchsorted", "round": "numpy.round"}


def method_as_function(ctx: RuleContext, name: str, args: list[Type]) -> Type:
    """`a.clip(lo, hi)` is `np.clip(a, lo, hi)`, `a.take(idx)` is `np.take(a, idx)`, ...: the
    node records the function as `as_numpy` (and a library implementation's `symbol`)."""
    from jitlab.lib import CALLS

    from . import library, numpy_calls

    callee = NUMPY_METHODS[name]
    if ctx.node.attr("kwnames"):
        raise ctx.error(f"{name}() with keyword arguments is not supported on arrays",
                        hint=f"call {callee.replace('numpy.', 'np.')}(a, ...) instead")
    ctx.attrs["as_numpy"] = callee
    if callee in CALLS:
        if len(args) != len(CALLS[callee].runtime_params()):
            raise ctx.error(f"{name}() takes {len(CALLS[callee].runtime_params()) - 1} arguments here")
        return library.type_call(ctx, callee, args)
    return numpy_calls.type_call(ctx, callee, args)


def _tuple_shape(ctx: RuleContext, t: Type) -> tuple[tuple[int, ...], list[Type]]:
    """The shape of a nested tuple of numbers and its items in C order."""
    if not isinstance(t, TupleType):
        if not (is_numeric(t) or isinstance(t, (ComplexType, BoolType))):
            raise ctx.error(f"np.array() of a tuple holding a {t} is not supported",
                            hint="numbers, or tuples of them of equal lengths")
        return (), [t]
    parts = [_tuple_shape(ctx, x) for x in t.items]
    if any(p[0] != parts[0][0] for p in parts):
        raise ctx.error("setting an array element with a sequence: the nested sequences have different "
                        "lengths (an inhomogeneous shape)")
    return (len(parts), *(parts[0][0] if parts else ())), [x for p in parts for x in p[1]]


def array_of_tuple_type(ctx: RuleContext, callee: str, args: list[Type]) -> ArrayType:
    """`np.array(((1.0, 2.0), (3.0, x)))`, `np.array([[1, 2], [3, 4]], dtype=np.float32)` (the
    frontend builds a list display passed to np.array as a tuple when it is nested or has a dtype):
    a new C array of the nested sequence's shape, its dtype NumPy's for those items."""
    import numpy as np

    from .numpy_calls import _operand

    bound = _bind(ctx, callee, ("object", "dtype"), args)
    shape, items = _tuple_shape(ctx, bound["object"])
    if len(shape) > 3 or not shape:
        raise ctx.error(f"np.array() of a {len(shape)}-level nested tuple is not supported")
    dtype = bound.get("dtype", NoneType())
    if isinstance(dtype, DTypeType):
        return ArrayType(dtype.dtype, len(shape), "C")
    if not isinstance(dtype, NoneType):
        raise ctx.error(f"{callee}() dtype must be a NumPy dtype known at compile time, not {dtype}")
    if not items:
        return ArrayType(F64, len(shape), "C")
    return ArrayType(from_dtype(np.array([_operand(t) for t in items]).dtype), len(shape), "C")


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


__all__ = ["ATTRIBUTES", "NUMPY_METHODS", "array_of_tuple_type", "attribute_type", "eye_type", "item_type",
           "method_as_function", "python_scalar"]
