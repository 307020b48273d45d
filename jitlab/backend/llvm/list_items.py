"""The items of typed lists in memory: scalars as array elements are stored (`bool` as a byte),
anything else -- a tuple, an array struct, a list's header pointer -- as its LLVM value.

A list of arrays holds array structs `{data, shape, strides}` whose data lies in the arena (or
in an argument), so the items live as long as the call does, like the list; a list of lists holds
the inner lists' header pointers (`[[0] * m] * n` makes n references to one inner list, as in
CPython).  Item equality and ordering follow CPython: tuples compare item by item (the first
unequal pair decides, else the lengths), lists likewise.
"""
from __future__ import annotations

from llvmlite import ir

from jitlab.errors import LoweringError
from jitlab.ir.types import ArrayType, BoolType, ComplexType, FloatType, IntType, ListType, TupleType, Type

from .lower import I1, I64, FunctionLowerer
from .lower_arrays import itemsize, load_element, memory_type
from .lower_arrays_alloc import store_element
from .signature import llvm_type

_SCALARS = (BoolType, IntType, FloatType, ComplexType)


def item_type(t: Type) -> ir.Type:
    """How an item of type `t` is laid out in a list's data block."""
    return memory_type(t) if isinstance(t, _SCALARS) else llvm_type(t)


def _layout(ty: ir.Type) -> tuple[int, int]:
    """(allocation size, alignment) of an LLVM type as x86-64 and AArch64 lay it out."""
    if isinstance(ty, ir.IntType):
        size = max(1, (ty.width + 7) // 8)
        return size, size
    if isinstance(ty, (ir.DoubleType, ir.PointerType)):
        return 8, 8
    if isinstance(ty, ir.FloatType):
        return 4, 4
    if isinstance(ty, ir.ArrayType):
        size, align = _layout(ty.element)
        return size * ty.count, align
    if isinstance(ty, ir.LiteralStructType):
        offset, most = 0, 1
        for field in ty.elements:
            size, align = _layout(field)
            offset = (offset + align - 1) // align * align + size
            most = max(most, align)
        return (offset + most - 1) // most * most, most
    raise LoweringError(f"no memory layout for the LLVM type {ty}")


def item_size(t: Type) -> int:
    """Bytes per item of type `t` (the stride of a list's data block)."""
    return itemsize(t) if isinstance(t, _SCALARS) else _layout(item_type(t))[0]


def load_item(fl: FunctionLowerer, pointer: ir.Value, t: Type) -> ir.Value:
    if isinstance(t, _SCALARS):
        return load_element(fl, pointer, t)
    return fl.builder.load(pointer, typ=item_type(t))


def store_item(fl: FunctionLowerer, pointer: ir.Value, value: ir.Value, t: Type) -> None:
    if isinstance(t, _SCALARS):
        store_element(fl, pointer, value, t)
    else:
        fl.builder.store(value, pointer)


def convert(fl: FunctionLowerer, value: ir.Value, src: Type, dst: Type) -> ir.Value:
    """`value` of type `src` as an item of type `dst` (typing joined them: numbers widen)."""
    if src == dst and not isinstance(src, TupleType):
        return value
    if isinstance(dst, TupleType) and isinstance(src, TupleType):
        out = ir.Constant(llvm_type(dst), None)
        for k, (s, d) in enumerate(zip(src.items, dst.items)):
            out = fl.builder.insert_value(out, convert(fl, fl.builder.extract_value(value, k), s, d), k)
        return out
    if isinstance(dst, ListType):
        return value
    return fl.cast(value, src, dst)


def compare(fl: FunctionLowerer, op: str, x: ir.Value, y: ir.Value, tx: Type, ty: Type) -> ir.Value:
    """`x OP y` for items (op one of == != < <= > >=) as CPython compares them."""
    from .lower_arith import compare_values

    bld = fl.builder
    if isinstance(tx, TupleType) and isinstance(ty, TupleType):
        nx, ny = len(tx.items), len(ty.items)
        by_length = {"<": nx < ny, "<=": nx <= ny, "==": nx == ny, "!=": nx != ny, ">": nx > ny,
                     ">=": nx >= ny}
        result = ir.Constant(I1, int(by_length[op]))
        for k in reversed(range(min(nx, ny))):
            a, b = bld.extract_value(x, k), bld.extract_value(y, k)
            equal = compare(fl, "==", a, b, tx.items[k], ty.items[k])
            decided = ir.Constant(I1, int(op == "!=")) if op in ("==", "!=") else \
                compare(fl, op, a, b, tx.items[k], ty.items[k])
            result = bld.select(equal, result, decided)
        return result
    if isinstance(tx, ListType) and isinstance(ty, ListType):
        if op not in ("==", "!="):
            raise LoweringError(f"'{op}' between lists of lists is not supported", line=fl.line)
        equal = lists_equal(fl, x, y, tx, ty)
        return bld.not_(equal) if op == "!=" else equal
    if isinstance(tx, (ArrayType, ListType, TupleType)) or isinstance(ty, (ArrayType, ListType, TupleType)):
        raise LoweringError(f"cannot compare a {tx} with a {ty}", line=fl.line)
    if isinstance(tx, ComplexType) or isinstance(ty, ComplexType):
        from .lower_complex import convert as to_complex

        if op not in ("==", "!="):
            raise LoweringError("complex numbers have no order", line=fl.line)
        c = ComplexType(128)
        a, b = to_complex(fl, x, tx, c), to_complex(fl, y, ty, c)
        same = bld.and_(bld.fcmp_ordered("==", bld.extract_value(a, 0), bld.extract_value(b, 0)),
                        bld.fcmp_ordered("==", bld.extract_value(a, 1), bld.extract_value(b, 1)))
        return bld.not_(same) if op == "!=" else same
    return compare_values(fl, op, x, y, tx, ty)


def lists_equal(fl: FunctionLowerer, a: ir.Value, b: ir.Value, ta: ListType, tb: ListType) -> ir.Value:
    """Whether two lists have the same length and equal items in turn."""
    from .lower_lists import data_of, for_each, length, slot_of

    bld = fl.builder
    n = length(fl, a)
    acc = fl.alloca(I1)
    same_length = bld.icmp_signed("==", n, length(fl, b))
    bld.store(same_length, acc)
    da, db = data_of(fl, a), data_of(fl, b)

    def look(i):
        x = load_item(fl, slot_of(fl, da, ta.elem, i), ta.elem)
        y = load_item(fl, slot_of(fl, db, tb.elem, i), tb.elem)
        bld.store(bld.and_(bld.load(acc, typ=I1), compare(fl, "==", x, y, ta.elem, tb.elem)), acc)
    for_each(fl, bld.select(same_length, n, ir.Constant(I64, 0)), look)
    return bld.load(acc, typ=I1)


__all__ = ["compare", "convert", "item_size", "item_type", "lists_equal", "load_item", "store_item"]
