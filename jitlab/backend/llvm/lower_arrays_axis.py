"""Lowering of work along one axis: reductions (`a.sum(axis=k)`), cumulative sums and products,
sorts, `np.argsort` and `np.diff`, the axis known at compile time or only at run time.

An axis known only at run time (`a.sum(axis=k)` with `k` an argument) is checked as NumPy does
(`AxisError: axis 2 is out of bounds for array of dimension 2`, negative axes counted from the
end) and becomes a view of the array with that axis moved last (`moved`): its shape and strides
are picked from the array's with `select`s, so one loop nest serves every axis.  Each line of
that view along its last axis is a line of the array along the axis.  `sum`, `prod`, `mean`,
`min`, `max`, `any`, `all`, `cumsum` and `cumprod` of a C array along an outer axis run in memory
order instead (`_reduce_in_order`, `_cumulate_in_order`: the inner loop along contiguous rows),
giving the same values.
"""

from __future__ import annotations

from llvmlite import ir
from numpy.exceptions import AxisError

from jitlab.ir.types import I64 as I64_T, ArrayType, BoolType, ComplexType, IntType, Type

from .lower import I64, FunctionLowerer
from .lower_arrays import data, element_pointer, load_element, stride
from .lower_arrays_alloc import (copy, dims_of, loop_nest, make_struct, new_array, raise_formatted,
                                 store_element, strides_of)
from .signature import llvm_type

AXIS_ERROR = "axis %lld is out of bounds for array of dimension {ndim}"
EMPTY_ERRORS = {name: f"zero-size array to reduction operation {what} which has no identity"
                for name, what in (("min", "minimum"), ("max", "maximum"), ("nanmin", "fmin"),
                                   ("nanmax", "fmax"))}
EMPTY_ERRORS.update({name: f"attempt to get {name} of an empty sequence" for name in ("argmin", "argmax")})


def run_time_axis(fl: FunctionLowerer, value: ir.Value, vt: Type, ndim: int) -> ir.Value:
    """The axis `value` made non-negative (an i64 in [0, ndim)); NumPy's AxisError outside
    [-ndim, ndim)."""
    bld = fl.builder
    k = fl.cast(value, vt, I64_T)
    bad = bld.or_(bld.icmp_signed("<", k, ir.Constant(I64, -ndim)),
                  bld.icmp_signed(">=", k, ir.Constant(I64, ndim)))
    raise_formatted(fl, bad, AxisError, AXIS_ERROR.format(ndim=ndim), [k])
    return bld.select(bld.icmp_signed("<", k, ir.Constant(I64, 0)), bld.add(k, ir.Constant(I64, ndim)), k)


def argument(node, args, in_types, name: str, position: int) -> tuple[ir.Value, Type] | None:
    """The input of parameter `name` (positional at `position`, or by keyword; `args` and
    `in_types` without the state), None when not given."""
    kwnames = tuple(node.attr("kwnames") or ())
    if name in kwnames:
        k = len(in_types) - len(kwnames) + kwnames.index(name)
    elif position < len(in_types) - len(kwnames):
        k = position
    else:
        return None
    return args[k], in_types[k]


def axis_of(fl: FunctionLowerer, node, args, in_types, ndim: int, position: int = 1) -> int | ir.Value | None:
    """The node's axis: its constant `axis` attribute, or the checked run-time value of the input
    named `axis` (positional at `position`, or by keyword), or None for none."""
    if not node.attr("axis_at_run_time"):
        return node.attr("axis")
    return run_time_axis(fl, *argument(node, args, in_types, "axis", position), ndim)


def flip(fl: FunctionLowerer, array: ir.Value, t: ArrayType, rt: ArrayType,
         axis: int | ir.Value | None) -> ir.Value:
    """`np.flip(a, axis)` (every axis for None), `np.fliplr`, `np.flipud`: a view whose data starts
    at the last item of the flipped axes, their strides negated."""
    bld = fl.builder
    dims, strides = dims_of(fl, array, t.ndim), strides_of(fl, array, t.ndim)
    offset = ir.Constant(I64, 0)
    for k in range(t.ndim):
        last = bld.mul(bld.sub(dims[k], ir.Constant(I64, 1)), strides[k])
        if axis is None or axis == k:
            offset, strides[k] = bld.add(offset, last), bld.neg(strides[k])
        elif not isinstance(axis, int):
            on = bld.icmp_signed("==", axis, ir.Constant(I64, k))
            offset = bld.select(on, bld.add(offset, last), offset)
            strides[k] = bld.select(on, bld.neg(strides[k]), strides[k])
    empty = None
    for n in dims:
        zero = bld.icmp_signed("==", n, ir.Constant(I64, 0))
        empty = zero if empty is None else bld.or_(empty, zero)
    offset = bld.select(empty, ir.Constant(I64, 0), offset)  # an empty array keeps its data pointer
    pointer = bld.gep(data(fl, array), [offset], source_etype=ir.IntType(8))
    return make_struct(fl, rt, pointer, dims, strides)


def moved(fl: FunctionLowerer, array: ir.Value, t: ArrayType,
          axis: int | ir.Value) -> tuple[ir.Value, ArrayType]:
    """A view of `array` with `axis` (an int, or an i64 in [0, ndim)) moved last."""
    if isinstance(axis, int) and axis == t.ndim - 1:
        return array, t
    dims, strides = dims_of(fl, array, t.ndim), strides_of(fl, array, t.ndim)
    bld = fl.builder
    if isinstance(axis, int):
        order = [k for k in range(t.ndim) if k != axis] + [axis]
        dims, strides = [dims[k] for k in order], [strides[k] for k in order]
    else:
        def pick(values):
            out = [bld.select(bld.icmp_signed(">", axis, ir.Constant(I64, j)), values[j], values[j + 1])
                   for j in range(t.ndim - 1)]
            return [*out, _at(fl, axis, values)]

        dims, strides = pick(dims), pick(strides)
    mt = ArrayType(t.dtype, t.ndim, "A", t.readonly)
    return make_struct(fl, mt, data(fl, array), dims, strides), mt


def _at(fl: FunctionLowerer, axis: int | ir.Value, values: list[ir.Value]) -> ir.Value:
    """`values[axis]`, the axis an int or an i64 in [0, len(values))."""
    if isinstance(axis, int):
        return values[axis]
    bld = fl.builder
    last = values[-1]
    for j in range(len(values) - 1):
        last = bld.select(bld.icmp_signed("==", axis, ir.Constant(I64, j)), values[j], last)
    return last


def reduce_along(fl: FunctionLowerer, name: str, array: ir.Value, t: ArrayType, rt: Type,
                 axis: int | ir.Value) -> ir.Value:
    """`a.name(axis=k)`: each item of the result reduces the line along `axis` at its index."""
    from .lower_arrays_math import reduce

    if t.ndim == 1:
        return reduce(fl, name, array, t, rt)
    mv, mt = moved(fl, array, t, axis)
    dims = dims_of(fl, mv, t.ndim)
    if name in EMPTY_ERRORS:  # NumPy refuses an empty axis even when no line is left to reduce
        empty = fl.builder.icmp_signed("==", dims[-1], ir.Constant(I64, 0))
        fl.raise_if(empty, ValueError, EMPTY_ERRORS[name])
    out = new_array(fl, rt, dims[:-1])
    complex_extremum = name in ("min", "max") and isinstance(t.dtype, ComplexType)
    if t.layout == "C" and name in IN_ORDER and not complex_extremum:
        if isinstance(axis, int):
            if axis != t.ndim - 1:
                _reduce_in_order(fl, name, array, t, out, rt, axis, dims[-1])
                return out
        else:  # an inner axis reduces line by line, an outer one in memory order
            bld = fl.builder
            with bld.if_else(bld.icmp_signed("==", axis, ir.Constant(I64, t.ndim - 1))) as (inner, outer):
                with inner:
                    _reduce_lines(fl, name, mv, mt, out, rt, dims)
                with outer:
                    _reduce_in_order(fl, name, array, t, out, rt, axis, dims[-1])
            return out
    _reduce_lines(fl, name, mv, mt, out, rt, dims)
    return out


def _reduce_lines(fl: FunctionLowerer, name: str, mv, mt: ArrayType, out, rt: ArrayType, dims) -> None:
    """out[ix] = the reduction of the line `mv[ix, :]` (`mv`: the array with the axis moved last)."""
    from .lower_arrays_math import reduce

    line = ArrayType(mt.dtype, 1, "A")
    line_stride = stride(fl, mv, mt.ndim - 1)

    def body(ix):
        start = element_pointer(fl, mv, mt, [*ix, ir.Constant(I64, 0)])
        view = make_struct(fl, line, start, [dims[-1]], [line_stride])
        store_element(fl, element_pointer(fl, out, rt, ix), reduce(fl, name, view, line, rt.dtype), rt.dtype)

    loop_nest(fl, dims[:-1], body)


IN_ORDER = {"sum", "prod", "mean", "min", "max", "any", "all"}


def _reduce_in_order(fl: FunctionLowerer, name: str, array, t: ArrayType, out, rt: ArrayType,
                     axis: int | ir.Value, count: ir.Value) -> None:
    """`IN_ORDER` reductions of a C array along an outer axis: every item, in memory order, goes into
    its result item (a view of `out` with `array`'s shape, stride 0 along the axis).  Each result
    item sees its line's items in the same order as a line-by-line reduction, from the same start
    (0, 1, ±inf or the integer limits, NumPy's NaN propagation), so the values are the same; the
    inner loop runs along contiguous rows of both arrays."""
    from .lower_arrays_alloc import fill
    from .lower_arrays_math import scalar_op

    bld = fl.builder
    out_strides = strides_of(fl, out, t.ndim - 1)
    zero = ir.Constant(I64, 0)
    if isinstance(axis, int):
        strides = [*out_strides[:axis], zero, *out_strides[axis:]]
    else:
        strides = [bld.select(bld.icmp_signed("==", axis, ir.Constant(I64, k)), zero,
                              out_strides[k] if k == 0 else out_strides[k - 1] if k == t.ndim - 1 else
                              bld.select(bld.icmp_signed(">", axis, ir.Constant(I64, k)), out_strides[k],
                                         out_strides[k - 1]))
                   for k in range(t.ndim)]
    dims = dims_of(fl, array, t.ndim)
    vt = ArrayType(rt.dtype, t.ndim, "A")
    view = make_struct(fl, vt, data(fl, out), dims, strides)
    work = rt.dtype
    fill(fl, out, rt, _start(name, work))
    op = {"sum": "+", "mean": "+", "prod": "*", "min": "minimum", "max": "maximum"}.get(name)

    def body(ix):
        x = load_element(fl, element_pointer(fl, array, t, ix), t.dtype)
        target = element_pointer(fl, view, vt, ix)
        cur = load_element(fl, target, work)
        if op is None:  # any, all
            value = (bld.or_ if name == "any" else bld.and_)(cur, fl.truth(x, t.dtype))
        else:
            value = scalar_op(fl, op, [cur, fl.cast(x, t.dtype, work)], work)
        store_element(fl, target, value, work)

    loop_nest(fl, dims, body)
    if name == "mean":
        from .lower_arrays_alloc import flat_loop, flat_pointer, product

        part = work.part if isinstance(work, ComplexType) else work
        n = bld.sitofp(count, llvm_type(part))
        divisor = n if part is work else _complex(fl, work, n)

        def divide(i):
            p = flat_pointer(fl, out, work, i)
            store_element(fl, p, scalar_op(fl, "/", [load_element(fl, p, work), divisor], work), work)

        flat_loop(fl, product(fl, dims_of(fl, out, t.ndim - 1)), divide)


def _complex(fl: FunctionLowerer, t: ComplexType, re: ir.Value) -> ir.Value:
    from .lower_complex import make

    return make(fl, t, re, ir.Constant(re.type, 0.0))


def _start(name: str, t: Type) -> ir.Constant:
    """Where an `IN_ORDER` reduction of items of type `t` starts."""
    kind = llvm_type(t)
    if name in ("any", "all"):
        return ir.Constant(kind, int(name == "all"))
    if name in ("sum", "mean", "prod"):
        value = 1 if name == "prod" else 0
        return ir.Constant(kind, (float(value), 0.0) if isinstance(t, ComplexType) else value)
    if isinstance(t, BoolType):
        return ir.Constant(kind, int(name == "min"))
    if isinstance(t, IntType):
        if t.signed:
            return ir.Constant(kind, (1 << (t.bits - 1)) - 1 if name == "min" else -(1 << (t.bits - 1)))
        return ir.Constant(kind, (1 << t.bits) - 1 if name == "min" else 0)
    return ir.Constant(kind, float("inf") if name == "min" else float("-inf"))


def cumulate_along(fl: FunctionLowerer, op: str, array: ir.Value, t: ArrayType, rt: ArrayType,
                   axis: int | ir.Value) -> ir.Value:
    """`np.cumsum(a, axis=k)` (`op` "+") and `np.cumprod` ("*"): a new C array of `a`'s shape."""
    bld = fl.builder
    out = new_array(fl, rt, dims_of(fl, array, t.ndim))
    if t.layout == "C" and t.ndim > 1 and (not isinstance(axis, int) or axis != t.ndim - 1):  # outer axis
        if isinstance(axis, int):
            _cumulate_in_order(fl, op, array, t, out, rt, axis)
            return out
        with bld.if_else(bld.icmp_signed("==", axis, ir.Constant(I64, t.ndim - 1))) as (inner, outer):
            with inner:
                _cumulate_lines(fl, op, array, t, out, rt, axis)
            with outer:
                _cumulate_in_order(fl, op, array, t, out, rt, axis)
        return out
    _cumulate_lines(fl, op, array, t, out, rt, axis)
    return out


def _cumulate_in_order(fl: FunctionLowerer, op: str, array, t: ArrayType, out, rt: ArrayType,
                       axis: int | ir.Value) -> None:
    """A cumulative sum or product of a C array along an outer axis, in memory order: each item is
    its predecessor along the axis `op` itself (the first item itself), the same values as line by
    line, with the inner loop along contiguous rows."""
    from .lower_arrays_math import scalar_op

    bld = fl.builder
    step = _at(fl, axis, strides_of(fl, out, t.ndim))

    def body(ix):
        x = fl.cast(load_element(fl, element_pointer(fl, array, t, ix), t.dtype), t.dtype, rt.dtype)
        here = element_pointer(fl, out, rt, ix)
        first = bld.icmp_signed("==", _at(fl, axis, ix), ir.Constant(I64, 0))
        back = bld.select(first, ir.Constant(I64, 0), bld.neg(step))  # the first item reads itself
        before = bld.gep(here, [back], source_etype=ir.IntType(8))
        total = scalar_op(fl, op, [load_element(fl, before, rt.dtype), x], rt.dtype)
        store_element(fl, here, bld.select(first, x, total), rt.dtype)

    loop_nest(fl, dims_of(fl, array, t.ndim), body)


def _cumulate_lines(fl: FunctionLowerer, op: str, array, t: ArrayType, out, rt: ArrayType,
                    axis: int | ir.Value) -> None:
    from .lower_arrays_math import identity, scalar_op

    bld = fl.builder
    mv, mt = moved(fl, array, t, axis)
    mo, mot = moved(fl, out, rt, axis)
    dims = dims_of(fl, mv, t.ndim)
    acc = fl.alloca(llvm_type(rt.dtype), name="cumulate.acc")

    def line(ix):
        bld.store(identity(rt.dtype, op), acc)

        def step(j):
            x = load_element(fl, element_pointer(fl, mv, mt, [*ix, j[0]]), t.dtype)
            x = fl.cast(x, t.dtype, rt.dtype)
            total = scalar_op(fl, op, [bld.load(acc), x], rt.dtype)
            if op == "*" and isinstance(rt.dtype, ComplexType):  # NumPy starts with the first item
                total = bld.select(bld.icmp_signed("==", j[0], ir.Constant(I64, 0)), x, total)
            bld.store(total, acc)
            store_element(fl, element_pointer(fl, mo, mot, [*ix, j[0]]), total, rt.dtype)

        loop_nest(fl, [dims[-1]], step)

    loop_nest(fl, dims[:-1], line)


def flattened(fl: FunctionLowerer, array: ir.Value, t: ArrayType) -> tuple[ir.Value, ArrayType]:
    """A new 1-d C array of `array`'s items in C order."""
    from .lower_arrays_alloc import product

    ct = ArrayType(t.dtype, t.ndim, "C")
    c = copy(fl, array, t, ct)
    flat = ArrayType(t.dtype, 1, "C")
    size = product(fl, dims_of(fl, c, t.ndim))
    return make_struct(fl, flat, data(fl, c), [size], [stride(fl, c, t.ndim - 1)]), flat


def sort_along(fl: FunctionLowerer, what: str, array: ir.Value, t: ArrayType, rt: ArrayType,
               axis: int | ir.Value | None, in_place: bool = False) -> ir.Value | None:
    """`np.sort(a, axis)` / `np.argsort(a, axis)` (a new C array; `axis=None`: of the flattened
    array) or `a.sort(axis)` (`in_place`)."""
    from .lower_arrays_math import assign
    from .lower_arrays_sort import argsort, sort_rows

    if axis is None:
        array, t = flattened(fl, array, t)
        axis = 0
    mv, mt = moved(fl, array, t, axis)
    ct = ArrayType(rt.dtype, t.ndim, "C")
    if what == "argsort":
        result = argsort(fl, mv, mt, ct)
    else:
        result = copy(fl, mv, mt, ct)
        sort_rows(fl, result, ct)
    if in_place:
        assign(fl, mv, mt, result, ct)  # (a C array sorted along its last axis: sort_in_place)
        return None
    if mt is t and t.ndim == rt.ndim:  # sorted along the last axis: already in place
        return result
    out = new_array(fl, rt, dims_of(fl, array, t.ndim))
    mo, mot = moved(fl, out, rt, axis)
    assign(fl, mo, mot, result, ct)
    return out


def diff_along(fl: FunctionLowerer, array: ir.Value, t: ArrayType, rt: ArrayType, n: ir.Value | None,
               axis: int | ir.Value) -> ir.Value:
    """`np.diff(a, n, axis)`: `n` times the difference of neighbours along `axis` (`!=` for
    bools, as NumPy), each time one item fewer on that axis (none left: empty).  `n = 0` gives a
    copy; a negative `n` NumPy's ValueError."""
    from .lower_arrays_math import scalar_op

    bld = fl.builder
    one, zero = ir.Constant(I64, 1), ir.Constant(I64, 0)
    op = "!=" if isinstance(t.dtype, BoolType) else "-"

    def once(src, st):
        ms, mst = moved(fl, src, st, axis)
        dims = dims_of(fl, ms, st.ndim)
        last = dims[-1]
        dims[-1] = bld.select(bld.icmp_signed(">", last, zero), bld.sub(last, one), last)
        out_dims = dims_of(fl, src, st.ndim)
        if isinstance(axis, int):
            out_dims[axis] = dims[-1]
        else:
            out_dims = [bld.select(bld.icmp_signed("==", axis, ir.Constant(I64, k)), dims[-1], d)
                        for k, d in enumerate(out_dims)]
        out = new_array(fl, rt, out_dims)
        mo, mot = moved(fl, out, rt, axis)

        def body(ix):
            x = load_element(fl, element_pointer(fl, ms, mst, [*ix[:-1], bld.add(ix[-1], one)]), st.dtype)
            y = load_element(fl, element_pointer(fl, ms, mst, ix), st.dtype)
            store_element(fl, element_pointer(fl, mo, mot, ix), scalar_op(fl, op, [x, y], st.dtype), rt.dtype)

        loop_nest(fl, dims, body)
        return out

    if n is None:
        return once(array, t)
    raise_formatted(fl, bld.icmp_signed("<", n, zero), ValueError, "order must be non-negative but got %lld",
                    [n])
    slot = fl.alloca(llvm_type(rt), name="diff.acc")
    bld.store(copy(fl, array, t, rt), slot)
    loop_nest(fl, [n], lambda ix: bld.store(once(bld.load(slot), rt), slot))
    return bld.load(slot)


__all__ = ["argument", "axis_of", "cumulate_along", "diff_along", "flip", "moved", "reduce_along",
           "run_time_axis", "sort_along"]
