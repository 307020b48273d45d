"""Lists across the Python boundary (part of the wrapper, `abi.py`): a returned list becomes a
new Python `list`, a list argument is copied into a new arena list (`lower_lists.py` has the
layout: a header `{length, capacity, data}` in the arena).
"""
from __future__ import annotations

from llvmlite import ir

from jitlab.ir.types import BOOL, I64, ListType

from . import nrt

_PTR = ir.PointerType()
_I8, _I32, _I64 = ir.IntType(8), ir.IntType(32), ir.IntType(64)
_INT = _I32


def _list_loop(b: ir.IRBuilder, fn: ir.Function, n: ir.Value, body) -> None:
    """for i in range(n): body(i) (i is a Py_ssize_t)."""
    before = b.block
    head, step, done = (fn.append_basic_block(f"list.{k}") for k in ("loop", "item", "done"))
    b.branch(head)
    b.position_at_end(head)
    i = b.phi(_I64)
    i.add_incoming(_I64(0), before)
    b.cbranch(b.icmp_signed("<", i, n), step, done)
    b.position_at_end(step)
    body(i)
    i.add_incoming(b.add(i, _I64(1)), b.block)
    b.branch(head)
    b.position_at_end(done)


def _list_field(b: ir.IRBuilder, header: ir.Value, k: int) -> ir.Value:
    return b.gep(header, [_I64(8 * k)], source_etype=_I8)  # {length, capacity, data}: see lower_lists


def box_list(wm, b: ir.IRBuilder, t: ListType, header: ir.Value) -> ir.Value:
    """A new Python list of the items of a list in the arena (null with an error set)."""
    from . import abi

    fn = b.function
    elem_type = abi._SCALARS[t.elem][0]
    n = b.load(_list_field(b, header, 0), typ=_I64)
    data = b.load(_list_field(b, header, 2), typ=_PTR)
    result = b.alloca(_PTR, name="list")
    obj = b.call(wm.capi("PyList_New"), [n])
    b.store(obj, result)
    with b.if_then(b.icmp_unsigned("!=", obj, _PTR(None))):
        failed = b.alloca(ir.IntType(1), name="list.failed")
        b.store(ir.Constant(ir.IntType(1), 0), failed)

        def item(i):
            raw = b.load(b.gep(data, [i], source_etype=elem_type), typ=elem_type)
            value = b.icmp_unsigned("!=", raw, _I8(0)) if t.elem == BOOL else raw
            boxed = abi._box_value(wm, b, t.elem, value, None, [])
            is_null = b.icmp_unsigned("==", boxed, _PTR(None))
            b.store(b.or_(b.load(failed, typ=ir.IntType(1)), is_null), failed)
            b.call(wm.capi("PyList_SetItem"), [obj, i, boxed])  # steals; a null item is allowed
        _list_loop(b, fn, n, item)
        with b.if_then(b.load(failed, typ=ir.IntType(1)), likely=False):
            b.call(wm.capi("Py_DecRef"), [obj])
            b.store(_PTR(None), result)
    return b.load(result, typ=_PTR)


def unbox_list(wm, b: ir.IRBuilder, wrapper: ir.Function, obj: ir.Value, t: ListType,
                fail: ir.Block, what: str) -> ir.Value:
    """Copy a Python list of numbers into a new arena list (`lower_lists.py`): its header.

    The copy is the function's own: changes to it are not seen by the caller.  An item that
    does not convert (a str in a list of ints) sets a TypeError naming the argument and
    branches to `fail`.
    """
    from . import abi

    elem_type, pyname = abi._SCALARS[t.elem]
    ok = wrapper.append_basic_block("list.ok")
    is_list = b.call(wm.capi("PyObject_IsInstance"), [obj, wm.data("PyList_Type")])
    bad_type = wrapper.append_basic_block("list.badtype")
    b.cbranch(b.icmp_signed("==", is_list, _INT(1)), ok, bad_type)
    with b.goto_block(bad_type):
        b.call(wm.capi("PyErr_Format"), [wm.exc(b, "TypeError"), wm.cstr(abi._format_literal(
            f"{what} must be a list of {pyname}"))])
        b.branch(fail)
    b.position_at_end(ok)
    n = b.call(wm.capi("PyList_Size"), [obj])
    alloc = nrt.alloc_function(wm.module)
    small = b.icmp_signed("<", n, _I64(4))
    capacity = b.select(small, _I64(4), n)
    header = b.call(alloc, [_I64(24), ir.Constant(ir.IntType(1), 0)])
    data = b.call(alloc, [b.mul(capacity, _I64(1 if t.elem == BOOL else 8)), ir.Constant(ir.IntType(1), 0)])
    no_memory = b.or_(b.icmp_unsigned("==", header, _PTR(None)), b.icmp_unsigned("==", data, _PTR(None)))
    oom = wrapper.append_basic_block("list.nomemory")
    filled = wrapper.append_basic_block("list.alloc")
    b.cbranch(no_memory, oom, filled)
    with b.goto_block(oom):
        message = wm.cstr("out of memory copying a list")
        b.call(wm.capi("PyErr_SetString"), [wm.exc(b, "MemoryError"), message])
        b.branch(fail)
    b.position_at_end(filled)
    b.store(n, _list_field(b, header, 0))
    b.store(capacity, _list_field(b, header, 1))
    b.store(data, _list_field(b, header, 2))
    bad_item = wrapper.append_basic_block("list.baditem")

    def item(i):
        it = b.call(wm.capi("PyList_GetItem"), [obj, i])  # borrowed
        if t.elem == BOOL:
            r = b.call(wm.bool_helper(), [it])
            good = b.icmp_unsigned("<", r, _I32(2))
            value = b.trunc(r, _I8)
        else:
            value = b.call(wm.capi("PyLong_AsLongLong" if t.elem == I64 else "PyFloat_AsDouble"), [it])
            good = b.icmp_unsigned("==", b.call(wm.capi("PyErr_Occurred"), []), _PTR(None))
        cont = wrapper.append_basic_block("list.stored")
        b.cbranch(good, cont, bad_item)
        b.position_at_end(cont)
        b.store(value, b.gep(data, [i], source_etype=elem_type))
    _list_loop(b, wrapper, n, item)
    after = b.block
    with b.goto_block(bad_item):
        b.call(wm.capi("PyErr_Clear"), [])
        b.call(wm.capi("PyErr_Format"), [wm.exc(b, "TypeError"), wm.cstr(abi._format_literal(
            f"{what} must be a list of {pyname}") + " (an item does not convert)")])
        b.branch(fail)
    b.position_at_end(after)
    return header
