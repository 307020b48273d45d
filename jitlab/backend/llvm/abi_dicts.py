"""Dicts and sets across the Python boundary (part of the wrapper, `abi.py`): a returned dict or
set becomes a new Python `dict` or `set` (entries in order), a dict or set argument is copied
into a new arena table (`lower_dicts.py` has the layout) and *reflected* when the call ends
(`reflect_table`), as a list argument is: the caller's object gets the copy's changes.
"""
from __future__ import annotations

from llvmlite import ir

from jitlab.ir.types import BOOL, F64, DictType, TupleType, Type

from . import lower_dicts as ld
from .hashing import hash_value
from .signature import llvm_type

_PTR = ir.PointerType()
_I1, _I8, _I32, _I64 = ir.IntType(1), ir.IntType(8), ir.IntType(32), ir.IntType(64)


def box_table(wm, b: ir.IRBuilder, t: Type, table: ir.Value) -> ir.Value:
    """A new Python dict or set of a table's entries (null with an error set); values that are
    arrays or lists are boxed as a list's items are (`abi_lists.box_item`: arrays as copies)."""
    from . import abi
    from .abi_lists import box_item

    layout = ld.layout_of(t)
    is_dict = isinstance(t, DictType)
    result = b.alloca(_PTR, name="table")
    obj = b.call(wm.capi("PyDict_New"), []) if is_dict else b.call(wm.capi("PySet_New"), [_PTR(None)])
    b.store(obj, result)
    failed = b.alloca(_I1, name="table.failed")
    b.store(_I1(0), failed)
    with b.if_then(b.icmp_unsigned("!=", obj, _PTR(None))):
        entries = ld._get(b, table, ld.ENTRIES)

        def visit(i):
            entry = ld._entry(b, entries, layout, i)
            live = b.icmp_signed("!=", ld._load_field(b, entry, layout, 0), _I64(ld.DELETED_HASH))
            ok = b.not_(b.load(failed, typ=_I1))
            with b.if_then(b.and_(live, ok)):
                key = abi._box_value(wm, b, layout.key, ld._load_field(b, entry, layout, 1), None, [])
                if is_dict:
                    value = box_item(wm, b, layout.value, ld._load_field(b, entry, layout, 2))
                    both = b.and_(b.icmp_unsigned("!=", key, _PTR(None)),
                                  b.icmp_unsigned("!=", value, _PTR(None)))
                    with b.if_else(both) as (good, bad):
                        with good:
                            status = b.call(wm.capi("PyDict_SetItem"), [obj, key, value])
                            b.store(b.icmp_signed("!=", status, _I32(0)), failed)
                        with bad:
                            b.store(_I1(1), failed)
                    for o in (key, value):
                        with b.if_then(b.icmp_unsigned("!=", o, _PTR(None))):
                            b.call(wm.capi("Py_DecRef"), [o])
                else:
                    with b.if_else(b.icmp_unsigned("!=", key, _PTR(None))) as (good, bad):
                        with good:
                            status = b.call(wm.capi("PySet_Add"), [obj, key])
                            b.store(b.icmp_signed("!=", status, _I32(0)), failed)
                            b.call(wm.capi("Py_DecRef"), [key])
                        with bad:
                            b.store(_I1(1), failed)
        ld._loop(_Builder(b), ld._get(b, table, ld.NENTRIES), visit)
        with b.if_then(b.load(failed, typ=_I1), likely=False):
            b.call(wm.capi("Py_DecRef"), [obj])
            b.store(_PTR(None), result)
    return b.load(result, typ=_PTR)


class _Builder:
    """What `lower_dicts._loop` needs: a builder and its function."""

    def __init__(self, b: ir.IRBuilder):
        self.builder, self.func = b, b.function


def reflect_table(wm, b: ir.IRBuilder, obj: ir.Value, t: Type, table: ir.Value) -> None:
    """Make the caller's dict or set `obj` hold what its arena copy `table` holds.

    Keys the copy lost are deleted; every entry of the copy is stored (an equal key already there
    keeps its object and place, as `d[k] = v` does in CPython); a value whose stored bits equal
    the caller's keeps its object (an int in a dict of float values stays an int unless it was
    assigned).  A key deleted and added again keeps its old place (CPython moves it to the end).
    The GIL is held and compiled code calls no Python, so the caller's entries are the ones copied in.
    """
    layout = ld.layout_of(t)
    is_dict = isinstance(t, DictType)
    h = _Builder(b)
    keys = b.call(wm.capi("PyDict_Keys" if is_dict else "PySequence_List"), [obj])
    with b.if_then(b.icmp_unsigned("!=", keys, _PTR(None))):
        def drop(i):
            key = b.call(wm.capi("PyList_GetItem"), [keys, i])  # borrowed
            native = _native(wm, b, key, layout.key)
            slot = b.call(ld.find_function(wm.module, layout, layout.key),
                          [table, native, hash_value(b, native, layout.key)])
            with b.if_then(b.icmp_signed("<", slot, _I64(0))):
                b.call(wm.capi("PyDict_DelItem" if is_dict else "PySet_Discard"), [obj, key])
        ld._loop(h, b.call(wm.capi("PyList_Size"), [keys]), drop)
        b.call(wm.capi("Py_DecRef"), [keys])
    b.call(wm.capi("PyErr_Clear"), [])  # out of memory listing the keys: the deletions are skipped
    entries = ld._get(b, table, ld.ENTRIES)

    def store(i):
        from . import abi

        entry = ld._entry(b, entries, layout, i)
        with b.if_then(b.icmp_signed("!=", ld._load_field(b, entry, layout, 0), _I64(ld.DELETED_HASH))):
            key = abi._box_value(wm, b, layout.key, ld._load_field(b, entry, layout, 1), None, [])
            with b.if_then(b.icmp_unsigned("!=", key, _PTR(None))):
                if is_dict:
                    value = ld._load_field(b, entry, layout, 2)
                    old = b.call(wm.capi("PyDict_GetItem"), [obj, key])  # borrowed, null if new
                    same = b.and_(b.icmp_unsigned("!=", old, _PTR(None)),
                                  _same_bits(wm, b, old, value, layout.value))
                    with b.if_then(b.not_(same)):
                        boxed = abi._box_value(wm, b, layout.value, value, None, [])
                        with b.if_then(b.icmp_unsigned("!=", boxed, _PTR(None))):
                            b.call(wm.capi("PyDict_SetItem"), [obj, key, boxed])
                            b.call(wm.capi("Py_DecRef"), [boxed])
                else:
                    b.call(wm.capi("PySet_Add"), [obj, key])
                b.call(wm.capi("Py_DecRef"), [key])
    ld._loop(h, ld._get(b, table, ld.NENTRIES), store)
    b.call(wm.capi("PyErr_Clear"), [])  # (out of memory boxing leaves that entry unchanged)


def _same_bits(wm, b: ir.IRBuilder, old: ir.Value, value: ir.Value, t: Type) -> ir.Value:
    """Whether the caller's object `old` converts to exactly `value` (no error left set)."""
    mine = _native(wm, b, old, t)
    failed = b.icmp_unsigned("!=", b.call(wm.capi("PyErr_Occurred"), []), _PTR(None))
    b.call(wm.capi("PyErr_Clear"), [])
    if isinstance(t, TupleType):
        same = _I1(1)
        for k, item in enumerate(t.items):
            same = b.and_(same, _bits_equal(b, b.extract_value(mine, k), b.extract_value(value, k), item))
    else:
        same = _bits_equal(b, mine, value, t)
    return b.and_(b.not_(failed), same)


def _bits_equal(b: ir.IRBuilder, x: ir.Value, y: ir.Value, t: Type) -> ir.Value:
    if t == F64:
        x, y = b.bitcast(x, _I64), b.bitcast(y, _I64)
    return b.icmp_unsigned("==", x, y)


def _native(wm, b: ir.IRBuilder, obj: ir.Value, t: Type) -> ir.Value:
    """The native value of a Python number (or tuple of numbers) of type `t`; an error may be
    set (checked by the caller with `PyErr_Occurred`)."""
    if isinstance(t, TupleType):
        value = ir.Constant(llvm_type(t), None)
        for k, item in enumerate(t.items):
            part = b.call(wm.capi("PyTuple_GetItem"), [obj, _I64(k)])  # borrowed; null: error set
            value = b.insert_value(value, _native(wm, b, part, item), k)
        return value
    if t == BOOL:
        return b.icmp_unsigned("==", b.call(wm.bool_helper(), [obj]), _I32(1))
    if t == F64:
        return b.call(wm.capi("PyFloat_AsDouble"), [obj])
    return b.call(wm.capi("PyLong_AsLongLong"), [obj])


def unbox_table(wm, b: ir.IRBuilder, wrapper: ir.Function, obj: ir.Value, t: Type,
                fail: ir.Block, what: str) -> ir.Value:
    """Copy a Python dict (or set) of numbers into a new arena table: its header.  An entry
    that does not convert sets a TypeError naming the argument and branches to `fail`."""
    from . import abi

    layout = ld.layout_of(t)
    is_dict = isinstance(t, DictType)
    pytype = "dict" if is_dict else "set"
    kinds = f"{layout.key}: {layout.value}" if is_dict else f"{layout.key}"
    abi._require_instance(wm, b, wrapper, obj, "PyDict_Type" if is_dict else "PySet_Type", "table",
                          f"{what} must be a {pytype} of {kinds}", fail)
    size = b.call(wm.capi("PyDict_Size" if is_dict else "PySet_Size"), [obj])
    table = b.call(ld.new_function(wm.module, layout), [size])
    oom = wrapper.append_basic_block("table.nomemory")
    made = wrapper.append_basic_block("table.made")
    b.cbranch(b.icmp_unsigned("==", table, _PTR(None)), oom, made)
    with b.goto_block(oom):
        b.call(wm.capi("PyErr_SetString"), [wm.exc(b, "MemoryError"),
                                            wm.cstr("out of memory copying a dict")])
        b.branch(fail)
    b.position_at_end(made)
    insert = ld.insert_function(wm.module, layout)
    bad_item = wrapper.append_basic_block("table.baditem")

    def put(key_obj: ir.Value, value_obj: ir.Value | None) -> None:
        key = _native(wm, b, key_obj, layout.key)
        value = _native(wm, b, value_obj, layout.value) if value_obj is not None else None
        good = b.icmp_unsigned("==", b.call(wm.capi("PyErr_Occurred"), []), _PTR(None))
        cont = wrapper.append_basic_block("table.item")
        b.cbranch(good, cont, bad_item)
        b.position_at_end(cont)
        ix = b.call(insert, [table, key, hash_value(b, key, layout.key)])
        stored = wrapper.append_basic_block("table.stored")
        b.cbranch(b.icmp_signed("<", ix, _I64(0)), oom, stored)
        b.position_at_end(stored)
        if value is not None:
            entry = ld._entry(b, ld._get(b, table, ld.ENTRIES), layout, ix)
            b.store(value, ld._entry_field(b, entry, layout, 2))

    head, body, done = (wrapper.append_basic_block(n) for n in ("table.next", "table.entry", "table.done"))
    if is_dict:
        pos, key_slot, value_slot = b.alloca(_I64), b.alloca(_PTR), b.alloca(_PTR)
        b.store(_I64(0), pos)
        b.branch(head)
        b.position_at_end(head)
        more = b.call(wm.capi("PyDict_Next"), [obj, pos, key_slot, value_slot])
        b.cbranch(b.icmp_signed("!=", more, _I32(0)), body, done)
        b.position_at_end(body)
        put(b.load(key_slot, typ=_PTR), b.load(value_slot, typ=_PTR))
        b.branch(head)
    else:
        iterator = b.call(wm.capi("PyObject_GetIter"), [obj])
        b.cbranch(b.icmp_unsigned("==", iterator, _PTR(None)), fail, head)
        b.position_at_end(head)
        item = b.call(wm.capi("PyIter_Next"), [iterator])
        b.cbranch(b.icmp_unsigned("!=", item, _PTR(None)), body, done)
        b.position_at_end(body)
        b.call(wm.capi("Py_DecRef"), [item])  # the set still holds it
        put(item, None)
        b.branch(head)
        with b.goto_block(bad_item):
            b.call(wm.capi("Py_DecRef"), [iterator])
        b.position_at_end(done)
        b.call(wm.capi("Py_DecRef"), [iterator])
        after = wrapper.append_basic_block("table.copied")
        b.branch(after)
        done = after
    b.position_at_end(bad_item)
    b.call(wm.capi("PyErr_Clear"), [])
    b.call(wm.capi("PyErr_Format"), [wm.exc(b, "TypeError"), wm.cstr(abi._format_literal(
        f"{what} must be a {pytype} of {kinds}") + " (an entry does not convert)")])
    b.branch(fail)
    b.position_at_end(done)
    return table


__all__ = ["box_table", "unbox_table"]
