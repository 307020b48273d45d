"""Assigning to and deleting slices of lists, as CPython does (`list_ass_slice`, `list_ass_subscript`).

`xs[a:b] = ys` with a step of 1 replaces the items the slice selects by the items of `ys`, so the
list may grow or shrink (`xs[2:2] = ys` inserts); with another step the slice and `ys` must have the
same length (else CPython's `ValueError`), and each selected item is replaced in turn.  `ys` is
copied first, so `xs[1:] = xs` reads the items before any moves.  `del xs[a:b:c]` removes the
selected items, keeping the others in order.
"""
from __future__ import annotations

from llvmlite import ir

from jitlab.ir.types import I64 as I64_T, ListType, NoneType, SliceType

from . import lower_lists as lists
from .list_items import item_size, load_item
from .lower import I64, FunctionLowerer
from .lower_arrays_views import _adjust

EXTENDED_SIZES = "attempt to assign sequence of size {} to extended slice of size {}"


def _replace(fl: FunctionLowerer, lst: ir.Value, t: ListType, start: ir.Value, count: ir.Value,
             source: ir.Value, st: ListType) -> None:
    """Items [start, start + count) become the items of `source` (a list of its own)."""
    bld = fl.builder
    n, m = lists.length(fl, lst), lists.length(fl, source)
    new_n = bld.add(bld.sub(n, count), m)
    lists.reserve(fl, lst, t.elem, new_n)
    data = lists.data_of(fl, lst)
    size = ir.Constant(I64, item_size(t.elem))
    tail = bld.add(start, count)
    lists.move(fl, lists.slot_of(fl, data, t.elem, bld.add(start, m)), lists.slot_of(fl, data, t.elem, tail),
               bld.mul(bld.sub(n, tail), size))
    src = lists.data_of(fl, source)
    def put(i):
        item = load_item(fl, lists.slot_of(fl, src, st.elem, i), st.elem)
        lists.put(fl, data, t.elem, bld.add(start, i), item, st.elem)
    lists.for_each(fl, m, put)
    bld.store(new_n, lists.length_field(fl, lst))


def assign_slice(fl: FunctionLowerer, lst: ir.Value, t: ListType, sl: ir.Value, sl_t: SliceType,
                 value: ir.Value, vt: ListType) -> None:
    """`xs[a:b:c] = ys`."""
    from . import excinfo, formatted
    from .signature import STATUS

    bld = fl.builder
    start, count, step = _adjust(fl, sl, sl_t, lists.length(fl, lst))
    source = lists.copy(fl, value, vt.elem, vt.elem)
    if isinstance(sl_t.step, NoneType):
        _replace(fl, lst, t, start, count, source, vt)
        return
    with bld.if_else(bld.icmp_signed("==", step, ir.Constant(I64, 1))) as (simple, extended):
        with simple:
            _replace(fl, lst, t, start, count, source, vt)
        with extended:
            m = lists.length(fl, source)
            cold, ok = fl.func.append_basic_block("slice.sizes"), fl.func.append_basic_block("slice.same")
            fl.cold_branch(bld.icmp_signed("!=", m, count), cold, ok)
            bld.position_at_end(cold)
            bld.store(formatted.raise_record(fl, EXTENDED_SIZES, [m, count], [I64_T, I64_T]), fl.excmsg_ptr)
            fl.leave(bld, ir.Constant(STATUS, excinfo.code_of(ValueError)))
            bld.position_at_end(ok)
            data, src = lists.data_of(fl, lst), lists.data_of(fl, source)
            lists.for_each(fl, count, lambda i: lists.put(
                fl, data, t.elem, bld.add(start, bld.mul(i, step)),
                load_item(fl, lists.slot_of(fl, src, vt.elem, i), vt.elem), vt.elem))


def delete_slice(fl: FunctionLowerer, lst: ir.Value, t: ListType, sl: ir.Value, sl_t: SliceType) -> None:
    """`del xs[a:b:c]`: the items the slice does not select, in order."""
    bld = fl.builder
    n = lists.length(fl, lst)
    start, count, step = _adjust(fl, sl, sl_t, n)
    data = lists.data_of(fl, lst)
    kept = fl.alloca(I64)
    bld.store(ir.Constant(I64, 0), kept)
    zero = ir.Constant(I64, 0)

    def keep(i):  # item i is selected when (i - start) is a multiple of step in [0, count)
        offset = bld.sub(i, start)
        k = bld.sdiv(offset, step)
        selected = bld.and_(bld.icmp_signed("==", bld.srem(offset, step), zero),
                            bld.and_(bld.icmp_signed(">=", k, zero), bld.icmp_signed("<", k, count)))
        with bld.if_then(bld.not_(selected)):
            j = bld.load(kept, typ=I64)
            lists.put(fl, data, t.elem, j, load_item(fl, lists.slot_of(fl, data, t.elem, i), t.elem), t.elem)
            bld.store(bld.add(j, ir.Constant(I64, 1)), kept)
    lists.for_each(fl, n, keep)
    bld.store(bld.load(kept, typ=I64), lists.length_field(fl, lst))


__all__ = ["assign_slice", "delete_slice"]
