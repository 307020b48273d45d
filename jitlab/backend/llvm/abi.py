"""The CPython call path: a wrapper in LLVM IR that unboxes, calls native code and boxes.

A compiled function has the native convention

    i32 @sym(ptr %ret, ptr %excmsg, T1 %a1, ..., Tn %an)

(`0` = returned normally with the result stored through `%ret`; otherwise an index
into `excinfo.EXCEPTIONS`, with a NUL-terminated UTF-8 message stored into
`*excmsg`).  `make_wrapper_ir` generates, per compiled function, a CPython
`METH_FASTCALL` function around it and `make_builtin` turns the wrapper's address
into a real `builtin_function_or_method`.

Why this shape:

* **METH_FASTCALL**: CPython's vectorcall hands the wrapper the caller's argument
  array as is, with no tuple to build or parse, so a call costs about what a plain
  C builtin costs -- not a ctypes round trip that converts every argument in Python.
* **Symbols, not addresses**: the wrapper names the C API (`PyLong_AsLongLong`,
  `PyExc_ZeroDivisionError`, `_Py_NoneStruct`, ...) by symbol and never bakes in an
  `id()`, so its object code is relocatable and can be cached with the kernel.  The
  symbols are registered with LLVM's process-wide symbol table
  (`register_capi_symbols`), so any llvmlite JIT resolves them.
* **Argument semantics follow Python**: an `int` parameter takes anything with
  `__index__` (bool, `numpy.int64`); a `float` parameter takes anything
  `float()` takes that has `__float__`/`__index__` (int, `numpy.float32`); a
  `complex` parameter takes a complex or a real number; NumPy's narrower scalars
  (`numpy.int8` … `numpy.uint64`, `numpy.float32`) are typed as themselves and their
  parameters take any integer in range (`OverflowError` outside it) or any real
  number, rounded to single precision; a
  `bool` parameter takes only `bool` and `numpy.bool_` -- truthiness would
  silently turn `2` into `True` in code typed for a bool.  Errors are rewritten
  to name the function and the parameter; errors raised by user `__index__`/
  `__float__` code that are not TypeError/OverflowError pass through unchanged.
* **Error paths are cold**: they live in blocks (and in helpers shared by every JIT wrapper,
  `wrapper_support.py`)
  off the fast path; the fast path is one C API call per argument, the native call
  and one boxing call.
* **Arrays through the buffer protocol**: an array parameter takes any object that
  exports a buffer of the compiled element format and dimension count --
  `PyObject_GetBuffer` with strides and format, C- or F-contiguity when the
  layout promises it, and writability only for arguments the function may write
  (`array_writes.py`), so read-only arrays can still be read.  The buffer's data,
  shape and strides fill the struct the native code takes by pointer; every
  buffer taken is released on every path out of the wrapper.
* **Returned arrays through NumPy's C API**: the wrapper finds NumPy's function table
  (the `_ARRAY_API` capsule, once per module, as `import_array()` does) and makes the
  result with `PyArray_NewFromDescr`; its base is a capsule that frees the call's
  block, or the array argument a returned view lies in (read-only when that one is).
  Where the table is missing, for empty arrays and views of non-ndarray buffers the
  Python helper `nrt.box_array` does it (about 5 µs instead of 0.1 µs).

This module is the driver and the argument side (unboxing); the result side is `abi_boxing.py`,
and what every part shares (C types and API declarations, `_WrapperModule`) is `wrapper_module.py`.
"""
from __future__ import annotations

import ctypes
import functools
import re

from llvmlite import ir
import llvmlite.binding as llvm

from ...errors import LoweringError
from ...ir.types import (
    BOOL, C128, F64, I64, NONE, STR, ArrayType, ComplexType, DictType, FloatType, FunctionValueType, IntType,
    ListType, SetType, StrType,
    TupleType, Type,
)
from . import abi_dicts, abi_lists, native, nrt
from .abi_boxing import _box_value
# the result boxing (`abi_boxing.py`) and what all parts of the wrapper share (`wrapper_module.py`),
# importable from here as before
from .abi_boxing import _NPY_ARRAY_TYPE as _NPY_ARRAY_TYPE
from .abi_boxing import _NPY_DESCR_FROM_TYPE as _NPY_DESCR_FROM_TYPE
from .abi_boxing import _NPY_NEW_FROM_DESCR as _NPY_NEW_FROM_DESCR
from .abi_boxing import _numpy_api as _numpy_api
# what loading code needs lives in `native` (no IR builder there); these names stay here too
from .native import JIT_EXC_PREFIX as JIT_EXC_PREFIX
from .native import NativeFunctionOwner as NativeFunctionOwner
from .native import capi_symbols as capi_symbols
from .native import make_builtin as make_builtin
from .native import register_capi_symbols as register_capi_symbols
from .signature import llvm_type
from .wrapper_module import (
    _F64, _I8, _I32, _I64, _INT, _LAYOUT_FLAGS, _OB_TYPE_OFFSET, _PTR, _SCALARS, _SSIZE, _TP_NAME_OFFSET,
    PyBUF_FORMAT, PyBUF_WRITABLE, _box_type, _format_literal, _PyBuffer, _WrapperModule, buffer_format,
    to_dtype,
)
from .wrapper_module import _VOID as _VOID


def make_wrapper_ir(name: str, native_symbol: str, argtypes: tuple[Type, ...], rettype: Type,
                    *, argnames: tuple[str, ...] | None = None,
                    writable: tuple[bool, ...] | None = None, jit: bool = True) -> tuple[str, str]:
    """LLVM IR text of a module holding the METH_FASTCALL wrapper of `native_symbol`,
    and the wrapper's symbol name.

    The module declares `native_symbol` external (the JIT resolves it against the
    module that defines it) and references the C API by symbol (see
    `register_capi_symbols`, which this calls).  `name` is the Python-visible
    function name used in error messages; `argnames` (optional) names the
    parameters in argument errors, which otherwise count them from 1.
    `writable` flags the array arguments whose buffers must be writable
    (default: every array argument).
    """
    if any(isinstance(t, ListType) and not (t.elem in _SCALARS or abi_lists.is_tuple_item(t.elem))
           for t in argtypes):  # a list of arrays or lists: only compiled callers pass one
        register_capi_symbols()
        return abi_lists.refusing_wrapper(name, native_symbol, argtypes, jit)
    for t in argtypes:
        if t not in _SCALARS and t != NONE and not isinstance(t, (ArrayType, FunctionValueType)) and not (
                isinstance(t, ListType) and (t.elem in _SCALARS and t.elem != STR
                                             or abi_lists.is_tuple_item(t.elem))) \
                and not _is_table_argument(t) and not _is_tuple_argument(t):
            raise LoweringError(f"cannot pass an argument of type {t} from Python to native code")
    _check_returnable(rettype)
    if argnames is not None and len(argnames) != len(argtypes):
        raise ValueError(f"{len(argnames)} argument names for {len(argtypes)} arguments")
    if writable is None:
        writable = tuple(isinstance(t, ArrayType) and not t.readonly for t in argtypes)
    register_capi_symbols()
    template = _wrapper_template(tuple(argtypes), rettype, tuple(writable), argnames is not None, jit)
    names = {_NAME: name, **{_ARGNAME.format(i): n for i, n in enumerate(argnames or ())}}
    return _instantiate(template, native_symbol, names), f"{native_symbol}.pywrap"


# A wrapper's IR depends on its name, parameter names and native symbol only through a few
# strings, so it is generated once per signature shape with stand-ins for them (`_wrapper_template`)
# and each function gets a copy with its own put in (`_instantiate`): generating and printing the
# IR with llvmlite took longer than LLVM's parse and codegen of it.  A stand-in holds `%` so that
# it is told apart where a message is a `PyErr_Format` format (`_format_literal` doubles it).
_NAME, _ARGNAME, _SYMBOL = "\x01%N\x02", "\x01%A{}\x02", "jitlab.wrapper.template"
_STANDIN = re.compile(r"\\01%(%?)(N|A\d+)\\02")  # a stand-in as the IR text spells it
_STRING = re.compile(r'^(@"[^"]*") = (.*)\[(\d+) x i8\] c"(.*\\01%.*)"$', re.MULTILINE)


@functools.lru_cache(maxsize=256)
def _wrapper_template(argtypes: tuple[Type, ...], rettype: Type, writable: tuple[bool, ...],
                      named: bool, jit: bool) -> str:
    argnames = tuple(_ARGNAME.format(i) for i in range(len(argtypes))) if named else None
    return _wrapper_ir(_NAME, _SYMBOL, argtypes, rettype, argnames, writable, jit)


def _llvm_string(data: bytes) -> str:
    """`data` as it is spelt inside an LLVM `c"..."` constant."""
    return "".join(chr(c) if 32 <= c < 127 and c not in (34, 92) else f"\\{c:02x}" for c in data)


def _instantiate(template: str, native_symbol: str, names: dict[str, str]) -> str:
    """`template` with `names` and `native_symbol` in place of their stand-ins."""
    def standin(match: re.Match) -> tuple[str, bytes]:
        key = "\x01%" + match[2] + "\x02"
        value = names[key]
        return match[0], (_format_literal(value) if match[1] else value).encode("utf-8")

    sizes = {}  # a string's global → (its old size, its new size)

    def string(match: re.Match) -> str:
        var, between, body = match[1], match[2], match[4]
        size = old = int(match[3])
        for spelt, value in {standin(m) for m in _STANDIN.finditer(body)}:
            count = body.count(spelt)
            size += count * (len(value) - len(spelt.replace("\\01", "\x01").replace("\\02", "\x02")))
            body = body.replace(spelt, _llvm_string(value))
        sizes[var] = old, size
        return f'{var} = {between}[{size} x i8] c"{body}"'

    text = _STRING.sub(string, template)
    for var, (old, size) in sizes.items():  # the uses spell the string's type too
        text = text.replace(f"[{old} x i8]* {var}", f"[{size} x i8]* {var}")
    text = text.replace(f'; ModuleID = "{_SYMBOL}', f'; ModuleID = "{native_symbol}', 1)  # a comment
    symbol = native_symbol.replace("\\", "\\5c").replace('"', "\\22")
    return text.replace(f'"{_SYMBOL}', f'"{symbol}')

def _wrapper_ir(name: str, native_symbol: str, argtypes: tuple[Type, ...], rettype: Type,
                argnames: tuple[str, ...] | None, writable: tuple[bool, ...], jit: bool) -> str:
    """The text `make_wrapper_ir` returns, generated with llvmlite."""
    module = ir.Module(name=f"{native_symbol}.pywrap")
    module.triple = llvm.get_process_triple()
    wm = _WrapperModule(module, jit)
    if jit:  # the helpers every JIT wrapper calls live once in the process (`wrapper_support`)
        from . import wrapper_support

        wrapper_support.declare_shared(module)
    wrapper_symbol = f"{native_symbol}.pywrap"
    params = [_PTR if isinstance(t, (ArrayType, ListType, DictType, SetType, TupleType)) else
              llvm_type(t) if t == NONE or isinstance(t, FunctionValueType) else _SCALARS[t][0]
              for t in argtypes]
    native = ir.Function(module, ir.FunctionType(_I32, [_PTR, _PTR, *params]), native_symbol)
    wrapper = ir.Function(module, ir.FunctionType(_PTR, (_PTR, _PTR, _SSIZE)), wrapper_symbol)
    _, args, nargs = wrapper.args
    args.name, nargs.name = "args", "nargs"
    null = _PTR(None)
    b = ir.IRBuilder(wrapper.append_basic_block("entry"))
    ret_slot = b.alloca(_box_type(rettype), name="ret")
    msg_slot = b.alloca(_PTR, name="excmsg")
    views = []  # the Py_buffer of each array argument unboxed so far
    array_objects = []  # (object, struct, type) of the array arguments (a returned view's base)

    lists_in = []  # list arguments copied into the arena so far
    tables_in = []  # dict and set arguments copied in so far

    def release_views():
        for view in views:
            b.call(wm.capi("PyBuffer_Release"), [view])
        if lists_in or tables_in:  # an argument failed after a list was copied in: free the copies
            _release_all(wm, b)

    # -- argument count
    n = len(argtypes)
    fname = _format_literal(name)
    with b.if_then(b.icmp_signed("!=", nargs, _SSIZE(n)), likely=False):
        takes = f"{fname}() takes {n} positional argument{'' if n == 1 else 's'} but %zd "
        with b.if_else(b.icmp_signed("==", nargs, _SSIZE(1))) as (one, many):
            for block, verb in ((one, "was"), (many, "were")):
                with block:
                    fmt = wm.cstr(f"{takes}{verb} given")
                    b.call(wm.capi("PyErr_Format"), [wm.exc(b, "TypeError"), fmt, nargs])
        b.ret(null)

    # -- unbox each argument; a failure jumps to a cold block that explains it
    values = []
    for i, t in enumerate(argtypes):
        if isinstance(t, FunctionValueType):  # the dispatcher selected the specialisation by it
            values.append(ir.Constant(llvm_type(t), 0))
            continue
        obj = b.load(b.gep(args, [_SSIZE(i)], source_etype=_PTR), typ=_PTR, name=f"arg{i}")
        fail = wrapper.append_basic_block(f"arg{i}.error")
        label = f"'{argnames[i]}'" if argnames else str(i + 1)
        if isinstance(t, ListType):
            value = _copied_in(wm, b, wrapper, i, obj, t, fail, f"{name}() argument {label}",
                               lists_in, "list", abi_lists.unbox_list)
            values.append(value)
            with b.goto_block(fail):
                release_views()
                if not lists_in:
                    _release_all(wm, b)
                b.ret(null)
            lists_in.append((obj, value, t))
            continue
        if isinstance(t, (DictType, SetType)):  # a copy, reflected when the call ends
            value = _copied_in(wm, b, wrapper, i, obj, t, fail, f"{name}() argument {label}",
                               tables_in, "table", abi_dicts.unbox_table)
            values.append(value)
            with b.goto_block(fail):
                release_views()
                if not lists_in and not tables_in:
                    _release_all(wm, b)
                b.ret(null)
            tables_in.append((obj, value, t))
            continue
        if isinstance(t, ArrayType):
            struct, view = _unbox_array(wm, b, wrapper, obj, t, writable[i], fail,
                                        f"{name}() argument {label}")
            with b.goto_block(fail):
                release_views()
                b.ret(null)
            values.append(struct)
            views.append(view)
            array_objects.append((obj, struct, t))
            continue
        if isinstance(t, TupleType):  # a tuple of numbers: its struct, passed by pointer
            slot = b.alloca(llvm_type(t), name=f"arg{i}.tuple")
            b.store(_unbox_tuple(wm, b, wrapper, obj, t, fail), slot)
            values.append(slot)
        elif t == NONE:  # an optional argument left at None: only None selects this specialisation
            ok = wrapper.append_basic_block(f"arg{i}.ok")
            b.cbranch(b.icmp_unsigned("==", obj, wm.data("_Py_NoneStruct")), ok, fail)
            b.position_at_end(ok)
            values.append(ir.Constant(llvm_type(t), 0))
        elif t == STR:  # copied into the arena (`lower_str_bridge.unbox_helper`)
            from .lower_str_bridge import unbox_helper

            slot = b.alloca(_SCALARS[STR][0], name=f"arg{i}.str")
            ok = wrapper.append_basic_block(f"arg{i}.ok")
            b.cbranch(b.icmp_signed("==", b.call(unbox_helper(wm), [obj, slot]), _I32(0)), ok, fail)
            b.position_at_end(ok)
            values.append(b.load(slot, typ=_SCALARS[STR][0]))
        elif t == BOOL:
            r = b.call(wm.bool_helper(), [obj])
            ok = wrapper.append_basic_block(f"arg{i}.ok")
            b.cbranch(b.icmp_unsigned("<", r, _I32(2)), ok, fail)
            b.position_at_end(ok)
            values.append(b.trunc(r, _I8))
        else:
            if t == I64:
                v = b.call(wm.capi("PyLong_AsLongLong"), [obj])
                maybe_error = b.icmp_signed("==", v, _I64(-1))
            elif isinstance(t, IntType):
                v, maybe_error = _unbox_narrow_int(wm, b, obj, t)
            elif t == C128:  # a complex, or a real number (imaginary part 0.0)
                re = b.call(wm.capi("PyComplex_RealAsDouble"), [obj])
                im = b.call(wm.capi("PyComplex_ImagAsDouble"), [obj])
                v = b.insert_value(b.insert_value(ir.Constant(llvm_type(C128), None), re, 0), im, 1)
                maybe_error = b.fcmp_ordered("==", re, _F64(-1.0))
            else:
                v = b.call(wm.capi("PyFloat_AsDouble"), [obj])
                maybe_error = b.fcmp_ordered("==", v, _F64(-1.0))
                if t != F64:
                    v = b.fptrunc(v, _SCALARS[t][0])
            check = wrapper.append_basic_block(f"arg{i}.check")
            ok = wrapper.append_basic_block(f"arg{i}.ok")
            b.cbranch(maybe_error, check, ok)  # -1 is also a valid value: ask whether it failed
            b.position_at_end(check)
            b.cbranch(b.icmp_unsigned("!=", b.call(wm.capi("PyErr_Occurred"), []), null), fail, ok)
            b.position_at_end(ok)
            values.append(v)
        cont = b.block
        b.position_at_end(fail)
        kind = "None" if t == NONE else _tuple_kind(t) if isinstance(t, TupleType) else _SCALARS[t][1]
        type_fmt = _format_literal(f"{name}() argument {label} must be {kind}, not ") + "%.200s"
        range_msg = f"{name}() argument {label} is out of range for {t}"
        b.call(wm.arg_error_helper(), [obj, wm.cstr(type_fmt), wm.cstr(range_msg)])
        release_views()
        b.ret(null)
        b.position_at_end(cont)

    # -- call; a nonzero status raises EXCEPTIONS[status] with the native message
    b.store(null, msg_slot)
    status = b.call(native, [ret_slot, msg_slot, *values], name="status")
    for obj, header, t in lists_in:  # the caller's lists get the changes, even when it raised
        abi_lists.reflect_list(wm, b, obj, t, header)
    for obj, table, t in tables_in:  # and the caller's dicts and sets
        abi_dicts.reflect_table(wm, b, obj, t, table)
    lists_in.clear()  # from here the arena is released below, whatever happens
    tables_in.clear()
    release_views()
    failed = b.icmp_unsigned("!=", status, _I32(0))
    boxed_slot = None
    if _has_list(rettype):  # a list lives in the arena: box it before the arena goes
        boxed_slot = b.alloca(_PTR, name="boxed")
        b.store(null, boxed_slot)
        with b.if_then(b.not_(failed)):
            value = b.load(ret_slot, typ=llvm_type(rettype))
            # (an array beside a list, in a tuple, is boxed as a copy: the arena keeps nothing)
            b.store(abi_lists.box_item(wm, b, rettype, value), boxed_slot)
    with b.if_then(failed, likely=False):  # the message first: a str it shows is in the arena
        from .wrapper_support import raise_status_helper

        b.call(raise_status_helper(wm), [status, b.load(msg_slot, typ=_PTR),
                                          wm.cstr(f"{fname}() returned unknown status %d")])
        _release_all(wm, b)
        b.ret(null)
    kept = _release_arena(wm, b, NONE if boxed_slot is not None else rettype, ret_slot, failed)

    # -- box the result (a new reference, as METH_FASTCALL requires)
    if boxed_slot is not None:
        b.ret(b.load(boxed_slot, typ=_PTR))
        return str(module)
    if isinstance(rettype, (ArrayType, TupleType)):
        value = b.load(ret_slot, typ=llvm_type(rettype))
    elif rettype != NONE:
        value = b.load(ret_slot, typ=_box_type(rettype))
    else:
        value = None
    b.ret(_box_value(wm, b, rettype, value, kept, array_objects))
    return str(module)


def _copied_in(wm: _WrapperModule, b: ir.IRBuilder, wrapper: ir.Function, i: int, obj: ir.Value,
               t: Type, fail: ir.Block, message: str, earlier: list, kind: str, unbox) -> ir.Value:
    """The header of argument `i`'s copy (a list, dict or set, copied in by `unbox`, which jumps
    to `fail` with `message` when `obj` is not one): an object
    passed again as an earlier argument of the same type gets that argument's copy, as Python's
    aliasing does.  `earlier` holds (object, header, type) of the arguments copied so far."""
    null = _PTR(None)
    shared = null
    for o, h, et in earlier:
        if et == t:
            shared = b.select(b.icmp_unsigned("==", obj, o), h, shared)
    before = b.block
    fresh = wrapper.append_basic_block(f"arg{i}.copy")
    joined = wrapper.append_basic_block(f"arg{i}.{kind}")
    b.cbranch(b.icmp_unsigned("==", shared, null), fresh, joined)
    b.position_at_end(fresh)
    copy = unbox(wm, b, wrapper, obj, t, fail, message)
    copied = b.block
    b.branch(joined)
    b.position_at_end(joined)
    value = b.phi(_PTR, name=f"arg{i}.header")
    value.add_incoming(shared, before)
    value.add_incoming(copy, copied)
    return value


def _is_tuple_argument(t: Type) -> bool:
    """A tuple of ints, floats, bools and complex numbers (or of such tuples): unboxed by
    `_unbox_tuple`."""
    return isinstance(t, TupleType) and all(
        item in (I64, F64, BOOL, C128) or _is_tuple_argument(item) for item in t.items)


def _tuple_kind(t: Type) -> str:
    """How an argument error names a tuple type: `tuple[int, float]`."""
    if isinstance(t, TupleType):
        return f"tuple[{', '.join(_tuple_kind(item) for item in t.items)}]"
    return _SCALARS[t][1]


def _unbox_tuple(wm: _WrapperModule, b: ir.IRBuilder, wrapper: ir.Function, obj: ir.Value, t: TupleType,
                 fail: ir.Block) -> ir.Value:
    """The struct of a tuple argument of numbers: `obj` must be a tuple of `t`'s length whose
    items convert as scalar arguments do; otherwise branch to `fail` (the argument error)."""
    is_tuple = b.call(wm.capi("PyObject_IsInstance"), [obj, wm.data("PyTuple_Type")])
    length_ok = wrapper.append_basic_block("tuple.istuple")
    b.cbranch(b.icmp_signed("==", is_tuple, _I32(1)), length_ok, fail)
    b.position_at_end(length_ok)
    items_ok = wrapper.append_basic_block("tuple.length")
    size = b.call(wm.capi("PyTuple_Size"), [obj])
    b.cbranch(b.icmp_signed("==", size, _SSIZE(len(t.items))), items_ok, fail)
    b.position_at_end(items_ok)
    value = ir.Constant(llvm_type(t), None)
    bad = ir.Constant(ir.IntType(1), 0)
    for k, item_type in enumerate(t.items):
        item = b.call(wm.capi("PyTuple_GetItem"), [obj, _SSIZE(k)])  # borrowed
        if isinstance(item_type, TupleType):
            v = _unbox_tuple(wm, b, wrapper, item, item_type, fail)
        elif item_type == BOOL:
            r = b.call(wm.bool_helper(), [item])
            bad = b.or_(bad, b.icmp_unsigned(">=", r, _I32(2)))  # 2: not a bool; -1: an error
            v = b.icmp_unsigned("==", r, _I32(1))
        elif item_type == I64:
            v = b.call(wm.capi("PyLong_AsLongLong"), [item])
        elif item_type == C128:
            re = b.call(wm.capi("PyComplex_RealAsDouble"), [item])
            im = b.call(wm.capi("PyComplex_ImagAsDouble"), [item])
            v = b.insert_value(b.insert_value(ir.Constant(llvm_type(C128), None), re, 0), im, 1)
        else:
            v = b.call(wm.capi("PyFloat_AsDouble"), [item])
        value = b.insert_value(value, v, k)
    done = wrapper.append_basic_block("tuple.ok")
    bad = b.or_(bad, b.icmp_unsigned("!=", b.call(wm.capi("PyErr_Occurred"), []), _PTR(None)))
    b.cbranch(bad, fail, done)
    b.position_at_end(done)
    return value


def _require_instance(wm: _WrapperModule, b: ir.IRBuilder, wrapper: ir.Function, obj: ir.Value,
                      pytype: str, prefix: str, message: str, fail: ir.Block) -> None:
    """Go on in a new block `{prefix}.ok` where `obj` is an instance of the C API type object
    `pytype` (`PyObject_IsInstance`); otherwise set a TypeError `message` and branch to `fail`
    (from the block `{prefix}.badtype`)."""
    ok = wrapper.append_basic_block(f"{prefix}.ok")
    right = b.call(wm.capi("PyObject_IsInstance"), [obj, wm.data(pytype)])
    bad_type = wrapper.append_basic_block(f"{prefix}.badtype")
    b.cbranch(b.icmp_signed("==", right, _I32(1)), ok, bad_type)
    with b.goto_block(bad_type):
        b.call(wm.capi("PyErr_Format"), [wm.exc(b, "TypeError"), wm.cstr(_format_literal(message))])
        b.branch(fail)
    b.position_at_end(ok)


def _unbox_narrow_int(wm: _WrapperModule, b: ir.IRBuilder, obj: ir.Value, t: IntType):
    """(value, may have failed) of an `iN`/`uN` argument other than i64.

    Out of range sets `OverflowError` (the caller's `arg_error` words it), as CPython's own
    conversions do; `uint64` goes through `PyLong_AsUnsignedLongLong`.
    """
    if t.bits == 64:  # u64: PyLong_AsUnsignedLongLong takes only ints, so `__index__` first
        index = b.call(wm.capi("PyNumber_Index"), [obj])
        before = b.block
        with b.if_then(b.icmp_unsigned("!=", index, _PTR(None))):
            converted = b.call(wm.capi("PyLong_AsUnsignedLongLong"), [index])
            b.call(wm.capi("Py_DecRef"), [index])
            converted_block = b.block
        v = b.phi(_I64)
        v.add_incoming(_I64(-1), before)
        v.add_incoming(converted, converted_block)
        return v, b.icmp_signed("==", v, _I64(-1))
    wide = b.call(wm.capi("PyLong_AsLongLong"), [obj])
    lo, hi = (-(1 << (t.bits - 1)), (1 << (t.bits - 1)) - 1) if t.signed else (0, (1 << t.bits) - 1)
    outside = b.or_(b.icmp_signed("<", wide, _I64(lo)), b.icmp_signed(">", wide, _I64(hi)))
    failed = b.icmp_signed("==", wide, _I64(-1))
    with b.if_then(outside, likely=False):  # noqa: SIM117 (the inner test is code in the outer block)
        with b.if_then(b.icmp_unsigned("==", b.call(wm.capi("PyErr_Occurred"), []), _PTR(None))):
            b.call(wm.capi("PyErr_SetString"), [wm.exc(b, "OverflowError"), wm.cstr("out of range")])
    return b.trunc(wide, ir.IntType(t.bits)), b.or_(outside, failed)


def _check_returnable(t: Type) -> None:
    """Refuse result types the wrapper cannot box."""
    if isinstance(t, TupleType):
        for item in t.items:
            _check_returnable(item)
        return
    if isinstance(t, ListType):
        from jitlab.typing.list_items import holdable

        if not holdable(t.elem):
            raise LoweringError(f"cannot return a value of type {t} from native code to Python")
        return
    if isinstance(t, (DictType, SetType)):
        return
    if t not in _SCALARS and t != NONE and not isinstance(t, (IntType, FloatType, ComplexType, ArrayType)):
        raise LoweringError(f"cannot return a value of type {t} from native code to Python")


def _array_paths(t: Type, path: tuple[int, ...] = ()) -> list[tuple[int, ...]]:
    """The index path of every array inside a (nested) tuple type; `[()]` for an array."""
    if isinstance(t, ArrayType):
        return [path]
    if isinstance(t, TupleType):
        return [p for k, item in enumerate(t.items) for p in _array_paths(item, (*path, k))]
    return []


def _has_list(t: Type) -> bool:
    """Whether a result holds a list, dict, set or str (boxed before the arena is released)."""
    return isinstance(t, (ListType, DictType, SetType, StrType)) or isinstance(t, TupleType) and any(
        _has_list(i) for i in t.items)


def _is_table_argument(t: Type) -> bool:
    """A dict or set the wrapper can copy in: keys (and values) ints, floats, bools or tuples of them."""
    def simple(x: Type) -> bool:
        return x in (I64, F64, BOOL) or isinstance(x, TupleType) and bool(x.items) and all(
            i in (I64, F64, BOOL) for i in x.items)
    if isinstance(t, DictType):
        return simple(t.key) and simple(t.value)
    return isinstance(t, SetType) and simple(t.elem)


def _release_all(wm: _WrapperModule, b: ir.IRBuilder) -> None:
    """Free every arena block (the lists copied in before an argument failed)."""
    head = b.load(nrt.arena_global(wm.module), typ=_PTR)
    with b.if_then(b.icmp_unsigned("!=", head, _PTR(None))):
        b.call(nrt.release_function(wm.module, 0), [_PTR(None), _PTR(None)])


def _release_arena(wm: _WrapperModule, b: ir.IRBuilder, rettype: Type, ret_slot: ir.Value,
                   failed: ir.Value) -> list[ir.Value]:
    """Free what the call allocated (`nrt.py`), keeping the blocks of the returned arrays:
    return the block of each (null when it is not the call's own), in `_array_paths` order."""
    head = b.load(nrt.arena_global(wm.module), typ=_PTR)  # the arena's first field: its first block
    paths = _array_paths(rettype)
    with b.goto_entry_block():
        keeps = b.alloca(ir.ArrayType(_PTR, max(len(paths), 1)), name="keeps")
        kept = b.alloca(ir.ArrayType(_PTR, max(len(paths), 1)), name="kept")
    if paths:
        result = b.load(ret_slot, typ=llvm_type(rettype))
    for j, path in enumerate(paths):
        data = b.extract_value(result, [*path, 0])
        b.store(b.select(failed, _PTR(None), data), b.gep(keeps, [_I64(0), _I64(j)]))
        b.store(_PTR(None), b.gep(kept, [_I64(0), _I64(j)]))
    with b.if_then(b.icmp_unsigned("!=", head, _PTR(None))):
        b.call(nrt.release_function(wm.module, len(paths)), [keeps, kept])
    return [b.load(b.gep(kept, [_I64(0), _I64(j)]), typ=_PTR, name="kept") for j in range(len(paths))]


def _unbox_array(wm: _WrapperModule, b: ir.IRBuilder, wrapper: ir.Function, obj: ir.Value, t: ArrayType,
                 writable: bool, fail: ir.Block, what: str) -> tuple[ir.Value, ir.Value]:
    """Fill an array struct from `obj`'s buffer: return (the struct, the Py_buffer taken).

    On success the builder continues after the unboxing; every failure sets an
    error, holds no buffer and branches to `fail`.
    """
    with b.goto_entry_block():
        view = b.alloca(ir.ArrayType(_I8, ctypes.sizeof(_PyBuffer)), name="view")
        view.align = 8
        struct = b.alloca(llvm_type(t), name="array")
    flags = _LAYOUT_FLAGS[t.layout] | PyBUF_FORMAT | (PyBUF_WRITABLE if writable else 0)

    def field(name: str, typ: ir.Type) -> ir.Value:
        offset = getattr(_PyBuffer, name).offset
        return b.load(b.gep(view, [_I64(offset)], source_etype=_I8), typ=typ)

    got = b.call(wm.capi("PyObject_GetBuffer"), [obj, view, _INT(flags)])
    refused = wrapper.append_basic_block("buffer.refused")
    taken = wrapper.append_basic_block("buffer.taken")
    mismatch = wrapper.append_basic_block("buffer.mismatch")
    b.cbranch(b.icmp_signed("!=", got, _INT(0)), refused, taken)
    # the format, dimension count and item size must be the compiled ones
    b.position_at_end(taken)
    fmt = buffer_format(t).encode("ascii") + b"\0"
    fmt_ptr = field("format", _PTR)
    same = b.icmp_signed("==", field("ndim", _INT), _INT(t.ndim))
    same = b.and_(same, b.icmp_signed("==", field("itemsize", _SSIZE), _SSIZE(to_dtype(t.dtype).itemsize)))
    same = b.and_(same, b.icmp_unsigned("!=", fmt_ptr, _PTR(None)))
    for k, byte in enumerate(fmt):
        nxt = wrapper.append_basic_block(f"buffer.format.{k}")
        b.cbranch(same, nxt, mismatch)
        b.position_at_end(nxt)
        char = b.load(b.gep(fmt_ptr, [_I64(k)], source_etype=_I8), typ=_I8)
        same = b.icmp_unsigned("==", char, _I8(byte))
    filled = wrapper.append_basic_block("buffer.fill")
    b.cbranch(same, filled, mismatch)
    # the struct {data, shape[N], strides[N]} the native code reads
    b.position_at_end(filled)
    value = b.insert_value(ir.Constant(llvm_type(t), None), field("buf", _PTR), 0)
    shape_ptr, strides_ptr = field("shape", _PTR), field("strides", _PTR)
    for k in range(t.ndim):
        for src, index in ((shape_ptr, 1), (strides_ptr, 2)):
            item = b.load(b.gep(src, [_I64(k)], source_etype=_SSIZE), typ=_SSIZE)
            value = b.insert_value(value, item, [index, k])
    b.store(value, struct)
    done = b.block
    # not a buffer at all (TypeError): say which argument; other errors (BufferError: not
    # contiguous, read-only) pass through as the exporter raised them
    b.position_at_end(refused)
    not_buffer = b.call(wm.capi("PyErr_ExceptionMatches"), [wm.exc(b, "TypeError")])
    with b.if_then(b.icmp_signed("!=", not_buffer, _INT(0))):
        b.call(wm.capi("PyErr_Clear"), [])
        type_fmt = _format_literal(f"{what} must be an array ({t}), not ") + "%.200s"
        ob_type = b.load(b.gep(obj, [_I64(_OB_TYPE_OFFSET)], source_etype=_I8), typ=_PTR)
        tp_name = b.load(b.gep(ob_type, [_I64(_TP_NAME_OFFSET)], source_etype=_I8), typ=_PTR)
        b.call(wm.capi("PyErr_Format"), [wm.exc(b, "TypeError"), wm.cstr(type_fmt), tp_name])
    b.branch(fail)
    b.position_at_end(mismatch)
    b.call(wm.capi("PyBuffer_Release"), [view])
    message = f"{what} must be a {t.ndim}-dimensional array of {to_dtype(t.dtype)} ({t})"
    b.call(wm.capi("PyErr_SetString"), [wm.exc(b, "TypeError"), wm.cstr(message)])
    b.branch(fail)
    b.position_at_end(done)
    return struct, view


def wrap_native(engine, name: str, native_symbol: str, argtypes: tuple[Type, ...], rettype: Type,
                *, argnames: tuple[str, ...] | None = None, doc: str | None = None,
                module: str | None = None, writable: tuple[bool, ...] | None = None):
    """Add the wrapper of `native_symbol` to `engine` and return it as a builtin.

    `engine` is any JIT with `add_ir(text)` and `address_of(symbol)` (the protocol the
    pipeline uses); it must already hold `native_symbol`, and is kept alive by the builtin.
    """
    text, symbol = make_wrapper_ir(name, native_symbol, argtypes, rettype, argnames=argnames,
                                   writable=writable)
    native.load_wrapper_support()
    engine.add_ir(text)
    return make_builtin(name, engine.address_of(symbol), doc=doc, keepalive=engine, module=module)
