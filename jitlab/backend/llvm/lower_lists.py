"""Lowering of typed lists (items: scalars, tuples, arrays, lists; their layout is `list_items.py`).

A list value is a pointer to a header `{i64 length, i64 capacity, ptr data}`; header and data
are arena blocks (`nrt.py`), so a list lives until the outermost call returns, like an array,
and nothing frees it in compiled code.  `append` past the capacity allocates a data block twice
as large and copies (the old block stays in the arena until the call returns: at most twice
the memory, never a leak).  A list returned to Python is boxed into a new `list` of `int`,
`float` or `bool` before the arena is released (`abi.py`); a list argument is copied into a new
arena list by the wrapper, which writes the copy's changes back into the caller's list when the
call ends (`abi_lists.reflect_list`).

Indexing follows CPython: a negative index counts from the end, anything still outside
raises `IndexError` with CPython's message (always checked: a list index is rarely provably in
range, and the check is what keeps a wrong index from reading another block).  The iterator
`(list, next index)` reads the length at every step, as CPython's does.
"""
from __future__ import annotations

from llvmlite import ir

from jitlab.errors import LoweringError
from jitlab.ir.types import (
    I64 as I64_T, ArrayType, FloatType, ListType, RangeIterType, SliceType, StrType, TupleType, Type,
)

from . import messages, nrt
from .lower import I1, I64, FunctionLowerer
from .list_items import compare as compare_items, convert, item_size, item_type, load_item, store_item
from .lower_arrays_alloc import new_array
from .signature import PTR

HEADER = ir.LiteralStructType([I64, I64, PTR])  # length, capacity, data
MIN_CAPACITY = 4


def _field(fl: FunctionLowerer, lst: ir.Value, k: int) -> ir.Value:
    return fl.builder.gep(lst, [ir.Constant(ir.IntType(32), 0), ir.Constant(ir.IntType(32), k)],
                          inbounds=True, source_etype=HEADER)


def length(fl: FunctionLowerer, lst: ir.Value) -> ir.Value:
    return fl.builder.load(_field(fl, lst, 0), typ=I64)


def _data(fl: FunctionLowerer, lst: ir.Value) -> ir.Value:
    return fl.builder.load(_field(fl, lst, 2), typ=PTR)


def _alloc(fl: FunctionLowerer, nbytes: ir.Value) -> ir.Value:
    pointer = fl.builder.call(nrt.alloc_function(fl.module), [nbytes, ir.Constant(I1, 0)])
    fl.raise_if(fl.builder.icmp_unsigned("==", pointer, ir.Constant(PTR, None)), MemoryError,
                "Unable to allocate memory for a list in compiled code")
    return pointer


def new_list(fl: FunctionLowerer, elem: Type, count: ir.Value) -> ir.Value:
    """A list of `count` (uninitialised) items with room for at least `MIN_CAPACITY`."""
    bld = fl.builder
    small = bld.icmp_signed("<", count, ir.Constant(I64, MIN_CAPACITY))
    capacity = bld.select(small, ir.Constant(I64, MIN_CAPACITY), count)
    header = _alloc(fl, ir.Constant(I64, 24))  # HEADER: three 8-byte fields
    data = _alloc(fl, bld.mul(capacity, ir.Constant(I64, item_size(elem))))
    bld.store(count, _field(fl, header, 0))
    bld.store(capacity, _field(fl, header, 1))
    bld.store(data, _field(fl, header, 2))
    return header


def _slot(fl: FunctionLowerer, data: ir.Value, elem: Type, i: ir.Value) -> ir.Value:
    return fl.builder.gep(data, [i], inbounds=True, source_etype=item_type(elem))


def _put(fl: FunctionLowerer, data: ir.Value, elem: Type, i: ir.Value, value: ir.Value, src: Type) -> None:
    store_item(fl, _slot(fl, data, elem, i), convert(fl, value, src, elem), elem)


def _memcpy(fl: FunctionLowerer, dst: ir.Value, src: ir.Value, nbytes: ir.Value, move: bool = False) -> None:
    name = "llvm.memmove.p0.p0.i64" if move else "llvm.memcpy.p0.p0.i64"
    fn = fl.declare(name, ir.FunctionType(ir.VoidType(), [PTR, PTR, I64, I1]))
    fl.builder.call(fn, [dst, src, nbytes, ir.Constant(I1, 0)])


def _index(fl: FunctionLowerer, lst: ir.Value, i: ir.Value, it: Type, message: str) -> ir.Value:
    """A checked item index: `i` from the end when negative, else `IndexError(message)`."""
    bld = fl.builder
    i = fl.cast(i, it, I64_T)
    n = length(fl, lst)
    i = bld.select(bld.icmp_signed("<", i, ir.Constant(I64, 0)), bld.add(i, n), i)
    outside = bld.icmp_unsigned(">=", i, n)  # negative after the adjustment is huge unsigned
    fl.raise_if(outside, IndexError, message)
    return i


# -- ops ------------------------------------------------------------------------------------
def build_list(fl: FunctionLowerer, node, args, in_types, out_types):
    elem = out_types[0].elem
    items = list(zip(args[:-1], in_types[:-1]))
    lst = new_list(fl, elem, ir.Constant(I64, len(items)))
    data = _data(fl, lst)
    for k, (value, t) in enumerate(items):
        _put(fl, data, elem, ir.Constant(I64, k), value, t)
    return [lst, None]


def empty(fl: FunctionLowerer, elem: Type) -> ir.Value:
    return new_list(fl, elem, ir.Constant(I64, 0))


def _reserve(fl: FunctionLowerer, lst: ir.Value, elem: Type, needed: ir.Value) -> None:
    """Room for `needed` items: a data block at least twice as large when it is short."""
    bld = fl.builder
    capacity = bld.load(_field(fl, lst, 1), typ=I64)
    with bld.if_then(bld.icmp_signed(">", needed, capacity), likely=False):
        doubled = bld.mul(capacity, ir.Constant(I64, 2))
        grown = bld.select(bld.icmp_signed(">", needed, doubled), needed, doubled)
        size = ir.Constant(I64, item_size(elem))
        data = _alloc(fl, bld.mul(grown, size))
        _memcpy(fl, data, _data(fl, lst), bld.mul(length(fl, lst), size))
        bld.store(data, _field(fl, lst, 2))
        bld.store(grown, _field(fl, lst, 1))


def append(fl: FunctionLowerer, lst: ir.Value, elem: Type, value: ir.Value, src: Type) -> None:
    bld = fl.builder
    n = length(fl, lst)
    _reserve(fl, lst, elem, bld.add(n, ir.Constant(I64, 1)))
    _put(fl, _data(fl, lst), elem, n, value, src)
    bld.store(bld.add(n, ir.Constant(I64, 1)), _field(fl, lst, 0))


def insert(fl: FunctionLowerer, lst: ir.Value, elem: Type, index, value: ir.Value, src: Type) -> None:
    """`xs.insert(i, v)`: CPython clamps `i` into [0, len] after counting a negative one from the end."""
    bld = fl.builder
    n = length(fl, lst)
    zero = ir.Constant(I64, 0)
    i = fl.cast(index[0], index[1], I64_T)
    i = bld.select(bld.icmp_signed("<", i, zero), bld.add(i, n), i)
    i = bld.select(bld.icmp_signed("<", i, zero), zero, bld.select(bld.icmp_signed(">", i, n), n, i))
    _reserve(fl, lst, elem, bld.add(n, ir.Constant(I64, 1)))
    data = _data(fl, lst)
    after = bld.add(i, ir.Constant(I64, 1))
    _memcpy(fl, _slot(fl, data, elem, after), _slot(fl, data, elem, i),
            bld.mul(bld.sub(n, i), ir.Constant(I64, item_size(elem))), move=True)
    _put(fl, data, elem, i, value, src)
    bld.store(bld.add(n, ir.Constant(I64, 1)), _field(fl, lst, 0))


def extend(fl: FunctionLowerer, lst: ir.Value, elem: Type, other: ir.Value, other_elem: Type) -> None:
    """`xs.extend(ys)` (`ys` may be `xs`: its length is read once, before growing)."""
    bld = fl.builder
    n, m = length(fl, lst), length(fl, other)
    _reserve(fl, lst, elem, bld.add(n, m))
    src, dst = _data(fl, other), _data(fl, lst)
    _loop(fl, m, lambda i: _put(fl, dst, elem, bld.add(n, i),
                                load_item(fl, _slot(fl, src, other_elem, i), other_elem), other_elem))
    bld.store(bld.add(n, m), _field(fl, lst, 0))


def count(fl: FunctionLowerer, lst: ir.Value, elem: Type, value: ir.Value, vt: Type) -> ir.Value:
    bld = fl.builder
    acc = fl.alloca(I64)
    bld.store(ir.Constant(I64, 0), acc)
    data = _data(fl, lst)

    def look(i):
        same = compare_items(fl, "==", load_item(fl, _slot(fl, data, elem, i), elem), value, elem, vt)
        bld.store(bld.add(bld.load(acc, typ=I64), bld.zext(same, I64)), acc)
    _loop(fl, length(fl, lst), look)
    return bld.load(acc, typ=I64)


def find(fl: FunctionLowerer, lst: ir.Value, elem: Type, value: ir.Value, vt: Type) -> ir.Value:
    """The index of the first item == `value`, or -1."""
    bld = fl.builder
    found = fl.alloca(I64)
    bld.store(ir.Constant(I64, -1), found)
    data = _data(fl, lst)

    def look(i):
        same = compare_items(fl, "==", load_item(fl, _slot(fl, data, elem, i), elem), value, elem, vt)
        first = bld.icmp_signed("<", bld.load(found, typ=I64), ir.Constant(I64, 0))
        bld.store(bld.select(bld.and_(same, first), i, bld.load(found, typ=I64)), found)
    _loop(fl, length(fl, lst), look)
    return bld.load(found, typ=I64)


def index_of(fl: FunctionLowerer, lst: ir.Value, elem: Type, value: ir.Value, vt: Type) -> ir.Value:
    """`xs.index(v)`; `ValueError` (CPython's message, showing `repr(v)` where it does) if absent."""
    from . import formatted
    from .signature import STATUS
    from . import excinfo

    bld = fl.builder
    i = find(fl, lst, elem, value, vt)
    missing = bld.icmp_signed("<", i, ir.Constant(I64, 0))
    if "{!r}" not in messages.LIST_INDEX_MISSING or fl.traps_on_raise:
        fl.raise_if(missing, ValueError, messages.LIST_INDEX_MISSING)
        return i
    cold, cont = fl.func.append_basic_block("index.missing"), fl.func.append_basic_block("index.found")
    bld.cbranch(missing, cold, cont)
    bld.position_at_end(cold)
    shown, values, types = _repr_fields(fl, value, vt)
    message = messages.LIST_INDEX_MISSING.replace("{!r}", shown, 1)
    bld.store(formatted.raise_record(fl, message, values, types), fl.excmsg_ptr)
    fl.leave(bld, ir.Constant(STATUS, excinfo.code_of(ValueError)))
    bld.position_at_end(cont)
    return i


def _repr_fields(fl: FunctionLowerer, value: ir.Value, t: Type):
    """A message field showing `repr(value)`: `{!r}`, or for a tuple its items' fields in parentheses."""
    if not isinstance(t, TupleType):
        return "{!r}", [value], [t]
    shown, values, types = [], [], []
    for k, item in enumerate(t.items):
        fmt, vs, ts = _repr_fields(fl, fl.builder.extract_value(value, k), item)
        shown.append(fmt)
        values += vs
        types += ts
    return "(" + ", ".join(shown) + ("," if len(shown) == 1 else "") + ")", values, types


def remove(fl: FunctionLowerer, lst: ir.Value, elem: Type, value: ir.Value, vt: Type) -> None:
    bld = fl.builder
    i = find(fl, lst, elem, value, vt)
    fl.raise_if(bld.icmp_signed("<", i, ir.Constant(I64, 0)), ValueError, messages.LIST_REMOVE_MISSING)
    n, data = length(fl, lst), _data(fl, lst)
    after = bld.add(i, ir.Constant(I64, 1))
    _memcpy(fl, _slot(fl, data, elem, i), _slot(fl, data, elem, after),
            bld.mul(bld.sub(n, after), ir.Constant(I64, item_size(elem))), move=True)
    bld.store(bld.sub(n, ir.Constant(I64, 1)), _field(fl, lst, 0))


def reverse(fl: FunctionLowerer, lst: ir.Value, elem: Type) -> None:
    bld = fl.builder
    n = length(fl, lst)
    data = _data(fl, lst)

    def swap(i):
        j = bld.sub(bld.sub(n, ir.Constant(I64, 1)), i)
        a, b = _slot(fl, data, elem, i), _slot(fl, data, elem, j)
        x, y = load_item(fl, a, elem), load_item(fl, b, elem)
        store_item(fl, a, y, elem)
        store_item(fl, b, x, elem)
    _loop(fl, bld.sdiv(n, ir.Constant(I64, 2)), swap)


def sort(fl: FunctionLowerer, lst: ir.Value, elem: Type, descending: bool) -> None:
    """Sort in place (`list_sort.sort_function`, with a scratch block of the same size)."""
    from .list_sort import sort_function

    n = length(fl, lst)
    scratch = _alloc(fl, fl.builder.mul(n, ir.Constant(I64, item_size(elem))))
    fl.builder.call(sort_function(fl, elem, descending), [_data(fl, lst), n, scratch])


def _reverse(fl: FunctionLowerer, node, nargs: int) -> bool:
    """The constant `reverse=` of `sorted(xs, reverse=...)` / `xs.sort(reverse=...)` (typing checked it)."""
    return bool(fl.inferred_const(node.inputs[-2])) if nargs >= 3 else False


def concat(fl: FunctionLowerer, parts, new_elem: Type) -> ir.Value:
    """`xs + ys`: a new list with the items of each (list, elem) part in turn."""
    out = empty(fl, new_elem)
    for lst, elem in parts:
        extend(fl, out, new_elem, lst, elem)
    return out


def repeat_in_place(fl: FunctionLowerer, lst: ir.Value, elem: Type, times: ir.Value) -> None:
    """`xs *= n`: the items n times over (emptied for `n <= 0`)."""
    bld = fl.builder
    times = bld.select(bld.icmp_signed("<", times, ir.Constant(I64, 0)), ir.Constant(I64, 0), times)
    n = length(fl, lst)
    total = bld.mul(n, times)
    _reserve(fl, lst, elem, total)
    data = _data(fl, lst)
    safe_n = bld.select(bld.icmp_signed("==", n, ir.Constant(I64, 0)), ir.Constant(I64, 1), n)

    def copy_item(k):
        k = bld.add(k, n)
        _put(fl, data, elem, k, load_item(fl, _slot(fl, data, elem, bld.srem(k, safe_n)), elem), elem)
    _loop(fl, bld.select(bld.icmp_signed(">", total, n), bld.sub(total, n), ir.Constant(I64, 0)), copy_item)
    bld.store(total, _field(fl, lst, 0))


def repeat(fl: FunctionLowerer, lst: ir.Value, elem: Type, times: ir.Value, new_elem: Type) -> ir.Value:
    """`xs * n`: a new list of `n` copies of the items (none for `n <= 0`)."""
    bld = fl.builder
    times = bld.select(bld.icmp_signed("<", times, ir.Constant(I64, 0)), ir.Constant(I64, 0), times)
    n = length(fl, lst)
    total = bld.mul(n, times)
    out = new_list(fl, new_elem, total)
    src, dst = _data(fl, lst), _data(fl, out)

    def copy_item(k):
        i = bld.srem(k, n)
        _put(fl, dst, new_elem, k, load_item(fl, _slot(fl, src, elem, i), elem), elem)
    _loop(fl, total, copy_item)
    return out


def pop(fl: FunctionLowerer, lst: ir.Value, elem: Type, index=None, missing: str | None = None) -> ir.Value:
    """`xs.pop()`, `xs.pop(i)`; `del xs[i]` with `missing` its IndexError message."""
    bld = fl.builder
    n = length(fl, lst)
    fl.raise_if(bld.icmp_signed("==", n, ir.Constant(I64, 0)), IndexError, missing or messages.LIST_POP_EMPTY)
    last = bld.sub(n, ir.Constant(I64, 1))
    data = _data(fl, lst)
    if index is None:
        i = last
    else:
        i = _index(fl, lst, index[0], index[1], missing or messages.LIST_POP_RANGE)
    value = load_item(fl, _slot(fl, data, elem, i), elem)
    if index is not None:  # close the gap: items after i move one place down
        size = ir.Constant(I64, item_size(elem))
        after = bld.add(i, ir.Constant(I64, 1))
        _memcpy(fl, _slot(fl, data, elem, i), _slot(fl, data, elem, after),
                bld.mul(bld.sub(n, after), size), move=True)
    bld.store(last, _field(fl, lst, 0))
    return value


def getitem(fl: FunctionLowerer, lst: ir.Value, t: ListType, i: ir.Value, it: Type) -> ir.Value:
    i = _index(fl, lst, i, it, messages.LIST_INDEX)
    return load_item(fl, _slot(fl, _data(fl, lst), t.elem, i), t.elem)


def slice_copy(fl: FunctionLowerer, lst: ir.Value, t: ListType, sl: ir.Value, st, rt: ListType) -> ir.Value:
    """`xs[a:b:c]`: a new list of the items the slice selects (CPython's index rules)."""
    from .lower_arrays_views import _adjust

    bld = fl.builder
    start, count, step = _adjust(fl, sl, st, length(fl, lst))
    out = new_list(fl, rt.elem, count)
    src, dst = _data(fl, lst), _data(fl, out)
    _loop(fl, count, lambda i: _put(fl, dst, rt.elem, i, load_item(
        fl, _slot(fl, src, t.elem, bld.add(start, bld.mul(i, step))), t.elem), t.elem))
    return out


def setitem(fl: FunctionLowerer, lst: ir.Value, t: ListType, i: ir.Value, it: Type,
            value: ir.Value, vt: Type) -> None:
    i = _index(fl, lst, i, it, messages.LIST_ASSIGN_INDEX)
    _put(fl, _data(fl, lst), t.elem, i, value, vt)


def getiter(fl: FunctionLowerer, lst: ir.Value, it_type) -> ir.Value:
    from .signature import llvm_type

    it = fl.builder.insert_value(ir.Constant(llvm_type(it_type), None), lst, 0)
    return fl.builder.insert_value(it, ir.Constant(I64, 0), 1)


def iternext(fl: FunctionLowerer, it: ir.Value, elem: Type):
    """(ok, item, advanced iterator); the item is read only when there is one."""
    bld = fl.builder
    lst, i = bld.extract_value(it, 0), bld.extract_value(it, 1)
    ok = bld.icmp_signed("<", i, length(fl, lst))
    # read index min(i, length - 1) clamped at 0: always inside the data block's capacity
    safe = bld.select(ok, i, ir.Constant(I64, 0))
    value = load_item(fl, _slot(fl, _data(fl, lst), elem, safe), elem)
    return ok, value, bld.insert_value(it, bld.add(i, ir.Constant(I64, 1)), 1)


def _loop(fl: FunctionLowerer, n: ir.Value, body) -> None:
    """for i in range(n): body(i), as a counted LLVM loop."""
    bld = fl.builder
    before = bld.block
    head = fl.func.append_basic_block("list.loop")
    step = fl.func.append_basic_block("list.body")
    done = fl.func.append_basic_block("list.done")
    bld.branch(head)
    bld.position_at_end(head)
    i = bld.phi(I64)
    i.add_incoming(ir.Constant(I64, 0), before)
    bld.cbranch(bld.icmp_signed("<", i, n), step, done)
    bld.position_at_end(step)
    body(i)
    i.add_incoming(bld.add(i, ir.Constant(I64, 1)), bld.block)
    bld.branch(head)
    bld.position_at_end(done)


# CPython 3.12+ sums floats with Neumaier's compensation (bltinmodule.c); probed, not versioned
COMPENSATED_SUM = sum([1e100, 1.0, -1e100]) == 1.0


def _compensated_add(fl: FunctionLowerer, total: ir.Value, compensation: ir.Value, x: ir.Value):
    """One step of Neumaier's summation: (total + x, compensation + the rounding error)."""
    bld = fl.builder
    t = bld.fadd(total, x)
    fabs = fl.intrinsic("fabs", x.type)
    big_total = bld.fcmp_ordered(">=", bld.call(fabs, [total]), bld.call(fabs, [x]))
    error = bld.select(big_total, bld.fadd(bld.fsub(total, t), x), bld.fadd(bld.fsub(x, t), total))
    return t, bld.fadd(compensation, error)


def _compensated_result(fl: FunctionLowerer, total: ir.Value, compensation: ir.Value) -> ir.Value:
    """CPython adds the compensation only when it is nonzero and finite (keeps -0.0, inf)."""
    bld = fl.builder
    fabs = bld.call(fl.intrinsic("fabs", total.type), [compensation])
    use = bld.and_(bld.fcmp_ordered("!=", compensation, ir.Constant(total.type, 0.0)),
                   bld.fcmp_ordered("<", fabs, ir.Constant(total.type, float("inf"))))
    return bld.select(use, bld.fadd(total, compensation), total)


def sum_(fl: FunctionLowerer, lst: ir.Value, elem: Type, rt: Type, start=None) -> ir.Value:
    """`sum(xs)` or `sum(xs, start)`: the start first, then each item, as CPython adds them."""
    bld = fl.builder
    ty = llvm_type_of(rt)
    acc = fl.alloca(ty)
    bld.store(ir.Constant(ty, 0) if start is None else fl.cast(start[0], start[1], rt), acc)
    compensated = COMPENSATED_SUM and isinstance(rt, FloatType)
    comp = fl.alloca(ty)
    bld.store(ir.Constant(ty, 0), comp)
    data = _data(fl, lst)

    def add(i):
        item = fl.cast(load_item(fl, _slot(fl, data, elem, i), elem), elem, rt)
        total = bld.load(acc, typ=ty)
        if compensated:
            total, c = _compensated_add(fl, total, bld.load(comp, typ=ty), item)
            bld.store(c, comp)
            bld.store(total, acc)
        else:
            bld.store(bld.fadd(total, item) if isinstance(rt, FloatType) else bld.add(total, item), acc)
    _loop(fl, length(fl, lst), add)
    if compensated:
        return _compensated_result(fl, bld.load(acc, typ=ty), bld.load(comp, typ=ty))
    return bld.load(acc, typ=ty)


def any_all(fl: FunctionLowerer, lst: ir.Value, elem: Type, every: bool) -> ir.Value:
    """`any(xs)` / `all(xs)`: the truth of the items, folded (items have no effects: no short cut)."""
    bld = fl.builder
    acc = fl.alloca(I1)
    bld.store(ir.Constant(I1, int(every)), acc)
    data = _data(fl, lst)

    def fold(i):
        item = load_item(fl, _slot(fl, data, elem, i), elem)
        zero = ir.Constant(item.type, 0)
        truth = bld.fcmp_unordered("!=", item, zero) if isinstance(elem, FloatType) \
            else bld.icmp_unsigned("!=", item, zero)
        old = bld.load(acc, typ=I1)
        bld.store(bld.and_(old, truth) if every else bld.or_(old, truth), acc)
    _loop(fl, length(fl, lst), fold)
    return bld.load(acc, typ=I1)


def min_max(fl: FunctionLowerer, lst: ir.Value, elem: Type, largest: bool) -> ir.Value:
    """`min(xs)` / `max(xs)` as CPython computes them: the first item, replaced by each later one
    that compares `<` (`>`) to it (so a NaN first stays); an empty list raises `ValueError`."""
    bld = fl.builder
    n = length(fl, lst)
    fl.raise_if(bld.icmp_signed("==", n, ir.Constant(I64, 0)), ValueError,
                messages.MAX_EMPTY if largest else messages.MIN_EMPTY)
    data = _data(fl, lst)
    acc = fl.alloca(llvm_type_of(elem))
    bld.store(load_item(fl, _slot(fl, data, elem, ir.Constant(I64, 0)), elem), acc)
    op = ">" if largest else "<"

    def pick(i):
        item = load_item(fl, _slot(fl, data, elem, i), elem)
        best = bld.load(acc, typ=llvm_type_of(elem))
        if isinstance(elem, (TupleType, StrType)):
            better = compare_items(fl, op, item, best, elem, elem)
        elif isinstance(elem, FloatType):
            better = bld.fcmp_ordered(op, item, best)
        elif getattr(elem, "signed", False):
            better = bld.icmp_signed(op, item, best)
        else:
            better = bld.icmp_unsigned(op, item, best)
        bld.store(bld.select(better, item, best), acc)
    _loop(fl, n, pick)
    return bld.load(acc, typ=llvm_type_of(elem))


def copy(fl: FunctionLowerer, lst: ir.Value, elem: Type, new_elem: Type) -> ir.Value:
    """`list(xs)`: a new list with the same items."""
    n = length(fl, lst)
    out = new_list(fl, new_elem, n)
    src, dst = _data(fl, lst), _data(fl, out)
    _loop(fl, n, lambda i: _put(fl, dst, new_elem, i, load_item(fl, _slot(fl, src, elem, i), elem), elem))
    return out


def from_range(fl: FunctionLowerer, it: ir.Value, item: Type, new_elem: Type) -> ir.Value:
    """`list(range(...))`: the range's `remaining` items, `next + i * step`."""
    bld = fl.builder
    start, n, step = (bld.extract_value(it, k) for k in range(3))
    out = new_list(fl, new_elem, n)
    dst = _data(fl, out)
    _loop(fl, n, lambda i: _put(fl, dst, new_elem, i, bld.add(start, bld.mul(i, step)), item))
    return out


def _reduce_sequence(fl: FunctionLowerer, callee: str, seq: ir.Value, t: Type, rt: Type) -> ir.Value:
    """`sum`/`min`/`max` of a tuple's items, or `sum(range(...))` in closed form."""
    from .lower_arith import checks_overflow, compare_values

    bld = fl.builder
    if isinstance(t, RangeIterType):
        # start * n + step * n * (n - 1) / 2 in 128 bits, then wrapped (or checked) to int64
        wide = ir.IntType(128)
        start, n, step = (bld.sext(bld.extract_value(seq, k), wide) if k != 1 else
                          bld.zext(bld.extract_value(seq, k), wide) for k in range(3))
        pairs = bld.sdiv(bld.mul(n, bld.sub(n, ir.Constant(wide, 1))), ir.Constant(wide, 2))
        total = bld.add(bld.mul(start, n), bld.mul(step, pairs))
        result = bld.trunc(total, I64)
        if checks_overflow(fl, None, rt):
            fl.raise_if(bld.icmp_signed("!=", bld.sext(result, wide), total), OverflowError,
                        messages.INT_OVERFLOW)
        return result
    items = [bld.extract_value(seq, k) for k in range(len(t.items))]
    item = t.items[0]
    if callee == "builtins.sum":
        total = ir.Constant(llvm_type_of(rt), 0)
        compensation = ir.Constant(llvm_type_of(rt), 0)
        for value in items:
            value = fl.cast(value, item, rt)
            if not isinstance(rt, FloatType):
                total = bld.add(total, value)
            elif COMPENSATED_SUM:
                total, compensation = _compensated_add(fl, total, compensation, value)
            else:
                total = bld.fadd(total, value)
        return _compensated_result(fl, total, compensation) if isinstance(rt, FloatType) else total
    op = ">" if callee == "builtins.max" else "<"
    best = items[0]
    for value in items[1:]:  # CPython keeps the first of equal items
        best = bld.select(compare_values(fl, op, value, best, item, item), value, best)
    return best


def llvm_type_of(t: Type) -> ir.Type:
    from .signature import llvm_type

    return llvm_type(t)


def to_array(fl: FunctionLowerer, lst: ir.Value, elem: Type, rt: ArrayType) -> ir.Value:
    """`np.array(xs)`: a new 1-D array with the list's items (the same bytes: one copy)."""
    from .lower_arrays import data as array_data

    n = length(fl, lst)
    array = new_array(fl, rt, [n])
    _memcpy(fl, array_data(fl, array), _data(fl, lst), fl.builder.mul(n, ir.Constant(I64, item_size(elem))))
    return array


# -- dispatch from the shared ops --------------------------------------------------------------
def call(fl: FunctionLowerer, node, args, in_types, out_types):
    """`len(xs)`, `sum(xs)`, `list()`, `np.array(xs)`; None when the call is not a list's."""
    callee = node.attr("callee")
    if node.attr("symbol") or callee == "value":  # a compiled function given lists: a call
        return None
    source = in_types[0] if in_types[:-1] else None
    if callee == "builtins.sorted" and isinstance(source, (ArrayType, RangeIterType)) \
            or callee == "builtins.list" and isinstance(source, ArrayType):
        from .lower_functional import to_list

        out = to_list(fl, args[0], in_types[0], out_types[0].elem)
        if callee == "builtins.sorted":
            sort(fl, out, out_types[0].elem, _reverse(fl, node, len(args)))
        return [out, None]
    if callee == "builtins.sorted":
        out = copy(fl, args[0], in_types[0].elem, out_types[0].elem)
        sort(fl, out, out_types[0].elem, _reverse(fl, node, len(args)))
        return [out, None]
    if callee == "builtins.list" and in_types[:-1] and not isinstance(in_types[0], (RangeIterType, ListType)):
        from .lower_functional import iter_to_list
        from jitlab.typing.rules.iterators import item_type

        item = item_type(in_types[0])
        return [iter_to_list(fl, args[0], in_types[0], item, out_types[0].elem), None]
    if callee == "builtins.list":
        if in_types[:-1] and isinstance(in_types[0], RangeIterType):
            return [from_range(fl, args[0], in_types[0].item, out_types[0].elem), None]
        if in_types[:-1]:
            return [copy(fl, args[0], in_types[0].elem, out_types[0].elem), None]
        return [empty(fl, out_types[0].elem), None]
    if callee in ("builtins.min", "builtins.max") and len(in_types) == 2 \
            and isinstance(in_types[0], RangeIterType):
        from .lower_ranges import min_max as range_min_max

        return [range_min_max(fl, args[0], callee == "builtins.max"), None]
    if callee == "builtins.sum" and len(in_types) == 3 and isinstance(in_types[0], RangeIterType):
        from .lower_ranges import sum_with_start

        total = _reduce_sequence(fl, callee, args[0], in_types[0], I64_T)
        return [sum_with_start(fl, total, args[1], in_types[1], out_types[0]), None]
    if len(in_types) == 2 and callee in ("builtins.sum", "builtins.min", "builtins.max") \
            and isinstance(in_types[0], (TupleType, RangeIterType)):
        return [_reduce_sequence(fl, callee, args[0], in_types[0], out_types[0]), None]
    if callee in ("math.dist", "math.prod", "math.fsum") \
            and all(isinstance(t, (ListType, TupleType)) for t in in_types[:-1]):
        from .lower_math_special import sequence_call  # (it builds on this module)

        return [sequence_call(fl, node, callee, args[:-1], in_types[:-1], out_types[0]), None]
    if callee == "builtins.reversed" and isinstance(in_types[0], ListType):
        backwards = copy(fl, args[0], in_types[0].elem, in_types[0].elem)
        reverse(fl, backwards, in_types[0].elem)
        return [getiter(fl, backwards, out_types[0]), None]
    if not in_types[:-1] or not isinstance(in_types[0], ListType) \
            or callee in ("builtins.enumerate", "builtins.zip", "random.shuffle", "random.choice"):
        return None
    lst, elem = args[0], in_types[0].elem
    if callee == "builtins.len":
        return [length(fl, lst), None]
    if callee == "builtins.bool":
        return [fl.builder.icmp_signed("!=", length(fl, lst), ir.Constant(I64, 0)), None]
    if callee == "builtins.sum":
        start = (args[1], in_types[1]) if len(args) == 3 else None
        return [sum_(fl, lst, elem, out_types[0], start), None]
    if callee == "numpy.array" and out_types[0].ndim > 1:  # items that are tuples, lists or arrays
        from .list_arrays import stack

        return [stack(fl, lst, in_types[0], out_types[0]), None]
    if callee == "numpy.array":
        return [to_array(fl, lst, elem, out_types[0]), None]
    if callee in ("builtins.any", "builtins.all"):
        return [any_all(fl, lst, elem, callee == "builtins.all"), None]
    if callee in ("builtins.min", "builtins.max"):
        return [min_max(fl, lst, elem, callee == "builtins.max"), None]
    raise LoweringError(f"cannot lower {callee} of a list", line=fl.line)


def callmethod(fl: FunctionLowerer, node, args, in_types, out_types):
    name, lst, elem = node.attr("name"), args[0], in_types[0].elem
    none = [ir.Constant(llvm_type_of(out_types[0]), None), None]
    if name == "append":
        append(fl, lst, elem, args[1], in_types[1])
        return none
    if name == "pop":
        index = (args[1], in_types[1]) if len(args) == 3 else None
        return [pop(fl, lst, elem, index), None]
    if name == "insert":
        insert(fl, lst, elem, (args[1], in_types[1]), args[2], in_types[2])
        return none
    if name == "extend":
        extend(fl, lst, elem, args[1], in_types[1].elem)
        return none
    if name == "count":
        return [count(fl, lst, elem, args[1], in_types[1]), None]
    if name == "index":
        return [index_of(fl, lst, elem, args[1], in_types[1]), None]
    if name == "remove":
        remove(fl, lst, elem, args[1], in_types[1])
        return none
    if name == "__delitem__" and isinstance(in_types[1], SliceType):
        from .list_slices import delete_slice

        delete_slice(fl, lst, in_types[0], args[1], in_types[1])
        return none
    if name == "__delitem__":
        pop(fl, lst, elem, (args[1], in_types[1]), messages.LIST_ASSIGN_INDEX)
        return none
    if name == "copy":
        return [copy(fl, lst, elem, out_types[0].elem), None]
    if name == "clear":
        fl.builder.store(ir.Constant(I64, 0), _field(fl, lst, 0))
        return none
    if name == "reverse":
        reverse(fl, lst, elem)
        return none
    if name == "sort" and node.attr("fn_arg") is not None:  # key=f
        from .lower_functional import sort_method

        return sort_method(fl, node, args, in_types, out_types)
    if name == "sort":
        sort(fl, lst, elem, _reverse(fl, node, len(args)))
        return none
    raise LoweringError(f"cannot lower list.{name}()", line=fl.line)


def binop(fl: FunctionLowerer, node, args, in_types, out_types):
    """`xs + ys`, `xs * n`, `n * xs`."""
    new_elem = out_types[0].elem
    a, b = in_types[0], in_types[1]
    if node.attr("inplace") and isinstance(a, ListType):  # the left list itself, changed
        if isinstance(b, ListType):
            extend(fl, args[0], a.elem, args[1], b.elem)
        else:
            repeat_in_place(fl, args[0], a.elem, fl.cast(args[1], b, I64_T))
        return [args[0], None]
    if isinstance(a, ListType) and isinstance(b, ListType):
        return [concat(fl, [(args[0], a.elem), (args[1], b.elem)], new_elem), None]
    lst, lt, times, tt = (args[0], a, args[1], b) if isinstance(a, ListType) else (args[1], b, args[0], a)
    return [repeat(fl, lst, lt.elem, fl.cast(times, tt, I64_T), new_elem), None]


def compare_tuples(fl: FunctionLowerer, node, args, in_types, out_types):
    """Tuples compare at their first unequal items, else by length (CPython's order)."""
    return [compare_items(fl, node.attr("op"), args[0], args[1], in_types[0], in_types[1]), None]


def lists_equal(fl: FunctionLowerer, node, args, in_types, out_types):
    """`xs == ys` / `xs != ys`: the same length and equal items in turn."""
    from .list_items import lists_equal as equal_lists

    equal = equal_lists(fl, args[0], args[1], in_types[0], in_types[1])
    return [fl.builder.not_(equal) if node.attr("op") == "!=" else equal, None]


def tuple_binop(fl: FunctionLowerer, node, args, in_types, out_types):
    """`t + u` and `t * k` (k a constant): a tuple of the items in turn."""
    from .signature import llvm_type

    bld = fl.builder
    if node.attr("op") == "+":
        items = [bld.extract_value(args[i], k) for i in (0, 1) for k in range(len(in_types[i].items))]
    else:
        i = 0 if isinstance(in_types[0], TupleType) else 1
        parts = [bld.extract_value(args[i], k) for k in range(len(in_types[i].items))]
        items = parts * (len(out_types[0].items) // max(len(parts), 1))
    value = ir.Constant(llvm_type(out_types[0]), None)
    for k, item in enumerate(items):
        value = bld.insert_value(value, item, k)
    return [value, None]


def contains(fl: FunctionLowerer, node, args, in_types, out_types):
    """`x in c` / `x not in c` for a list, a tuple or a range `c` (== on each item, as CPython)."""
    bld = fl.builder
    x, xt, c, ct = args[0], in_types[0], args[1], in_types[1]
    if isinstance(ct, ListType):
        acc = fl.alloca(I1)
        bld.store(ir.Constant(I1, 0), acc)
        data = _data(fl, c)

        def look(i):
            item = load_item(fl, _slot(fl, data, ct.elem, i), ct.elem)
            same = compare_items(fl, "==", x, item, xt, ct.elem)
            bld.store(bld.or_(bld.load(acc, typ=I1), same), acc)
        _loop(fl, length(fl, c), look)
        found = bld.load(acc, typ=I1)
    elif isinstance(ct, RangeIterType):
        found = _in_range(fl, fl.cast(x, xt, ct.item), c)
    else:
        found = ir.Constant(I1, 0)
        for k, item in enumerate(ct.items):
            found = bld.or_(found, compare_items(fl, "==", x, bld.extract_value(c, k), xt, item))
    return [bld.not_(found) if node.attr("op") == "notin" else found, None]


def _in_range(fl: FunctionLowerer, x: ir.Value, it: ir.Value) -> ir.Value:
    """Whether `x` is one of the range iterator's remaining items `next + k * step`."""
    bld = fl.builder
    start, n, step = (bld.extract_value(it, k) for k in range(3))
    zero, one = ir.Constant(I64, 0), ir.Constant(I64, 1)
    up = bld.icmp_signed(">", step, zero)
    # distance from the first item in the direction of the steps, and the stride, as unsigned
    ahead = bld.select(up, bld.icmp_signed(">=", x, start), bld.icmp_signed("<=", x, start))
    distance = bld.select(up, bld.sub(x, start), bld.sub(start, x))
    stride = bld.select(up, step, bld.sub(zero, step))
    nonempty = bld.icmp_unsigned("!=", n, zero)
    safe_stride = bld.select(nonempty, stride, one)
    on_grid = bld.icmp_unsigned("==", bld.urem(distance, safe_stride), zero)
    within = bld.icmp_unsigned("<", bld.udiv(distance, safe_stride), n)
    return bld.and_(bld.and_(nonempty, ahead), bld.and_(on_grid, within))


def truth(fl: FunctionLowerer, node, args, in_types, out_types):
    """`bool(xs)` (`py.truth`) or `not xs` (`py.unop {op = "not"}`)."""
    empty_ = fl.builder.icmp_signed("==", length(fl, args[0]), ir.Constant(I64, 0))
    return [empty_ if node.attr("op") == "not" else fl.builder.not_(empty_), None]


__all__ = ["HEADER", "binop", "build_list", "call", "callmethod", "getitem", "getiter", "iternext", "length",
           "setitem", "sum_", "to_array", "truth"]


# for the modules that build on lists (`lower_math_special`: dist, prod, fsum)
data_of, slot_of, for_each, put, alloc_block, reserve = _data, _slot, _loop, _put, _alloc, _reserve


def move(fl: FunctionLowerer, dst: ir.Value, src: ir.Value, nbytes: ir.Value) -> None:
    _memcpy(fl, dst, src, nbytes, move=True)


def length_field(fl: FunctionLowerer, lst: ir.Value) -> ir.Value:
    return _field(fl, lst, 0)
