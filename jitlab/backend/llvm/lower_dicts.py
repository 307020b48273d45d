"""Lowering of dicts and sets of numbers and tuples of numbers: a hash table in the arena.

A dict or set value is a pointer to a header in the arena (`nrt.py`):

    { i64 used, i64 nentries, i64 mask, ptr indices, ptr entries, i64 capacity }

laid out as CPython's compact dict (`Objects/dictobject.c`): `indices` is an open-addressing
table of `mask + 1` (a power of two, at least 8) i64 slots holding an entry number, -1 (empty)
or -2 (deleted); `entries` holds `{i64 hash, key, value}` (a set's have no value) in insertion
order, `capacity` of them (two thirds of the slots).  A deleted entry keeps its place with the
hash -1 (CPython's `hash()` never returns -1).  Probing is CPython's: start at `hash & mask`,
then `i = (5 * i + perturb + 1) & mask` with `perturb >>= 5` each step.  When the entries are
full the table is rebuilt (live entries moved down, a table of at least three times the
live count) and the old blocks are freed at once (only the header points at them).  Iteration
walks the entries in order: a dict's order is CPython's; a set's is its insertion order too
(CPython's sets are ordered by their own hash table: `docs/ir.md` lists the difference).

Hashes are CPython's (`hashing.py`), and keys are compared with Python's `==` across number
types (`lower_arith.compare_values`), so a dict of int keys finds `d[1.0]` and `d[True]`.

The table's routines (`new`, `grow`, `find`, `insert`) are functions of their own, emitted once
per module and key (and value) type; the ops call them.  Everything lives in the call's arena:
what is not freed by a rebuild is freed when the outermost call returns.
"""
from __future__ import annotations

from llvmlite import ir

from jitlab.errors import LoweringError
from jitlab.ir.types import (
    F64 as F64_T, ArrayType, DictIterType, DictType, FloatType, ListType, RangeIterType, SetType, StrType,
    TupleType, Type,
)

from . import excinfo, formatted, nrt
from .hashing import hash_value
from .irmodule import get_or_define
from .lower import I1, I64, FunctionLowerer
from .lower_lists import _loop  # for i in range(n): body(i), on anything with `builder` and `func`
from .signature import PTR, STATUS, llvm_type

I8, I32 = ir.IntType(8), ir.IntType(32)
USED, NENTRIES, MASK, INDICES, ENTRIES, CAPACITY = range(6)
HEADER_BYTES = 48
MIN_SIZE = 8
EMPTY, DUMMY, DELETED_HASH = -1, -2, -1

DICT_CHANGED = "dictionary changed size during iteration"
SET_CHANGED = "Set changed size during iteration"


class Layout:
    """The entry type of a table of `key`s (and `value`s: None for a set)."""

    def __init__(self, key: Type, value: Type | None):
        self.key, self.value = key, value
        fields = [I64, llvm_type(key)] + ([llvm_type(value)] if value is not None else [])
        self.entry = ir.LiteralStructType(fields)
        self.tag = f"{key}.{value}" if value is not None else f"set.{key}"


def layout_of(t: Type) -> Layout:
    if isinstance(t, DictIterType):
        t = t.source
    if isinstance(t, DictType):
        return Layout(t.key, t.value)
    if isinstance(t, SetType):
        return Layout(t.elem, None)
    raise LoweringError(f"not a dict or set: {t}")


def _routine(module: ir.Module, name: str, ret: ir.Type, params: list[ir.Type], body) -> ir.Function:
    """The table routine `name` of `module` (internal, `ret(params)`): its body is written by
    `body(fn, helper)`, with a `_Helper` over it, the first time it is asked for
    (`irmodule.get_or_define`)."""
    return get_or_define(module, name, ir.FunctionType(ret, params), lambda fn: body(fn, _Helper(module, fn)))


class _Helper:
    """Enough of a `FunctionLowerer` for `cast` and `compare_values` inside a table routine."""

    line = None
    traps_on_raise = False
    cast = FunctionLowerer.cast
    truth = FunctionLowerer.truth
    intrinsic = FunctionLowerer.intrinsic
    declare = FunctionLowerer.declare

    def __init__(self, module: ir.Module, fn: ir.Function):
        self.module, self.func = module, fn
        self.entry = fn.append_basic_block("entry")
        self.builder = ir.IRBuilder(fn.append_basic_block("body"))
        self._allocas = ir.IRBuilder(self.entry)

    def alloca(self, ty: ir.Type) -> ir.Value:
        return self._allocas.alloca(ty)

    def block(self, name: str) -> ir.Block:
        return self.func.append_basic_block(name)

    def done(self) -> None:
        self._allocas.branch(self.func.blocks[1])


def _field(b: ir.IRBuilder, table: ir.Value, k: int) -> ir.Value:
    return b.gep(table, [I64(8 * k)], source_etype=I8)


def _get(b: ir.IRBuilder, table: ir.Value, k: int) -> ir.Value:
    return b.load(_field(b, table, k), typ=PTR if k in (INDICES, ENTRIES) else I64)


def _set(b: ir.IRBuilder, table: ir.Value, k: int, value: ir.Value) -> None:
    b.store(value, _field(b, table, k))


def _entry(b: ir.IRBuilder, entries: ir.Value, layout: Layout, i: ir.Value) -> ir.Value:
    return b.gep(entries, [i], source_etype=layout.entry)


def _entry_field(b: ir.IRBuilder, entry: ir.Value, layout: Layout, k: int) -> ir.Value:
    return b.gep(entry, [I32(0), I32(k)], source_etype=layout.entry)


def _load_field(b: ir.IRBuilder, entry: ir.Value, layout: Layout, k: int) -> ir.Value:
    return b.load(_entry_field(b, entry, layout, k), typ=layout.entry.elements[k])


def _slot(b: ir.IRBuilder, indices: ir.Value, i: ir.Value) -> ir.Value:
    return b.gep(indices, [i], source_etype=I64)


def _entry_size(b: ir.IRBuilder, layout: Layout) -> ir.Value:
    return b.ptrtoint(b.gep(ir.Constant(PTR, None), [I64(1)], source_etype=layout.entry), I64)


def _usable(b: ir.IRBuilder, size: ir.Value) -> ir.Value:
    return b.udiv(b.shl(size, I64(1)), I64(3))


def _memset(h, ptr: ir.Value, byte: int, nbytes: ir.Value) -> None:
    fn = h.declare("llvm.memset.p0.i64", ir.FunctionType(ir.VoidType(), [PTR, I8, I64, I1]))
    h.builder.call(fn, [ptr, I8(byte), nbytes, I1(0)])


def _next_probe(b: ir.IRBuilder, i: ir.Value, perturb: ir.Value, mask: ir.Value):
    perturb = b.lshr(perturb, I64(5))
    return b.and_(b.add(b.add(b.mul(i, I64(5)), perturb), I64(1)), mask), perturb


def _size_for(h: _Helper, at_least: ir.Value) -> ir.Value:
    """The smallest power of two >= max(`at_least`, 8)."""
    b = h.builder
    small = b.icmp_unsigned("<=", at_least, I64(MIN_SIZE))
    wanted = b.sub(b.select(small, I64(MIN_SIZE), at_least), I64(1))
    ctlz = h.declare("llvm.ctlz.i64", ir.FunctionType(I64, [I64, I1]))
    return b.shl(I64(1), b.sub(I64(64), b.call(ctlz, [wanted, I1(0)])))


def _alloc_blocks(h: _Helper, layout: Layout, size: ir.Value, fail: ir.Block):
    """New indices (all empty) and entries blocks for a table of `size` slots; to `fail` when
    out of memory."""
    b = h.builder
    alloc = nrt.alloc_function(h.module)
    indices = b.call(alloc, [b.mul(size, I64(8)), I1(0)])
    capacity = _usable(b, size)
    entries = b.call(alloc, [b.mul(capacity, _entry_size(b, layout)), I1(0)])
    ok = h.block("alloc.ok")
    b.cbranch(b.or_(b.icmp_unsigned("==", indices, PTR(None)), b.icmp_unsigned("==", entries, PTR(None))),
              fail, ok)
    b.position_at_end(ok)
    _memset(h, indices, 0xFF, b.mul(size, I64(8)))
    return indices, entries, capacity


def new_function(module: ir.Module, layout: Layout) -> ir.Function:
    """`ptr jitlab.dict.new.<tag>(i64 count)`: an empty table with room for `count` entries
    (null when out of memory)."""
    name = f"jitlab.dict.new.{layout.tag}"

    def body(fn: ir.Function, h: _Helper) -> None:
        b = h.builder
        fail = h.block("fail")
        header = b.call(nrt.alloc_function(module), [I64(HEADER_BYTES), I1(0)])
        got = h.block("header")
        b.cbranch(b.icmp_unsigned("==", header, PTR(None)), fail, got)
        b.position_at_end(got)
        size = _size_for(h, b.add(b.udiv(b.mul(fn.args[0], I64(3)), I64(2)), I64(1)))
        indices, entries, capacity = _alloc_blocks(h, layout, size, fail)
        for k, v in ((USED, I64(0)), (NENTRIES, I64(0)), (MASK, b.sub(size, I64(1))), (INDICES, indices),
                     (ENTRIES, entries), (CAPACITY, capacity)):
            _set(b, header, k, v)
        b.ret(header)
        b.position_at_end(fail)
        b.ret(PTR(None))
        h.done()
    return _routine(module, name, PTR, [I64], body)


def _free_slot(h, indices: ir.Value, mask: ir.Value, hash_: ir.Value, free_if) -> ir.Value:
    """The first slot on `hash_`'s probe sequence whose content satisfies `free_if`."""
    b = h.builder
    first = b.and_(hash_, mask)
    before = b.block
    head, on, done = h.block("probe"), h.block("probe.next"), h.block("probe.found")
    b.branch(head)
    b.position_at_end(head)
    i, perturb = b.phi(I64), b.phi(I64)
    i.add_incoming(first, before)
    perturb.add_incoming(hash_, before)
    b.cbranch(free_if(b.load(_slot(b, indices, i), typ=I64)), done, on)
    b.position_at_end(on)
    nxt, nperturb = _next_probe(b, i, perturb, mask)
    i.add_incoming(nxt, on)
    perturb.add_incoming(nperturb, on)
    b.branch(head)
    b.position_at_end(done)
    return i


def grow_function(module: ir.Module, layout: Layout) -> ir.Function:
    """`i1 jitlab.dict.grow.<tag>(ptr table)`: rebuild the table with room for at least twice
    its live entries, live entries moved down in order; false when out of memory."""
    name = f"jitlab.dict.grow.{layout.tag}"

    def body(fn: ir.Function, h: _Helper) -> None:
        b = h.builder
        table = fn.args[0]
        fail = h.block("fail")
        size = _size_for(h, b.mul(_get(b, table, USED), I64(3)))
        mask = b.sub(size, I64(1))
        indices, entries, capacity = _alloc_blocks(h, layout, size, fail)
        old_indices, old_entries = _get(b, table, INDICES), _get(b, table, ENTRIES)
        count = h.alloca(I64)
        b.store(I64(0), count)

        def move(i):
            entry = _entry(b, old_entries, layout, i)
            hash_ = _load_field(b, entry, layout, 0)
            with b.if_then(b.icmp_signed("!=", hash_, I64(DELETED_HASH))):
                j = b.load(count, typ=I64)
                b.store(b.load(entry, typ=layout.entry), _entry(b, entries, layout, j))
                slot = _free_slot(h, indices, mask, hash_, lambda ix: b.icmp_signed("==", ix, I64(EMPTY)))
                b.store(j, _slot(b, indices, slot))
                b.store(b.add(j, I64(1)), count)
        _loop(h, _get(b, table, NENTRIES), move)
        free = nrt.free_function(module)
        b.call(free, [old_indices])
        b.call(free, [old_entries])
        for k, v in ((NENTRIES, b.load(count, typ=I64)), (MASK, mask), (INDICES, indices), (ENTRIES, entries),
                     (CAPACITY, capacity)):
            _set(b, table, k, v)
        b.ret(I1(1))
        b.position_at_end(fail)
        b.ret(I1(0))
        h.done()
    return _routine(module, name, I1, [PTR], body)


def _equal(fl, a: ir.Value, ta: Type, b_: ir.Value, tb: Type) -> ir.Value:
    """Python's `a == b` of two numbers or two tuples of numbers of one length."""
    from .lower_arith import compare_values

    if isinstance(ta, StrType) or isinstance(tb, StrType):
        from .lower_str import equal_values

        return equal_values(fl.builder, a, ta, b_, tb)
    if isinstance(ta, TupleType):
        b = fl.builder
        same = I1(1)
        for k, (x, y) in enumerate(zip(ta.items, tb.items)):
            same = b.and_(same, _equal(fl, b.extract_value(a, k), x, b.extract_value(b_, k), y))
        return same
    return compare_values(fl, "==", a, b_, ta, tb)


def find_function(module: ir.Module, layout: Layout, query: Type) -> ir.Function:
    """`i64 jitlab.dict.find.<tag>.<query>(ptr table, query key, i64 hash)`: the slot of the
    entry whose key == `key`, or -1."""
    name = f"jitlab.dict.find.{layout.tag}.{query}"

    def body(fn: ir.Function, h: _Helper) -> None:
        b = h.builder
        table, key, hash_ = fn.args
        mask, indices, entries = _get(b, table, MASK), _get(b, table, INDICES), _get(b, table, ENTRIES)
        first = b.and_(hash_, mask)
        start = b.block
        head, live, compare, on, missing, found = (h.block(n) for n in (
            "probe", "live", "compare", "next", "missing", "found"))
        b.branch(head)
        b.position_at_end(head)
        i, perturb = b.phi(I64), b.phi(I64)
        i.add_incoming(first, start)
        perturb.add_incoming(hash_, start)
        ix = b.load(_slot(b, indices, i), typ=I64)
        empty = b.icmp_signed("==", ix, I64(EMPTY))
        b.cbranch(empty, missing, live)
        b.position_at_end(live)
        b.cbranch(b.icmp_signed(">=", ix, I64(0)), compare, on)
        b.position_at_end(compare)
        entry = _entry(b, entries, layout, b.select(b.icmp_signed(">=", ix, I64(0)), ix, I64(0)))
        same_hash = b.icmp_signed("==", _load_field(b, entry, layout, 0), hash_)
        check = h.block("check")
        b.cbranch(same_hash, check, on)
        b.position_at_end(check)
        b.cbranch(_equal(h, _load_field(b, entry, layout, 1), layout.key, key, query), found, on)
        b.position_at_end(on)
        nxt, nperturb = _next_probe(b, i, perturb, mask)
        i.add_incoming(nxt, on)
        perturb.add_incoming(nperturb, on)
        b.branch(head)
        b.position_at_end(missing)
        b.ret(I64(-1))
        b.position_at_end(found)
        b.ret(i)
        h.done()
    return _routine(module, name, I64, [PTR, llvm_type(query), I64], body)


def insert_function(module: ir.Module, layout: Layout) -> ir.Function:
    """`i64 jitlab.dict.insert.<tag>(ptr table, key, i64 hash)`: the entry number of `key`,
    added (hash and key stored, the value left to the caller) when missing; -1 when out of
    memory."""
    name = f"jitlab.dict.insert.{layout.tag}"

    def body(fn: ir.Function, h: _Helper) -> None:
        b = h.builder
        table, key, hash_ = fn.args
        slot = b.call(find_function(module, layout, layout.key), [table, key, hash_])
        with b.if_then(b.icmp_signed(">=", slot, I64(0))):
            b.ret(b.load(_slot(b, _get(b, table, INDICES), slot), typ=I64))
        full = b.icmp_signed(">=", _get(b, table, NENTRIES), _get(b, table, CAPACITY))
        grow, grown = h.block("grow"), h.block("grown")
        b.cbranch(full, grow, grown)
        b.position_at_end(grow)
        failed = h.block("grow.failed")
        b.cbranch(b.call(grow_function(module, layout), [table]), grown, failed)
        b.position_at_end(failed)
        b.ret(I64(-1))
        b.position_at_end(grown)
        indices, entries, mask = _get(b, table, INDICES), _get(b, table, ENTRIES), _get(b, table, MASK)
        free = _free_slot(h, indices, mask, hash_, lambda ix: b.icmp_signed("<", ix, I64(0)))
        ix = _get(b, table, NENTRIES)
        b.store(ix, _slot(b, indices, free))
        entry = _entry(b, entries, layout, ix)
        b.store(hash_, _entry_field(b, entry, layout, 0))
        b.store(key, _entry_field(b, entry, layout, 1))
        _set(b, table, NENTRIES, b.add(ix, I64(1)))
        _set(b, table, USED, b.add(_get(b, table, USED), I64(1)))
        b.ret(ix)
        h.done()
    return _routine(module, name, I64, [PTR, llvm_type(layout.key), I64], body)


# -- building blocks of the ops ----------------------------------------------------------------
def length(fl: FunctionLowerer, table: ir.Value) -> ir.Value:
    return _get(fl.builder, table, USED)


def new_table(fl: FunctionLowerer, layout: Layout, count: ir.Value | int = 0) -> ir.Value:
    count = I64(count) if isinstance(count, int) else count
    table = fl.builder.call(new_function(fl.module, layout), [count])
    fl.raise_if(fl.builder.icmp_unsigned("==", table, PTR(None)), MemoryError,
                "Unable to allocate memory for a dict or set in compiled code")
    return table


def insert(fl: FunctionLowerer, table: ir.Value, layout: Layout, key: ir.Value, kt: Type) -> ir.Value:
    """The entry number of `key` (converted to the table's key type), added when missing."""
    b = fl.builder
    key = convert(fl, key, kt, layout.key)
    ix = b.call(insert_function(fl.module, layout), [table, key, hash_value(b, key, layout.key)])
    fl.raise_if(b.icmp_signed("<", ix, I64(0)), MemoryError,
                "Unable to allocate memory for a dict or set in compiled code")
    return ix


def store(fl: FunctionLowerer, table: ir.Value, layout: Layout, key, kt: Type, value=None, vt=None) -> None:
    """`d[key] = value`, `s.add(key)`."""
    ix = insert(fl, table, layout, key, kt)
    if layout.value is not None:
        b = fl.builder
        entry = _entry(b, _get(b, table, ENTRIES), layout, ix)
        b.store(convert(fl, value, vt, layout.value), _entry_field(b, entry, layout, 2))


def convert(fl: FunctionLowerer, value: ir.Value, src: Type, dst: Type) -> ir.Value:
    """`fl.cast`, item by item for tuples."""
    if src == dst:
        return value
    if isinstance(src, TupleType) and isinstance(dst, TupleType) and len(src.items) == len(dst.items):
        b = fl.builder
        out = ir.Constant(llvm_type(dst), None)
        for k, (s, d) in enumerate(zip(src.items, dst.items)):
            out = b.insert_value(out, fl.cast(b.extract_value(value, k), s, d), k)
        return out
    return fl.cast(value, src, dst)


def find(fl: FunctionLowerer, table: ir.Value, layout: Layout, key: ir.Value, kt: Type) -> ir.Value:
    """The slot of `key` (a key of any number type: CPython's `==`), or -1."""
    b = fl.builder
    return b.call(find_function(fl.module, layout, kt), [table, key, hash_value(b, key, kt)])


def _entry_at_slot(fl: FunctionLowerer, table: ir.Value, layout: Layout, slot: ir.Value) -> ir.Value:
    b = fl.builder
    safe = b.select(b.icmp_signed(">=", slot, I64(0)), slot, I64(0))
    ix = b.load(_slot(b, _get(b, table, INDICES), safe), typ=I64)
    ix = b.select(b.icmp_signed(">=", ix, I64(0)), ix, I64(0))
    return _entry(b, _get(b, table, ENTRIES), layout, ix)


def delete_slot(fl: FunctionLowerer, table: ir.Value, layout: Layout, slot: ir.Value) -> None:
    """Delete the (live) entry of `slot`."""
    b = fl.builder
    at = _slot(b, _get(b, table, INDICES), slot)
    entry = _entry(b, _get(b, table, ENTRIES), layout, b.load(at, typ=I64))
    b.store(I64(DUMMY), at)
    b.store(I64(DELETED_HASH), _entry_field(b, entry, layout, 0))
    _set(b, table, USED, b.sub(_get(b, table, USED), I64(1)))


def raise_key_error(fl: FunctionLowerer, cond: ir.Value, key: ir.Value, kt: Type) -> None:
    """Continue when `cond` is false, else raise `KeyError(key)` (the key object itself, as
    CPython: `KeyError: 3`, `KeyError: (1, 2)`)."""
    if fl.traps_on_raise:
        fl.raise_if(cond, KeyError, "key not found")
        return
    b = fl.builder
    cold, cont = fl.func.append_basic_block("key.missing"), fl.func.append_basic_block("key.found")
    b.cbranch(cond, cold, cont)
    b.position_at_end(cold)
    if isinstance(kt, TupleType):
        values, types = [b.extract_value(key, k) for k in range(len(kt.items))], list(kt.items)
    else:
        values, types = [key], [kt]
    shown = [F64_T if isinstance(t, FloatType) else t for t in types]  # a float32 key shows as its double
    values, types = [fl.cast(v, t, s) for v, t, s in zip(values, types, shown)], shown
    record = formatted.raise_record(fl, "{}" * len(values), values, types, marker=formatted.KEY_MARKER)
    b.store(record, fl.excmsg_ptr)
    fl.leave(b, ir.Constant(STATUS, excinfo.code_of(KeyError)))
    b.position_at_end(cont)


def _for_each(fl, table: ir.Value, layout: Layout, body) -> None:
    """body(entry pointer) for each live entry, in order (the entries block re-read each time)."""
    b = fl.builder

    def visit(i):
        entry = _entry(b, _get(b, table, ENTRIES), layout, i)
        with b.if_then(b.icmp_signed("!=", _load_field(b, entry, layout, 0), I64(DELETED_HASH))):
            body(entry)
    _loop(fl, _get(b, table, NENTRIES), visit)


def _item(fl, entry: ir.Value, layout: Layout, kind: str) -> ir.Value:
    b = fl.builder
    if kind == "keys" or layout.value is None:
        return _load_field(b, entry, layout, 1)
    if kind == "values":
        return _load_field(b, entry, layout, 2)
    pair = ir.Constant(ir.LiteralStructType(layout.entry.elements[1:]), None)
    pair = b.insert_value(pair, _load_field(b, entry, layout, 1), 0)
    return b.insert_value(pair, _load_field(b, entry, layout, 2), 1)


def _item_type(layout: Layout, kind: str) -> Type:
    if kind == "keys" or layout.value is None:
        return layout.key
    if kind == "values":
        return layout.value
    return TupleType((layout.key, layout.value))


def for_each_item(fl: FunctionLowerer, source: ir.Value, st: Type, body) -> None:
    """body(value, type) for each item iterating `source` gives (a dict's keys, a set's items,
    a view's keys/values/items, a list's, a range's, a 1-d array's, a tuple's)."""
    from . import lower_lists
    from .lower_arrays import element_pointer, load_element, shape

    b = fl.builder
    if isinstance(st, (DictType, SetType, DictIterType)):
        layout = layout_of(st)
        kind = st.kind if isinstance(st, DictIterType) else "keys"
        table = b.extract_value(source, 0) if isinstance(st, DictIterType) else source
        _for_each(fl, table, layout, lambda e: body(_item(fl, e, layout, kind), _item_type(layout, kind)))
    elif isinstance(st, ListType):
        data = lower_lists._data(fl, source)
        _loop(fl, lower_lists.length(fl, source), lambda i: body(
            lower_lists.load_item(fl, lower_lists._slot(fl, data, st.elem, i), st.elem), st.elem))
    elif isinstance(st, RangeIterType):
        start, n, step = (b.extract_value(source, k) for k in range(3))
        _loop(fl, n, lambda i: body(b.add(start, b.mul(i, step)), st.item))
    elif isinstance(st, ArrayType) and st.ndim == 1:
        _loop(fl, shape(fl, source, 0), lambda i: body(
            load_element(fl, element_pointer(fl, source, st, [i]), st.dtype), st.dtype))
    elif isinstance(st, TupleType):
        for k, t in enumerate(st.items):
            body(b.extract_value(source, k), t)
    else:
        raise LoweringError(f"cannot iterate over a {st} here", line=fl.line)


def copy_table(fl: FunctionLowerer, table: ir.Value, st: Type, out: Type) -> ir.Value:
    """A new table of `out`'s types with the entries of `table` (of type `st`)."""
    src, dst = layout_of(st), layout_of(out)
    new = new_table(fl, dst, length(fl, table))
    _for_each(fl, table, src, lambda e: store(
        fl, new, dst, _load_field(fl.builder, e, src, 1), src.key,
        *((_load_field(fl.builder, e, src, 2), src.value) if src.value is not None else ())))
    return new


def fill(fl: FunctionLowerer, table: ir.Value, layout: Layout, source: ir.Value, st: Type) -> None:
    """Add the items of `source` (`update`): a dict's entries to a dict, anything's items to a set."""
    if layout.value is not None:
        src = layout_of(st)
        _for_each(fl, source, src, lambda e: store(fl, table, layout, _load_field(fl.builder, e, src, 1),
                                                  src.key, _load_field(fl.builder, e, src, 2), src.value))
        return
    for_each_item(fl, source, st, lambda v, t: store(fl, table, layout, v, t))


def to_list(fl: FunctionLowerer, source: ir.Value, st: Type, elem: Type) -> ir.Value:
    """`list(d)`, `list(s)`, `list(d.values())`: a new list of the items in order."""
    from . import lower_lists

    b = fl.builder
    table = b.extract_value(source, 0) if isinstance(st, DictIterType) else source
    lst = lower_lists.new_list(fl, elem, length(fl, table))
    count = fl.alloca(I64)
    b.store(I64(0), count)

    def put(value, t):
        j = b.load(count, typ=I64)
        lower_lists._put(fl, lower_lists._data(fl, lst), elem, j, value, t)
        b.store(b.add(j, I64(1)), count)
    for_each_item(fl, source, st, put)
    return lst


def _contains(fl: FunctionLowerer, table: ir.Value, layout: Layout, key: ir.Value, kt: Type) -> ir.Value:
    return fl.builder.icmp_signed(">=", find(fl, table, layout, key, kt), I64(0))


def subset(fl: FunctionLowerer, a: ir.Value, at: Type, b_: ir.Value, bt: Type) -> ir.Value:
    """Whether every item of set `a` is in set `b`."""
    b = fl.builder
    la, lb = layout_of(at), layout_of(bt)
    acc = fl.alloca(I1)
    b.store(b.icmp_signed("<=", length(fl, a), length(fl, b_)), acc)
    with b.if_then(b.load(acc, typ=I1)):
        _for_each(fl, a, la, lambda e: b.store(b.and_(b.load(acc, typ=I1), _contains(
            fl, b_, lb, _load_field(b, e, la, 1), la.key)), acc))
    return b.load(acc, typ=I1)


def tables_equal(fl: FunctionLowerer, a: ir.Value, at: Type, b_: ir.Value, bt: Type) -> ir.Value:
    """`a == b` of two dicts (the same keys, equal values) or two sets."""
    b = fl.builder
    la, lb = layout_of(at), layout_of(bt)
    if la.value is None:
        return b.and_(b.icmp_signed("==", length(fl, a), length(fl, b_)), subset(fl, a, at, b_, bt))
    acc = fl.alloca(I1)
    b.store(b.icmp_signed("==", length(fl, a), length(fl, b_)), acc)

    def look(e):
        slot = find(fl, b_, lb, _load_field(b, e, la, 1), la.key)
        other = _load_field(b, _entry_at_slot(fl, b_, lb, slot), lb, 2)
        same = b.and_(b.icmp_signed(">=", slot, I64(0)),
                      _equal(fl, _load_field(b, e, la, 2), la.value, other, lb.value))
        b.store(b.and_(b.load(acc, typ=I1), same), acc)
    with b.if_then(b.load(acc, typ=I1)):
        _for_each(fl, a, la, look)
    return b.load(acc, typ=I1)


# -- the ops ---------------------------------------------------------------------------------
def build_map(fl: FunctionLowerer, node, args, in_types, out_types):
    layout = layout_of(out_types[0])
    items = list(zip(args[:-1], in_types[:-1]))
    table = new_table(fl, layout, len(items) // 2)
    for (k, kt), (v, vt) in zip(items[::2], items[1::2]):
        store(fl, table, layout, k, kt, v, vt)
    return [table, None]


def build_set(fl: FunctionLowerer, node, args, in_types, out_types):
    layout = layout_of(out_types[0])
    table = new_table(fl, layout, len(args) - 1)
    for v, t in zip(args[:-1], in_types[:-1]):
        store(fl, table, layout, v, t)
    return [table, None]


def getitem(fl: FunctionLowerer, node, args, in_types, out_types):
    table, key, kt = args[0], args[1], in_types[1]
    layout = layout_of(in_types[0])
    slot = find(fl, table, layout, key, kt)
    raise_key_error(fl, fl.builder.icmp_signed("<", slot, I64(0)), key, kt)
    return [_load_field(fl.builder, _entry_at_slot(fl, table, layout, slot), layout, 2), None]


def setitem(fl: FunctionLowerer, node, args, in_types, out_types):
    store(fl, args[0], layout_of(in_types[0]), args[1], in_types[1], args[2], in_types[2])
    return [None]


def _lookup_default(fl, table, layout: Layout, key, kt, default, dt, rt, pop: bool):
    """`d.get(k, default)` / `d.pop(k[, default])`."""
    b = fl.builder
    slot = find(fl, table, layout, key, kt)
    found = b.icmp_signed(">=", slot, I64(0))
    if default is None:
        raise_key_error(fl, b.not_(found), key, kt)
    value = fl.cast(_load_field(b, _entry_at_slot(fl, table, layout, slot), layout, 2), layout.value, rt) \
        if not isinstance(rt, TupleType) else convert(fl, _load_field(
            b, _entry_at_slot(fl, table, layout, slot), layout, 2), layout.value, rt)
    if pop:
        with b.if_then(found):
            delete_slot(fl, table, layout, slot)
    if default is None:
        return value
    return b.select(found, value, convert(fl, default, dt, rt))


def _pop_last(fl, table, layout: Layout, empty_message: str) -> ir.Value:
    """Remove and return the last live entry (`popitem`, `set.pop`); KeyError when empty."""
    b = fl.builder
    fl.raise_if(b.icmp_signed("==", length(fl, table), I64(0)), KeyError, empty_message)
    # trailing deleted entries are dropped first, so the last entry is live
    count = _get(b, table, NENTRIES)
    before = b.block
    head, back, done = (fl.func.append_basic_block(n) for n in ("pop.scan", "pop.back", "pop.last"))
    b.branch(head)
    b.position_at_end(head)
    n = b.phi(I64)
    n.add_incoming(count, before)
    last = _entry(b, _get(b, table, ENTRIES), layout, b.sub(n, I64(1)))
    b.cbranch(b.icmp_signed("==", _load_field(b, last, layout, 0), I64(DELETED_HASH)), back, done)
    b.position_at_end(back)
    n.add_incoming(b.sub(n, I64(1)), back)
    b.branch(head)
    b.position_at_end(done)
    key = _load_field(b, last, layout, 1)
    item = _item(fl, last, layout, "items")
    slot = b.call(find_function(fl.module, layout, layout.key),
                  [table, key, _load_field(b, last, layout, 0)])
    delete_slot(fl, table, layout, slot)
    _set(b, table, NENTRIES, b.sub(n, I64(1)))
    return item


def iterator(fl: FunctionLowerer, table: ir.Value, it_type: Type) -> ir.Value:
    b = fl.builder
    it = b.insert_value(ir.Constant(llvm_type(it_type), None), table, 0)
    it = b.insert_value(it, I64(0), 1)
    return b.insert_value(it, length(fl, table), 2)


def _clear(fl, table) -> None:
    b = fl.builder
    _set(b, table, USED, I64(0))
    _set(b, table, NENTRIES, I64(0))
    fn = fl.declare("llvm.memset.p0.i64", ir.FunctionType(ir.VoidType(), [PTR, I8, I64, I1]))
    b.call(fn, [_get(b, table, INDICES), I8(0xFF), b.mul(b.add(_get(b, table, MASK), I64(1)), I64(8)), I1(0)])


def _set_op(fl, name: str, a, at: Type, b_, bt: Type, out: Type | None) -> ir.Value | None:
    """The set operations; `out` None: in place into `a`."""
    b = fl.builder
    la, lb = layout_of(at), layout_of(bt)
    if out is not None:
        lo = layout_of(out)
        result = new_table(fl, lo, length(fl, a))
        if name in ("union", "symmetric_difference"):
            keep_a = (lambda e: I1(1)) if name == "union" else \
                (lambda e: b.not_(_contains(fl, b_, lb, _load_field(b, e, la, 1), la.key)))
        elif name == "intersection":
            keep_a = lambda e: _contains(fl, b_, lb, _load_field(b, e, la, 1), la.key)  # noqa: E731
        else:  # difference
            keep_a = lambda e: b.not_(_contains(fl, b_, lb, _load_field(b, e, la, 1), la.key))  # noqa: E731

        def take_a(e):
            with b.if_then(keep_a(e)):
                store(fl, result, lo, _load_field(b, e, la, 1), la.key)
        _for_each(fl, a, la, take_a)
        if name in ("union", "symmetric_difference"):
            def take_b(e):
                key = _load_field(b, e, lb, 1)
                keep = I1(1) if name == "union" else b.not_(_contains(fl, a, la, key, lb.key))
                with b.if_then(keep):
                    store(fl, result, lo, key, lb.key)
            _for_each(fl, b_, lb, take_b)
        return result
    if name == "update":
        _for_each(fl, b_, lb, lambda e: store(fl, a, la, _load_field(b, e, lb, 1), lb.key))
    elif name in ("intersection_update", "difference_update"):
        keep_if_in = name == "intersection_update"

        def drop(e):
            present = _contains(fl, b_, lb, _load_field(b, e, la, 1), la.key)
            with b.if_then(b.not_(present) if keep_if_in else present):
                slot = find(fl, a, la, _load_field(b, e, la, 1), la.key)
                delete_slot(fl, a, la, slot)
        _for_each(fl, a, la, drop)
    else:  # symmetric_difference_update: each item of b leaves a if there, joins it if not
        same = b.icmp_unsigned("==", a, b_)
        with b.if_else(same) as (itself, other):
            with itself:
                _clear(fl, a)
            with other:
                def toggle(e):
                    key = _load_field(b, e, lb, 1)
                    slot = find(fl, a, la, key, lb.key)
                    with b.if_else(b.icmp_signed(">=", slot, I64(0))) as (there, absent):
                        with there:
                            delete_slot(fl, a, la, slot)
                        with absent:
                            store(fl, a, la, key, lb.key)
                _for_each(fl, b_, lb, toggle)
    return None


_BINOPS = {"|": "union", "&": "intersection", "-": "difference", "^": "symmetric_difference"}


def binop(fl: FunctionLowerer, node, args, in_types, out_types):
    name = _BINOPS[node.attr("op")]
    if node.attr("inplace"):
        in_place = {"union": "update"}.get(name, name + "_update")
        _set_op(fl, in_place, args[0], in_types[0], args[1], in_types[1], None)
        return [args[0], None]
    return [_set_op(fl, name, args[0], in_types[0], args[1], in_types[1], out_types[0]), None]


def callmethod(fl: FunctionLowerer, node, args, in_types, out_types):
    name, table, t = node.attr("name"), args[0], in_types[0]
    layout = layout_of(t)
    b = fl.builder
    rt = out_types[0]
    none = [ir.Constant(llvm_type(rt), None), None]
    if name in ("keys", "values", "items"):
        return [iterator(fl, table, rt), None]
    if name in ("get", "pop") and isinstance(t, DictType):
        default = (args[2], in_types[2]) if len(args) == 4 else (None, None)
        return [_lookup_default(fl, table, layout, args[1], in_types[1], *default, rt, name == "pop"), None]
    if name == "setdefault":
        before = length(fl, table)
        ix = insert(fl, table, layout, args[1], in_types[1])
        entry = _entry(b, _get(b, table, ENTRIES), layout, ix)
        with b.if_then(b.icmp_signed("!=", before, length(fl, table))):
            b.store(convert(fl, args[2], in_types[2], layout.value), _entry_field(b, entry, layout, 2))
        return [convert(fl, _load_field(b, entry, layout, 2), layout.value, rt), None]
    if name in ("__delitem__", "remove", "discard"):
        slot = find(fl, table, layout, args[1], in_types[1])
        found = b.icmp_signed(">=", slot, I64(0))
        if name != "discard":
            raise_key_error(fl, b.not_(found), args[1], in_types[1])
        with b.if_then(found):
            delete_slot(fl, table, layout, slot)
        return none
    if name == "popitem":
        return [_pop_last(fl, table, layout, "popitem(): dictionary is empty"), None]
    if name == "pop":  # a set's
        return [_pop_last(fl, table, layout, "pop from an empty set"), None]
    if name == "add":
        store(fl, table, layout, args[1], in_types[1])
        return none
    if name == "clear":
        _clear(fl, table)
        return none
    if name == "copy":
        return [copy_table(fl, table, t, rt), None]
    if name == "update":
        fill(fl, table, layout, args[1], in_types[1])
        return none
    if name in ("union", "intersection", "difference", "symmetric_difference"):
        return [_set_op(fl, name, table, t, args[1], in_types[1], rt), None]
    if name in ("intersection_update", "difference_update", "symmetric_difference_update"):
        if name == "symmetric_difference_update" and not isinstance(in_types[1], SetType):
            other = new_table(fl, layout_of(SetType(layout.key)), 0)
            fill(fl, other, layout_of(SetType(layout.key)), args[1], in_types[1])
            _set_op(fl, name, table, t, other, SetType(layout.key), None)
        else:
            _set_op(fl, name, table, t, args[1], in_types[1], None)
        return none
    if name == "issubset":
        return [subset(fl, table, t, args[1], in_types[1]), None]
    if name == "issuperset":
        return [subset(fl, args[1], in_types[1], table, t), None]
    if name == "isdisjoint":
        lb = layout_of(in_types[1])
        acc = fl.alloca(I1)
        b.store(I1(1), acc)
        _for_each(fl, table, layout, lambda e: b.store(b.and_(b.load(acc, typ=I1), b.not_(_contains(
            fl, args[1], lb, _load_field(b, e, layout, 1), layout.key))), acc))
        return [b.load(acc, typ=I1), None]
    raise LoweringError(f"cannot lower {t}.{name}()", line=fl.line)


def compare(fl: FunctionLowerer, node, args, in_types, out_types):
    """`k in d`, `==`, `!=`, and the subset comparisons of sets."""
    b = fl.builder
    op = node.attr("op")
    a, at, c, ct = args[0], in_types[0], args[1], in_types[1]
    if op in ("in", "notin"):
        table = b.extract_value(c, 0) if isinstance(ct, DictIterType) else c
        found = _contains(fl, table, layout_of(ct), a, at)
        return [b.not_(found) if op == "notin" else found, None]
    if op in ("==", "!="):
        same = tables_equal(fl, a, at, c, ct)
        return [b.not_(same) if op == "!=" else same, None]
    if op in (">", ">="):
        a, at, c, ct = c, ct, a, at
    result = subset(fl, a, at, c, ct)
    if op in ("<", ">"):
        result = b.and_(result, b.icmp_signed("!=", length(fl, a), length(fl, c)))
    return [result, None]


def truth(fl: FunctionLowerer, node, args, in_types, out_types):
    empty = fl.builder.icmp_signed("==", length(fl, args[0]), I64(0))
    return [empty if node.attr("op") == "not" else fl.builder.not_(empty), None]


def getiter(fl: FunctionLowerer, node, args, in_types, out_types):
    t = in_types[0]
    table = fl.builder.extract_value(args[0], 0) if isinstance(t, DictIterType) else args[0]
    return [iterator(fl, table, out_types[0]), None]


def iternext(fl: FunctionLowerer, node, args, in_types, out_types):
    """(ok, item, advanced iterator); `RuntimeError` when the table's size changed since the
    iteration began, as CPython."""
    b = fl.builder
    it, t = args[0], in_types[0]
    layout = layout_of(t)
    table, pos, started = (b.extract_value(it, k) for k in range(3))
    changed = b.icmp_signed("!=", length(fl, table), started)
    fl.raise_if(changed, RuntimeError, SET_CHANGED if isinstance(t.source, SetType) else DICT_CHANGED)
    before = b.block
    head, skip, done = (fl.func.append_basic_block(n) for n in ("iter.scan", "iter.skip", "iter.item"))
    b.branch(head)
    b.position_at_end(head)
    i = b.phi(I64)
    i.add_incoming(pos, before)
    n = _get(b, table, NENTRIES)
    inside = b.icmp_signed("<", i, n)
    entry = _entry(b, _get(b, table, ENTRIES), layout, b.select(inside, i, I64(0)))
    deleted = b.icmp_signed("==", _load_field(b, entry, layout, 0), I64(DELETED_HASH))
    b.cbranch(b.and_(inside, deleted), skip, done)
    b.position_at_end(skip)
    i.add_incoming(b.add(i, I64(1)), skip)
    b.branch(head)
    b.position_at_end(done)
    item = _item(fl, entry, layout, t.kind)
    return [inside, item, b.insert_value(it, b.add(i, I64(1)), 1), None]


_OF_ITEMS = {f"builtins.{name}"
             for name in ("len", "bool", "list", "sorted", "sum", "min", "max", "any", "all")}


def call(fl: FunctionLowerer, node, args, in_types, out_types):
    """`dict(...)`, `set(...)`, `len`, `bool`, `list`, `sorted`, `sum`, `min`, `max`, `any`,
    `all` of dicts, sets and views, `hash(x)`; None when the call is none of these."""
    from . import lower_lists

    callee = node.attr("callee")
    values, types = args[:-1], in_types[:-1]
    rt = out_types[0]
    if callee == "builtins.hash" and len(types) == 1 and not isinstance(types[0], (DictType, SetType)):
        return [hash_value(fl.builder, values[0], types[0]), None]
    if callee == "builtins.dict":
        if values and not isinstance(types[0], DictType):  # zip(ks, vs), a list of pairs
            from .lower_functional import dict_from_pairs

            return [dict_from_pairs(fl, values[0], types[0], rt), None]
        if values:
            return [copy_table(fl, values[0], types[0], rt), None]
        return [new_table(fl, layout_of(rt)), None]
    if callee == "builtins.set":
        layout = layout_of(rt)
        table = new_table(fl, layout)
        if values:
            fill(fl, table, layout, values[0], types[0])
        return [table, None]
    if not types or not isinstance(types[0], (DictType, SetType, DictIterType)) or callee not in _OF_ITEMS:
        return None
    c, ct = values[0], types[0]
    table = fl.builder.extract_value(c, 0) if isinstance(ct, DictIterType) else c
    if callee == "builtins.len":
        return [length(fl, table), None]
    if callee == "builtins.bool":
        return [fl.builder.icmp_signed("!=", length(fl, table), I64(0)), None]
    if callee in ("builtins.list", "builtins.sorted"):
        lst = to_list(fl, c, ct, rt.elem)
        if callee == "builtins.sorted":
            lower_lists.sort(fl, lst, rt.elem, lower_lists._reverse(fl, node, len(args)))
        return [lst, None]
    elem = _item_type(layout_of(ct), ct.kind if isinstance(ct, DictIterType) else "keys")
    lst = to_list(fl, c, ct, elem)
    if callee == "builtins.sum":
        return [lower_lists.sum_(fl, lst, elem, rt), None]
    if callee in ("builtins.min", "builtins.max"):
        return [lower_lists.min_max(fl, lst, elem, callee == "builtins.max"), None]
    return [lower_lists.any_all(fl, lst, elem, callee == "builtins.all"), None]


__all__ = ["Layout", "binop", "build_map", "build_set", "call", "callmethod", "compare", "getitem", "getiter",
           "iternext", "layout_of", "length", "setitem", "truth"]
