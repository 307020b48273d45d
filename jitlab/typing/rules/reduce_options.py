"""Typing of reductions with NumPy's options: `keepdims=True`, a tuple `axis=(0, 2)`, `ddof=`.

`a.sum(axis=(0, 2), keepdims=True)`, `np.mean(a, axis=1, keepdims=True)`, `a.max(keepdims=True)`,
`np.var(a, ddof=1)`, `a.std(axis=0, ddof=1)`: the call's node gets `reduce_options` (the backend's
`lower_arrays_reduce.py` lowers it), `keepdims` when true, and for a tuple `axes` (its axes made
non-negative, in increasing order) or, when one is out of range or repeated, `axes_error` (NumPy's
exception class name and message, raised when the call runs, as NumPy raises it).  A single axis is
typed as `array_ops.axis_reduction` types it (`axis` or `axis_at_run_time`).

The axis is the only positional option (after the array); `keepdims` must be a constant bool and
`ddof` a number (std and var only).  A tuple axis reduces axis after axis, which gives NumPy's
result for sum, prod, min, max, mean (each group has as many items), any, all, count_nonzero and
the nan-ignoring sum, prod, min and max; the others refuse a tuple.
"""
from __future__ import annotations

from jitlab.ir.types import ArrayType, NoneType, TupleType, Type

from ..infer import RuleContext
from ..lattice import is_numeric

# reductions that take keepdims (every axis reduction but the cumulative ones)
KEEPDIMS = {"sum", "prod", "min", "max", "mean", "std", "var", "argmin", "argmax", "any", "all", "median",
            "count_nonzero", "nansum", "nanprod", "nanmean", "nanmin", "nanmax"}
# reductions whose tuple axis is the reduction axis after axis
TUPLE_AXES = {"sum", "prod", "min", "max", "mean", "any", "all", "count_nonzero", "nansum", "nanprod",
              "nanmin", "nanmax"}
OPTIONS = ("keepdims", "ddof")


def has_options(ctx: RuleContext, name: str, extra: list[Type]) -> bool:
    """Whether a reduction call goes beyond one integer axis (this module types it then)."""
    kwnames = tuple(ctx.node.attr("kwnames") or ())
    if any(kw in OPTIONS for kw in kwnames):
        return True
    return name in KEEPDIMS and len(extra) == 1 and isinstance(extra[0], TupleType)


def _bind(ctx: RuleContext, name: str, extra: list[Type], inputs) -> dict:
    kwnames = tuple(ctx.node.attr("kwnames") or ())
    npos = len(extra) - len(kwnames)
    if npos > 1:
        raise ctx.error(f"{name}() takes the axis as its only positional argument after the array here",
                        hint="pass keepdims=, ddof= by keyword")
    bound = {"axis": (extra[0], inputs[0])} if npos else {}
    allowed = ("axis", "keepdims", *(("ddof",) if name in ("std", "var") else ()))
    for k, kw in enumerate(kwnames):
        if kw not in allowed:
            raise ctx.error(f"{name}() with {kw}= is not supported on arrays",
                            hint=f"{name}() takes {', '.join(allowed)}")
        bound[kw] = (extra[npos + k], inputs[npos + k])
    return bound


def reduction_type(ctx: RuleContext, a: ArrayType, name: str, extra: list[Type], inputs,
                   result: Type) -> Type:
    """The type of a reduction with options (`result`: the dtype of its items)."""
    from .array_ops import axis_type

    bound = _bind(ctx, name, extra, inputs)
    if name not in KEEPDIMS:
        raise ctx.error(f"{name}() with keepdims= is not supported")
    ctx.attrs["reduce_options"] = True
    keep = False
    if "keepdims" in bound:
        keep = ctx.const(bound["keepdims"][1])
        if type(keep) is not bool:
            raise ctx.error(f"{name}() keepdims must be True or False, given as a constant")
        if keep:
            ctx.attrs["keepdims"] = True
    if "ddof" in bound and not is_numeric(bound["ddof"][0]):
        raise ctx.error(f"{name}() ddof must be a number, not {bound['ddof'][0]}")
    axis_t, axis_in = bound.get("axis", (None, None))
    if axis_t is None or isinstance(axis_t, NoneType):
        reduced = a.ndim
    elif isinstance(axis_t, TupleType):
        axes = ctx.const(axis_in)
        if type(axes) is not tuple or not all(type(k) is int for k in axes):
            raise ctx.error(f"{name}() axis must be an integer, None or a constant tuple of integers")
        if name not in TUPLE_AXES:
            raise ctx.error(f"{name}() with a tuple axis is not supported",
                            hint=f"tuple axes work for {', '.join(sorted(TUPLE_AXES))}")
        bad = [k for k in axes if not -a.ndim <= k < a.ndim]
        if bad:
            ctx.attrs["axes_error"] = ("AxisError", f"axis {bad[0]} is out of bounds for array of dimension "
                                                   f"{a.ndim}")
        elif len({k % a.ndim for k in axes}) != len(axes):
            ctx.attrs["axes_error"] = ("ValueError", "duplicate value in 'axis'")
        ctx.attrs["axes"] = tuple(sorted({k % a.ndim for k in axes if -a.ndim <= k < a.ndim}))
        reduced = len(ctx.attrs["axes"])
    else:
        axis_type(ctx, name, axis_t)
        axis = ctx.const(axis_in)
        if type(axis) is not int or not -a.ndim <= axis < a.ndim:
            ctx.attrs["axis_at_run_time"] = True
        else:
            ctx.attrs["axis"] = axis % a.ndim
        reduced = 1
    ndim = a.ndim if keep else a.ndim - reduced
    return result if ndim == 0 else ArrayType(result, ndim, "C")


__all__ = ["has_options", "reduction_type"]
