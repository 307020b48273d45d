"""Lists across the Python boundary (part of the wrapper, `abi.py`): a returned list becomes a
new Python `list`, a list argument is copied into a new arena list (`lower_lists.py` has the
layout: a header `{length, capacity, data}` in the arena) and *reflected*: when the function
returns (or raises), the caller's list gets the copy's changes (`reflect_list`).  One Python
list passed as two arguments is copied once, so both parameters name one list, as in Python.
"""
from __future__ import annotations

from llvmlite import ir

from jitlab.ir.types import BOOL, F64, I64, ArrayType, ListType, TupleType

from . import nrt

_PTR = ir.PointerType()
_I8, _I32, _I64 = ir.IntType(8), ir.IntType(32), ir.IntType(64)


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
    """A new Python list of the items of a list in the arena (null with an error set).

    Items that are tuples, lists or arrays are boxed too (`box_item`): an array as a new
    NumPy-owned copy, since the arena it lies in is emptied when the call returns."""
    from .list_items import item_type

    fn = b.function
    elem_type = item_type(t.elem)
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
            boxed = box_item(wm, b, t.elem, value)
            is_null = b.icmp_unsigned("==", boxed, _PTR(None))
            b.store(b.or_(b.load(failed, typ=ir.IntType(1)), is_null), failed)
            b.call(wm.capi("PyList_SetItem"), [obj, i, boxed])  # steals; a null item is allowed
        _list_loop(b, fn, n, item)
        with b.if_then(b.load(failed, typ=ir.IntType(1)), likely=False):
            b.call(wm.capi("Py_DecRef"), [obj])
            b.store(_PTR(None), result)
    return b.load(result, typ=_PTR)


def is_tuple_item(t) -> bool:
    """A tuple of ints, floats and bools: an item type a list argument can be copied in with."""
    return isinstance(t, TupleType) and bool(t.items) and all(i in (I64, F64, BOOL) for i in t.items)


def box_item(wm, b: ir.IRBuilder, t, value: ir.Value) -> ir.Value:
    """A new reference to the Python object of an item of a list or dict (null with an error set)."""
    from . import abi
    from .abi_list_items import box_array_copy, box_tuple_items

    if isinstance(t, ArrayType):
        return box_array_copy(wm, b, t, value)
    if isinstance(t, TupleType) and holds_containers(t):
        return box_tuple_items(wm, b, t, value)
    return abi._box_value(wm, b, t, value, None, [])


def holds_containers(t) -> bool:
    """Whether an item type is or holds an array or a list (boxed by `box_item`, not `_box_value`)."""
    if isinstance(t, TupleType):
        return any(holds_containers(i) for i in t.items)
    return isinstance(t, (ArrayType, ListType))


def unbox_list(wm, b: ir.IRBuilder, wrapper: ir.Function, obj: ir.Value, t: ListType,
                fail: ir.Block, what: str) -> ir.Value:
    """Copy a Python list of numbers into a new arena list (`lower_lists.py`): its header.

    The wrapper reflects the copy's changes into `obj` when the call ends (`reflect_list`).  An item that
    does not convert (a str in a list of ints) sets a TypeError naming the argument and
    branches to `fail`.
    """
    from . import abi

    from .list_items import item_size, item_type

    tuples = isinstance(t.elem, TupleType)
    elem_type, pyname = (item_type(t.elem), "tuples") if tuples else abi._SCALARS[t.elem]
    abi._require_instance(wm, b, wrapper, obj, "PyList_Type", "list", f"{what} must be a list of {pyname}",
                          fail)
    n = b.call(wm.capi("PyList_Size"), [obj])
    alloc = nrt.alloc_function(wm.module)
    small = b.icmp_signed("<", n, _I64(4))
    capacity = b.select(small, _I64(4), n)
    header = b.call(alloc, [_I64(24), ir.Constant(ir.IntType(1), 0)])
    data = b.call(alloc, [b.mul(capacity, _I64(item_size(t.elem))), ir.Constant(ir.IntType(1), 0)])
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
        if tuples:
            value, good = _unbox_tuple(wm, b, t.elem, it)
        elif t.elem == BOOL:
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


def _unbox_tuple(wm, b: ir.IRBuilder, t: TupleType, it: ir.Value) -> tuple[ir.Value, ir.Value]:
    """(the native tuple, converted?) of a Python object that should be a tuple of `t`'s shape;
    its items are read only when it is one (no error is left set either way)."""
    from .abi_dicts import _native
    from .signature import llvm_type

    fn = b.function
    is_tuple = b.call(wm.capi("PyObject_IsInstance"), [it, wm.data("PyTuple_Type")])
    shaped = b.alloca(ir.IntType(1), name="tuple.shaped")
    b.store(ir.Constant(ir.IntType(1), 0), shaped)
    with b.if_then(b.icmp_signed("==", is_tuple, _I32(1))):
        b.store(b.icmp_signed("==", b.call(wm.capi("PyTuple_Size"), [it]), _I64(len(t.items))), shaped)
    read, done = fn.append_basic_block("tuple.read"), fn.append_basic_block("tuple.done")
    b.cbranch(b.load(shaped, typ=ir.IntType(1)), read, done)
    skipped = b.block
    b.position_at_end(read)
    value = _native(wm, b, it, t)
    good = b.icmp_unsigned("==", b.call(wm.capi("PyErr_Occurred"), []), _PTR(None))
    b.call(wm.capi("PyErr_Clear"), [])
    read_end = b.block
    b.branch(done)
    b.position_at_end(done)
    v = b.phi(llvm_type(t))
    v.add_incoming(value, read_end)
    v.add_incoming(ir.Constant(llvm_type(t), None), skipped)
    ok = b.phi(ir.IntType(1))
    ok.add_incoming(good, read_end)
    ok.add_incoming(ir.Constant(ir.IntType(1), 0), skipped)
    return v, ok


def _unbox_item(wm, b: ir.IRBuilder, t: ListType, it: ir.Value) -> ir.Value:
    """The stored form of a Python item that converted when the list was copied in."""
    if t.elem == BOOL:
        return b.trunc(b.call(wm.bool_helper(), [it]), _I8)
    return b.call(wm.capi("PyLong_AsLongLong" if t.elem == I64 else "PyFloat_AsDouble"), [it])


def _box_item(wm, b: ir.IRBuilder, t: ListType, raw: ir.Value) -> ir.Value:
    from . import abi

    value = b.icmp_unsigned("!=", raw, _I8(0)) if t.elem == BOOL else raw
    return abi._box_value(wm, b, t.elem, value, None, [])  # (a tuple of numbers too)


def reflect_list(wm, b: ir.IRBuilder, obj: ir.Value, t: ListType, header: ir.Value) -> None:
    """Make the caller's list `obj` hold the items of its arena copy `header`.

    Only what changed is written: an item whose stored bits equal those of the caller's item
    keeps its object (an int in a list of floats stays an int unless it was assigned), items
    appended are appended, items removed are deleted.  The GIL is held and compiled code calls
    no Python, so the caller's items are the ones copied in.  (Out of memory boxing an item
    leaves that item unchanged.)
    """
    from . import abi

    from .list_items import item_type

    fn = b.function
    tuples = isinstance(t.elem, TupleType)
    elem_type = item_type(t.elem) if tuples else abi._SCALARS[t.elem][0]
    n_new = b.load(_list_field(b, header, 0), typ=_I64)
    data = b.load(_list_field(b, header, 2), typ=_PTR)
    n_old = b.call(wm.capi("PyList_Size"), [obj])
    common = b.select(b.icmp_signed("<", n_new, n_old), n_new, n_old)
    bits = ir.IntType(elem_type.width) if isinstance(elem_type, ir.IntType) else _I64

    def as_bits(v):
        return v if isinstance(v.type, ir.IntType) else b.bitcast(v, bits)

    def compare(i):
        raw = b.load(b.gep(data, [i], source_etype=elem_type), typ=elem_type)
        if tuples:  # (the caller's item converted when it was copied in)
            from .abi_dicts import _same_bits

            changed = b.not_(_same_bits(wm, b, b.call(wm.capi("PyList_GetItem"), [obj, i]), raw, t.elem))
        else:
            old = _unbox_item(wm, b, t, b.call(wm.capi("PyList_GetItem"), [obj, i]))
            changed = b.icmp_unsigned("!=", as_bits(raw), as_bits(old))
        with b.if_then(changed, likely=False):
            boxed = _box_item(wm, b, t, raw)
            with b.if_then(b.icmp_unsigned("!=", boxed, _PTR(None))):
                b.call(wm.capi("PyList_SetItem"), [obj, i, boxed])  # steals; drops the old item
    _list_loop(b, fn, common, compare)

    def append(k):
        boxed = _box_item(wm, b, t, b.load(b.gep(data, [b.add(n_old, k)], source_etype=elem_type),
                                            typ=elem_type))
        with b.if_then(b.icmp_unsigned("!=", boxed, _PTR(None))):
            b.call(wm.capi("PyList_Append"), [obj, boxed])
            b.call(wm.capi("Py_DecRef"), [boxed])
    with b.if_then(b.icmp_signed(">", n_new, n_old)):
        _list_loop(b, fn, b.sub(n_new, n_old), append)
    with b.if_then(b.icmp_signed("<", n_new, n_old)):
        b.call(wm.capi("PyList_SetSlice"), [obj, n_new, n_old, _PTR(None)])


def refusing_wrapper(name: str, native_symbol: str, argtypes, jit: bool) -> tuple[str, str]:
    """The wrapper of a function that takes a list of arrays or lists (a callee of compiled code,
    which passes the list itself): called from Python it raises TypeError (the dispatcher never
    selects it: such a list argument has no jitlab type there)."""
    from llvmlite import binding as llvm

    from .wrapper_module import _SSIZE, _WrapperModule

    module = ir.Module(name=f"{native_symbol}.pywrap")
    module.triple = llvm.get_process_triple()
    wm = _WrapperModule(module, jit)
    wrapper = ir.Function(module, ir.FunctionType(_PTR, (_PTR, _PTR, _SSIZE)), f"{native_symbol}.pywrap")
    b = ir.IRBuilder(wrapper.append_basic_block("entry"))
    kinds = ", ".join(str(t) for t in argtypes)
    b.call(wm.capi("PyErr_SetString"), [wm.exc(b, "TypeError"), wm.cstr(
        f"{name}() compiled for ({kinds}) can only be called from compiled code")])
    b.ret(_PTR(None))
    return str(module), f"{native_symbol}.pywrap"

