"""Lowering of views that rearrange axes (typed by `typing/rules/axes_views.py`): `np.transpose`
with axes, `swapaxes`, `moveaxis`, `expand_dims`, `squeeze(axis)`, `atleast_1d/2d/3d`.

The node's `plan` names, per axis of the view, the input axis it is or -1 for a new axis of
length 1; the view shares the input's data, its shape and strides picked from the input's.  A new
axis gets the stride a contiguous array of the view's shape would have (its length is 1, so it
never moves a pointer).  `squeezed` axes are checked to have length 1 (NumPy's ValueError), and
`axes_error` (bad constant axes) raises NumPy's exception when the call runs.
"""
from __future__ import annotations

from llvmlite import ir
from numpy.exceptions import AxisError

from jitlab.ir.types import ArrayType

from .lower import I64, FunctionLowerer
from .lower_arrays import data, itemsize
from .lower_arrays_alloc import dims_of, make_struct, strides_of

_ERRORS = {"AxisError": AxisError, "ValueError": ValueError}
SQUEEZE_ERROR = "cannot select an axis to squeeze out which has size not equal to one"


def axes_view(fl: FunctionLowerer, node, array: ir.Value, t: ArrayType, rt: ArrayType) -> ir.Value:
    bld = fl.builder
    error = node.attr("axes_error")
    if error is not None:
        fl.raise_if(ir.Constant(ir.IntType(1), 1), _ERRORS[error[0]], error[1])
    dims, strides = dims_of(fl, array, t.ndim), strides_of(fl, array, t.ndim)
    for k in node.attr("squeezed") or ():
        fl.raise_if(bld.icmp_signed("!=", dims[k], ir.Constant(I64, 1)), ValueError, SQUEEZE_ERROR)
    plan = node.attr("plan")
    one = ir.Constant(I64, 1)
    out_dims = [one if k < 0 else dims[k] for k in plan]
    out_strides: list = [None if k < 0 else strides[k] for k in plan]
    step = ir.Constant(I64, itemsize(t.dtype))
    for j in range(len(plan) - 1, -1, -1):  # a new axis: the stride of the axes after it, in C order
        if out_strides[j] is None:
            out_strides[j] = step
        step = bld.mul(out_strides[j], out_dims[j])
    return make_struct(fl, rt, data(fl, array), out_dims, out_strides)


__all__ = ["axes_view"]
