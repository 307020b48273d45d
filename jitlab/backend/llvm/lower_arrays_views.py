"""Lowering of slices and views (`a[1:n]`, `a[::-1]`, `a[i, :]`, `a.T`), array methods, and the
op entry points that send array operands here and everything else to the scalar lowerers.

A slice item on an axis of length `n` is resolved as CPython's
`PySlice_AdjustIndices` does (a missing start/stop defaults by the step's
sign, negative values count from the end, then they are clipped), giving the
view's start, length and step: the view's data pointer moves by `start *
stride` and its stride becomes `stride * step`.  A zero step raises
`ValueError("slice step cannot be zero")`.  Integer items are wrapped and
bounds-checked like element indices (`lower_arrays.wrap_index`).  Views share
the array's memory (writes through them reach the caller's array).
"""

from __future__ import annotations

from llvmlite import ir

from jitlab.ir.types import I64 as I64_T, ArrayType, ComplexType, DTypeType, NoneType, SliceType, TupleType

from . import lower_arith as arith
from . import lower_arrays as arrays
from .lower import I64, FunctionLowerer
from .lower_arrays_alloc import allocation, copy, make_struct
from .lower_arrays_math import assign, elementwise, reduce, scalar_ufunc
from .signature import NONE_LLVM

SLICE_STEP_ZERO = "slice step cannot be zero"


# -- slices and views ------------------------------------------------------------------------
def slice_(fl: FunctionLowerer, node, args, in_types, out_types):
    from .signature import llvm_type

    value = ir.Constant(llvm_type(out_types[0]), None)
    for k, part in enumerate(args[:3]):
        value = fl.builder.insert_value(value, part, k)
    return [value, None]


def _adjust(fl: FunctionLowerer, sl: ir.Value, st: SliceType, n: ir.Value):
    """(start, length, step) of slice `sl` on an axis of length `n` (CPython's rules)."""
    bld = fl.builder
    zero, one = ir.Constant(I64, 0), ir.Constant(I64, 1)

    def part(k, t):
        return None if isinstance(t, NoneType) else fl.cast(bld.extract_value(sl, k), t, I64_T)

    start, stop, step = part(0, st.start), part(1, st.stop), part(2, st.step)
    if step is None:
        step = one
    else:
        fl.raise_if(bld.icmp_signed("==", step, zero), ValueError, SLICE_STEP_ZERO)
    backwards = bld.icmp_signed("<", step, zero)
    minus_one = ir.Constant(I64, -1)

    def clip(value, default_forward, default_backward):
        if value is None:
            return bld.select(backwards, default_backward, default_forward)
        wrapped = bld.select(bld.icmp_signed("<", value, zero), bld.add(value, n), value)
        low = bld.select(backwards, minus_one, zero)
        high = bld.select(backwards, bld.sub(n, one), n)
        wrapped = bld.select(bld.icmp_signed("<", wrapped, zero), low, wrapped)
        return bld.select(bld.icmp_signed(">=", wrapped, n), high, wrapped)

    start = clip(start, zero, bld.sub(n, one))
    stop = clip(stop, n, minus_one)
    # length = ceil((stop - start) / step) when positive, else 0
    forward_len = bld.sdiv(bld.add(bld.sub(stop, start), bld.sub(step, one)), step)
    backward_len = bld.sdiv(
        bld.add(bld.sub(start, stop), bld.sub(bld.sub(zero, step), one)), bld.sub(zero, step)
    )
    length = bld.select(backwards, backward_len, forward_len)
    length = bld.select(bld.icmp_signed("<", length, zero), zero, length)
    return start, length, step


def view(
    fl: FunctionLowerer, node, array: ir.Value, t: ArrayType, index: ir.Value, index_type, rt: ArrayType
):
    """The view `a[index]` for an index of slices and integers."""
    bld = fl.builder
    if isinstance(index_type, TupleType):
        items = [(bld.extract_value(index, k), it) for k, it in enumerate(index_type.items)]
    else:
        items = [(index, index_type)]
    offset = ir.Constant(I64, 0)
    dims, strides = [], []
    check = arrays._checked(fl, node)
    for axis in range(t.ndim):
        n, s = arrays.shape(fl, array, axis), arrays.stride(fl, array, axis)
        if axis >= len(items):
            dims.append(n)
            strides.append(s)
            continue
        value, it = items[axis]
        if isinstance(it, SliceType):
            start, length, step = _adjust(fl, value, it, n)
            offset = bld.add(offset, bld.mul(start, s))
            dims.append(length)
            strides.append(bld.mul(s, step))
        else:
            i = arrays.wrap_index(fl, value, it, n, axis, check)
            offset = bld.add(offset, bld.mul(i, s))
    pointer = bld.gep(arrays.data(fl, array), [offset], source_etype=ir.IntType(8))
    return make_struct(fl, rt, pointer, dims, strides)


def transpose(fl: FunctionLowerer, array: ir.Value, t: ArrayType, rt: ArrayType) -> ir.Value:
    dims = [arrays.shape(fl, array, k) for k in reversed(range(t.ndim))]
    strides = [arrays.stride(fl, array, k) for k in reversed(range(t.ndim))]
    return make_struct(fl, rt, arrays.data(fl, array), dims, strides)


# -- op entry points -------------------------------------------------------------------------
def const(fl: FunctionLowerer, node, args, in_types, out_types):
    if isinstance(out_types[0], DTypeType):
        fl.consts[node.outputs[0].name] = node.attr("value")
        return [ir.Constant(NONE_LLVM, 0)]
    return arith.const(fl, node, args, in_types, out_types)


def getitem(fl: FunctionLowerer, node, args, in_types, out_types):
    t, it = in_types[0], in_types[1]
    items = it.items if isinstance(it, TupleType) else (it,)
    if isinstance(t, ArrayType) and any(isinstance(x, SliceType) for x in items):
        return [view(fl, node, args[0], t, args[1], it, out_types[0]), None]
    return arrays.getitem(fl, node, args, in_types, out_types)


def setitem(fl: FunctionLowerer, node, args, in_types, out_types):
    from jitlab.typing.rules.array_ops import is_view_index

    t, it = in_types[0], in_types[1]
    if isinstance(t, ArrayType):
        items = it.items if isinstance(it, TupleType) else (it,)
        if is_view_index(t, it) or len(items) < t.ndim:
            target_type = view_type_of(t, it)
            target = view(fl, node, args[0], t, args[1], it, target_type)
            assign(fl, target, target_type, args[2], in_types[2])
            return [None]
    return arrays.setitem(fl, node, args, in_types, out_types)


def view_type_of(t: ArrayType, it) -> ArrayType:
    """The view type typing gave `t[it]` (recomputed: setitem has no output to carry it)."""
    from jitlab.typing.rules.array_ops import _view_layout, index_items

    items = index_items(it)
    ndim = t.ndim - sum(not isinstance(x, SliceType) for x in items)
    return ArrayType(t.dtype, ndim, _view_layout(t, items))


def getattr_(fl: FunctionLowerer, node, args, in_types, out_types):
    t, name = in_types[0], node.attr("name")
    if isinstance(t, ArrayType) and name == "T":
        return [transpose(fl, args[0], t, out_types[0]), None]
    if isinstance(t, ArrayType) and name == "dtype":
        return [ir.Constant(NONE_LLVM, 0), None]
    if isinstance(t, ArrayType) and name in ("real", "imag"):
        return [parts_view(fl, args[0], t, name, out_types[0]), None]
    return arrays.getattr_(fl, node, args, in_types, out_types)


def parts_view(fl: FunctionLowerer, array: ir.Value, t: ArrayType, name: str, rt: ArrayType) -> ir.Value:
    """`a.real` / `a.imag`: the same strides over the real or imaginary parts (`a.real` of a
    real array is `a`)."""
    if not isinstance(t.dtype, ComplexType):
        return array
    dims = [arrays.shape(fl, array, k) for k in range(t.ndim)]
    strides = [arrays.stride(fl, array, k) for k in range(t.ndim)]
    offset = 0 if name == "real" else t.dtype.bits // 16
    pointer = fl.builder.gep(arrays.data(fl, array), [ir.Constant(I64, offset)], source_etype=ir.IntType(8))
    return make_struct(fl, rt, pointer, dims, strides)


def callmethod(fl: FunctionLowerer, node, args, in_types, out_types):
    name, t, rt = node.attr("name"), in_types[0], out_types[0]
    if name == "copy":
        return [copy(fl, args[0], t, rt), None]
    return [reduce(fl, name, args[0], t, rt), None]


def binop(fl: FunctionLowerer, node, args, in_types, out_types):
    if node.attr("inplace") and isinstance(in_types[0], ArrayType):  # `a += b`: into `a`
        from jitlab.typing.rules.numpy_calls import numpy_result

        op, (a, b), (at, bt) = node.attr("op"), args[:2], in_types[:2]
        ndim = max(t.ndim for t in (at, bt) if isinstance(t, ArrayType))
        made = ArrayType(numpy_result(op, (at, bt)), ndim, "C")
        assign(fl, a, at, elementwise(fl, op, [a, b], [at, bt], made), made)
        return [a, None]
    if isinstance(out_types[0], ArrayType):
        return [elementwise(fl, node.attr("op"), args[:2], in_types[:2], out_types[0]), None]
    return arith.binop(fl, node, args, in_types, out_types)


def compare(fl: FunctionLowerer, node, args, in_types, out_types):
    if isinstance(out_types[0], ArrayType):
        return [elementwise(fl, node.attr("op"), args[:2], in_types[:2], out_types[0]), None]
    return arith.compare(fl, node, args, in_types, out_types)


def unop(fl: FunctionLowerer, node, args, in_types, out_types):
    if isinstance(out_types[0], ArrayType):
        if node.attr("op") == "+":
            return [copy(fl, args[0], in_types[0], out_types[0]), None]
        return [elementwise(fl, "negative", args[:1], in_types[:1], out_types[0]), None]
    return arith.unop(fl, node, args, in_types, out_types)


def numpy_call(fl: FunctionLowerer, node, callee: str, args, in_types, rt) -> ir.Value:
    """`py.call` of a `numpy.*` callee (the args without the state)."""
    from jitlab.typing.rules.numpy_calls import ALLOCATORS, BINARY_UFUNCS, PARTS, UFUNC_ALIASES

    if callee in ALLOCATORS:
        return allocation(fl, node, callee, args, in_types, rt)
    name = callee[len("numpy.") :]
    if name in PARTS and isinstance(rt, ArrayType):
        return parts_view(fl, args[0], in_types[0], name, rt)
    op = UFUNC_ALIASES.get(name, BINARY_UFUNCS.get(name, name))
    if isinstance(rt, ArrayType):
        return elementwise(fl, op, args, in_types, rt)
    return scalar_ufunc(fl, op, args, in_types, rt)


__all__ = [
    "binop",
    "callmethod",
    "compare",
    "const",
    "getattr_",
    "getitem",
    "numpy_call",
    "setitem",
    "slice_",
    "unop",
    "view",
    "transpose",
]
