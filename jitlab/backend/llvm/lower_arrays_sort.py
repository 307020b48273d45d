"""Lowering of sorting: `np.sort(a)`, `a.sort()`, `np.argsort(a)`, by typed introsort kernels
(`sort_kernels.py`, one per item type, the comparison inlined).

Order is NumPy's: ascending, NaN after every number, complex items lexicographic with
`R + Rj < R + nanj < nan + Rj < nan + nanj`.  `np.sort` sorts a C copy
along the last axis (each row of it is contiguous, one kernel call per row); `a.sort()`
sorts `a` in place the same way (a non-C array through a sorted C copy written
back); another axis goes through a view with that axis moved last (`lower_arrays_axis.py`).
`np.argsort` sorts (key, index) pairs of each last-axis row, the key widened to a
double or an i64 (a complex key keeps both parts), equal keys ordered by index: a stable
order, NumPy's `kind="stable"`, and its default's for arrays of up to 16 items and for distinct
keys (NumPy's default introsort is not stable on longer arrays with ties, so their tied indices
may come in another order).
"""

from __future__ import annotations

from llvmlite import ir

from jitlab.ir.types import I64 as I64_T, ArrayType, BoolType, ComplexType, FloatType, IntType, Type

from .lower import I64, FunctionLowerer
from .lower_arrays import data, element_pointer, itemsize, load_element, memory_type
from .lower_arrays_alloc import copy, dims_of, loop_nest, make_struct, new_array, store_element
from .signature import llvm_type
from .sort_kernels import introsort, nans_last

I32 = ir.IntType(32)


def _is_signed(t: Type) -> bool:
    return isinstance(t, IntType) and t.signed


def _less(b: ir.IRBuilder, x: ir.Value, y: ir.Value, floating: bool, signed: bool) -> ir.Value:
    """x < y in NumPy's sort order (NaN last; complex items lexicographic, `sort_less`)."""
    if isinstance(x.type, ir.LiteralStructType):
        from .lower_complex_numpy import sort_less

        return sort_less(b, (b.extract_value(x, 0), b.extract_value(x, 1)),
                         (b.extract_value(y, 0), b.extract_value(y, 1)))
    if floating:
        nan_after = b.and_(b.fcmp_unordered("uno", y, y), b.fcmp_ordered("ord", x, x))
        return b.or_(b.fcmp_ordered("<", x, y), nan_after)
    return b.icmp_signed("<", x, y) if signed else b.icmp_unsigned("<", x, y)


def _item_less(floating: bool, signed: bool, pair: bool):
    """NumPy's order of sort items (`_less`); of (key, index) pairs: by key, then by index (so the
    order has no ties and is the stable one)."""
    if not pair:
        return lambda b, x, y: _less(b, x, y, floating, signed)

    def less(b, x, y):
        kx, ky = b.extract_value(x, 0), b.extract_value(y, 0)
        before, after = _less(b, kx, ky, floating, signed), _less(b, ky, kx, floating, signed)
        tie = b.not_(b.or_(before, after))
        return b.or_(before, b.and_(tie, b.icmp_signed("<", b.extract_value(x, 1), b.extract_value(y, 1))))
    return less


def _kernel(fl: FunctionLowerer, item: ir.Type, floating: bool, signed: bool, pair: bool) -> ir.Function:
    """The introsort of `item`s in NumPy's order (`sort_kernels.introsort`)."""
    tag = f"{item}.{'s' if signed else 'u'}{'.pair' if pair else ''}".replace(" ", "")
    return introsort(fl.module, item, _item_less(floating, signed, pair), tag)


def sort_rows(fl: FunctionLowerer, array: ir.Value, t: ArrayType) -> None:
    """Sort each last-axis row of the C array `array` in place."""
    dtype = t.dtype
    floating = isinstance(dtype, FloatType)
    item = memory_type(dtype)
    if floating:  # NaNs moved last, the numbers sorted by plain <
        kernel = introsort(fl.module, item, lambda b, x, y: b.fcmp_ordered("<", x, y), f"{item}.numbers")
        partition = nans_last(fl.module, item)
    else:
        kernel = _kernel(fl, item, False, _is_signed(dtype), False)
    dims = dims_of(fl, array, t.ndim)
    n = dims[-1]

    def row(ix):
        start = element_pointer(fl, array, t, [*ix, ir.Constant(I64, 0)])
        count = fl.builder.call(partition, [start, n]) if floating else n
        fl.builder.call(kernel, [start, count])

    loop_nest(fl, dims[:-1], row)


def sort_copy(fl: FunctionLowerer, array: ir.Value, t: ArrayType, rt: ArrayType) -> ir.Value:
    """`np.sort(a)`: a sorted C copy (along the last axis)."""
    out = copy(fl, array, t, rt)
    sort_rows(fl, out, rt)
    return out


def sort_in_place(fl: FunctionLowerer, array: ir.Value, t: ArrayType) -> None:
    """`a.sort()`."""
    from .lower_arrays_math import assign

    if t.layout == "C":
        sort_rows(fl, array, t)
        return
    c_type = ArrayType(t.dtype, t.ndim, "C")
    tmp = copy(fl, array, t, c_type)
    sort_rows(fl, tmp, c_type)
    assign(fl, array, t, tmp, c_type)


def argsort(fl: FunctionLowerer, array: ir.Value, t: ArrayType, rt: ArrayType) -> ir.Value:
    """`np.argsort(a)`: the order of each last-axis row (one sort of (key, index) pairs per row)."""
    bld = fl.builder
    dtype = t.dtype
    floating = isinstance(dtype, FloatType)
    key = llvm_type(dtype) if isinstance(dtype, ComplexType) else ir.DoubleType() if floating else I64
    pair = ir.LiteralStructType([key, I64])
    dims = dims_of(fl, array, t.ndim)
    n = dims[-1]
    pair_bytes = 8 + (8 if key == ir.DoubleType() or key == I64 else itemsize(dtype))
    pairs = new_array(fl, ArrayType(I64_T, 1, "C"), [bld.mul(n, ir.Constant(I64, pair_bytes // 8))])
    base = data(fl, pairs)
    out = new_array(fl, rt, dims)
    kernel = _kernel(fl, pair, floating, _is_signed(dtype), True)

    def row(outer):
        def fill(ix):
            x = load_element(fl, element_pointer(fl, array, t, [*outer, ix[0]]), dtype)
            if isinstance(dtype, ComplexType):
                pass  # the parts as they are
            elif floating:
                x = fl.cast(x, dtype, FloatType(64))
            elif isinstance(dtype, BoolType) or not _is_signed(dtype):
                x = bld.zext(x, I64) if x.type.width < 64 else x
            else:
                x = bld.sext(x, I64) if x.type.width < 64 else x
            slot = bld.gep(base, [ix[0]], source_etype=pair)
            bld.store(x, bld.gep(slot, [ir.Constant(I32, 0), ir.Constant(I32, 0)], source_etype=pair))
            bld.store(ix[0], bld.gep(slot, [ir.Constant(I32, 0), ir.Constant(I32, 1)], source_etype=pair))

        loop_nest(fl, [n], fill)
        bld.call(kernel, [base, n])

        def take(ix):
            slot = bld.gep(base, [ix[0], ir.Constant(I32, 1)], source_etype=pair)
            position = bld.load(slot, typ=I64)
            store_element(fl, element_pointer(fl, out, rt, [*outer, ix[0]]), position, rt.dtype)

        loop_nest(fl, [n], take)

    loop_nest(fl, dims[:-1], row)
    return out


def median(fl: FunctionLowerer, array: ir.Value, t: ArrayType, rt: Type, size: ir.Value) -> ir.Value:
    """`np.median(a)` of all items: the middle of a sorted copy, the mean of the two middle items for
    an even count; NaN when there is a NaN (sorted last) or no item."""
    bld = fl.builder
    flat = ArrayType(t.dtype, 1, "C")
    items = copy(fl, array, t, ArrayType(t.dtype, t.ndim, "C"))
    items = make_struct(fl, flat, data(fl, items), [size], [ir.Constant(I64, itemsize(t.dtype))])
    sort_rows(fl, items, flat)
    one, two = ir.Constant(I64, 1), ir.Constant(I64, 2)
    empty = bld.icmp_signed("==", size, ir.Constant(I64, 0))
    safe = bld.select(empty, one, size)
    nan = None if isinstance(rt, ComplexType) else ir.Constant(llvm_type(rt), float("nan"))

    def item(i):
        return fl.cast(load_element(fl, element_pointer(fl, items, flat, [i]), t.dtype), t.dtype, rt)

    hi = bld.sdiv(safe, two)
    lo = bld.sub(safe, bld.add(hi, one))  # hi for an odd count, hi - 1 for an even one
    odd = bld.icmp_signed("==", lo, hi)
    last = item(bld.sub(safe, one))
    if isinstance(rt, ComplexType):  # the mean of the middle items; the last one if it has a NaN part
        from .lower_arrays_math import scalar_op
        from .lower_complex import make, parts
        from .lower_complex_numpy import has_nan

        total = bld.select(odd, item(hi), scalar_op(fl, "+", [item(lo), item(hi)], rt))
        part = last.type.elements[0]
        count = make(fl, rt, bld.select(odd, ir.Constant(part, 1.0), ir.Constant(part, 2.0)),
                     ir.Constant(part, 0.0))
        middle = scalar_op(fl, "/", [total, count], rt)  # NumPy's mean: complex division
        nan = ir.Constant(llvm_type(rt), (float("nan"), float("nan")))
        return bld.select(empty, nan, bld.select(has_nan(fl, parts(fl, last)), last, middle))
    middle = bld.fdiv(bld.fadd(item(lo), item(hi)), ir.Constant(llvm_type(rt), 2.0))
    middle = bld.select(odd, item(hi), middle)  # the mean of one item is the item (no overflow of x + x)
    return bld.select(bld.or_(empty, bld.fcmp_unordered("uno", last, last)), nan, middle)


__all__ = ["argsort", "median", "sort_copy", "sort_in_place", "sort_rows"]
