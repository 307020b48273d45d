"""Lowering of NumPy's finding and rearranging functions: `np.linalg.norm`,
`np.allclose`/`np.isclose`, `np.searchsorted`, `np.nonzero`, `np.flatnonzero`, `np.unique`,
`np.roll`, `np.bincount`, `np.array_equal`, `np.diag`, `np.interp`, `np.average`.

`norm` sums the squares in order (NumPy's BLAS dot may sum in another order: the
last bits may differ); `searchsorted` is a binary search for the first index whose
item is not before the value in NumPy's sort order (NaN last); `nonzero` gives the
indices of the true items in C order, one array per axis; `unique` sorts a flat
copy (`lower_arrays_sort`) and keeps the first of each run of equal items, NaNs
counting as equal (NumPy 2's `equal_nan=True`).
"""

from __future__ import annotations

from llvmlite import ir

from jitlab.ir.types import I64 as I64_T, ArrayType, ComplexType, FloatType, IntType, Type

from .lower import I64, FunctionLowerer
from .lower_arrays import data, element_pointer, itemsize, load_element, memory_type, shape
from .lower_arrays_alloc import copy, dims_of, loop_nest, make_struct, new_array, product, store_element
from .lower_arrays_math import elementwise, reduce
from .signature import llvm_type


def lower(fl: FunctionLowerer, name: str, args, in_types, rt: Type, node=None) -> ir.Value:
    if name == "linalg.norm":
        return _norm(fl, args[0], in_types[0], rt)
    if name in ("isclose", "allclose"):
        arrays = [t for t in in_types if isinstance(t, ArrayType)]
        if not arrays:  # two numbers
            from .lower_arrays_math import scalar_ufunc

            return scalar_ufunc(fl, "isclose", list(args), list(in_types), rt)
        close = ArrayType(rt.dtype if isinstance(rt, ArrayType) else rt, max(t.ndim for t in arrays), "C")
        flags = elementwise(fl, "isclose", list(args), list(in_types), close)
        return flags if name == "isclose" else reduce(fl, "all", flags, close, rt)
    if name == "searchsorted":  # side="right": a frontend attribute
        right = node is not None and node.attr("side") == "right"
        return _searchsorted(fl, args[0], in_types[0], args[1], in_types[1], rt, right)
    if name in ("nonzero", "flatnonzero"):
        return _nonzero(fl, name, args[0], in_types[0], rt)
    if name == "roll" and len(args) == 3:  # along an axis
        from .lower_arrays_axis import run_time_axis
        from .lower_arrays_extras import roll_along

        axis = node.attr("axis") if not node.attr("axis_at_run_time") else run_time_axis(
            fl, args[2], in_types[2], in_types[0].ndim)
        return roll_along(fl, args[0], in_types[0], fl.cast(args[1], in_types[1], I64_T), axis, rt)
    if name == "roll":
        return _roll(fl, args[0], in_types[0], args[1], in_types[1], rt)
    if name == "bincount":
        return _bincount(fl, args, in_types, rt)
    if name == "array_equal":
        return _array_equal(fl, args[0], in_types[0], args[1], in_types[1])
    if name == "diag" and len(args) == 2:  # the k-th diagonal
        from .lower_arrays_extras import diag

        return diag(fl, args[0], in_types[0], fl.cast(args[1], in_types[1], I64_T), rt)
    if name == "diag":
        return _diag(fl, args[0], in_types[0], rt)
    if name == "interp":
        return _interp(fl, args, in_types, rt)
    if name == "average":
        if len(args) == 1:
            return reduce(fl, "mean", args[0], in_types[0], rt)
        return _average(fl, args, in_types, rt)
    return _unique(fl, args[0], in_types[0], rt)


def _flat_item(fl: FunctionLowerer, array, t: ArrayType, i: ir.Value, dims) -> ir.Value:
    """Item `i` of `array` in C order (any layout)."""
    bld = fl.builder
    index = []
    for n in reversed(dims[1:]):
        index.insert(0, bld.srem(i, n))
        i = bld.sdiv(i, n)
    return load_element(fl, element_pointer(fl, array, t, [i, *index]), t.dtype)


def _roll(fl: FunctionLowerer, array, t: ArrayType, shift, st: Type, rt: ArrayType) -> ir.Value:
    """`np.roll(a, k)`: the items in C order moved k places on, those falling off coming back first."""
    bld = fl.builder
    dims = dims_of(fl, array, t.ndim)
    size = product(fl, dims)
    out = new_array(fl, rt, dims)
    k = fl.cast(shift, st, I64_T)
    safe = bld.select(bld.icmp_signed("==", size, ir.Constant(I64, 0)), ir.Constant(I64, 1), size)
    k = bld.srem(bld.add(bld.srem(k, safe), safe), safe)  # in [0, size)

    def body(ix):
        j = bld.add(ix[0], k)
        j = bld.select(bld.icmp_signed(">=", j, size), bld.sub(j, size), j)
        item = _flat_item(fl, array, t, ix[0], dims)
        store_element(fl, bld.gep(data(fl, out), [j], source_etype=memory_type(t.dtype)), item, t.dtype)

    loop_nest(fl, [size], body)
    return out


def _bincount(fl: FunctionLowerer, args, in_types, rt: ArrayType) -> ir.Value:
    """`np.bincount(x[, w])`: counts (or summed weights) per value 0..max(x); NumPy's ValueErrors
    for a negative value and for weights of another length."""
    bld = fl.builder
    x, xt = args[0], in_types[0]
    n = shape(fl, x, 0)
    top = fl.alloca(I64, name="bincount.top")
    bld.store(ir.Constant(I64, -1), top)

    def value(i):
        return fl.cast(load_element(fl, element_pointer(fl, x, xt, [i]), xt.dtype), xt.dtype, I64_T)

    def scan(ix):
        v = value(ix[0])
        fl.raise_if(bld.icmp_signed("<", v, ir.Constant(I64, 0)), ValueError,
                    "'list' argument must have no negative elements")
        bld.store(bld.select(bld.icmp_signed(">", v, bld.load(top)), v, bld.load(top)), top)

    loop_nest(fl, [n], scan)
    out = new_array(fl, rt, [bld.add(bld.load(top), ir.Constant(I64, 1))], zeroed=True)
    if len(args) == 2:
        w, wt = args[1], in_types[1]
        fl.raise_if(bld.icmp_signed("!=", shape(fl, w, 0), n), ValueError,
                    "The weights and list don't have the same length.")

    def add(ix):
        slot = element_pointer(fl, out, rt, [value(ix[0])])
        if len(args) == 2:
            one = fl.cast(load_element(fl, element_pointer(fl, w, wt, ix), wt.dtype), wt.dtype, rt.dtype)
        else:
            one = ir.Constant(llvm_type(rt.dtype), 1)
        cur = load_element(fl, slot, rt.dtype)
        total = bld.fadd(cur, one) if isinstance(rt.dtype, FloatType) else bld.add(cur, one)
        store_element(fl, slot, total, rt.dtype)

    loop_nest(fl, [n], add)
    return out


def _array_equal(fl: FunctionLowerer, a, at: ArrayType, b, bt: ArrayType) -> ir.Value:
    """`np.array_equal(a, b)`: the same shape and equal items (NaN unequal)."""
    from jitlab.typing.rules.numpy_calls import numpy_result

    from .lower_arrays_math import scalar_op

    bld = fl.builder
    if at.ndim != bt.ndim:
        return ir.Constant(ir.IntType(1), 0)
    result = fl.alloca(ir.IntType(1), name="array_equal.acc")
    same = ir.Constant(ir.IntType(1), 1)
    a_dims, b_dims = dims_of(fl, a, at.ndim), dims_of(fl, b, bt.ndim)
    for m, n in zip(a_dims, b_dims):
        same = bld.and_(same, bld.icmp_signed("==", m, n))
    bld.store(same, result)
    work = numpy_result("maximum", (at, bt))
    with bld.if_then(same):
        def body(ix):
            x = fl.cast(load_element(fl, element_pointer(fl, a, at, ix), at.dtype), at.dtype, work)
            y = fl.cast(load_element(fl, element_pointer(fl, b, bt, ix), bt.dtype), bt.dtype, work)
            bld.store(bld.and_(bld.load(result), scalar_op(fl, "==", [x, y], work)), result)

        loop_nest(fl, a_dims, body)
    return bld.load(result)


def _diag(fl: FunctionLowerer, array, t: ArrayType, rt: ArrayType) -> ir.Value:
    """`np.diag(v)`: a square matrix with `v` on its diagonal, or a matrix's main diagonal (a copy)."""
    bld = fl.builder
    if t.ndim == 1:
        n = shape(fl, array, 0)
        out = new_array(fl, rt, [n, n], zeroed=True)

        def put(ix):
            item = load_element(fl, element_pointer(fl, array, t, ix), t.dtype)
            store_element(fl, element_pointer(fl, out, rt, [ix[0], ix[0]]), item, t.dtype)

        loop_nest(fl, [n], put)
        return out
    rows, cols = dims_of(fl, array, 2)
    n = bld.select(bld.icmp_signed("<", rows, cols), rows, cols)
    out = new_array(fl, rt, [n])
    loop_nest(fl, [n], lambda ix: store_element(fl, element_pointer(fl, out, rt, ix), load_element(
        fl, element_pointer(fl, array, t, [ix[0], ix[0]]), t.dtype), t.dtype))
    return out


def _norm(fl: FunctionLowerer, array, t: ArrayType, rt: Type) -> ir.Value:
    bld = fl.builder
    acc = fl.alloca(llvm_type(rt), name="norm.acc")
    bld.store(ir.Constant(llvm_type(rt), 0.0), acc)

    def body(ix):
        x = fl.cast(load_element(fl, element_pointer(fl, array, t, ix), t.dtype), t.dtype, rt)
        bld.store(bld.fadd(bld.load(acc), bld.fmul(x, x)), acc)

    loop_nest(fl, dims_of(fl, array, t.ndim), body)
    return bld.call(fl.intrinsic("sqrt", llvm_type(rt)), [bld.load(acc)])


def _before(fl: FunctionLowerer, x: ir.Value, y: ir.Value, t: Type) -> ir.Value:
    """x < y in NumPy's sort order (NaN last), both of type `t`."""
    bld = fl.builder
    if isinstance(t, ComplexType):
        from .lower_complex import parts
        from .lower_complex_numpy import sort_less

        return sort_less(bld, parts(fl, x), parts(fl, y))
    if isinstance(t, FloatType):
        nan_after = bld.and_(bld.fcmp_unordered("uno", y, y), bld.fcmp_ordered("ord", x, x))
        return bld.or_(bld.fcmp_ordered("<", x, y), nan_after)
    signed = isinstance(t, IntType) and t.signed
    return bld.icmp_signed("<", x, y) if signed else bld.icmp_unsigned("<", x, y)


def _search_one(fl: FunctionLowerer, array, t: ArrayType, value: ir.Value, work: Type,
                right: bool = False) -> ir.Value:
    """The first index i with not (a[i] < value) (`right`: with value < a[i]): a binary search of
    the sorted 1-d `array`."""
    bld = fl.builder
    lo_slot, hi_slot = fl.alloca(I64, name="search.lo"), fl.alloca(I64, name="search.hi")
    bld.store(ir.Constant(I64, 0), lo_slot)
    bld.store(shape(fl, array, 0), hi_slot)
    head = fl.func.append_basic_block("search.head")
    step = fl.func.append_basic_block("search.step")
    done = fl.func.append_basic_block("search.done")
    bld.branch(head)
    bld.position_at_end(head)
    lo, hi = bld.load(lo_slot), bld.load(hi_slot)
    bld.cbranch(bld.icmp_signed("<", lo, hi), step, done)
    bld.position_at_end(step)
    mid = bld.ashr(bld.add(lo, hi), ir.Constant(I64, 1))
    item = fl.cast(load_element(fl, element_pointer(fl, array, t, [mid]), t.dtype), t.dtype, work)
    left = bld.not_(_before(fl, value, item, work)) if right else _before(fl, item, value, work)
    bld.store(bld.select(left, bld.add(mid, ir.Constant(I64, 1)), lo), lo_slot)
    bld.store(bld.select(left, hi, mid), hi_slot)
    bld.branch(head)
    bld.position_at_end(done)
    return bld.load(lo_slot)


def _searchsorted(fl: FunctionLowerer, array, t: ArrayType, v, vt: Type, rt: Type,
                  right: bool = False) -> ir.Value:
    from jitlab.typing.rules.numpy_calls import numpy_result

    work = numpy_result("maximum", (t, vt))
    if not isinstance(vt, ArrayType):
        return _search_one(fl, array, t, fl.cast(v, vt, work), work, right)
    out = new_array(fl, rt, dims_of(fl, v, vt.ndim))

    def body(ix):
        x = fl.cast(load_element(fl, element_pointer(fl, v, vt, ix), vt.dtype), vt.dtype, work)
        store_element(fl, element_pointer(fl, out, rt, ix), _search_one(fl, array, t, x, work, right), I64_T)

    loop_nest(fl, dims_of(fl, v, vt.ndim), body)
    return out


def _nonzero(fl: FunctionLowerer, name: str, array, t: ArrayType, rt: Type) -> ir.Value:
    bld = fl.builder
    dims = dims_of(fl, array, t.ndim)
    count = reduce(fl, "count_nonzero", array, t, I64_T)
    column = ArrayType(I64_T, 1, "C")
    outs = [new_array(fl, column, [count]) for _ in range(t.ndim if name == "nonzero" else 1)]
    n_slot, flat_slot = fl.alloca(I64, name="nonzero.n"), fl.alloca(I64, name="nonzero.flat")
    bld.store(ir.Constant(I64, 0), n_slot)
    bld.store(ir.Constant(I64, 0), flat_slot)

    def body(ix):
        flat = bld.load(flat_slot)
        with bld.if_then(fl.truth(load_element(fl, element_pointer(fl, array, t, ix), t.dtype), t.dtype)):
            n = bld.load(n_slot)
            positions = ix if name == "nonzero" else [flat]
            for out, position in zip(outs, positions):
                store_element(fl, element_pointer(fl, out, column, [n]), position, I64_T)
            bld.store(bld.add(n, ir.Constant(I64, 1)), n_slot)
        bld.store(bld.add(flat, ir.Constant(I64, 1)), flat_slot)

    loop_nest(fl, dims, body)
    if name == "flatnonzero":
        return outs[0]
    value = ir.Constant(llvm_type(rt), None)
    for k, out in enumerate(outs):
        value = bld.insert_value(value, out, k)
    return value


def _interp(fl: FunctionLowerer, args, in_types, rt: Type) -> ir.Value:
    """`np.interp(x, xp, fp)` as NumPy computes it: fp[0] left of xp, fp[-1] right of it, fp[j]
    where x == xp[j], else the line through (xp[j], fp[j]) and (xp[j+1], fp[j+1]) (from its other
    end when that gives NaN); NaN stays NaN."""
    bld = fl.builder
    (x, xt), (xp, xpt), (fp, fpt) = zip(args, in_types)
    f64 = FloatType(64)
    n = shape(fl, xp, 0)
    fl.raise_if(bld.icmp_signed("==", n, ir.Constant(I64, 0)), ValueError, "array of sample points is empty")
    fl.raise_if(bld.icmp_signed("!=", shape(fl, fp, 0), n), ValueError,
                "fp and xp are not of the same length.")

    def at(array, t, i):
        return fl.cast(load_element(fl, element_pointer(fl, array, t, [i]), t.dtype), t.dtype, f64)

    def one(value):
        j = bld.sub(_search_one(fl, xp, xpt, value, f64, right=True), ir.Constant(I64, 1))
        last = bld.sub(n, ir.Constant(I64, 1))
        inside = bld.and_(bld.icmp_signed(">=", j, ir.Constant(I64, 0)), bld.icmp_signed("<", j, last))
        jj = bld.select(inside, j, ir.Constant(I64, 0))
        x0, x1 = at(xp, xpt, jj), at(xp, xpt, bld.add(jj, ir.Constant(I64, 1)))
        y0, y1 = at(fp, fpt, jj), at(fp, fpt, bld.add(jj, ir.Constant(I64, 1)))
        slope = bld.fdiv(bld.fsub(y1, y0), bld.fsub(x1, x0))
        line = bld.fadd(bld.fmul(slope, bld.fsub(value, x0)), y0)
        other = bld.fadd(bld.fmul(slope, bld.fsub(value, x1)), y1)
        line = bld.select(bld.fcmp_unordered("uno", line, line), other, line)
        flat_nan = bld.and_(bld.fcmp_unordered("uno", line, line), bld.fcmp_ordered("==", y0, y1))
        line = bld.select(flat_nan, y0, line)
        line = bld.select(bld.fcmp_ordered("==", x0, value), y0, line)
        edge = bld.select(bld.icmp_signed("<", j, ir.Constant(I64, 0)), at(fp, fpt, ir.Constant(I64, 0)),
                          at(fp, fpt, last))
        result = bld.select(inside, line, edge)
        return bld.select(bld.fcmp_unordered("uno", value, value), value, result)

    if not isinstance(xt, ArrayType):
        return one(fl.cast(x, xt, f64))
    out = new_array(fl, rt, dims_of(fl, x, xt.ndim))

    def body(ix):
        value = fl.cast(load_element(fl, element_pointer(fl, x, xt, ix), xt.dtype), xt.dtype, f64)
        store_element(fl, element_pointer(fl, out, rt, ix), one(value), rt.dtype)

    loop_nest(fl, dims_of(fl, x, xt.ndim), body)
    return out


def _average(fl: FunctionLowerer, args, in_types, rt: Type) -> ir.Value:
    """`np.average(a, weights=w)`: sum(a * w) / sum(w) in the result's float type; NumPy's errors
    for weights of another shape and for weights summing to zero."""
    bld = fl.builder
    (a, at), (w, wt) = zip(args, in_types)
    dims = dims_of(fl, a, at.ndim)
    bad = ir.Constant(ir.IntType(1), 0)
    for m, k in zip(dims, dims_of(fl, w, wt.ndim)):
        bad = bld.or_(bad, bld.icmp_signed("!=", m, k))
    fl.raise_if(bad, TypeError, "Axis must be specified when shapes of a and weights differ.")
    ty = llvm_type(rt)
    total, scale = fl.alloca(ty, name="average.total"), fl.alloca(ty, name="average.scale")
    bld.store(ir.Constant(ty, 0.0), total)
    bld.store(ir.Constant(ty, 0.0), scale)

    def body(ix):
        x = fl.cast(load_element(fl, element_pointer(fl, a, at, ix), at.dtype), at.dtype, rt)
        v = fl.cast(load_element(fl, element_pointer(fl, w, wt, ix), wt.dtype), wt.dtype, rt)
        bld.store(bld.fadd(bld.load(total), bld.fmul(x, v)), total)
        bld.store(bld.fadd(bld.load(scale), v), scale)

    loop_nest(fl, dims, body)
    scl = bld.load(scale)
    fl.raise_if(bld.fcmp_ordered("==", scl, ir.Constant(ty, 0.0)), ZeroDivisionError,
                "Weights sum to zero, can't be normalized")
    return bld.fdiv(bld.load(total), scl)


def _unique(fl: FunctionLowerer, array, t: ArrayType, rt: ArrayType) -> ir.Value:
    from .lower_arrays_sort import sort_rows

    bld = fl.builder
    size = product(fl, dims_of(fl, array, t.ndim))
    items = copy(fl, array, t, ArrayType(t.dtype, t.ndim, "C"))
    items = make_struct(fl, rt, data(fl, items), [size], [ir.Constant(I64, itemsize(t.dtype))])
    complex_ = isinstance(t.dtype, ComplexType)
    if complex_:  # NumPy keeps one item with a NaN part: the first in the array's order
        from .lower_complex import parts
        from .lower_complex_numpy import has_nan

        first_nan = fl.alloca(llvm_type(t.dtype), name="unique.nan")
        found = fl.alloca(ir.IntType(1), name="unique.found")
        bld.store(ir.Constant(ir.IntType(1), 0), found)

        def look(ix):
            x = load_element(fl, element_pointer(fl, items, rt, ix), t.dtype)
            with bld.if_then(bld.and_(has_nan(fl, parts(fl, x)), bld.not_(bld.load(found)))):
                bld.store(x, first_nan)
                bld.store(ir.Constant(ir.IntType(1), 1), found)

        loop_nest(fl, [size], look)
    sort_rows(fl, items, rt)
    n_slot = fl.alloca(I64, name="unique.n")

    def same(x, y):
        if complex_:
            nans = bld.and_(has_nan(fl, parts(fl, x)), has_nan(fl, parts(fl, y)))
            (xr, xi), (yr, yi) = parts(fl, x), parts(fl, y)
            equal = bld.and_(bld.fcmp_ordered("==", xr, yr), bld.fcmp_ordered("==", xi, yi))
            return bld.or_(equal, nans)
        if isinstance(t.dtype, FloatType):
            both_nan = bld.and_(bld.fcmp_unordered("uno", x, x), bld.fcmp_unordered("uno", y, y))
            return bld.or_(bld.fcmp_ordered("==", x, y), both_nan)
        return bld.icmp_unsigned("==", x, y)

    def item(i):
        return load_element(fl, element_pointer(fl, items, rt, [i]), t.dtype)

    def keep(i):
        first = bld.icmp_signed("==", i, ir.Constant(I64, 0))
        previous = bld.select(first, i, bld.sub(i, ir.Constant(I64, 1)))
        return bld.or_(first, bld.not_(same(item(previous), item(i))))

    bld.store(ir.Constant(I64, 0), n_slot)
    loop_nest(fl, [size], lambda ix: bld.store(bld.add(bld.load(n_slot), bld.zext(keep(ix[0]), I64)), n_slot))
    out = new_array(fl, rt, [bld.load(n_slot)])
    bld.store(ir.Constant(I64, 0), n_slot)

    def take(ix):
        with bld.if_then(keep(ix[0])):
            n = bld.load(n_slot)
            x = item(ix[0])
            if complex_:
                x = bld.select(has_nan(fl, parts(fl, x)), bld.load(first_nan), x)
            store_element(fl, element_pointer(fl, out, rt, [n]), x, t.dtype)
            bld.store(bld.add(n, ir.Constant(I64, 1)), n_slot)

    loop_nest(fl, [size], take)
    return out


__all__ = ["lower"]
