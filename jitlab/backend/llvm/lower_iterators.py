"""Lowering of iterators beyond range and arrays, and of tuple unpacking.

Every iterator is a value (a struct threaded through the loop's θ), as range and
array iterators are (`lower_calls.py`, `lower_arrays.py`):

* `enumerate(x, start)` is `(iterator of x, count)`; advancing it advances the
  inner iterator and yields `(count, item)`;
* `zip(a, b, …)` is one iterator per argument; it is exhausted as soon as one of
  them is (the others may have advanced too: iterators are values without side
  effects, so nothing can observe it);
* `reversed(range(…))` is the range iterator `(last, remaining, -step)`: the last
  item is `next + (remaining - 1) * step`, computed in wrapping arithmetic (the
  true value lies in the int64 range, so the wrapped one is exact);
* a tuple of items of one type is `(tuple, next index)`; the item is picked with
  a chain of `select`s (tuples are short).

`py.unpack` extracts the fields of a tuple struct.
"""
from __future__ import annotations

from llvmlite import ir

from jitlab.errors import LoweringError
from jitlab.ir.types import (
    BOOL, I64 as _I64_T, STATE, ArrayIterType, ArrayType, DictIterType, DictType, EnumerateIterType,
    ListIterType, ListType, RangeIterType, SetType, StrIterType, StrType, TupleIterType, TupleType, Type,
    ZipIterType,
)

from . import lower_arrays as arrays
from . import lower_calls as calls
from . import lower_dicts as dicts
from . import lower_lists as lists
from . import lower_str as strs
from .lower import I1, I64, FunctionLowerer
from .signature import llvm_type


def iter_of(fl: FunctionLowerer, value: ir.Value, t: Type, it_type: Type) -> ir.Value:
    """`iter(value)` for a value of type `t`, as an iterator of type `it_type`."""
    if isinstance(t, ArrayType):
        return arrays.getiter(fl, None, [value, None], [t, STATE], [it_type, STATE])[0]
    if isinstance(t, TupleType):
        it = fl.builder.insert_value(ir.Constant(llvm_type(it_type), None), value, 0)
        return fl.builder.insert_value(it, ir.Constant(I64, 0), 1)
    if isinstance(t, ListType):
        return lists.getiter(fl, value, it_type)
    if isinstance(t, StrType):
        return strs.iter_of(fl, value)
    if isinstance(t, (DictType, SetType, DictIterType)):  # a dict's keys, a set's items, a view
        return dicts.getiter(fl, None, [value, None], [t, STATE], [it_type, STATE])[0]
    return value  # ranges and iterators are their own iterators


def next_of(fl: FunctionLowerer, it: ir.Value, t: Type, item: Type) -> tuple[ir.Value, ir.Value, ir.Value]:
    """(ok, item, advanced iterator) of iterator `it` of type `t` yielding `item`."""
    bld = fl.builder
    if isinstance(t, (RangeIterType, ArrayIterType)):
        module = arrays if isinstance(t, ArrayIterType) else calls
        ok, value, advanced, _ = module.iternext(fl, None, [it, None], [t, STATE], [BOOL, item, t, STATE])
        return ok, value, advanced
    if isinstance(t, ListIterType):
        return lists.iternext(fl, it, t.source.elem)
    if isinstance(t, StrIterType):
        return strs.next_of(fl, it)
    if isinstance(t, DictIterType):
        ok, value, advanced, _ = dicts.iternext(fl, None, [it, None], [t, STATE], [BOOL, item, t, STATE])
        return ok, value, advanced
    if isinstance(t, EnumerateIterType):
        inner_item = item.items[1]
        ok, value, inner = next_of(fl, bld.extract_value(it, 0), t.inner, inner_item)
        count = bld.extract_value(it, 1)
        pair = bld.insert_value(ir.Constant(llvm_type(item), None), count, 0)
        pair = bld.insert_value(pair, value, 1)
        advanced = bld.insert_value(it, inner, 0)
        advanced = bld.insert_value(advanced, bld.add(count, ir.Constant(I64, 1)), 1)
        return ok, pair, advanced
    if isinstance(t, ZipIterType):
        ok = ir.Constant(I1, 1)
        values = ir.Constant(llvm_type(item), None)
        advanced = it
        for k, (sub, sub_item) in enumerate(zip(t.iters, item.items)):
            sub_ok, value, sub_next = next_of(fl, bld.extract_value(it, k), sub, sub_item)
            ok = bld.and_(ok, sub_ok)
            values = bld.insert_value(values, value, k)
            advanced = bld.insert_value(advanced, sub_next, k)
        return ok, values, advanced
    if isinstance(t, TupleIterType):
        source, i = bld.extract_value(it, 0), bld.extract_value(it, 1)
        n = len(t.source.items)
        ok = bld.icmp_signed("<", i, ir.Constant(I64, n))
        value = bld.extract_value(source, 0)
        for k in range(1, n):
            is_k = bld.icmp_signed("==", i, ir.Constant(I64, k))
            value = bld.select(is_k, bld.extract_value(source, k), value)
        return ok, value, bld.insert_value(it, bld.add(i, ir.Constant(I64, 1)), 1)
    raise LoweringError(f"cannot advance an iterator of type {t}", line=fl.line)


def getiter(fl: FunctionLowerer, node, args, in_types, out_types):
    return [iter_of(fl, args[0], in_types[0], out_types[0]), None]


def iternext(fl: FunctionLowerer, node, args, in_types, out_types):
    ok, value, advanced = next_of(fl, args[0], in_types[0], out_types[1])
    return [ok, value, advanced, None]


def unpack(fl: FunctionLowerer, node, args, in_types, out_types):
    t = in_types[0]
    if not isinstance(t, TupleType):
        raise LoweringError(f"cannot unpack a {t}", line=fl.line)
    return [*(fl.builder.extract_value(args[0], k) for k in range(len(t.items))), None]


def enumerate_(fl: FunctionLowerer, args, in_types, rt: EnumerateIterType):
    inner = iter_of(fl, args[0], in_types[0], rt.inner)
    start = fl.cast(args[1], in_types[1], _I64_T) if len(args) > 1 else ir.Constant(I64, 0)
    it = fl.builder.insert_value(ir.Constant(llvm_type(rt), None), inner, 0)
    return fl.builder.insert_value(it, start, 1)


def zip_(fl: FunctionLowerer, args, in_types, rt: ZipIterType):
    it = ir.Constant(llvm_type(rt), None)
    for k, (value, t, it_type) in enumerate(zip(args, in_types, rt.iters)):
        it = fl.builder.insert_value(it, iter_of(fl, value, t, it_type), k)
    return it


def reversed_(fl: FunctionLowerer, args, in_types, rt: RangeIterType):
    bld = fl.builder
    it = args[0]
    current, remaining, step = (bld.extract_value(it, i) for i in range(3))
    one = ir.Constant(remaining.type, 1)
    last = bld.add(current, bld.mul(bld.sub(remaining, one), step))
    it = bld.insert_value(it, last, 0)
    return bld.insert_value(it, bld.sub(ir.Constant(step.type, 0), step), 2)


BUILTINS = {"builtins.enumerate": enumerate_, "builtins.zip": zip_, "builtins.reversed": reversed_}


def call(fl: FunctionLowerer, node, args, in_types, out_types):
    """`py.call`: the iterator builtins here, every other callee in `lower_calls`."""
    lowerer = BUILTINS.get(node.attr("callee"))
    if lowerer is None:
        return calls.call(fl, node, args, in_types, out_types)
    return [lowerer(fl, args[:-1], in_types[:-1], out_types[0]), None]
