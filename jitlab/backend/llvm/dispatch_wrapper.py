"""A dispatcher's strict entry: one METH_FASTCALL|METH_KEYWORDS builtin per dispatcher that
picks a loaded specialisation in native code.

`make_dispatch_ir` generates, for a table of (exact Python argument classes, specialisation
wrapper symbol) rows, a function that compares `Py_TYPE(arg)` of every argument with
`PyLong_Type`, `PyFloat_Type`, `PyBool_Type`, `PyComplex_Type` or `PyUnicode_Type` row by row and
calls the first matching specialisation's `.pywrap` wrapper with the arguments as given.  A call
with keywords, another argument count or any other argument class (NumPy scalars and arrays included)
goes to the fallback: a Python callable (the dispatcher's slow path) that Python stores
through the module's exported setter after loading, and that the wrapper calls with
`PyObject_Vectorcall`.  No address is baked into the code.

NumPy arrays have rows too: an `ArrayKind(dtype, ndim, layout)` matches an argument whose type
is exactly `numpy.ndarray`, whose descriptor is NumPy's canonical one for `dtype` (the same
object `numpy.dtype(name)` returns: native byte order), with `ndim` dimensions and the layout
`typeof` would give (C when C-contiguous, else F when F-contiguous, else A).  It reads `nd`,
`descr` and `flags` from the array object at the offsets of NumPy's `PyArrayObject_fields`,
checked once on a real array (`array_rows_supported`); where they do not hold, array calls
keep the fallback.  The ndarray type and the descriptors are symbols added to the JIT.

`jitlab.dispatch.Dispatcher` gives each instance its own subclass and sets the builtin
as that subclass's `__call__`: a builtin is not a descriptor, so `d(*args)` reaches it
through `slot_tp_call` with just the arguments and no Python frame.

The module's names (entry, fallback setter) come from a hash of the table, and the code refers
to the specialisations by symbol only, so a table whose symbols are the same in every process
(specialisations loaded from the persistent cache: their symbols come from their key digests)
gives the same object code: `make_dispatch_builtin(..., objects=...)` keeps it there, and a
restarted process loads it instead of building LLVM IR.  This module imports NumPy and
llvmlite's IR builder only when an array row or new code needs them.
"""
from __future__ import annotations

import ctypes
import functools
import hashlib
import itertools
import sys
from typing import TYPE_CHECKING, NamedTuple

import llvmlite.binding as llvm

from . import codegen, native
from .irmodule import declare, external_global

if TYPE_CHECKING:
    import numpy as np

METH_FASTCALL_KEYWORDS = 0x0080 | 0x0002

# The Python classes the strict entry recognises, by their C API type object.
TYPE_SYMBOLS = {int: "PyLong_Type", float: "PyFloat_Type", bool: "PyBool_Type", complex: "PyComplex_Type",
                str: "PyUnicode_Type"}
_FUNCTIONS = ("PyObject_Vectorcall", "Py_IncRef", "Py_DecRef")  # (declared in `make_dispatch_ir`)

_counter = itertools.count()
_registered = False

# numpy/ndarraytypes.h, PyArrayObject_fields: after PyObject_HEAD, char *data, int nd,
# npy_intp *dimensions, npy_intp *strides, PyObject *base, PyArray_Descr *descr, int flags.
_ND_OFFSET, _DESCR_OFFSET, _FLAGS_OFFSET = 24, 56, 64
NPY_C_CONTIGUOUS, NPY_F_CONTIGUOUS = 0x1, 0x2


class ArrayKind(NamedTuple):
    """What selects a specialisation for an array argument in the strict entry."""

    dtype: str  # numpy.dtype(dtype) is the array's descriptor object
    ndim: int
    layout: str  # "C", "F" or "A", as `dispatch.array_type` decides


@functools.cache
def _canonical(name: str) -> np.dtype:
    import numpy as np

    return np.dtype(name)


def array_kind(a: np.ndarray) -> ArrayKind | None:
    """The row key of an array argument, or None when no row can recognise it natively."""
    import numpy as np

    dtype = a.dtype
    if type(a) is not np.ndarray or a.ndim == 0 or dtype.kind not in "biufc" \
            or dtype is not _canonical(dtype.name):
        return None
    flags = a.flags
    layout = "C" if flags.c_contiguous else "F" if flags.f_contiguous else "A"
    return ArrayKind(dtype.name, a.ndim, layout)


@functools.cache
def array_rows_supported() -> bool:
    """Whether NumPy's array struct has the field offsets the array rows read (checked on arrays)."""
    if sys.maxsize <= 2**32:  # the offsets are those of 64-bit builds
        return False
    import numpy as np

    for a in (np.empty((2, 3)), np.empty((5,), np.int32), np.empty((2, 3), order="F")[:, ::2]):
        base = id(a)
        nd = ctypes.c_int.from_address(base + _ND_OFFSET).value
        descr = ctypes.c_void_p.from_address(base + _DESCR_OFFSET).value
        flags = ctypes.c_int.from_address(base + _FLAGS_OFFSET).value
        if nd != a.ndim or descr != id(a.dtype) or bool(flags & NPY_C_CONTIGUOUS) != a.flags.c_contiguous \
                or bool(flags & NPY_F_CONTIGUOUS) != a.flags.f_contiguous:
            return False
    return True


def _array_symbols(kind: ArrayKind) -> tuple[str, str]:
    """JIT symbols of the ndarray type and of `kind`'s descriptor, added on first use."""
    import numpy as np

    type_symbol, dtype_symbol = "jitlab.numpy.ndarray", f"jitlab.numpy.dtype.{kind.dtype}"
    llvm.add_symbol(type_symbol, id(np.ndarray))
    llvm.add_symbol(dtype_symbol, id(_canonical(kind.dtype)))
    return type_symbol, dtype_symbol


def _register_symbols() -> None:
    global _registered
    if not _registered:
        native.register_capi_symbols()
        for name in (*TYPE_SYMBOLS.values(), *_FUNCTIONS):
            llvm.add_symbol(name, ctypes.addressof(ctypes.c_char.in_dll(ctypes.pythonapi, name)))
        _registered = True


def entry_name(name: str, table: list[tuple[tuple, str]]) -> str:
    """The entry symbol of the dispatch module for `table`: the same in every process."""
    rows = repr([([k.__name__ if isinstance(k, type) else tuple(k) for k in classes], symbol)
                 for classes, symbol in table])
    return f"{name}.dispatch.{hashlib.sha256(rows.encode('utf-8')).hexdigest()[:20]}"


def make_dispatch_ir(base: str, table: list[tuple[tuple[type, ...], str]]) -> tuple[str, str, str]:
    """LLVM IR text of the dispatch module, its entry symbol (`base`) and its fallback setter symbol.

    `table` rows are (per argument a Python class of `TYPE_SYMBOLS` or an `ArrayKind`;
    symbol of the METH_FASTCALL wrapper to call), tried in order.  The text is made once per
    table shape (`_dispatch_template`: the rows' classes, and which rows call the same wrapper)
    and copied with this entry's symbols put in.
    """
    _register_symbols()
    symbols = list(dict.fromkeys(symbol for _, symbol in table))
    text = _dispatch_template(tuple((tuple(classes), symbols.index(symbol)) for classes, symbol in table))
    for k, symbol in enumerate(symbols):
        text = text.replace(f'"{_ROW.format(k)}"', f'"{_quoted(symbol)}"')
    return text.replace(f'"{_BASE}', f'"{_quoted(base)}'), base, f"{base}.set_fallback"


_BASE, _ROW = "jitlab.dispatch.template", "jitlab.dispatch.template.row{}"  # stand-in symbols


def _quoted(symbol: str) -> str:
    """`symbol` as LLVM IR spells it between quotes."""
    return symbol.replace("\\", "\\5c").replace('"', "\\22")


@functools.lru_cache(maxsize=256)
def _dispatch_template(shape: tuple[tuple[tuple, int], ...]) -> str:
    return _dispatch_ir(_BASE, [(classes, _ROW.format(k)) for classes, k in shape])


def _dispatch_ir(base: str, table: list[tuple[tuple, str]]) -> str:
    from llvmlite import ir

    _PTR, _SSIZE, _I32, _VOID = ir.PointerType(ir.IntType(8)), ir.IntType(64), ir.IntType(32), ir.VoidType()
    signatures = {"PyObject_Vectorcall": (_PTR, (_PTR, _PTR, _SSIZE, _PTR)),
                  "Py_IncRef": (_VOID, (_PTR,)), "Py_DecRef": (_VOID, (_PTR,))}
    module = ir.Module(name=base)
    module.triple = llvm.get_process_triple()
    decls = {n: ir.Function(module, ir.FunctionType(*signatures[n]), n) for n in _FUNCTIONS}
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
    ob_type = ir.Constant(_SSIZE, native.OB_TYPE_OFFSET)
    loaded: dict[int, tuple[ir.Value, ir.Value]] = {}

    def arg(i: int) -> tuple[ir.Value, ir.Value]:
        """(the argument object, its type), loaded at the start of the arity's block."""
        if i not in loaded:
            slot = b.gep(args, [ir.Constant(_SSIZE, i * ctypes.sizeof(ctypes.c_void_p))], inbounds=True)
            obj = b.load(b.bitcast(slot, _PTR.as_pointer()))
            loaded[i] = obj, b.load(b.bitcast(b.gep(obj, [ob_type], inbounds=True), _PTR.as_pointer()))
        return loaded[i]

    def symbol_address(name: str) -> ir.Value:
        return b.bitcast(external_global(module, name, ir.IntType(8)), _PTR)

    def field(obj: ir.Value, offset: int, ty: ir.Type) -> ir.Value:
        return b.load(b.bitcast(b.gep(obj, [ir.Constant(_SSIZE, offset)], inbounds=True), ty.as_pointer()))

    def matches(i: int, kind) -> ir.Value:
        """i1: argument `i` is of `kind` (a Python class or an ArrayKind). A row checks its
        arguments in order and stops at the first that does not match, so the array fields are
        read only from an object whose type is ndarray."""
        obj, typ = arg(i)
        if not isinstance(kind, ArrayKind):
            return b.icmp_unsigned("==", typ, b.bitcast(types[kind], _PTR))
        type_symbol, dtype_symbol = _array_symbols(kind)
        is_array = b.icmp_unsigned("==", typ, symbol_address(type_symbol))
        before = b.block
        check = fn.append_basic_block(f"array{i}")
        after = fn.append_basic_block(f"array{i}.done")
        b.cbranch(is_array, check, after)
        b.position_at_end(check)
        ok = b.icmp_signed("==", field(obj, _ND_OFFSET, _I32), ir.Constant(_I32, kind.ndim))
        ok = b.and_(ok, b.icmp_unsigned("==", field(obj, _DESCR_OFFSET, _PTR), symbol_address(dtype_symbol)))
        contiguity = b.and_(field(obj, _FLAGS_OFFSET, _I32),
                            ir.Constant(_I32, NPY_C_CONTIGUOUS | NPY_F_CONTIGUOUS))
        want = {"C": None, "F": NPY_F_CONTIGUOUS, "A": 0}[kind.layout]
        if want is None:
            layout_ok = b.icmp_unsigned("!=", b.and_(contiguity, ir.Constant(_I32, NPY_C_CONTIGUOUS)),
                                        ir.Constant(_I32, 0))
        else:
            layout_ok = b.icmp_unsigned("==", contiguity, ir.Constant(_I32, want))
        ok = b.and_(ok, layout_ok)
        checked = b.block
        b.branch(after)
        b.position_at_end(after)
        result = b.phi(ir.IntType(1))
        result.add_incoming(ir.Constant(ir.IntType(1), 0), before)
        result.add_incoming(ok, checked)
        return result

    by_arity: dict[int, list] = {}
    for classes, symbol in table:
        by_arity.setdefault(len(classes), []).append((classes, symbol))
    switch = b.switch(nargs, slow)
    for arity, rows in by_arity.items():
        block = fn.append_basic_block(f"n{arity}")
        switch.add_case(ir.Constant(_SSIZE, arity), block)
        b.position_at_end(block)
        loaded.clear()
        for i in range(arity):  # every argument and its type, loaded once where all rows see them
            arg(i)
        for classes, symbol in rows:
            callee = declare(module, symbol, ir.FunctionType(_PTR, (_PTR, _PTR, _SSIZE)))
            hit, miss = fn.append_basic_block("hit"), fn.append_basic_block("miss")
            for i, kind in enumerate(classes):
                nxt = fn.append_basic_block(f"arg{i + 1}") if i + 1 < len(classes) else hit
                b.cbranch(matches(i, kind), nxt, miss)
                b.position_at_end(nxt)
            if not classes:
                b.branch(hit)
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
    return str(module)


class DispatchOwner(native.NativeFunctionOwner):
    """`__self__` of a dispatch builtin: also holds the fallback (the code only borrows it)."""


def keep_dispatch_object(name: str, table, objects: native.ObjectCache) -> None:
    """Put the object code of the strict entry for `table` into `objects` if it is not there,
    without loading it (a table a restarted process will make on the way; see `Dispatcher`)."""
    symbol = entry_name(name, table)
    if objects.get(symbol) is None:
        text, _, _ = make_dispatch_ir(symbol, table)
        objects.put(symbol, *codegen.glue_object(text))


def make_dispatch_builtin(engine, name: str, table, fallback, *, doc: str | None = None,
                          module: str | None = None, objects: native.ObjectCache | None = None):
    """The strict-entry builtin for `table` (see `make_dispatch_ir`) in `engine`.

    With `objects`, the module's object code is looked up there by its entry name (and put there
    after generating it): only for a table whose symbols name the same code in every process.
    """
    _register_symbols()
    for classes, _ in table:  # the symbols array rows name (the cached code names them too)
        for kind in classes:
            if isinstance(kind, ArrayKind):
                _array_symbols(kind)
    symbol = entry_name(name, table)
    if engine.has_symbol(symbol):  # the same table twice in this process: each needs its own fallback
        symbol, objects = f"{symbol}.{next(_counter)}", None
    setter = f"{symbol}.set_fallback"
    found = objects.get(symbol) if objects is not None else None
    if found is None:
        text, _, _ = make_dispatch_ir(symbol, table)
        found = codegen.glue_object(text)
        if objects is not None:
            objects.put(symbol, *found)
    engine.add_object(*found)
    ctypes.CFUNCTYPE(None, ctypes.c_void_p)(engine.address_of(setter))(id(fallback))
    builtin = native.make_builtin(name, engine.address_of(symbol), doc, engine, module=module,
                                  flags=METH_FASTCALL_KEYWORDS, owner_class=DispatchOwner)
    builtin.__self__.fallback = fallback
    return builtin
