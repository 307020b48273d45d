"""Result boxing for the CPython wrapper (`abi.py`): the Python object of a native result --
scalars, tuples, lists and dicts/sets (`abi_lists.py`, `abi_dicts.py`) and arrays, made with
NumPy's C API (its `_ARRAY_API` table looked up once per module) or, where that cannot serve, the
Python helper `nrt.box_array`.
"""
from __future__ import annotations

import functools

from llvmlite import ir

from ...ir.types import (
    BOOL, C128, F64, I64, NONE, ArrayType, ComplexType, DictType, FloatType, ListType, SetType, StrType,
    TupleType, Type,
)
from . import abi_dicts, abi_lists, nrt
from .irmodule import external_global, get_or_define, internal_global
from .signature import llvm_type
from .wrapper_module import (
    _F64, _I8, _I64, _INT, _LONG, _OB_TYPE_OFFSET, _PTR, _SSIZE, _WrapperModule, to_dtype,
)


def _box_value(wm: _WrapperModule, b: ir.IRBuilder, t: Type, value: ir.Value | None, kept: list | None,
               array_objects: list[ir.Value]) -> ir.Value:
    """A new reference to the Python object of `value` (null with an error set).

    `kept` holds the arena block of each array in `value` (`_release_arena`), in the order of
    `_array_paths`; boxing an array takes its block off the front."""
    if isinstance(t, ListType):
        return abi_lists.box_list(wm, b, t, value)
    if isinstance(t, (DictType, SetType)):
        return abi_dicts.box_table(wm, b, t, value)
    if isinstance(t, ArrayType):
        return _box_array(wm, b, t, value, kept.pop(0), array_objects)
    if isinstance(t, StrType):
        from .lower_str_bridge import box

        return box(wm, b, value)
    if t == NONE:
        none = wm.data("_Py_NoneStruct")
        b.call(wm.capi("Py_IncRef"), [none])
        return none
    if isinstance(t, TupleType):
        result = b.call(wm.capi("PyTuple_New"), [_SSIZE(len(t.items))])
        with b.if_then(b.icmp_unsigned("==", result, _PTR(None)), likely=False):
            b.ret(_PTR(None))
        failed = ir.Constant(ir.IntType(1), 0)
        for k, item_type in enumerate(t.items):
            item = None if item_type == NONE else b.extract_value(value, k)
            if item_type == BOOL:
                item = b.zext(item, _I8)
            boxed = _box_value(wm, b, item_type, item, kept, array_objects)
            failed = b.or_(failed, b.icmp_unsigned("==", boxed, _PTR(None)))
            b.call(wm.capi("PyTuple_SetItem"), [result, _SSIZE(k), boxed])  # steals; null is allowed
        with b.if_then(failed, likely=False):
            b.call(wm.capi("Py_DecRef"), [result])
            b.ret(_PTR(None))
        return result
    if t == BOOL:
        return b.call(wm.capi("PyBool_FromLong"), [b.zext(value, _LONG)])
    if isinstance(t, FloatType):
        return b.call(wm.capi("PyFloat_FromDouble"), [b.fpext(value, _F64) if t != F64 else value])
    if isinstance(t, ComplexType):
        re, im = b.extract_value(value, 0), b.extract_value(value, 1)
        if t != C128:
            re, im = b.fpext(re, _F64), b.fpext(im, _F64)
        return b.call(wm.capi("PyComplex_FromDoubles"), [re, im])
    if t.signed:
        return b.call(wm.capi("PyLong_FromLongLong"), [b.sext(value, _I64) if t != I64 else value])
    return b.call(wm.capi("PyLong_FromUnsignedLongLong"), [b.zext(value, _I64) if t.bits < 64 else value])



# NumPy's C API table (numpy/__multiarray_api.h): the slots the wrapper calls, the same in NumPy
# 1.x and 2.x; the table comes from the `_ARRAY_API` capsule, as NumPy's own `import_array()` does.
_NPY_ARRAY_TYPE, _NPY_DESCR_FROM_TYPE, _NPY_NEW_FROM_DESCR, _NPY_SET_BASE_OBJECT = 2, 45, 94, 282
_NPY_ARRAY_WRITEABLE = 0x0400
_NPY_FLAGS_OFFSET = 64  # PyArrayObject_fields.flags (see dispatch_wrapper)


def _numpy_api(wm: _WrapperModule) -> ir.Function:
    """`void **jitlab.numpy_api()`: NumPy's C API table, looked up once per module; null (no
    error set) when NumPy cannot be imported, and then arrays are boxed by `nrt.box_array`."""
    return get_or_define(wm.module, "jitlab.numpy_api", ir.FunctionType(_PTR, ()),
                         functools.partial(_write_numpy_api, wm))


def _write_numpy_api(wm: _WrapperModule, fn: ir.Function) -> None:
    cached = internal_global(wm.module, "jitlab.numpy_api.table", _PTR)
    b = ir.IRBuilder(fn.append_basic_block("entry"))
    null = _PTR(None)
    known = b.load(cached, typ=_PTR)
    with b.if_then(b.icmp_unsigned("!=", known, null), likely=True):
        b.ret(known)

    def give_up_if_null(value: ir.Value) -> None:
        with b.if_then(b.icmp_unsigned("==", value, null), likely=False):
            b.call(wm.capi("PyErr_Clear"), [])
            b.ret(null)

    first = b.call(wm.capi("PyImport_ImportModule"), [wm.cstr("numpy._core._multiarray_umath")])
    before = b.block
    with b.if_then(b.icmp_unsigned("==", first, null), likely=False):  # NumPy 1.x
        b.call(wm.capi("PyErr_Clear"), [])
        second = b.call(wm.capi("PyImport_ImportModule"), [wm.cstr("numpy.core._multiarray_umath")])
        retried = b.block
    module = b.phi(_PTR, name="module")
    module.add_incoming(first, before)
    module.add_incoming(second, retried)
    give_up_if_null(module)
    capsule = b.call(wm.capi("PyObject_GetAttrString"), [module, wm.cstr("_ARRAY_API")])
    b.call(wm.capi("Py_DecRef"), [module])
    give_up_if_null(capsule)
    table = b.call(wm.capi("PyCapsule_GetPointer"), [capsule, null])
    b.call(wm.capi("Py_DecRef"), [capsule])  # the module keeps the capsule and its table alive
    give_up_if_null(table)
    b.store(table, cached)
    b.ret(table)


def _box_array(wm: _WrapperModule, b: ir.IRBuilder, t: ArrayType, struct: ir.Value, block: ir.Value,
               array_args: list[tuple[ir.Value, ir.Value, ArrayType]]) -> ir.Value:
    """The `numpy.ndarray` of a returned array struct (null with an error set).

    A block of the call's own becomes a capsule that frees it, the array's base; without one,
    the data lies in one of the array arguments `array_args` ((object, struct, type) each),
    which becomes the base (read-only when that argument is).  NumPy's C API makes the array
    (`PyArray_NewFromDescr`, `PyArray_SetBaseObject`); where it cannot (NumPy's table not
    found, an empty array, a view of an argument that is not an exact ndarray) the Python
    helper `nrt.box_array` does.
    """
    null = _PTR(None)
    fn = b.function
    dims = [b.extract_value(struct, [1, k]) for k in range(t.ndim)]
    dims += [b.extract_value(struct, [2, k]) for k in range(t.ndim)]
    data = b.extract_value(struct, 0)
    with b.goto_entry_block():
        dims_memory = b.alloca(ir.ArrayType(_SSIZE, 2 * t.ndim), name="dims")
    api = b.call(_numpy_api(wm), [])
    empty = ir.Constant(ir.IntType(1), 0)
    for n in dims[:t.ndim]:
        empty = b.or_(empty, b.icmp_signed("==", n, _SSIZE(0)))
    native, python, done = (fn.append_basic_block(n) for n in ("box.native", "box.python", "box.done"))
    b.cbranch(b.and_(b.icmp_unsigned("!=", api, null), b.not_(empty)), native, python)

    def api_slot(index: int, function: ir.FunctionType | None = None) -> ir.Value:
        """Slot `index` of the table, typed as a pointer to `function` when it is one (to call it)."""
        typ = _PTR if function is None else function.as_pointer()
        return b.load(b.gep(api, [_I64(index)], source_etype=_PTR), typ=typ)

    # the base: a capsule owning the call's block, or the argument the data lies in
    b.position_at_end(native)
    make = fn.append_basic_block("box.make")
    owned, borrowed = fn.append_basic_block("box.owned"), fn.append_basic_block("box.view")
    b.cbranch(b.icmp_unsigned("!=", block, null), owned, borrowed)
    b.position_at_end(owned)
    destructor = nrt.free_block_function(wm.module, wm.capi("PyCapsule_GetPointer"))
    capsule = b.call(wm.capi("PyCapsule_New"), [block, null, destructor])
    with b.if_then(b.icmp_unsigned("==", capsule, null), likely=False):
        nrt.emit_drop_block(wm.module, b, block)
        b.ret(null)
    incoming = [(capsule, _INT(_NPY_ARRAY_WRITEABLE), b.block)]
    b.branch(make)
    b.position_at_end(borrowed)
    ndarray = api_slot(_NPY_ARRAY_TYPE)
    address = b.ptrtoint(data, _SSIZE)
    for obj, arg_struct, arg_type in array_args:
        arg = b.load(arg_struct, typ=llvm_type(arg_type))
        low = high = b.ptrtoint(b.extract_value(arg, 0), _SSIZE)
        arg_empty = ir.Constant(ir.IntType(1), 0)
        for k in range(arg_type.ndim):
            n, stride = b.extract_value(arg, [1, k]), b.extract_value(arg, [2, k])
            arg_empty = b.or_(arg_empty, b.icmp_signed("==", n, _SSIZE(0)))
            extent = b.mul(b.sub(n, _SSIZE(1)), stride)
            negative = b.icmp_signed("<", stride, _SSIZE(0))
            low = b.add(low, b.select(negative, extent, _SSIZE(0)))
            high = b.add(high, b.select(negative, _SSIZE(0), extent))
        high = b.add(high, _SSIZE(to_dtype(arg_type.dtype).itemsize))
        inside = b.and_(b.icmp_unsigned(">=", address, low), b.icmp_unsigned("<", address, high))
        inside = b.and_(b.not_(arg_empty), inside)
        ob_type = b.load(b.gep(obj, [_I64(_OB_TYPE_OFFSET)], source_etype=_I8), typ=_PTR)
        found, nxt = fn.append_basic_block("box.base"), fn.append_basic_block("box.next")
        b.cbranch(b.and_(inside, b.icmp_unsigned("==", ob_type, ndarray)), found, nxt)
        b.position_at_end(found)
        b.call(wm.capi("Py_IncRef"), [obj])
        flags = b.load(b.gep(obj, [_I64(_NPY_FLAGS_OFFSET)], source_etype=_I8), typ=_INT)
        incoming.append((obj, b.and_(flags, _INT(_NPY_ARRAY_WRITEABLE)), b.block))
        b.branch(make)
        b.position_at_end(nxt)
    b.branch(python)

    b.position_at_end(make)
    base, writeable = b.phi(_PTR, name="base"), b.phi(_INT, name="writeable")
    for value, flag, pred in incoming:
        base.add_incoming(value, pred)
        writeable.add_incoming(flag, pred)
    for k, value in enumerate(dims):
        b.store(value, b.gep(dims_memory, [_I64(0), _I64(k)]))
    shape = b.gep(dims_memory, [_I64(0), _I64(0)])
    strides = b.gep(dims_memory, [_I64(0), _I64(t.ndim)])
    descr_from_type = ir.FunctionType(_PTR, (_INT,))
    new_from_descr = ir.FunctionType(_PTR, (_PTR, _PTR, _INT, _PTR, _PTR, _PTR, _INT, _PTR))
    set_base = ir.FunctionType(_INT, (_PTR, _PTR))
    descr = b.call(api_slot(_NPY_DESCR_FROM_TYPE, descr_from_type),
                   [_INT(to_dtype(t.dtype).num)])  # a new reference, which the next call steals
    array = b.call(api_slot(_NPY_NEW_FROM_DESCR, new_from_descr),
                   [api_slot(_NPY_ARRAY_TYPE), descr, _INT(t.ndim), shape, strides, data, writeable, null])
    with b.if_then(b.icmp_unsigned("==", array, null), likely=False):
        b.call(wm.capi("Py_DecRef"), [base])
        b.ret(null)
    status = b.call(api_slot(_NPY_SET_BASE_OBJECT, set_base), [array, base])  # steals
    with b.if_then(b.icmp_signed("<", status, _INT(0)), likely=False):
        b.call(wm.capi("Py_DecRef"), [array])
        b.ret(null)
    from_native = b.block
    b.branch(done)

    # the Python helper
    b.position_at_end(python)
    box_ref = external_global(wm.module, nrt.BOX_SYMBOL, _PTR)  # a variable holding the boxing callable
    box = b.load(box_ref, typ=_PTR)
    objects = [obj for obj, _, _ in array_args]
    bases = "(" + "O" * len(objects) + ")"
    tail = f"{bases}ns{'n' * len(dims)}"
    typestr = wm.cstr(nrt.typestr(to_dtype(t.dtype)))
    rest = [*objects, b.ptrtoint(data, _SSIZE), typestr, *dims]
    call = wm.capi("PyObject_CallFunction")
    with b.if_else(b.icmp_unsigned("!=", block, null)) as (with_block, without):
        with with_block:
            destructor = nrt.free_block_function(wm.module, wm.capi("PyCapsule_GetPointer"))
            capsule = b.call(wm.capi("PyCapsule_New"), [block, null, destructor])
            with b.if_then(b.icmp_unsigned("==", capsule, null), likely=False):
                nrt.emit_drop_block(wm.module, b, block)
                b.ret(null)
            with_capsule = b.call(call, [box, wm.cstr("N" + tail), capsule, *rest])
            from_owned = b.block
        with without:
            none = wm.data("_Py_NoneStruct")
            with_none = b.call(call, [box, wm.cstr("O" + tail), none, *rest])
            from_borrowed = b.block
    python_result = b.phi(_PTR, name="boxed")
    python_result.add_incoming(with_capsule, from_owned)
    python_result.add_incoming(with_none, from_borrowed)
    from_python = b.block
    b.branch(done)

    b.position_at_end(done)
    result = b.phi(_PTR, name="array")
    result.add_incoming(array, from_native)
    result.add_incoming(python_result, from_python)
    return result
