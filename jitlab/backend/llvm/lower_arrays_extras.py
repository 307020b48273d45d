"""Lowering of the smaller array features typed by `typing/rules/array_extras.py`: `a.itemsize`,
`a.nbytes`, `a.strides`, `a.item(...)`, `np.eye`/`np.identity` with `M`, `k` and `dtype`,
`np.asfortranarray`, `np.diag(v, k)` and `np.roll(a, shift, axis)`.
"""
from __future__ import annotations

from llvmlite import ir

from jitlab.ir.types import I64 as I64_T, ArrayType, NoneType, Type

from . import lower_arrays as arrays
from .lower import I64, FunctionLowerer
from .lower_arrays_alloc import dims_of, loop_nest, new_array, product, raise_formatted, store_element
from .signature import llvm_type

ITEM_SIZE_ERROR = "can only convert an array of size 1 to a Python scalar"
ITEM_INDEX_ERROR = "index %lld is out of bounds for size %lld"


def attribute(fl: FunctionLowerer, name: str, array: ir.Value, t: ArrayType, rt: Type) -> ir.Value:
    size = ir.Constant(I64, arrays.itemsize(t.dtype))
    if name == "itemsize":
        return size
    if name == "nbytes":
        return fl.builder.mul(size, product(fl, dims_of(fl, array, t.ndim)))
    value = ir.Constant(llvm_type(rt), None)
    for k in range(t.ndim):
        value = fl.builder.insert_value(value, arrays.stride(fl, array, k), k)
    return value


def item(fl: FunctionLowerer, array: ir.Value, t: ArrayType, indices: list, index_types: list,
         rt: Type) -> ir.Value:
    """`a.item()` (one item), `a.item(i)` (the i-th in C order), `a.item(i, j, ...)`."""
    bld = fl.builder
    dims = dims_of(fl, array, t.ndim)
    size = product(fl, dims)
    if len(indices) == t.ndim > 1:
        at = [arrays.wrap_index(fl, fl.cast(i, it, I64_T), I64_T, n, k, True)
              for k, (i, it, n) in enumerate(zip(indices, index_types, dims))]
    else:
        if indices:
            i = fl.cast(indices[0], index_types[0], I64_T)
            bad = bld.or_(bld.icmp_signed(">=", i, size), bld.icmp_signed("<", i, bld.neg(size)))
            raise_formatted(fl, bad, IndexError, ITEM_INDEX_ERROR, [i, size])
            i = bld.select(bld.icmp_signed("<", i, ir.Constant(I64, 0)), bld.add(i, size), i)
        else:
            fl.raise_if(bld.icmp_signed("!=", size, ir.Constant(I64, 1)), ValueError, ITEM_SIZE_ERROR)
            i = ir.Constant(I64, 0)
        at = []
        for n in reversed(dims):  # the C-order position as indices
            at.insert(0, bld.srem(i, n))
            i = bld.sdiv(i, n)
    value = arrays.load_element(fl, arrays.element_pointer(fl, array, t, at), t.dtype)
    return fl.cast(value, t.dtype, rt)


def eye(fl: FunctionLowerer, name: str, args: list, in_types: list, kwnames: tuple,
        rt: ArrayType) -> ir.Value:
    bld = fl.builder
    names = ("N", "M", "k", "dtype") if name == "eye" else ("n", "dtype")
    npos = len(args) - len(kwnames)
    bound = dict(zip(names, zip(args[:npos], in_types[:npos])))
    bound.update({kw: (v, t) for kw, v, t in zip(kwnames, args[npos:], in_types[npos:])})
    n = fl.cast(*bound[names[0]], I64_T)
    m = n
    if "M" in bound and not isinstance(bound["M"][1], NoneType):
        m = fl.cast(*bound["M"], I64_T)
    k = fl.cast(*bound["k"], I64_T) if "k" in bound else ir.Constant(I64, 0)
    out = new_array(fl, rt, [n, m], zeroed=True)
    one = fl.cast(ir.Constant(I64, 1), I64_T, rt.dtype)

    def diagonal(ix):
        j = bld.add(ix[0], k)
        inside = bld.and_(bld.icmp_signed(">=", j, ir.Constant(I64, 0)), bld.icmp_signed("<", j, m))
        with bld.if_then(inside):
            store_element(fl, arrays.element_pointer(fl, out, rt, [ix[0], j]), one, rt.dtype)

    loop_nest(fl, [n], diagonal)
    return out


def asfortranarray(fl: FunctionLowerer, array: ir.Value, t: ArrayType, rt: ArrayType) -> ir.Value:
    from .lower_arrays_math import assign

    if t == rt:
        return array
    out = new_array(fl, rt, dims_of(fl, array, t.ndim), order="F")
    assign(fl, out, rt, array, t)
    return out




def diag(fl: FunctionLowerer, array: ir.Value, t: ArrayType, k: ir.Value, rt: ArrayType) -> ir.Value:
    """`np.diag(v, k)`: a square matrix with `v` on its k-th diagonal, or a matrix's k-th diagonal."""
    bld = fl.builder
    zero = ir.Constant(I64, 0)
    up = bld.icmp_signed(">=", k, zero)
    row0 = bld.select(up, zero, bld.neg(k))  # the diagonal starts at (row0, col0)
    col0 = bld.select(up, k, zero)
    if t.ndim == 1:
        n = arrays.shape(fl, array, 0)
        size = bld.add(n, bld.select(up, k, bld.neg(k)))
        out = new_array(fl, rt, [size, size], zeroed=True)

        def put(ix):
            item = arrays.load_element(fl, arrays.element_pointer(fl, array, t, ix), t.dtype)
            at = [bld.add(row0, ix[0]), bld.add(col0, ix[0])]
            store_element(fl, arrays.element_pointer(fl, out, rt, at), item, t.dtype)

        loop_nest(fl, [n], put)
        return out
    rows, cols = dims_of(fl, array, 2)
    left_rows, left_cols = bld.sub(rows, row0), bld.sub(cols, col0)
    n = bld.select(bld.icmp_signed("<", left_rows, left_cols), left_rows, left_cols)
    n = bld.select(bld.icmp_signed("<", n, zero), zero, n)
    out = new_array(fl, rt, [n])

    def take(ix):
        at = [bld.add(row0, ix[0]), bld.add(col0, ix[0])]
        item = arrays.load_element(fl, arrays.element_pointer(fl, array, t, at), t.dtype)
        store_element(fl, arrays.element_pointer(fl, out, rt, ix), item, t.dtype)

    loop_nest(fl, [n], take)
    return out


def roll_along(fl: FunctionLowerer, array: ir.Value, t: ArrayType, shift: ir.Value, axis: int | ir.Value,
               rt: ArrayType) -> ir.Value:
    """`np.roll(a, shift, axis)`: each line along `axis` rolled by `shift`."""
    bld = fl.builder
    dims = dims_of(fl, array, t.ndim)
    out = new_array(fl, rt, dims)
    n = dims[axis] if isinstance(axis, int) else dims[0]
    if not isinstance(axis, int):
        for j in range(1, t.ndim):
            n = bld.select(bld.icmp_signed("==", axis, ir.Constant(I64, j)), dims[j], n)
    safe = bld.select(bld.icmp_signed("==", n, ir.Constant(I64, 0)), ir.Constant(I64, 1), n)
    k = bld.srem(bld.add(bld.srem(shift, safe), safe), safe)  # in [0, n)

    def body(ix):
        item = arrays.load_element(fl, arrays.element_pointer(fl, array, t, ix), t.dtype)
        at = []
        for j, i in enumerate(ix):
            moved = bld.add(i, k)
            moved = bld.select(bld.icmp_signed(">=", moved, n), bld.sub(moved, n), moved)
            on = ir.Constant(ir.IntType(1), int(axis == j)) if isinstance(axis, int) else \
                bld.icmp_signed("==", axis, ir.Constant(I64, j))
            at.append(bld.select(on, moved, i))
        store_element(fl, arrays.element_pointer(fl, out, rt, at), item, t.dtype)

    loop_nest(fl, dims, body)
    return out



def array_of_tuple(fl: FunctionLowerer, value: ir.Value, t, rt: ArrayType) -> ir.Value:
    """`np.array(nested tuple)`: each item cast to the array's dtype, in C order."""
    shape, paths = [], []
    inner = t
    while hasattr(inner, "items"):
        shape.append(len(inner.items))
        inner = inner.items[0] if inner.items else None

    def walk(tt, path):
        if hasattr(tt, "items"):
            for k, x in enumerate(tt.items):
                walk(x, [*path, k])
        else:
            paths.append((path, tt))

    walk(t, [])
    out = new_array(fl, rt, [ir.Constant(I64, n) for n in shape])
    for path, item_type in paths:
        item = fl.builder.extract_value(value, path)
        at = [ir.Constant(I64, k) for k in path]
        item = arrays.to_dtype(fl, item, item_type, rt.dtype)
        store_element(fl, arrays.element_pointer(fl, out, rt, at), item, rt.dtype)
    return out


__all__ = ["array_of_tuple", "asfortranarray", "attribute", "diag", "eye", "item", "roll_along"]
