"""The helpers every JIT wrapper (`abi.make_wrapper_ir`) calls, compiled once per process.

A wrapper module used to carry internal copies of its cold helpers (argument errors, raising a
native status, formatting a message record, freeing the arena, NumPy's API table, unboxing a
bool): about three quarters of its IR, generated, parsed and compiled again for every function.
A JIT wrapper (`jit=True`) now only declares them (`declare_shared`: each helper's builder then
finds the declaration and returns it); `native.load_wrapper_support` loads one copy into the
process's JIT and adds their addresses to LLVM's symbol table before any JIT wrapper, compiled
here or loaded from a cache entry or a container (`pixie.runtime.register_runtime_symbols`), is
loaded; `support_object` makes that copy's object code, which the persistent cache keeps, so a
process whose kernels all come from the cache does not build it.  AOT libraries (`jit=False`)
keep internal copies: they are linked without this JIT.
"""
from __future__ import annotations

import functools

import llvmlite.binding as llvm
from llvmlite import ir

from . import abi, codegen, excinfo, formatted, nrt
from .irmodule import get_or_define

_PTR, _I8, _I32, _VOID = abi._PTR, abi._I8, abi._I32, abi._VOID


def raise_status_helper(wm: abi._WrapperModule) -> ir.Function:
    """`void jitlab.raise_status(i32 status, ptr msg, ptr unknown)`: set the exception that a native
    call's nonzero `status` stands for (`excinfo.EXCEPTIONS[status]`) with the call's message `msg`
    (null: none; a C string; or a record of values to format, `formatted.py`), or for a status of
    `excinfo.IMPORTED` the class its module holds; a status out of range raises
    `SystemError(unknown % status)`; an exception already set (a failed `print`) is left as it is."""
    name = "jitlab.raise_status"
    return get_or_define(wm.module, name, ir.FunctionType(_VOID, (_I32, _PTR, _PTR)),
                         functools.partial(_write_raise_status_helper, wm))


def _write_raise_status_helper(wm: abi._WrapperModule, fn: ir.Function) -> None:
    status, msg, unknown = fn.args
    null = _PTR(None)
    b = ir.IRBuilder(fn.append_basic_block("entry"))
    table_type = ir.ArrayType(_PTR, len(excinfo.EXCEPTIONS))
    table = ir.GlobalVariable(wm.module, table_type, "jitlab.exceptions")
    table.linkage, table.global_constant = "private", True
    table.initializer = ir.Constant(table_type, [wm.data(f"PyExc_{e.__name__}") for e in excinfo.EXCEPTIONS])
    # a Python exception already set is the real one: `print` in compiled code failed (its write,
    # a format spec) and the function returned with it pending
    with b.if_then(b.icmp_unsigned("!=", b.call(wm.capi("PyErr_Occurred"), []), null), likely=False):
        b.ret_void()
    for k, (module, cls_name, _) in enumerate(excinfo.IMPORTED):  # import the module, take the class
        with b.if_then(b.icmp_unsigned("==", status, _I32(excinfo.IMPORTED_BASE + k)), likely=False):
            mod = b.call(wm.capi("PyImport_ImportModule"), [wm.cstr(module)])
            with b.if_then(b.icmp_unsigned("==", mod, null), likely=False):
                b.ret_void()  # the ImportError is set
            cls = b.call(wm.capi("PyObject_GetAttrString"), [mod, wm.cstr(cls_name)])
            b.call(wm.capi("Py_DecRef"), [mod])
            with b.if_then(b.icmp_unsigned("==", cls, null), likely=False):
                b.ret_void()  # the AttributeError is set
            _set_exception(wm, b, cls, msg)
            b.call(wm.capi("Py_DecRef"), [cls])
            b.ret_void()
    with b.if_then(b.icmp_unsigned(">=", status, _I32(len(excinfo.EXCEPTIONS))), likely=False):
        b.call(wm.capi("PyErr_Format"), [wm.exc(b, "SystemError"), unknown, status])
        b.ret_void()
    exc_var = b.load(b.gep(table, [_I32(0), status], source_etype=table_type), typ=_PTR)
    _set_exception(wm, b, b.load(exc_var, typ=_PTR), msg)
    b.ret_void()


def _set_exception(wm: abi._WrapperModule, b: ir.IRBuilder, exc: ir.Value, msg: ir.Value) -> None:
    """Set `exc` with the native message `msg` (null: none; a C string; or a record of values)."""
    null = _PTR(None)
    with b.if_else(b.icmp_unsigned("==", msg, null)) as (no_message, message):
        with no_message:
            b.call(wm.capi("PyErr_SetNone"), [exc])
        with message:  # a C string, or a record of values to format (`formatted.py`)
            first = b.load(msg, typ=_I8)
            fn = b.function
            done = fn.append_basic_block("set")
            text, record, key = (fn.append_basic_block(n) for n in ("text", "record", "key"))
            switch = b.switch(first, text)
            switch.add_case(_I8(formatted.MARKER), record)
            switch.add_case(_I8(formatted.KEY_MARKER), key)  # KeyError(key): the value itself
            helpers = ((record, formatted.set_message_helper(wm)), (key, formatted.set_key_helper(wm)))
            for block, helper in helpers:
                b.position_at_end(block)
                b.call(helper, [exc, msg])
                b.branch(done)
            b.position_at_end(text)
            b.call(wm.capi("PyErr_SetString"), [exc, msg])
            b.branch(done)
            b.position_at_end(done)


_SHARED_RELEASES = 4  # jitlab.nrt.release0..3: results holding up to 3 arrays


def _define_shared_helpers(wm: abi._WrapperModule) -> list[ir.Function]:
    return [wm.bool_helper(), wm.arg_error_helper(), raise_status_helper(wm),
            formatted.set_message_helper(wm), formatted.set_key_helper(wm), abi._numpy_api(wm),
            nrt.free_block_function(wm.module, wm.capi("PyCapsule_GetPointer")),
            *(nrt.release_function(wm.module, n) for n in range(_SHARED_RELEASES))]


@functools.cache
def _wrapper_support() -> tuple[str, tuple[tuple[str, ir.FunctionType], ...]]:
    """The support module's IR text and (name, type) of each helper it exports."""
    module = ir.Module(name="jitlab.wrapper_support")
    module.triple = llvm.get_process_triple()
    helpers = _define_shared_helpers(abi._WrapperModule(module, jit=True))
    for fn in helpers:
        fn.linkage = ""  # external: exported to the wrappers
    return str(module), tuple((fn.name, fn.ftype) for fn in helpers)


def support_object() -> tuple[bytes, tuple[str, ...]]:
    """The support module's object code for this CPU and the helper symbols it defines."""
    text, helpers = _wrapper_support()
    return codegen.emit_object(text, *codegen.host_cpu()), tuple(name for name, _ in helpers)


def declare_shared(module: ir.Module) -> None:
    """Declare every shared helper in a JIT wrapper module under construction."""
    for name, ftype in _wrapper_support()[1]:
        ir.Function(module, ftype, name)
