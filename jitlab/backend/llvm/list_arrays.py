"""`np.array(xs)` of a list whose items are tuples of numbers, lists of numbers or arrays: a new
C-contiguous array with one axis more than the items (typing: `rules/lists._array_of`).

Every item must have the first one's shape, else NumPy's `ValueError` ("... inhomogeneous shape
after k dimensions. The detected shape was (...) + inhomogeneous part."), k counting the leading
axes on which all items agree.  An empty list gives shape `(0, 0, ...)` (NumPy's is `(0,)`: its
dimensions come from the items, jitlab's from the type).
"""
from __future__ import annotations

from llvmlite import ir

from jitlab.ir.types import I64 as I64_T, ArrayType, ListType, TupleType

from . import lower_lists as lists
from .list_items import load_item
from .lower import I1, I64, FunctionLowerer
from .lower_arrays import element_pointer
from .lower_arrays_alloc import flat_pointer, new_array, store_element

INHOMOGENEOUS = ("setting an array element with a sequence. The requested array has an inhomogeneous shape "
                 "after {} dimensions. The detected shape was ({}) + inhomogeneous part.")


def _item_shape(fl: FunctionLowerer, item: ir.Value, t) -> list[ir.Value]:
    if isinstance(t, ListType):
        return [lists.length(fl, item)]
    return [fl.builder.extract_value(item, [1, k]) for k in range(t.ndim)]


def _check_shapes(fl: FunctionLowerer, lst: ir.Value, t: ListType, n: ir.Value,
                  first: list[ir.Value]) -> None:
    """Every item's shape is `first`'s, else NumPy's ValueError."""
    from . import excinfo, formatted
    from .signature import STATUS

    bld = fl.builder
    data = lists.data_of(fl, lst)
    agree = [fl.alloca(I1) for _ in first]  # all items agree on axis d (and the ones before it)
    for a in agree:
        bld.store(ir.Constant(I1, 1), a)

    def look(i):
        shape = _item_shape(fl, load_item(fl, lists.slot_of(fl, data, t.elem, i), t.elem), t.elem)
        before = ir.Constant(I1, 1)
        for a, mine, want in zip(agree, shape, first):
            before = bld.and_(before, bld.icmp_signed("==", mine, want))
            bld.store(bld.and_(bld.load(a, typ=I1), before), a)
    lists.for_each(fl, n, look)
    same = bld.load(agree[-1], typ=I1)
    cold, ok = fl.func.append_basic_block("stack.shapes"), fl.func.append_basic_block("stack.same")
    fl.cold_branch(bld.not_(same), cold, ok)
    bld.position_at_end(cold)
    # k - 1 = how many inner axes all items agree on (the first `False` flag stops the count)
    depth = len(first)
    for k in range(depth):
        if k < depth - 1:
            here = fl.func.append_basic_block(f"stack.after{k + 1}")
            later = fl.func.append_basic_block("stack.next")
            bld.cbranch(bld.load(agree[k], typ=I1), later, here)
            bld.position_at_end(here)
        dims = [n, *first[:k]]
        fields = ", ".join("{}" for _ in dims) + ("," if len(dims) == 1 else "")
        message = INHOMOGENEOUS.replace("{}", str(k + 1), 1).replace("({})", f"({fields})")
        bld.store(formatted.raise_record(fl, message, dims, [I64_T] * len(dims)), fl.excmsg_ptr)
        fl.leave(bld, ir.Constant(STATUS, excinfo.code_of(ValueError)))
        if k < depth - 1:
            bld.position_at_end(later)
    bld.position_at_end(ok)


def stack(fl: FunctionLowerer, lst: ir.Value, t: ListType, rt: ArrayType) -> ir.Value:
    bld = fl.builder
    n = lists.length(fl, lst)
    data = lists.data_of(fl, lst)
    elem = t.elem
    zero = ir.Constant(I64, 0)
    if isinstance(elem, TupleType):
        width = len(elem.items)
        out = new_array(fl, rt, [n, ir.Constant(I64, width)])

        def row(i):
            item = load_item(fl, lists.slot_of(fl, data, elem, i), elem)
            for k, it in enumerate(elem.items):
                value = fl.cast(bld.extract_value(item, k), it, rt.dtype)
                at = bld.add(bld.mul(i, ir.Constant(I64, width)), ir.Constant(I64, k))
                store_element(fl, flat_pointer(fl, out, rt.dtype, at), value, rt.dtype)
        lists.for_each(fl, n, row)
        return out
    # lists or arrays: the first item's shape (zeros for an empty list)
    empty = bld.icmp_signed("==", n, zero)
    first_item = load_item(fl, lists.slot_of(fl, data, elem, zero), elem)  # (slot 0 exists: capacity >= 4)
    first = [bld.select(empty, zero, d) for d in _item_shape(fl, first_item, elem)]
    _check_shapes(fl, lst, t, n, first)
    out = new_array(fl, rt, [n, *first])
    inner = ir.Constant(I64, 1)
    for d in first:
        inner = bld.mul(inner, d)
    inner_t = elem.elem if isinstance(elem, ListType) else elem.dtype

    def row(i):
        item = load_item(fl, lists.slot_of(fl, data, elem, i), elem)
        src_data = lists.data_of(fl, item) if isinstance(elem, ListType) else None

        def put(j):
            if isinstance(elem, ListType):
                value = load_item(fl, lists.slot_of(fl, src_data, inner_t, j), inner_t)
            else:  # item index of flat j along each axis, last fastest
                indices, rest = [], j
                for d in reversed(range(elem.ndim)):
                    indices.append(bld.srem(rest, first[d]) if d else rest)
                    rest = bld.sdiv(rest, first[d]) if d else rest
                from .lower_arrays import load_element

                value = load_element(fl, element_pointer(fl, item, elem, indices[::-1]), inner_t)
            store_element(fl, flat_pointer(fl, out, rt.dtype, bld.add(bld.mul(i, inner), j)),
                          fl.cast(value, inner_t, rt.dtype), rt.dtype)
        lists.for_each(fl, inner, put)
    lists.for_each(fl, n, row)
    return out


__all__ = ["stack"]
