"""Lowering of integer-array ("fancy") indexing inside a tuple index, typed by
`typing/rules/fancy_index.py`: `a[:, idx]`, `a[idx, 1:]`, `a[rows, cols]`, `a[i, idx]`, and the
stores `a[:, idx] = x`, `a[rows, cols] = x`, `a[idx] = x` (x a number or an array broadcast to
the selection's shape).

The index is read axis by axis as `view` reads a basic one: an integer fixes a position, a slice
(`_adjust`) and each axis after the index give an axis of the result, `None` a new axis of length
1, and the integer arrays together one axis (NumPy's rule: they broadcast against each other, a
length-1 array repeating its item; their axis stands where they stand, or first when a slice or
`None` parts them, an integer among them counting as one of them).  One loop nest over the
result's shape computes each item's place in `a` from these (an index array's items wrapped and
bounds-checked: NumPy's IndexError; a store checks them all before its first write).
"""
from __future__ import annotations

from llvmlite import ir

from jitlab.ir.types import ArrayType, NoneType, SliceType, TupleType, Type

from . import lower_arrays as arrays
from .lower import I64, FunctionLowerer
from jitlab.typing.rules.fancy_index import advanced_together

from .lower_arrays_alloc import loop_nest, new_array, raise_formatted, store_element

MISMATCH = "shape mismatch: indexing arrays could not be broadcast together with shapes (%lld,) (%lld,) "
VALUE_MISMATCH = ("shape mismatch: value array of shape (%lld,) could not be broadcast to indexing result "
                  "of shape (%lld,)")  # NumPy's words for 1-d shapes (the mismatching axis otherwise)


def _plan(fl: FunctionLowerer, array: ir.Value, t: ArrayType, index: ir.Value, it: Type):
    """(byte offset of the first item, the result's axes): each axis ("axis", length, stride) or
    ("arrays", length, [(index array, its type, axis length, stride), ...])."""
    from .lower_arrays_views import _adjust

    bld = fl.builder
    values = ([(bld.extract_value(index, k), x) for k, x in enumerate(it.items)]
              if isinstance(it, TupleType) else [(index, it)])
    zero, one = ir.Constant(I64, 0), ir.Constant(I64, 1)
    offset, axis, axes, group = zero, 0, [], None
    for value, vt in values:
        if isinstance(vt, NoneType):
            axes.append(("axis", one, zero))
            continue
        n, s = arrays.shape(fl, array, axis), arrays.stride(fl, array, axis)
        if isinstance(vt, SliceType):
            start, length, step = _adjust(fl, value, vt, n)
            offset = bld.add(offset, bld.mul(start, s))
            axes.append(("axis", length, bld.mul(s, step)))
        elif isinstance(vt, ArrayType):
            length = arrays.shape(fl, value, 0)
            if group is None:
                group = ["arrays", length, []]
                axes.append(group)
            else:  # broadcast: equal lengths, or one of them 1
                neither_one = bld.and_(bld.icmp_signed("!=", length, one),
                                       bld.icmp_signed("!=", group[1], one))
                bad = bld.and_(bld.icmp_signed("!=", length, group[1]), neither_one)
                raise_formatted(fl, bad, IndexError, MISMATCH, [group[1], length])
                group[1] = bld.select(bld.icmp_signed("==", group[1], one), length, group[1])
            group[2].append((value, vt, n, s, axis))
        else:
            i = arrays.wrap_index(fl, value, vt, n, axis, True)
            offset = bld.add(offset, bld.mul(i, s))
        axis += 1
    for rest in range(axis, t.ndim):
        axes.append(("axis", arrays.shape(fl, array, rest), arrays.stride(fl, array, rest)))
    if not advanced_together(it):  # NumPy puts the axis of index arrays apart from each other first
        axes.remove(group)
        axes.insert(0, group)
    return offset, axes


def _pointer(fl: FunctionLowerer, array: ir.Value, offset: ir.Value, axes, ix: list[ir.Value]) -> ir.Value:
    bld = fl.builder
    one = ir.Constant(I64, 1)
    for j, entry in zip(ix, axes):
        if entry[0] == "axis":
            offset = bld.add(offset, bld.mul(j, entry[2]))
            continue
        for value, vt, n, s, axis in entry[2]:
            k = bld.select(bld.icmp_signed("==", arrays.shape(fl, value, 0), one), ir.Constant(I64, 0), j)
            raw = arrays.load_element(fl, arrays.element_pointer(fl, value, vt, [k]), vt.dtype)
            offset = bld.add(offset, bld.mul(arrays.wrap_index(fl, raw, vt.dtype, n, axis, True), s))
    return bld.gep(arrays.data(fl, array), [offset], source_etype=ir.IntType(8))


def get(fl: FunctionLowerer, array: ir.Value, t: ArrayType, index: ir.Value, it: Type, rt: ArrayType):
    """`a[index]`: a new C array."""
    offset, axes = _plan(fl, array, t, index, it)
    dims = [entry[1] for entry in axes]
    out = new_array(fl, rt, dims)

    def copy_item(ix):
        item = arrays.load_element(fl, _pointer(fl, array, offset, axes, ix), t.dtype)
        store_element(fl, arrays.element_pointer(fl, out, rt, ix), item, t.dtype)

    loop_nest(fl, dims, copy_item)
    return out


def put(fl: FunctionLowerer, array: ir.Value, t: ArrayType, index: ir.Value, it: Type, value: ir.Value,
        vt: Type) -> None:
    """`a[index] = value`: a number, or an array broadcast to the selection's shape."""
    bld = fl.builder
    offset, axes = _plan(fl, array, t, index, it)
    dims = [entry[1] for entry in axes]
    for entry in axes:  # every index checked before the first store, as NumPy does
        for v, ivt, n, _, axis in entry[2] if entry[0] == "arrays" else ():
            def check(ix, v=v, ivt=ivt, n=n, axis=axis):
                raw = arrays.load_element(fl, arrays.element_pointer(fl, v, ivt, ix), ivt.dtype)
                arrays.wrap_index(fl, raw, ivt.dtype, n, axis, True)

            loop_nest(fl, [arrays.shape(fl, v, 0)], check)
    if not isinstance(vt, ArrayType):
        item = arrays.to_dtype(fl, value, vt, t.dtype)
        loop_nest(fl, dims, lambda ix: store_element(fl, _pointer(fl, array, offset, axes, ix), item,
                                                     t.dtype))
        return
    one, zero = ir.Constant(I64, 1), ir.Constant(I64, 0)
    lead = len(dims) - vt.ndim
    vdims = [arrays.shape(fl, value, q) for q in range(vt.ndim)]
    for q, m in enumerate(vdims):
        bad = bld.and_(bld.icmp_signed("!=", m, one), bld.icmp_signed("!=", m, dims[lead + q]))
        raise_formatted(fl, bad, ValueError, VALUE_MISMATCH, [m, dims[lead + q]])
    if t.ndim and vt.ndim:  # the value may overlap the array: read it from a copy
        from .lower_arrays_alloc import copy

        value = copy(fl, value, vt, ArrayType(vt.dtype, vt.ndim, "C"))
        vt = ArrayType(vt.dtype, vt.ndim, "C")

    def store(ix):
        at = [bld.select(bld.icmp_signed("==", m, one), zero, ix[lead + q]) for q, m in enumerate(vdims)]
        item = arrays.load_element(fl, arrays.element_pointer(fl, value, vt, at), vt.dtype)
        item = arrays.to_dtype(fl, item, vt.dtype, t.dtype)
        store_element(fl, _pointer(fl, array, offset, axes, ix), item, t.dtype)

    loop_nest(fl, dims, store)


__all__ = ["get", "put"]
