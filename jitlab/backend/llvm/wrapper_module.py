"""What every part of the CPython wrapper shares (`abi.py`, `abi_boxing.py`, `abi_lists.py`,
`abi_dicts.py`, `wrapper_support.py`, `formatted.py`): the LLVM types of C's `int`/`long`/
`Py_ssize_t`, the C API's signatures, the table of scalar parameter types, the `Py_buffer` layout
and `_WrapperModule`, the module under construction that declares each C API symbol and string
once and holds the helpers shared by every argument (`bool_helper`, `arg_error_helper`).
"""
from __future__ import annotations

import ctypes

from llvmlite import ir

from ...ir.types import ArrayType, BOOL, C128, F64, I64, NONE, STR, FloatType, IntType, Type
from . import native
from .irmodule import declare, external_global, get_or_define
from .native import JIT_EXC_PREFIX
from .signature import llvm_type

_PTR = ir.PointerType()
_I8, _I32, _I64, _F64 = ir.IntType(8), ir.IntType(32), ir.IntType(64), ir.DoubleType()
_VOID = ir.VoidType()
_SSIZE = ir.IntType(ctypes.sizeof(ctypes.c_ssize_t) * 8)
_LONG = ir.IntType(ctypes.sizeof(ctypes.c_long) * 8)
_INT = _I32  # C `int`: 32 bits on every platform CPython supports

_OB_TYPE_OFFSET, _TP_NAME_OFFSET = native.OB_TYPE_OFFSET, native.TP_NAME_OFFSET

_LLVM_TYPES = {"ptr": _PTR, "i64": _I64, "f64": _F64, "int": _INT, "long": _LONG, "ssize": _SSIZE,
               "void": _VOID}
# name -> (return type, parameter types, variadic): `native.CAPI_FUNCTIONS` in llvmlite types
_CAPI_FUNCTIONS = {name: (_LLVM_TYPES[ret], tuple(_LLVM_TYPES[p] for p in params), variadic)
                   for name, (ret, params, variadic) in native.CAPI_FUNCTIONS.items()}

# jitlab type -> (LLVM type, name in error messages)
_SCALARS = {I64: (_I64, "int"), F64: (_F64, "float"), BOOL: (_I8, "bool"),
            C128: (llvm_type(C128), "complex")}
# NumPy's narrower scalars (`np.int8(3)`, `np.float32(0.5)`): unboxed through `__index__` or
# `__float__` as the 64-bit ones are, then range-checked (ints) or rounded (float32)
_SCALARS.update({IntType(bits, signed): (ir.IntType(bits), "int")
                 for bits in (8, 16, 32, 64) for signed in (True, False) if (bits, signed) != (64, True)})
_SCALARS[FloatType(32)] = (ir.FloatType(), "float")
_SCALARS[STR] = (llvm_type(STR), "str")  # by value: (UTF-32 data, length), copied into the arena


class _PyBuffer(ctypes.Structure):
    """CPython's `Py_buffer` (stable since 3.3): the offsets the wrapper reads."""

    _fields_ = [("buf", ctypes.c_void_p), ("obj", ctypes.c_void_p), ("len", ctypes.c_ssize_t),
                ("itemsize", ctypes.c_ssize_t), ("readonly", ctypes.c_int), ("ndim", ctypes.c_int),
                ("format", ctypes.c_char_p), ("shape", ctypes.c_void_p), ("strides", ctypes.c_void_p),
                ("suboffsets", ctypes.c_void_p), ("internal", ctypes.c_void_p)]


PyBUF_WRITABLE, PyBUF_FORMAT, PyBUF_STRIDES = 0x0001, 0x0004, 0x0018
PyBUF_C_CONTIGUOUS, PyBUF_F_CONTIGUOUS = 0x0038, 0x0058
_LAYOUT_FLAGS = {"C": PyBUF_C_CONTIGUOUS, "F": PyBUF_F_CONTIGUOUS, "A": PyBUF_STRIDES}


def to_dtype(t: Type):
    """The NumPy dtype of a jitlab element type (`typing.lattice`, loaded only when code is
    generated: loading cached code needs neither NumPy nor the type lattice)."""
    from ...typing.lattice import to_dtype as lattice_to_dtype

    return lattice_to_dtype(t)


def buffer_format(t: ArrayType) -> str:
    """The buffer-protocol format NumPy exports for arrays of `t`'s dtype (`d`, `l`, `?`…)."""
    import numpy as np

    return memoryview(np.empty(1, to_dtype(t.dtype))).format


def _box_type(t: Type) -> ir.Type:
    """The type of the native function's result slot for `t`."""
    if t == NONE:
        return _I64
    if t == BOOL:
        return _I8
    return llvm_type(t)


class _WrapperModule:
    """One wrapper module under construction: declares each C API symbol and string once."""

    long_type = _LONG

    def __init__(self, module: ir.Module, jit: bool = True):
        self.module = module
        self.exc_prefix = JIT_EXC_PREFIX if jit else ""
        self._strings: dict[str, ir.GlobalVariable] = {}

    def capi(self, name: str) -> ir.Function:
        ret, params, variadic = _CAPI_FUNCTIONS[name]
        return declare(self.module, name, ir.FunctionType(ret, params, var_arg=variadic))

    def data(self, name: str) -> ir.GlobalVariable:
        """An external C API object (`_Py_NoneStruct`) or pointer variable (`PyExc_*`)."""
        if name.startswith("PyExc_"):
            name = self.exc_prefix + name
        return external_global(self.module, name, _PTR)

    def exc(self, b: ir.IRBuilder, name: str) -> ir.Value:
        """The exception type `PyExc_<name>` (the symbol is a `PyObject*` variable: load it)."""
        return b.load(self.data(f"PyExc_{name}"), typ=_PTR)

    def cstr(self, text: str) -> ir.GlobalVariable:
        if text not in self._strings:
            data = bytearray(text.encode("utf-8") + b"\0")
            kind = ir.ArrayType(_I8, len(data))
            var = ir.GlobalVariable(self.module, kind, f".str.{len(self._strings)}")
            var.linkage, var.global_constant, var.unnamed_addr = "private", True, True
            var.initializer = ir.Constant(kind, data)
            self._strings[text] = var
        return self._strings[text]

    def bool_helper(self) -> ir.Function:
        """`i32 jitlab.unbox_bool(ptr obj)`: 1/0 for a bool or numpy.bool_, 2 for any
        other type (no error set), -1 when an error is set.

        numpy is looked up in `sys.modules` rather than imported: when numpy is not
        loaded the object cannot be a numpy bool, and a bad argument must not import it.
        """
        return get_or_define(self.module, "jitlab.unbox_bool", ir.FunctionType(_I32, (_PTR,)),
                             self._write_bool_helper)

    def _write_bool_helper(self, fn: ir.Function) -> None:
        (obj,) = fn.args
        b = ir.IRBuilder(fn.append_basic_block("entry"))
        null = _PTR(None)

        def ret_if(cond, value):
            with b.if_then(cond):
                b.ret(ir.Constant(_I32, value))

        ret_if(b.icmp_unsigned("==", obj, self.data("_Py_TrueStruct")), 1)
        ret_if(b.icmp_unsigned("==", obj, self.data("_Py_FalseStruct")), 0)
        modules = b.call(self.capi("PySys_GetObject"), [self.cstr("modules")])  # borrowed
        ret_if(b.icmp_unsigned("==", modules, null), 2)  # (at interpreter shutdown)
        numpy = b.call(self.capi("PyDict_GetItemString"), [modules, self.cstr("numpy")])  # borrowed
        ret_if(b.icmp_unsigned("==", numpy, null), 2)
        np_bool = b.call(self.capi("PyObject_GetAttrString"), [numpy, self.cstr("bool_")])
        with b.if_then(b.icmp_unsigned("==", np_bool, null)):
            b.call(self.capi("PyErr_Clear"), [])
            b.ret(ir.Constant(_I32, 2))
        match = b.call(self.capi("PyObject_IsInstance"), [obj, np_bool])
        b.call(self.capi("Py_DecRef"), [np_bool])
        ret_if(b.icmp_signed("<", match, _INT(0)), -1)
        ret_if(b.icmp_signed("==", match, _INT(0)), 2)
        truth = b.call(self.capi("PyObject_IsTrue"), [obj])  # 1, 0 or -1 (error set)
        b.ret(truth)

    def arg_error_helper(self) -> ir.Function:
        """`void jitlab.arg_error(ptr obj, ptr type_fmt, ptr range_msg)`: after an
        argument failed to convert, raise an error that names the parameter.

        A pending TypeError (or none: the type was rejected outright) becomes
        `TypeError(type_fmt % type(obj).__name__)`, an OverflowError becomes
        `OverflowError(range_msg)`; any other pending error (raised by a user's
        `__index__`, say) is left as it is.  The type name is read from `tp_name`
        as CPython's own messages do (`numpy.bool`, not just `bool`).
        """
        return get_or_define(self.module, "jitlab.arg_error", ir.FunctionType(_VOID, (_PTR, _PTR, _PTR)),
                             self._write_arg_error_helper)

    def _write_arg_error_helper(self, fn: ir.Function) -> None:
        obj, type_fmt, range_msg = fn.args
        b = ir.IRBuilder(fn.append_basic_block("entry"))
        type_error = fn.append_basic_block("type_error")
        with b.if_then(b.icmp_unsigned("!=", b.call(self.capi("PyErr_Occurred"), []), _PTR(None))):
            overflow = b.call(self.capi("PyErr_ExceptionMatches"), [self.exc(b, "OverflowError")])
            with b.if_then(b.icmp_signed("!=", overflow, _INT(0))):
                b.call(self.capi("PyErr_SetString"), [self.exc(b, "OverflowError"), range_msg])
                b.ret_void()
            is_type = b.call(self.capi("PyErr_ExceptionMatches"), [self.exc(b, "TypeError")])
            with b.if_then(b.icmp_signed("==", is_type, _INT(0))):
                b.ret_void()
            b.call(self.capi("PyErr_Clear"), [])
        b.branch(type_error)
        b.position_at_end(type_error)
        ob_type = b.load(b.gep(obj, [_I64(_OB_TYPE_OFFSET)], source_etype=_I8), typ=_PTR)
        tp_name = b.load(b.gep(ob_type, [_I64(_TP_NAME_OFFSET)], source_etype=_I8), typ=_PTR)
        b.call(self.capi("PyErr_Format"), [self.exc(b, "TypeError"), type_fmt, tp_name])
        b.ret_void()


def _format_literal(text: str) -> str:
    """`text` made safe to embed in a `PyErr_Format` format string."""
    return text.replace("%", "%%")
