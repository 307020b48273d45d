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

from jitlab.ir.types import I64 as I64_T
from jitlab.ir.types import ArrayType, BoolType, ComplexType, DTypeType, NoneType, SliceType, TupleType

from . import lower_arith as arith
from . import lower_arrays as arrays
from .lower import I64, FunctionLowerer
from .lower_arrays_alloc import (allocation, check_span, copy, dims_of, loop_nest, make_struct, new_array,
                                 product, raise_formatted, shape_format, shape_values, store_element)
from .lower_arrays_math import assign, elementwise, matrix_product, reduce, scalar_ufunc
from .signature import NONE_LLVM, llvm_type

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
    """The view `a[index]` for an index of slices, integers and `None` (np.newaxis)."""
    bld = fl.builder
    if isinstance(index_type, TupleType):
        items = [(bld.extract_value(index, k), it) for k, it in enumerate(index_type.items)]
    else:
        items = [(index, index_type)]
    offset = ir.Constant(I64, 0)
    dims, strides = [], []
    check = arrays._checked(fl, node)
    axis = 0
    for value, it in items:
        if isinstance(it, NoneType):  # np.newaxis: a new axis of length 1
            dims.append(ir.Constant(I64, 1))
            strides.append(ir.Constant(I64, 0))
            continue
        n, s = arrays.shape(fl, array, axis), arrays.stride(fl, array, axis)
        if isinstance(it, SliceType):
            start, length, step = _adjust(fl, value, it, n)
            offset = bld.add(offset, bld.mul(start, s))
            dims.append(length)
            strides.append(bld.mul(s, step))
        else:
            i = arrays.wrap_index(fl, value, it, n, axis, check)
            offset = bld.add(offset, bld.mul(i, s))
        axis += 1
    for rest in range(axis, t.ndim):
        dims.append(arrays.shape(fl, array, rest))
        strides.append(arrays.stride(fl, array, rest))
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
    from jitlab.typing.rules.fancy_index import is_fancy

    t, it = in_types[0], in_types[1]
    if is_fancy(t, it):  # a[:, idx], a[rows, cols]
        from .lower_arrays_fancy import get

        return [get(fl, args[0], t, args[1], it, out_types[0]), None]
    if isinstance(t, ArrayType) and isinstance(it, ArrayType):
        return [select(fl, args[0], t, args[1], it, out_types[0]), None]
    from jitlab.typing.rules.array_ops import is_view_index

    if is_view_index(t, it):
        return [view(fl, node, args[0], t, args[1], it, out_types[0]), None]
    return arrays.getitem(fl, node, args, in_types, out_types)


def setitem(fl: FunctionLowerer, node, args, in_types, out_types):
    from jitlab.typing.rules.array_ops import is_view_index

    from jitlab.typing.rules.fancy_index import is_fancy_store

    t, it = in_types[0], in_types[1]
    if is_fancy_store(t, it, in_types[2]):  # a[:, idx] = x, a[idx] = row or array
        from .lower_arrays_fancy import put

        put(fl, args[0], t, args[1], it, args[2], in_types[2])
        return [None]
    if isinstance(t, ArrayType) and isinstance(it, ArrayType):
        select(fl, args[0], t, args[1], it, None, (args[2], in_types[2]))
        return [None]
    if isinstance(t, ArrayType):
        items = it.items if isinstance(it, TupleType) else (it,)
        if is_view_index(t, it) or len(items) < t.ndim:
            target_type = view_type_of(t, it)
            target = view(fl, node, args[0], t, args[1], it, target_type)
            assign(fl, target, target_type, args[2], in_types[2])
            return [None]
    return arrays.setitem(fl, node, args, in_types, out_types)


def _outer_views(fl: FunctionLowerer, args, in_types):
    """`np.outer(a, b)`: `a` flattened as a column (n, 1) and `b` as a row (1, m), strides 0 on the
    length-1 axes (C copies first when an operand has more than one axis)."""
    zero, one = ir.Constant(I64, 0), ir.Constant(I64, 1)
    for k, (v, t) in enumerate(zip(args[:2], in_types[:2])):
        if t.ndim > 1:
            c = ArrayType(t.dtype, t.ndim, "C")
            v = copy(fl, v, t, c)
            n = product(fl, dims_of(fl, v, t.ndim))
            step = ir.Constant(I64, arrays.itemsize(t.dtype))
        else:
            n, step = arrays.shape(fl, v, 0), arrays.stride(fl, v, 0)
        yield (v, t, [n, one], [step, zero]) if k == 0 else (v, t, [one, n], [zero, step])


def concatenate(fl: FunctionLowerer, items, axis: int, rt: ArrayType) -> ir.Value:
    """The arrays `items` ((value, type) of `rt.ndim` axes) one after the other along `axis`; the
    other axes must agree (NumPy's ValueError)."""
    bld = fl.builder
    first = dims_of(fl, items[0][0], rt.ndim)
    total = ir.Constant(I64, 0)
    for k, (v, _t) in enumerate(items):
        dims = dims_of(fl, v, rt.ndim)
        for d in range(rt.ndim):
            if d != axis and k:
                message = ("all the input array dimensions except for the concatenation axis must match "
                           f"exactly, but along dimension {d}, the array at index 0 has size %lld and the "
                           f"array at index {k} has size %lld")
                raise_formatted(fl, bld.icmp_signed("!=", first[d], dims[d]), ValueError, message,
                                [first[d], dims[d]])
        total = bld.add(total, dims[axis])
    out = new_array(fl, rt, [total if d == axis else first[d] for d in range(rt.ndim)])
    strides = [arrays.stride(fl, out, d) for d in range(rt.ndim)]
    slab_type = ArrayType(rt.dtype, rt.ndim, "A")
    start = ir.Constant(I64, 0)
    for v, t in items:
        dims = dims_of(fl, v, rt.ndim)
        pointer = bld.gep(arrays.data(fl, out), [bld.mul(start, strides[axis])], source_etype=ir.IntType(8))
        assign(fl, make_struct(fl, slab_type, pointer, dims, strides), slab_type, v, t)
        start = bld.add(start, dims[axis])
    return out


def select(fl: FunctionLowerer, array: ir.Value, t: ArrayType, index: ir.Value, it: ArrayType,
           rt: ArrayType | None, store=None) -> ir.Value | None:
    """`a[mask]` / `a[idx]` into a new array of type `rt`, or with `store = (value, type)`
    `a[mask] = value` / `a[idx] = value` (NumPy's IndexErrors for a mask of another shape and for
    an index out of bounds)."""
    bld = fl.builder
    dims = dims_of(fl, array, t.ndim)
    if isinstance(it.dtype, BoolType):
        mask_dims = dims_of(fl, index, it.ndim)
        for axis, (n, m) in enumerate(zip(dims, mask_dims)):
            message = (f"boolean index did not match indexed array along axis {axis}; size of axis is %lld "
                       "but size of corresponding boolean axis is %lld")
            raise_formatted(fl, bld.icmp_signed("!=", n, m), IndexError, message, [n, m])

        def chosen(ix):
            flag = arrays.load_element(fl, arrays.element_pointer(fl, index, it, ix), it.dtype)
            return fl.truth(flag, it.dtype)

        count = fl.alloca(I64, name="mask.count")
        if store is not None and not isinstance(store[1], ArrayType):
            value = arrays.to_dtype(fl, store[0], store[1], t.dtype)

            def put(ix):
                with bld.if_then(chosen(ix)):
                    store_element(fl, arrays.element_pointer(fl, array, t, ix), value, t.dtype)

            loop_nest(fl, dims, put)
            return None
        bld.store(ir.Constant(I64, 0), count)
        loop_nest(fl, dims, lambda ix: bld.store(bld.add(bld.load(count), bld.zext(chosen(ix), I64)), count))
        if store is not None:  # `a[mask] = values`: one value per true item, in order (or one for all)
            source, st = store
            given, wanted = arrays.shape(fl, source, 0), bld.load(count)
            one = ir.Constant(I64, 1)
            bad = bld.and_(bld.icmp_signed("!=", given, wanted), bld.icmp_signed("!=", given, one))
            raise_formatted(fl, bad, ValueError, "NumPy boolean array indexing assignment cannot assign %lld "
                            "input values to the %lld output values where the mask is true", [given, wanted])
            step = bld.select(bld.icmp_signed("==", given, one), ir.Constant(I64, 0), one)
            bld.store(ir.Constant(I64, 0), count)

            def put_next(ix):
                with bld.if_then(chosen(ix)):
                    n = bld.load(count)
                    item = arrays.load_element(fl, arrays.element_pointer(fl, source, st, [bld.mul(n, step)]),
                                               st.dtype)
                    store_element(fl, arrays.element_pointer(fl, array, t, ix),
                                  arrays.to_dtype(fl, item, st.dtype, t.dtype), t.dtype)
                    bld.store(bld.add(n, one), count)

            loop_nest(fl, dims, put_next)
            return None
        out = new_array(fl, rt, [bld.load(count)])
        bld.store(ir.Constant(I64, 0), count)

        def take(ix):
            with bld.if_then(chosen(ix)):
                n = bld.load(count)
                item = arrays.load_element(fl, arrays.element_pointer(fl, array, t, ix), t.dtype)
                store_element(fl, arrays.element_pointer(fl, out, rt, [n]), item, t.dtype)
                bld.store(bld.add(n, ir.Constant(I64, 1)), count)

        loop_nest(fl, dims, take)
        return out
    n_index = arrays.shape(fl, index, 0)

    def position(i):
        raw = arrays.load_element(fl, arrays.element_pointer(fl, index, it, [i]), it.dtype)
        return arrays.wrap_index(fl, raw, it.dtype, dims[0], 0, True)

    if store is not None:
        value = arrays.to_dtype(fl, store[0], store[1], t.dtype)
        loop_nest(fl, [n_index], lambda ix: store_element(
            fl, arrays.element_pointer(fl, array, t, [position(ix[0])]), value, t.dtype))
        return None
    out = new_array(fl, rt, [n_index, *dims[1:]])

    def gather(ix):
        row = position(ix[0])

        def copy_item(rest):
            item = arrays.load_element(fl, arrays.element_pointer(fl, array, t, [row, *rest]), t.dtype)
            store_element(fl, arrays.element_pointer(fl, out, rt, [ix[0], *rest]), item, t.dtype)

        loop_nest(fl, dims[1:], copy_item)

    loop_nest(fl, [n_index], gather)
    return out


def view_type_of(t: ArrayType, it) -> ArrayType:
    """The view type typing gave `t[it]` (recomputed: setitem has no output to carry it)."""
    from jitlab.typing.rules.array_ops import _view_layout, index_items

    from jitlab.typing.rules.array_ops import view_ndim

    items = index_items(it)
    return ArrayType(t.dtype, view_ndim(t, items), _view_layout(t, items))


def getattr_(fl: FunctionLowerer, node, args, in_types, out_types):
    t, name = in_types[0], node.attr("name")
    if isinstance(t, ArrayType) and name == "T":
        return [transpose(fl, args[0], t, out_types[0]), None]
    if isinstance(t, ArrayType) and name == "dtype":
        return [ir.Constant(NONE_LLVM, 0), None]
    if isinstance(t, ArrayType) and name in ("real", "imag"):
        return [parts_view(fl, args[0], t, name, out_types[0]), None]
    if isinstance(t, ArrayType) and name in ("itemsize", "nbytes", "strides"):
        from .lower_arrays_extras import attribute

        return [attribute(fl, name, args[0], t, out_types[0]), None]
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
    from jitlab.typing.rules.array_ops import SHAPE_METHODS

    if not isinstance(in_types[0], ArrayType):  # int.bit_length(), float.is_integer()
        return [_number_method(fl, node.attr("name"), args[0], in_types[0]), None]
    if node.attr("as_numpy"):  # a.clip(lo, hi), a.take(idx), ...: the NumPy function's call
        if node.attr("symbol"):
            from .lower_calls import call_symbol

            return [call_symbol(fl, node.attr("symbol"), args[:-1], in_types[:-1], out_types[0]), None]
        return [numpy_call(fl, node, node.attr("as_numpy"), args[:-1], in_types[:-1], out_types[0]), None]
    if node.attr("name") == "item":
        from .lower_arrays_extras import item

        extra, extra_types = args[1:-1], in_types[1:-1]
        if len(extra_types) == 1 and isinstance(extra_types[0], TupleType):  # a.item((i, j))
            extra = [fl.builder.extract_value(extra[0], k) for k in range(len(extra_types[0].items))]
            extra_types = list(extra_types[0].items)
        return [item(fl, args[0], in_types[0], extra, extra_types, out_types[0]), None]
    if node.attr("plan") is not None:  # a.swapaxes(0, 1), a.transpose(1, 0, 2), a.squeeze(0)
        from .lower_arrays_axes import axes_view

        return [axes_view(fl, node, args[0], in_types[0], out_types[0]), None]
    if node.attr("name") == "fill":
        from .lower_arrays_math import assign

        assign(fl, args[0], in_types[0], args[1], in_types[1])
        return [ir.Constant(NONE_LLVM, 0), None]
    if node.attr("name") == "sort":
        from .lower_arrays_axis import axis_of, sort_along
        from .lower_arrays_sort import sort_in_place

        t = in_types[0]
        axis = axis_of(fl, node, args[:-1], in_types[:-1], t.ndim)
        if axis in (None, t.ndim - 1) and not node.attr("axis_at_run_time"):
            sort_in_place(fl, args[0], t)
        else:
            sort_along(fl, "sort", args[0], t, t, axis, in_place=True)
        return [ir.Constant(NONE_LLVM, 0), None]
    if node.attr("name") in ("conj", "conjugate"):
        return [elementwise(fl, "conjugate", args[:1], in_types[:1], out_types[0]), None]
    if node.attr("name") == "dot":
        return [matrix_product(fl, "dot", args[0], in_types[0], args[1], in_types[1], out_types[0]), None]
    if node.attr("name") in SHAPE_METHODS:
        return [shape_method(fl, node.attr("name"), args[:-1], in_types[:-1], out_types[0]), None]
    if node.attr("reduce_options"):  # keepdims=, ddof=, a tuple axis
        from .lower_arrays_reduce import lower

        return [lower(fl, node, node.attr("name"), args[:-1], in_types[:-1], out_types[0]), None]
    from .lower_arrays_axis import axis_of

    axis = axis_of(fl, node, args[:-1], in_types[:-1], in_types[0].ndim)
    return [array_method(fl, node.attr("name"), args[0], in_types[0], out_types[0], axis), None]


def _number_method(fl: FunctionLowerer, name: str, x: ir.Value, t) -> ir.Value:
    bld = fl.builder
    if name == "bit_length":  # bits of |x| (|INT64_MIN| as unsigned)
        x = fl.cast(x, t, I64_T)
        magnitude = bld.select(bld.icmp_signed("<", x, ir.Constant(x.type, 0)), bld.neg(x), x)
        zeros = bld.call(fl.declare("llvm.ctlz.i64", ir.FunctionType(x.type, [x.type, ir.IntType(1)])),
                         [magnitude, ir.Constant(ir.IntType(1), 0)])
        return bld.sub(ir.Constant(x.type, 64), zeros)
    # is_integer: finite and without a fraction
    fraction_free = bld.fcmp_ordered("==", bld.call(fl.intrinsic("trunc", x.type), [x]), x)
    fabs = bld.call(fl.intrinsic("fabs", x.type), [x])
    return bld.and_(fraction_free, bld.fcmp_ordered("<", fabs, ir.Constant(x.type, float("inf"))))


def shape_method(fl: FunctionLowerer, name: str, args, in_types, rt: ArrayType) -> ir.Value:
    """`reshape`, `ravel`, `flatten`, `transpose`, `astype` (arguments after the array: no state)."""
    array, t = args[0], in_types[0]
    if name == "transpose":
        return transpose(fl, array, t, rt)
    if name == "astype":
        out = new_array(fl, rt, dims_of(fl, array, t.ndim), order=rt.layout)
        assign(fl, out, rt, array, t)
        return out
    if t.layout != "C" or name == "flatten":  # NumPy copies what it cannot view
        array, t = copy(fl, array, t, ArrayType(t.dtype, t.ndim, "C")), ArrayType(t.dtype, t.ndim, "C")
    size = product(fl, dims_of(fl, array, t.ndim))
    if name in ("ravel", "flatten"):
        dims = [size]
    else:
        dims = _reshape_dims(fl, size, args[1:], in_types[1:])
        check_span(fl, dims, arrays.itemsize(t.dtype))
    strides, step = [], ir.Constant(I64, arrays.itemsize(t.dtype))
    for n in reversed(dims):
        strides.insert(0, step)
        step = fl.builder.mul(step, n)
    return make_struct(fl, rt, arrays.data(fl, array), dims, strides)


def _reshape_dims(fl: FunctionLowerer, size: ir.Value, args, in_types) -> list[ir.Value]:
    """The new shape: one -1 takes what is left; NumPy's ValueError when the sizes differ."""
    bld = fl.builder
    if len(in_types) == 1:
        dims = shape_values(fl, args[0], in_types[0])
    else:
        dims = [fl.cast(a, t, I64_T) for a, t in zip(args, in_types)]
    minus = ir.Constant(I64, -1)
    known, unknown = ir.Constant(I64, 1), ir.Constant(I64, 0)
    for n in dims:
        is_unknown = bld.icmp_signed("==", n, minus)
        known = bld.mul(known, bld.select(is_unknown, ir.Constant(I64, 1), n))
        unknown = bld.add(unknown, bld.zext(is_unknown, I64))
    fl.raise_if(bld.icmp_signed(">", unknown, ir.Constant(I64, 1)), ValueError,
                "can only specify one unknown dimension")
    safe = bld.select(bld.icmp_signed("==", known, ir.Constant(I64, 0)), ir.Constant(I64, 1), known)
    inferred = bld.sdiv(size, safe)
    dims = [bld.select(bld.icmp_signed("==", n, minus), inferred, n) for n in dims]
    bad = bld.or_(bld.icmp_signed("!=", product(fl, dims), size),  # (0, -1) is ambiguous: NumPy refuses
                  bld.and_(bld.icmp_signed("==", unknown, ir.Constant(I64, 1)),
                           bld.icmp_signed("==", known, ir.Constant(I64, 0))))
    for n in dims:
        bad = bld.or_(bad, bld.icmp_signed("<", n, ir.Constant(I64, 0)))
    message = f"cannot reshape array of size %lld into shape {shape_format(len(dims))}"
    raise_formatted(fl, bad, ValueError, message, [size, *dims])
    return dims


def array_method(fl: FunctionLowerer, name: str, array: ir.Value, t: ArrayType, rt, axis=None) -> ir.Value:
    """`a.name()` (or `np.name(a)`), a reduction also along one `axis` (an int, or an i64 known at
    run time, `lower_arrays_axis.py`)."""
    from .lower_arrays_axis import cumulate_along, reduce_along

    if name == "copy":
        return copy(fl, array, t, rt)
    if axis is None:
        return reduce(fl, name, array, t, rt)
    if name in ("cumsum", "cumprod"):
        return cumulate_along(fl, "+" if name == "cumsum" else "*", array, t, rt, axis)
    return reduce_along(fl, name, array, t, rt, axis)


def binop(fl: FunctionLowerer, node, args, in_types, out_types):
    if node.attr("op") == "@":
        return [matrix_product(fl, "@", args[0], in_types[0], args[1], in_types[1], out_types[0]), None]
    if node.attr("inplace") and isinstance(in_types[0], ArrayType):  # `a += b`: into `a`
        from jitlab.typing.rules.numpy_calls import numpy_result

        op, (a, b), (at, bt) = node.attr("op"), args[:2], in_types[:2]
        ndim = max(t.ndim for t in (at, bt) if isinstance(t, ArrayType))
        made = ArrayType(numpy_result(op, (at, bt)), ndim, "C")
        elementwise(fl, op, [a, b], [at, bt], made, into=(a, at))
        return [a, None]
    if isinstance(out_types[0], ArrayType):
        return [elementwise(fl, node.attr("op"), args[:2], in_types[:2], out_types[0], node=node), None]
    return arith.binop(fl, node, args, in_types, out_types)


def compare(fl: FunctionLowerer, node, args, in_types, out_types):
    if isinstance(out_types[0], ArrayType):
        return [elementwise(fl, node.attr("op"), args[:2], in_types[:2], out_types[0], node=node), None]
    return arith.compare(fl, node, args, in_types, out_types)


def unop(fl: FunctionLowerer, node, args, in_types, out_types):
    if isinstance(out_types[0], ArrayType):
        if node.attr("op") == "+":
            return [copy(fl, args[0], in_types[0], out_types[0]), None]
        op = "invert" if node.attr("op") == "~" else "negative"
        return [elementwise(fl, op, args[:1], in_types[:1], out_types[0], node=node), None]
    return arith.unop(fl, node, args, in_types, out_types)


def numpy_call(fl: FunctionLowerer, node, callee: str, args, in_types, rt) -> ir.Value:
    """`py.call` of a `numpy.*` callee (the args without the state)."""
    from jitlab.typing.rules.numpy_calls import (ALLOCATORS, ARRAY_FUNCTIONS, BINARY_UFUNCS, PARTS,
                                                 UFUNC_ALIASES, dtype_of_name)

    if callee in ALLOCATORS:
        return allocation(fl, node, callee, args, in_types, rt)
    if node.attr("plan") is not None:  # np.swapaxes, np.expand_dims, ...: views
        from .lower_arrays_axes import axes_view

        return axes_view(fl, node, args[0], in_types[0], rt)
    name = callee[len("numpy.") :]
    if name in ("concatenate", "stack", "vstack", "hstack", "column_stack"):
        seq, st = args[0], in_types[0]
        items = [(fl.builder.extract_value(seq, k), t) for k, t in enumerate(st.items)]
        if node.attr("flat"):  # axis=None: the items flattened
            from .lower_arrays_axis import flattened

            items = [flattened(fl, v, t) for v, t in items]
        lift = node.attr("lift")
        if name == "stack":  # NumPy checks the shapes before stacking
            bld = fl.builder
            first = dims_of(fl, items[0][0], st.items[0].ndim)
            bad = ir.Constant(ir.IntType(1), 0)
            for v, t in items[1:]:
                for m, n in zip(first, dims_of(fl, v, t.ndim)):
                    bad = bld.or_(bad, bld.icmp_signed("!=", m, n))
            fl.raise_if(bad, ValueError, "all input arrays must have the same shape")
        if lift is not None:  # each item gets a new axis of length 1 (stride 0) at `lift`
            lifted = []
            for v, t in items:
                dims, strides = dims_of(fl, v, t.ndim), [arrays.stride(fl, v, k) for k in range(t.ndim)]
                dims.insert(lift, ir.Constant(I64, 1))
                strides.insert(lift, ir.Constant(I64, 0))
                lt = ArrayType(t.dtype, t.ndim + 1, "A")
                lifted.append((make_struct(fl, lt, arrays.data(fl, v), dims, strides), lt))
            items = lifted
        return concatenate(fl, items, node.attr("axis"), rt)
    if name in ("array", "asarray") and isinstance(in_types[0], TupleType):  # a nested tuple
        from .lower_arrays_extras import array_of_tuple

        return array_of_tuple(fl, args[0], in_types[0], rt)
    if name in ("asarray", "ascontiguousarray"):
        return args[0] if in_types[0] == rt else copy(fl, args[0], in_types[0], rt)
    if name in ("eye", "identity") and (len(args) > 1 or node.attr("kwnames")):  # M, k, dtype
        from .lower_arrays_extras import eye

        return eye(fl, name, args, in_types, tuple(node.attr("kwnames") or ()), rt)
    if name == "asfortranarray":
        from .lower_arrays_extras import asfortranarray

        return asfortranarray(fl, args[0], in_types[0], rt)
    if name in ("eye", "identity"):
        n = fl.cast(args[0], in_types[0], I64_T)
        out = new_array(fl, rt, [n, n], zeroed=True)
        one = ir.Constant(llvm_type(rt.dtype), 1.0)
        loop_nest(fl, [n], lambda ix: store_element(fl, arrays.element_pointer(fl, out, rt, [ix[0], ix[0]]),
                                                     one, rt.dtype))
        return out
    if name in ("diff", "flip", "fliplr", "flipud"):
        from .lower_arrays_axis import argument, axis_of, diff_along, flip

        axis = axis_of(fl, node, args, in_types, in_types[0].ndim, 2 if name == "diff" else 1)
        if name != "diff":
            return flip(fl, args[0], in_types[0], rt, axis)
        n = argument(node, args, in_types, "n", 1)
        n = None if n is None else fl.cast(*n, I64_T)
        return diff_along(fl, args[0], in_types[0], rt, n, axis)
    if name == "outer":
        a, b = (make_struct(fl, ArrayType(t.dtype, 2, "A"), arrays.data(fl, v), dims, strides)
                for v, t, dims, strides in _outer_views(fl, args, in_types))
        return elementwise(fl, "*", [a, b], [ArrayType(t.dtype, 2, "A") for t in in_types], rt)
    if name == "where" and len(args) == 1:
        name = "nonzero"
    if name in ("linalg.norm", "allclose", "isclose", "searchsorted", "nonzero", "flatnonzero", "unique",
                "roll", "bincount", "array_equal", "diag", "interp", "average"):
        from . import lower_arrays_search as search

        return search.lower(fl, name, args, in_types, rt, node)
    if name in ("sort", "argsort"):
        from .lower_arrays_axis import axis_of, sort_along

        axis = None if node.attr("flat") else axis_of(fl, node, args, in_types, in_types[0].ndim)
        return sort_along(fl, name, args[0], in_types[0], rt, axis)
    if name in ("dot", "matmul"):
        return matrix_product(fl, "dot", args[0], in_types[0], args[1], in_types[1], rt)
    if name in ("reshape", "ravel", "transpose") and isinstance(in_types[0], ArrayType):
        return shape_method(fl, name, args, in_types, rt)
    if name in ARRAY_FUNCTIONS and isinstance(in_types[0], ArrayType):
        from .lower_arrays_axis import axis_of

        if node.attr("reduce_options"):  # keepdims=, ddof=, a tuple axis
            from .lower_arrays_reduce import lower

            return lower(fl, node, ARRAY_FUNCTIONS[name], args, in_types, rt)

        axis = axis_of(fl, node, args, in_types, in_types[0].ndim)
        return array_method(fl, ARRAY_FUNCTIONS[name], args[0], in_types[0], rt, axis)
    if name in PARTS and isinstance(rt, ArrayType):
        return parts_view(fl, args[0], in_types[0], name, rt)
    if dtype_of_name(name) is not None and len(args) == 1:  # `np.float32(x)`
        if isinstance(rt, ArrayType):
            return shape_method(fl, "astype", args, in_types, rt)
        return arrays.to_dtype(fl, args[0], in_types[0], rt)
    op = UFUNC_ALIASES.get(name, BINARY_UFUNCS.get(name, name))
    op = "round" if op == "around" else op
    if isinstance(rt, ArrayType):
        return elementwise(fl, op, args, in_types, rt, node=node)
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
