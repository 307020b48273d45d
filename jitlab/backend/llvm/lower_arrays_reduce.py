"""Lowering of reductions with NumPy's options (typed by `typing/rules/reduce_options.py`):
`keepdims=True`, a tuple `axis=(0, 2)` and `ddof=` of `std`/`var`.

A tuple axis reduces one axis after the other, the highest first (so the lower axes keep their
numbers), each step a reduction along one axis (`lower_arrays_axis.reduce_along`); `count_nonzero`
counts along the first and sums along the rest.  `ddof` scales the variance by N / max(N - ddof, 0)
(N the count of reduced items; the standard deviation by its square root), which is NumPy's
sum of squares over max(N - ddof, 0).  `keepdims` gives the result's data under a shape with a 1
where each reduced axis was (a new 1-item array for a number).
"""
from __future__ import annotations

import numpy as np
from llvmlite import ir
from numpy.exceptions import AxisError

from jitlab.ir.types import BOOL, F64, ArrayType, ComplexType, FloatType, Type
from jitlab.typing.lattice import from_dtype, to_dtype

from .lower import I64, FunctionLowerer
from .lower_arrays import data, element_pointer, itemsize, load_element
from .lower_arrays_alloc import dims_of, loop_nest, make_struct, new_array, product, store_element

_ERRORS = {"AxisError": AxisError, "ValueError": ValueError}


def _step_dtype(name: str, dtype: Type) -> Type:
    """The item type of `name` along one axis of an array of `dtype` items."""
    with np.errstate(all="ignore"):
        return from_dtype(getattr(np, name)(np.zeros((1, 1), to_dtype(dtype)), axis=0).dtype)


def lower(fl: FunctionLowerer, node, name: str, args, in_types, rt) -> ir.Value:
    """`a.name(...)` or `np.name(a, ...)` with options (`args`/`in_types` without the state)."""
    from .lower_arrays_axis import argument, axis_of
    from .lower_arrays_views import array_method

    array, t = args[0], in_types[0]
    error = node.attr("axes_error")
    if error is not None:
        fl.raise_if(ir.Constant(ir.IntType(1), 1), _ERRORS[error[0]], error[1])
    axes = node.attr("axes")
    keep = bool(node.attr("keepdims"))
    item = rt.dtype if isinstance(rt, ArrayType) else rt
    if axes is not None:  # a tuple: axis after axis
        value, vt = array, t
        for k, axis in enumerate(sorted(axes, reverse=True)):
            step = name if k == 0 or name != "count_nonzero" else "sum"
            dtype = item if k == len(axes) - 1 else _step_dtype(step, vt.dtype)
            st = dtype if vt.ndim == 1 else ArrayType(dtype, vt.ndim - 1, "C")
            value, vt = array_method(fl, step, value, vt, st, axis), st
        if not axes:  # axis=(): NumPy's reduction of nothing is each item by itself
            value, vt = _each_item(fl, name, array, t, ArrayType(item, t.ndim, "C"))
        reduced: tuple | ir.Value | None = tuple(axes)
    else:
        axis = axis_of(fl, node, args, in_types, t.ndim)
        vt = item if axis is None or t.ndim == 1 else ArrayType(item, t.ndim - 1, "C")
        value = array_method(fl, name, array, t, vt, axis)
        reduced = tuple(range(t.ndim)) if axis is None else (axis,) if isinstance(axis, int) else axis
    ddof = argument(node, args, in_types, "ddof", len(in_types))
    if ddof is not None and name in ("std", "var"):
        count = _reduced_count(fl, array, t, reduced)
        value = _scaled(fl, value, vt, count, fl.cast(*ddof, F64), name == "std")
    if keep:
        value = _kept(fl, value, vt, t.ndim, reduced, rt)
    return value


def _each_item(fl: FunctionLowerer, name: str, array: ir.Value, t: ArrayType, rt: ArrayType):
    """`a.sum(axis=())`: a new array of each item reduced alone (cast to the result type)."""
    dims = dims_of(fl, array, t.ndim)
    out = new_array(fl, rt, dims)

    def body(ix):
        x = load_element(fl, element_pointer(fl, array, t, ix), t.dtype)
        if name == "count_nonzero":
            x, xt = fl.cast(x, t.dtype, BOOL), BOOL
        else:
            xt = t.dtype
        store_element(fl, element_pointer(fl, out, rt, ix), fl.cast(x, xt, rt.dtype), rt.dtype)

    loop_nest(fl, dims, body)
    return out, rt


def _reduced_count(fl: FunctionLowerer, array: ir.Value, t: ArrayType, reduced) -> ir.Value:
    dims = dims_of(fl, array, t.ndim)
    if isinstance(reduced, tuple):
        return product(fl, [dims[k] for k in reduced]) if reduced else ir.Constant(I64, 1)
    count = dims[0]
    for k in range(1, t.ndim):
        count = fl.builder.select(fl.builder.icmp_signed("==", reduced, ir.Constant(I64, k)), dims[k], count)
    return count


def _scaled(fl: FunctionLowerer, value: ir.Value, vt: Type, count: ir.Value, ddof: ir.Value,
            root: bool) -> ir.Value:
    """The variance (standard deviation: `root`) of N items with `ddof` from the one with 0."""
    bld = fl.builder
    n = bld.sitofp(count, ir.DoubleType())
    left = bld.fsub(n, ddof)
    zero = ir.Constant(ir.DoubleType(), 0.0)
    left = bld.select(bld.fcmp_ordered(">", left, zero), left, zero)
    factor = bld.fdiv(n, left)
    if root:
        factor = bld.call(fl.declare("llvm.sqrt.f64", ir.FunctionType(ir.DoubleType(), [ir.DoubleType()])),
                          [factor])
    item = vt.dtype if isinstance(vt, ArrayType) else vt
    assert isinstance(item, FloatType) and not isinstance(item, ComplexType)
    factor = fl.cast(factor, F64, item)
    if not isinstance(vt, ArrayType):
        return bld.fmul(value, factor)

    def scale(ix):
        p = element_pointer(fl, value, vt, ix)
        store_element(fl, p, bld.fmul(load_element(fl, p, item), factor), item)

    loop_nest(fl, dims_of(fl, value, vt.ndim), scale)
    return value


def _kept(fl: FunctionLowerer, value: ir.Value, vt: Type, ndim: int, reduced, rt: ArrayType) -> ir.Value:
    """`value` under `rt`'s shape: a 1 in place of each reduced axis."""
    one = ir.Constant(I64, 1)
    if not isinstance(vt, ArrayType):
        out = new_array(fl, rt, [one] * ndim)
        store_element(fl, element_pointer(fl, out, rt, [ir.Constant(I64, 0)] * ndim), value, rt.dtype)
        return out
    bld = fl.builder
    inner = dims_of(fl, value, vt.ndim)
    dims = []
    if isinstance(reduced, tuple):
        rest = iter(inner)
        dims = [one if k in reduced else next(rest) for k in range(ndim)]
    else:  # one axis known at run time: dims[k] = inner[k] before it, 1 at it, inner[k - 1] after
        for k in range(ndim):
            before = inner[k] if k < vt.ndim else one
            after = inner[k - 1] if k > 0 else one
            at = bld.select(bld.icmp_signed("==", ir.Constant(I64, k), reduced), one, after)
            dims.append(bld.select(bld.icmp_signed("<", ir.Constant(I64, k), reduced), before, at))
    strides, step = [None] * ndim, ir.Constant(I64, itemsize(rt.dtype))
    for k in range(ndim - 1, -1, -1):
        strides[k] = step
        step = bld.mul(step, dims[k])
    return make_struct(fl, rt, data(fl, value), dims, strides)


__all__ = ["lower"]
