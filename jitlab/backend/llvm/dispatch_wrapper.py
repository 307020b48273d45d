"""A dispatcher's strict entry: one METH_FASTCALL|METH_KEYWORDS builtin per dispatcher that
picks a loaded specialisation in native code.

`make_dispatch_ir` generates, for a table of (exact Python argument classes, specialisation
wrapper symbol) rows, a function that compares `Py_TYPE(arg)` of every argument with
`PyLong_Type`, `PyFloat_Type` or `PyBool_Type` row by row and calls the first matching
specialisation's `.pywrap` wrapper with the arguments as given.  A call with keywords,
another argument count or any other argument class (NumPy scalars and arrays included)
goes to the fallback: a Python callable (the dispatcher's slow path) that Python stores
through the module's exported setter after loading, and that the wrapper calls with
`PyObject_Vectorcall`.  No address is baked into the code.

`jitlab.dispatch.Dispatcher` gives each instance its own subclass and sets the builtin
as that subclass's `__call__`: a builtin is not a descriptor, so `d(*args)` reaches it
through `slot_tp_call` with just the arguments and no Python frame.
"""
from __future__ import annotations

import ctypes
import itertools

import llvmlite.binding as llvm
from llvmlite import ir

from . import abi

_PTR = ir.PointerType(ir.IntType(8))
_SSIZE = ir.IntType(64)
_I32 = ir.IntType(32)
_VOID = ir.VoidType()

METH_FASTCALL_KEYWORDS = 0x0080 | 0x0002

# The Python classes the strict entry recognises, by their C API type object.
TYPE_SYMBOLS = {int: "PyLong_Type", float: "PyFloat_Type", bool: "PyBool_Type"}
_FUNCTIONS = {"PyObject_Vectorcall": (_PTR, (_PTR, _PTR, _SSIZE, _PTR)),
              "Py_IncRef": (_VOID, (_PTR,)), "Py_DecRef": (_VOID, (_PTR,))}

_counter = itertools.count()
_registered = False


def _register_symbols() -> None:
    global _registered
    if not _registered:
        abi.register_capi_symbols()
        for name in (*TYPE_SYMBOLS.values(), *_FUNCTIONS):
            llvm.add_symbol(name, ctypes.addressof(ctypes.c_char.in_dll(ctypes.pythonapi, name)))
        _registered = True


def make_dispatch_ir(name: str, table: list[tuple[tuple[type, ...], str]]) -> tuple[str, str, str]:
    """LLVM IR text of the dispatch module, its entry symbol and its fallback setter symbol.

    `table` rows are (Python classes of the arguments, each one of `TYPE_SYMBOLS`;
    symbol of the METH_FASTCALL wrapper to call), tried in order.
    """
    _register_symbols()
    base = f"{name}.dispatch.{next(_counter)}"
    module = ir.Module(name=base)
    module.triple = llvm.get_process_triple()
    decls = {n: ir.Function(module, ir.FunctionType(r, p), n) for n, (r, p) in _FUNCTIONS.items()}
    types = {}
    for pytype, sym in TYPE_SYMBOLS.items():
        g = ir.GlobalVariable(module, ir.IntType(8), sym)
        g.linkage = "external"
        types[pytype] = g
    fallback = ir.GlobalVariable(module, _PTR, f"{base}.fallback")
    fallback.linkage = "internal"
    fallback.initializer = _PTR(None)

    setter = ir.Function(module, ir.FunctionType(_VOID, (_PTR,)), f"{base}.set_fallback")
    sb = ir.IRBuilder(setter.append_basic_block("entry"))
    sb.store(setter.args[0], fallback)
    sb.ret_void()

    fn = ir.Function(module, ir.FunctionType(_PTR, (_PTR, _PTR, _SSIZE, _PTR)), base)
    self_, args, nargs, kwnames = fn.args
    entry = fn.append_basic_block("entry")
    slow = fn.append_basic_block("fallback")
    b = ir.IRBuilder(entry)
    b.cbranch(b.icmp_unsigned("!=", kwnames, _PTR(None)), slow, fn.append_basic_block("positional"))
    b.position_at_end(fn.blocks[-1])
    ob_type = ir.Constant(_SSIZE, abi._OB_TYPE_OFFSET)
    loaded: dict[int, ir.Value] = {}

    def arg_type(i: int) -> ir.Value:
        if i not in loaded:  # loaded in the first row that needs it, which dominates later rows
            slot = b.gep(args, [ir.Constant(_SSIZE, i * ctypes.sizeof(ctypes.c_void_p))], inbounds=True)
            obj = b.load(b.bitcast(slot, _PTR.as_pointer()))
            loaded[i] = b.load(b.bitcast(b.gep(obj, [ob_type], inbounds=True), _PTR.as_pointer()))
        return loaded[i]

    by_arity: dict[int, list] = {}
    for classes, symbol in table:
        by_arity.setdefault(len(classes), []).append((classes, symbol))
    switch = b.switch(nargs, slow)
    for arity, rows in by_arity.items():
        block = fn.append_basic_block(f"n{arity}")
        switch.add_case(ir.Constant(_SSIZE, arity), block)
        b.position_at_end(block)
        loaded.clear()
        for classes, symbol in rows:
            callee = module.globals.get(symbol) or ir.Function(
                module, ir.FunctionType(_PTR, (_PTR, _PTR, _SSIZE)), symbol)
            ok = ir.Constant(ir.IntType(1), 1)
            for i, cls in enumerate(classes):
                ok = b.and_(ok, b.icmp_unsigned("==", arg_type(i), b.bitcast(types[cls], _PTR)))
            hit, miss = fn.append_basic_block("hit"), fn.append_basic_block("miss")
            b.cbranch(ok, hit, miss)
            b.position_at_end(hit)
            call = b.call(callee, (self_, args, nargs), tail="tail")
            b.ret(call)
            b.position_at_end(miss)
        b.branch(slow)

    b.position_at_end(slow)
    target = b.load(fallback)
    # The builtin's owner holds the only reference: keep it alive while it runs, since the
    # fallback may replace this builtin (and free its owner) when it adds a specialisation.
    b.call(decls["Py_IncRef"], (target,))
    result = b.call(decls["PyObject_Vectorcall"], (target, args, nargs, kwnames))
    b.call(decls["Py_DecRef"], (target,))
    b.ret(result)
    return str(module), base, setter.name


class DispatchOwner(abi.NativeFunctionOwner):
    """`__self__` of a dispatch builtin: also holds the fallback (the code only borrows it)."""


def make_dispatch_builtin(engine, name: str, table, fallback, *, doc: str | None = None,
                          module: str | None = None):
    """The strict-entry builtin for `table` (see `make_dispatch_ir`) in `engine`."""
    text, symbol, setter = make_dispatch_ir(name, table)
    engine.add_ir(text)
    ctypes.CFUNCTYPE(None, ctypes.c_void_p)(engine.address_of(setter))(id(fallback))
    name_bytes = name.encode("utf-8")
    doc_bytes = doc.encode("utf-8") if doc is not None else None
    method_def = abi._PyMethodDef(name_bytes, engine.address_of(symbol), METH_FASTCALL_KEYWORDS, doc_bytes)
    owner = DispatchOwner(f"jitlab.native.{name}", method_def, (name_bytes, doc_bytes), engine)
    owner.fallback = fallback
    return abi._PyCFunction_NewEx(ctypes.addressof(method_def), owner, module)
