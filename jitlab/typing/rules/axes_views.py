"""Typing of views that rearrange an array's axes: `np.transpose(a, axes)`, `a.transpose(1, 0, 2)`,
`np.swapaxes`/`a.swapaxes`, `np.moveaxis`, `np.expand_dims`, `np.squeeze(a, axis)`/`a.squeeze(axis)`
and `np.atleast_1d/2d/3d`.

The axes must be constants.  Typing records the view as the node's `plan`: per axis of the result,
the input axis it is (>= 0) or -1 for a new axis of length 1; `squeezed` lists the input axes that
must have length 1 (NumPy's ValueError when run); `axes_error` holds NumPy's exception for bad
axes (class name, message), raised when the call runs, as NumPy raises it.  The backend
(`lower_arrays_axes.py`) builds the view from the plan: no copy.  A view keeps C (F) layout when
its input axes stay in order; other permutations are strided ("A"), a reversal swaps C and F.
"""
from __future__ import annotations

from jitlab.ir.types import ArrayType, Type

from ..infer import NO_CONST, RuleContext

FUNCTIONS = {"transpose", "swapaxes", "moveaxis", "expand_dims", "squeeze", "atleast_1d", "atleast_2d",
             "atleast_3d"}
METHODS = {"transpose", "swapaxes", "squeeze"}


def _axes(ctx: RuleContext, what: str, value, ndim: int, prefix: str = "",
          repeated: str = "repeated axis") -> list[int] | tuple[str, str]:
    """Constant axes (an int or a tuple of them) made non-negative, or NumPy's error for them
    (`prefix` names the argument in its AxisError, `repeated` is its message for a repeated axis)."""
    axes = list(value) if type(value) is tuple else [value]
    if not all(type(k) is int for k in axes):
        raise ctx.error(f"{what} needs constant integer axes")
    for k in axes:
        if not -ndim <= k < ndim:
            return ("AxisError", f"{prefix}axis {k} is out of bounds for array of dimension {ndim}")
    axes = [k % ndim for k in axes]
    if len(set(axes)) != len(axes):
        return ("ValueError", repeated)
    return axes


def view_type(ctx: RuleContext, name: str, a: ArrayType, extra: list[Type], inputs, method: bool) -> Type:
    """The view's type; records `plan`, `squeezed`, `axes_error` on the node."""
    what = f"{name}()"
    kwnames = tuple(ctx.node.attr("kwnames") or ())
    values = [ctx.const(name) for name in inputs]
    if any(v is NO_CONST for v in values):
        raise ctx.error(f"{what} needs its axes as constants")
    if kwnames:
        names = {"transpose": ("axes",), "swapaxes": ("axis1", "axis2"), "expand_dims": ("axis",),
                 "moveaxis": ("source", "destination"), "squeeze": ("axis",)}.get(name, ())
        npos = len(values) - len(kwnames)
        bound = dict(zip(names, values[:npos]))
        for kw, v in zip(kwnames, values[npos:]):
            if kw not in names:
                raise ctx.error(f"{what} got an unexpected keyword argument {kw!r}")
            bound[kw] = v
        values = [bound[n] for n in names if n in bound]
    ndim = a.ndim
    plan: list[int] | tuple[str, str]
    squeezed: list[int] = []
    if name == "transpose":
        if method and len(values) > 1:
            values = [tuple(values)]
        if not values or values[0] is None:
            plan = list(reversed(range(ndim)))
        else:
            plan = _axes(ctx, what, values[0], ndim, repeated="repeated axis in transpose")
            if isinstance(plan, list) and len(plan) != ndim:
                plan = ("ValueError", "axes don't match array")
    elif name == "swapaxes":
        if len(values) != 2:
            raise ctx.error(f"{what} takes two axes")
        plan = list(range(ndim))
        pair = [_axes(ctx, what, v, ndim, f"axis{k + 1}: ") for k, v in enumerate(values)]
        bad = next((p for p in pair if isinstance(p, tuple)), None)
        if bad is not None:
            plan = bad
        else:
            i, j = pair[0][0], pair[1][0]
            plan[i], plan[j] = plan[j], plan[i]
    elif name == "moveaxis":
        if len(values) != 2:
            raise ctx.error(f"{what} takes a source and a destination")
        source, destination = (_axes(ctx, what, v, ndim, f"{arg}: ", f"repeated axis in `{arg}` argument")
                               for v, arg in zip(values, ("source", "destination")))
        if isinstance(source, tuple) or isinstance(destination, tuple):
            plan = source if isinstance(source, tuple) else destination
        elif len(source) != len(destination):
            plan = ("ValueError",
                    "`source` and `destination` arguments must have the same number of elements")
        else:
            plan = [k for k in range(ndim) if k not in source]
            for dest, src in sorted(zip(destination, source)):
                plan.insert(dest, src)
    elif name == "expand_dims":
        if len(values) != 1:
            raise ctx.error(f"{what} takes one axis (or a tuple of them)")
        new = _axes(ctx, what, values[0], ndim + (len(values[0]) if type(values[0]) is tuple else 1))
        if isinstance(new, tuple):
            plan = new
        else:
            rest = iter(range(ndim))
            plan = [-1 if k in new else next(rest) for k in range(ndim + len(new))]
    elif name == "squeeze":
        if not values or values[0] is None:
            raise ctx.error(f"{what} without an axis is not supported: its result's dimensions depend on "
                            "the shape", hint="name the length-1 axes: squeeze(a, axis=1)")
        gone = _axes(ctx, what, values[0], ndim, repeated="duplicate value in 'axis'")
        if isinstance(gone, tuple):
            plan = gone
        else:
            squeezed = gone
            plan = [k for k in range(ndim) if k not in gone]
    else:  # atleast_Nd
        want = int(name[-2])
        if values:
            raise ctx.error(f"{what} of several arrays is not supported", hint="call it once per array")
        plan = list(range(ndim))
        if ndim < want:
            plan = {(1, 2): [-1, 0], (1, 3): [-1, 0, -1], (2, 3): [0, 1, -1]}[(ndim, want)]
    if isinstance(plan, tuple):
        ctx.attrs["axes_error"] = plan
        plan = list(range(ndim))
    ctx.attrs["plan"] = tuple(plan)
    if squeezed:
        ctx.attrs["squeezed"] = tuple(squeezed)
    return ArrayType(a.dtype, len(plan), _layout(a, plan), a.readonly)


def _layout(a: ArrayType, plan: list[int]) -> str:
    kept = [k for k in plan if k >= 0]
    if kept == sorted(kept):
        return a.layout
    if kept == sorted(kept, reverse=True) and a.layout in ("C", "F") and len(plan) == len(kept):
        return {"C": "F", "F": "C"}[a.layout]
    return "A"


__all__ = ["FUNCTIONS", "METHODS", "view_type"]
