"""What compiled code asks CPython to compute on strs: f-strings, `int(s)`, `float(s)`, and the
str methods that have no native loop (`lower_str.py` has those).

Compiled code runs with the GIL held (the wrapper never releases it), as `print` relies on
(`lower_print.py`).  Each operation boxes its strs into new `str` objects
(`PyUnicode_FromKindAndData`), calls CPython -- `format()` through the message-record helper of
`formatted.py` for an f-string, the method itself for `s.split(",")` -- and copies the result
back into the arena (`unbox_helper`: `PyUnicode_AsUCS4` into an arena block), dropping every
reference it made.  The text, the case mappings and the Unicode tables are therefore CPython's.

Errors: `int(s)` and `float(s)` raise their ValueError as jitlab's own exceptions (status and
message record, the str shown with `!r`), so a compiled `except ValueError` catches them; any
other failure inside CPython (out of memory) leaves the function at once with the Python
exception set, as a failed `print` does.
"""
from __future__ import annotations

import functools

from llvmlite import ir

from jitlab.errors import LoweringError
from jitlab.ir.types import (
    BOOL, F64 as F64_T, I64 as I64_T, BoolType, IntType, ListType, NoneType, StrType, TupleType, Type,
)

from . import excinfo, formatted, lower_str, nrt
from .irmodule import get_or_define
from .lower import I1, I64, FunctionLowerer
from .lower_str import STR_T, make, parts
from .signature import PTR, STATUS

I32 = ir.IntType(32)
_INT_MESSAGE = "invalid literal for int() with base 10: {!r}"
_FLOAT_MESSAGE = "could not convert string to float: {!r}"


def _wm(fl: FunctionLowerer):
    from .lower_print import _PrintModule

    return _PrintModule(fl.module, jit=True)


def unbox_helper(wm) -> ir.Function:
    """`i32 jitlab.str.unbox(ptr obj, ptr out)`: store the str `obj`'s (data, length), its code
    points copied into a new arena block, through `out`; 0, or -1 with the error set (a
    TypeError for an object that is not a str).  `wm` declares the C API (`abi._WrapperModule`)."""
    return get_or_define(wm.module, "jitlab.str.unbox", ir.FunctionType(I32, (PTR, PTR)),
                         functools.partial(_write_unbox, wm))


def _write_unbox(wm, fn: ir.Function) -> None:
    obj, out = fn.args
    b = ir.IRBuilder(fn.append_basic_block("entry"))
    n = b.call(wm.capi("PyUnicode_GetLength"), [obj])
    with b.if_then(b.icmp_signed("<", n, I64(0)), likely=False):
        b.ret(I32(-1))
    data = b.call(nrt.alloc_function(wm.module), [b.mul(b.add(n, I64(1)), I64(4)), ir.Constant(I1, 0)])
    with b.if_then(b.icmp_unsigned("==", data, ir.Constant(PTR, None)), likely=False):
        b.call(wm.capi("PyErr_NoMemory"), [])
        b.ret(I32(-1))
    copied = b.call(wm.capi("PyUnicode_AsUCS4"), [obj, data, n, I32(0)])
    with b.if_then(b.icmp_unsigned("==", copied, ir.Constant(PTR, None)), likely=False):
        b.ret(I32(-1))
    b.store(make(b, data, n), out)
    b.ret(I32(0))


def box(wm, b: ir.IRBuilder, s: ir.Value) -> ir.Value:
    """A new `str` of `s` (null with the error set)."""
    p, n = parts(b, s)
    return b.call(wm.capi("PyUnicode_FromKindAndData"), [I32(4), p, n])


def _fail_if_null(fl: FunctionLowerer, obj: ir.Value) -> None:
    """Leave the function with the Python exception that a null result set (`lower_print`'s
    rule: it reaches the caller, even from inside a `try`)."""
    bld = fl.builder
    failed = fl.func.append_basic_block("capi.failed")
    ok = fl.func.append_basic_block("capi.ok")
    bld.cbranch(bld.icmp_unsigned("==", obj, ir.Constant(PTR, None)), failed, ok)
    bld.position_at_end(failed)
    bld.ret(ir.Constant(STATUS, excinfo.code_of(RuntimeError)))
    bld.position_at_end(ok)


def _unboxed(fl: FunctionLowerer, wm, obj: ir.Value) -> ir.Value:
    """The str of `obj` (a new reference, which this drops) in the arena."""
    bld = fl.builder
    slot = fl.alloca(STR_T, name="str.unboxed")
    status = bld.call(unbox_helper(wm), [obj, slot])
    bld.call(wm.capi("Py_DecRef"), [obj])
    failed = bld.icmp_signed("!=", status, I32(0))
    _fail_if_null(fl, bld.select(failed, ir.Constant(PTR, None), bld.bitcast(slot, PTR)))
    return bld.load(slot, typ=STR_T)


def format_(fl: FunctionLowerer, node, args, in_types, out_types):
    """`py.format {format}`: the values formatted by CPython (`formatted.format_record_helper`,
    as `print` formats its line), copied into the arena; the plain cases (`str(i)`, `f"{s}: {i}"`
    of ints, bools and strs without a spec) natively (`lower_str.format_plain`)."""
    from .lower_print import _Line

    plain = lower_str.format_plain(fl, node.attr("format"), args, in_types)
    if plain is not None:
        return [plain]
    wm = _wm(fl)
    line = _Line(fl, wm)
    values = iter(zip(args, in_types))
    for literal, spec, conversion in formatted.pieces(node.attr("format")):
        if spec is None:
            line.literal(literal)
        else:
            line.value(*next(values), conversion, spec)
    record = formatted.make_record(fl, "".join(line.fmt), line.values, line.kinds, on_stack=True)
    text = fl.builder.call(formatted.format_record_helper(wm, "jitlab.print.record.format"), [record])
    _fail_if_null(fl, text)
    return [_unboxed(fl, wm, text)]


def parse_number(fl: FunctionLowerer, s: ir.Value, callee: str) -> ir.Value:
    """`int(s)` (base 10) or `float(s)`: CPython's parser; its ValueError raised as ours."""
    wm = _wm(fl)
    bld = fl.builder
    obj = box(wm, bld, s)
    _fail_if_null(fl, obj)
    if callee == "builtins.int":
        number = bld.call(wm.capi("PyLong_FromUnicodeObject"), [obj, I32(10)])
    else:
        number = bld.call(wm.capi("PyFloat_FromString"), [obj])
    bld.call(wm.capi("Py_DecRef"), [obj])
    bad = bld.icmp_unsigned("==", number, ir.Constant(PTR, None))
    with bld.if_then(bad, likely=False):
        bld.call(wm.capi("PyErr_Clear"), [])
    lower_str.raise_values(fl, bad, ValueError, _INT_MESSAGE if callee == "builtins.int" else _FLOAT_MESSAGE,
                           [s], [StrType()])
    if callee == "builtins.int":
        value = bld.call(wm.capi("PyLong_AsLongLong"), [number])
        bld.call(wm.capi("Py_DecRef"), [number])
        maybe = bld.icmp_signed("==", value, I64(-1))
        overflow = bld.and_(maybe, bld.icmp_unsigned("!=", bld.call(wm.capi("PyErr_Occurred"), []),
                                                     ir.Constant(PTR, None)))
        with bld.if_then(overflow, likely=False):
            bld.call(wm.capi("PyErr_Clear"), [])
        fl.raise_if(overflow, OverflowError, "int too large to convert to int64 in compiled code")
        return value
    value = bld.call(wm.capi("PyFloat_AsDouble"), [number])
    bld.call(wm.capi("Py_DecRef"), [number])
    return value


# -- methods CPython runs -------------------------------------------------------------------
def _box_arg(fl: FunctionLowerer, wm, value: ir.Value, t: Type) -> ir.Value:
    bld = fl.builder
    if isinstance(t, StrType):
        return box(wm, bld, value)
    if isinstance(t, BoolType):
        return bld.call(wm.capi("PyBool_FromLong"), [bld.zext(value, wm.long_type)])
    if isinstance(t, IntType):
        return bld.call(wm.capi("PyLong_FromLongLong"), [fl.cast(value, t, I64_T)])
    if isinstance(t, NoneType):
        none = wm.data("_Py_NoneStruct")
        bld.call(wm.capi("Py_IncRef"), [none])
        return none
    if isinstance(t, ListType):  # a list of strs (`sep.join(words)`)
        return box_str_list(fl, wm, value)
    raise LoweringError(f"cannot pass a {t} to a str method", line=fl.line)


def box_str_list(fl: FunctionLowerer, wm, lst: ir.Value) -> ir.Value:
    """A new `list` of the strs of arena list `lst` (`lower_lists.py`'s header)."""
    from . import lower_lists

    bld = fl.builder
    n = lower_lists.length(fl, lst)
    out = bld.call(wm.capi("PyList_New"), [n])
    _fail_if_null(fl, out)
    data = lower_lists._data(fl, lst)

    def body(i):
        item = bld.load(bld.gep(data, [i], source_etype=STR_T), typ=STR_T)
        bld.call(wm.capi("PyList_SetItem"), [out, i, box(wm, bld, item)])  # steals (null: error set)
    lower_lists._loop(fl, n, body)
    return out


def unbox_str_list(fl: FunctionLowerer, wm, obj: ir.Value, rt: ListType) -> ir.Value:
    """A new arena list of the strs of the `list` `obj` (a new reference, dropped)."""
    from . import lower_lists

    bld = fl.builder
    n = bld.call(wm.capi("PyList_Size"), [obj])
    lst = lower_lists.new_list(fl, rt.elem, n)
    data = lower_lists._data(fl, lst)

    def body(i):
        item = bld.call(wm.capi("PyList_GetItem"), [obj, i])  # borrowed
        bld.call(wm.capi("Py_IncRef"), [item])
        bld.store(_unboxed(fl, wm, item), bld.gep(data, [i], source_etype=STR_T))
    lower_lists._loop(fl, n, body)
    bld.call(wm.capi("Py_DecRef"), [obj])
    return lst


def callmethod(fl: FunctionLowerer, node, args, in_types, out_types):
    """`s.name(args...)` called on a new `str` of `s`; the result converted back."""
    wm = _wm(fl)
    bld = fl.builder
    values, types = args[:-1], in_types[:-1]
    name = node.attr("name")
    self_obj = box(wm, bld, values[0])
    _fail_if_null(fl, self_obj)
    method = bld.call(wm.capi("PyObject_GetAttrString"), [self_obj, wm.cstr(name)])
    bld.call(wm.capi("Py_DecRef"), [self_obj])
    _fail_if_null(fl, method)
    kwnames = tuple(node.attr("kwnames") or ())
    npos = len(values) - 1 - len(kwnames)
    argv = bld.call(wm.capi("PyTuple_New"), [I64(npos)])
    _fail_if_null(fl, argv)
    for k, (value, t) in enumerate(zip(values[1:1 + npos], types[1:1 + npos])):
        bld.call(wm.capi("PyTuple_SetItem"), [argv, I64(k), _box_arg(fl, wm, value, t)])
    kwargs = ir.Constant(PTR, None)
    if kwnames:  # `s.split(maxsplit=1)`
        kwargs = bld.call(wm.capi("PyDict_New"), [])
        _fail_if_null(fl, kwargs)
        for key, value, t in zip(kwnames, values[1 + npos:], types[1 + npos:]):
            boxed = _box_arg(fl, wm, value, t)
            bld.call(wm.capi("PyDict_SetItemString"), [kwargs, wm.cstr(key), boxed])
            bld.call(wm.capi("Py_DecRef"), [boxed])
    result = bld.call(wm.capi("PyObject_Call"), [method, argv, kwargs])
    bld.call(wm.capi("Py_DecRef"), [argv])
    if kwnames:
        bld.call(wm.capi("Py_DecRef"), [kwargs])
    bld.call(wm.capi("Py_DecRef"), [method])
    _fail_if_null(fl, result)
    return [convert_result(fl, wm, result, out_types[0]), None]


def convert_result(fl: FunctionLowerer, wm, obj: ir.Value, t: Type) -> ir.Value:
    """The value of type `t` of the new reference `obj` (dropped)."""
    bld = fl.builder
    if isinstance(t, StrType):
        return _unboxed(fl, wm, obj)
    if t == BOOL:
        truth = bld.call(wm.capi("PyObject_IsTrue"), [obj])
        bld.call(wm.capi("Py_DecRef"), [obj])
        return bld.icmp_signed(">", truth, ir.Constant(truth.type, 0))
    if t == I64_T:
        value = bld.call(wm.capi("PyLong_AsLongLong"), [obj])
        bld.call(wm.capi("Py_DecRef"), [obj])
        return value
    if t == F64_T:
        value = bld.call(wm.capi("PyFloat_AsDouble"), [obj])
        bld.call(wm.capi("Py_DecRef"), [obj])
        return value
    if isinstance(t, ListType) and isinstance(t.elem, StrType):
        return unbox_str_list(fl, wm, obj, t)
    if isinstance(t, TupleType) and all(isinstance(i, StrType) for i in t.items):
        result = ir.Constant(ir.LiteralStructType([STR_T] * len(t.items)), None)
        for k in range(len(t.items)):
            item = bld.call(wm.capi("PyTuple_GetItem"), [obj, I64(k)])  # borrowed
            bld.call(wm.capi("Py_IncRef"), [item])
            result = bld.insert_value(result, _unboxed(fl, wm, item), k)
        bld.call(wm.capi("Py_DecRef"), [obj])
        return result
    raise LoweringError(f"cannot take a {t} back from a str method", line=fl.line)


__all__ = ["box", "callmethod", "format_", "parse_number", "unbox_helper"]
