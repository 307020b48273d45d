"""Lowering of `py.print`: `print(...)` in compiled code, written to `sys.stdout` when it runs.

The frontend made the whole line one format string (`str()` of each value, `sep` between them,
`end` after them; f-strings and constants folded in).  Here each value becomes what
`formatted.py`'s message records hold -- an int, a float, a complex, a bool, for an array a
`numpy.ndarray` over its memory made with NumPy's C API (read-only, no copy), for a number of
another width (`float32`, `int32`...) the NumPy scalar CPython would hold (`a[()]` of a 0-d
array), so `np.float32` shows its own shortest digits -- tuples are
spelled out item by item as `str(tuple)` does (`(1, 2.5)`, `(1,)`, `repr()` of each item) and
None is a literal.  The record lives in the function's frame and goes to `print_helper`, an
internal copy in this module of the helper that formats the record with CPython's C API
(`PyObject_Str`, `PyObject_Format`...) and writes the text with `PyFile_WriteObject` to the
`sys.stdout` of that moment -- so the output is CPython's text, in order with the prints of
Python code, and captured wherever `sys.stdout` points (pytest's capsys, Jupyter's stream).

Compiled code runs with the GIL held (the wrapper never releases it), which the C API needs.  A
print that fails (a failing `write`, a bad format spec) returns with the Python exception set;
the function then returns at once, even from inside a `try` (a compiled `except` matches status
codes, not Python exception objects: the exception goes to the caller), and the wrapper keeps the
exception that is already set (`wrapper_support.raise_status_helper`).  `print` is an effect on
the state token: passes never remove or reorder it.
"""
from __future__ import annotations

from llvmlite import ir

from jitlab.errors import LoweringError
from jitlab.ir.types import (
    C128, F64 as F64_T, I64 as I64_T, ArrayType, ComplexType, FloatType, IntType, NoneType, TupleType, Type,
)

from . import abi, excinfo, formatted
from .lower import I64, FunctionLowerer
from .signature import PTR, STATUS, llvm_type

_CONVERT = {None: str, "s": str, "r": repr, "a": ascii}


class _PrintModule(abi._WrapperModule):
    """The C API declarations of one function module (its strings named uniquely)."""

    def cstr(self, text: str) -> ir.GlobalVariable:
        if text not in self._strings:
            data = bytearray(text.encode("utf-8") + b"\0")
            kind = ir.ArrayType(ir.IntType(8), len(data))
            var = ir.GlobalVariable(self.module, kind, self.module.get_unique_name("jitlab.print.str"))
            var.linkage, var.global_constant, var.unnamed_addr = "private", True, True
            var.initializer = ir.Constant(kind, data)
            self._strings[text] = var
        return self._strings[text]


def _field(conversion: str | None, spec: str) -> str:
    return "{" + (f"!{conversion}" if conversion else "") + (f":{spec}" if spec else "") + "}"


class _Line:
    """The format string and the record's values of one print, built piece by piece."""

    def __init__(self, fl: FunctionLowerer, wm: _PrintModule):
        self.fl, self.wm = fl, wm
        self.fmt: list[str] = []
        self.values: list[ir.Value] = []
        self.kinds: list[int] = []

    def literal(self, text: str) -> None:
        self.fmt.append(formatted_escape(text))

    def value(self, value: ir.Value, t: Type, conversion: str | None, spec: str) -> None:
        if isinstance(t, NoneType):
            self.literal(format(_CONVERT[conversion](None), spec))
        elif isinstance(t, TupleType):
            if spec:
                raise LoweringError(f"print of a tuple with the format spec {spec!r} (CPython: unsupported "
                                    "format string passed to tuple.__format__)", line=self.fl.line)
            self.literal("(")
            for k, item in enumerate(t.items):
                if k:
                    self.literal(", ")
                item_value = self.fl.builder.extract_value(value, k)
                self.value(item_value, item, "a" if conversion == "a" else "r", "")
            self.literal(",)" if len(t.items) == 1 else ")")
        elif isinstance(t, ArrayType):
            self.fmt.append(_field(conversion, spec))
            self.values.append(_box_array(self.fl, self.wm, t.dtype, t.ndim, value))
            self.kinds.append(formatted.OBJECT)
        elif numpy_scalar(t):
            self.fmt.append(_field(conversion, spec))
            self.values.append(_box_scalar(self.fl, self.wm, t, value))
            self.kinds.append(formatted.OBJECT)
        else:
            self.fmt.append(_field(conversion, spec))
            self.values.append(value)
            self.kinds.append(formatted.value_kind(t))


def formatted_escape(text: str) -> str:
    return text.replace("{", "{{").replace("}", "}}")


def print_(fl: FunctionLowerer, node, args, in_types, out_types):
    wm = _PrintModule(fl.module, jit=True)  # declarations and helpers found by name if there
    line = _Line(fl, wm)
    values = iter(zip(args[:-1], in_types[:-1]))
    for literal, spec, conversion in formatted.pieces(node.attr("format")):
        if spec is None:
            line.literal(literal)
        else:
            line.value(*next(values), conversion, spec)
    bld = fl.builder
    record = formatted.make_record(fl, "".join(line.fmt), line.values, line.kinds, on_stack=True)
    flush = ir.Constant(ir.IntType(1), 1 if node.attr("flush") else 0)
    status = bld.call(formatted.print_helper(wm, "jitlab.print.record"), [record, flush])
    # a failed print leaves the function at once with its Python exception set, also from inside a
    # `try` (compiled handlers cannot match a Python exception object: it is not caught there)
    failed, ok = fl.func.append_basic_block("print.failed"), fl.func.append_basic_block("print.ok")
    bld.cbranch(bld.icmp_signed("!=", status, ir.Constant(status.type, 0)), failed, ok)
    bld.position_at_end(failed)
    bld.ret(ir.Constant(STATUS, excinfo.code_of(RuntimeError)))
    bld.position_at_end(ok)
    return [None]


def numpy_scalar(t: Type) -> bool:
    """A value CPython would hold as a NumPy scalar, printed as one (`np.float32` shows its own
    shortest digits): every number type but Python's int, float, complex and bool."""
    return isinstance(t, (IntType, FloatType, ComplexType)) and t not in (I64_T, F64_T, C128)


def _box_scalar(fl: FunctionLowerer, wm: _PrintModule, t: Type, value: ir.Value) -> ir.Value:
    """The NumPy scalar of `value`: `a[()]` of a 0-d array over a copy in the frame."""
    bld = fl.builder
    slot = fl.alloca(llvm_type(t), name="print.scalar")
    bld.store(value, slot)
    array = _box_array(fl, wm, t, 0, None, data=bld.bitcast(slot, PTR))
    empty = bld.call(wm.capi("PyTuple_New"), [I64(0)])
    scalar = bld.call(wm.capi("PyObject_GetItem"), [array, empty])  # (null array: null, error set)
    bld.call(wm.capi("Py_DecRef"), [empty])
    with bld.if_then(bld.icmp_unsigned("!=", array, ir.Constant(PTR, None))):
        bld.call(wm.capi("Py_DecRef"), [array])
    return scalar


def _box_array(fl: FunctionLowerer, wm: _PrintModule, dtype: Type, ndim: int, struct: ir.Value | None,
               data: ir.Value | None = None) -> ir.Value:
    """A read-only `numpy.ndarray` over an array struct's memory, or a 0-d one over `data` (null
    with the error set)."""
    bld = fl.builder
    i32 = ir.IntType(32)
    dims = fl.alloca(ir.ArrayType(I64, max(2 * ndim, 1)), name="print.dims")
    for k in range(ndim):
        bld.store(bld.extract_value(struct, [1, k]), bld.gep(dims, [I64(0), I64(k)]))
        bld.store(bld.extract_value(struct, [2, k]), bld.gep(dims, [I64(0), I64(ndim + k)]))
    api = bld.call(abi._numpy_api(wm), [])
    null = ir.Constant(PTR, None)
    ok, done = fl.func.append_basic_block("print.box"), fl.func.append_basic_block("print.boxed")
    before = bld.block
    bld.cbranch(bld.icmp_unsigned("!=", api, null), ok, done)
    bld.position_at_end(ok)

    def api_slot(index: int, function: ir.FunctionType) -> ir.Value:
        return bld.load(bld.gep(api, [I64(index)], source_etype=PTR), typ=function.as_pointer())

    descr = bld.call(api_slot(abi._NPY_DESCR_FROM_TYPE, ir.FunctionType(PTR, (i32,))),
                     [i32(abi.to_dtype(dtype).num)])  # a new reference, stolen by the next call
    ndarray = bld.load(bld.gep(api, [I64(abi._NPY_ARRAY_TYPE)], source_etype=PTR), typ=PTR)
    new = ir.FunctionType(PTR, (PTR, PTR, i32, PTR, PTR, PTR, i32, PTR))
    array = bld.call(api_slot(abi._NPY_NEW_FROM_DESCR, new),
                     [ndarray, descr, i32(ndim), bld.gep(dims, [I64(0), I64(0)]),
                      bld.gep(dims, [I64(0), I64(ndim)]),
                      data if data is not None else bld.extract_value(struct, 0), i32(0), null])
    from_box = bld.block
    bld.branch(done)
    bld.position_at_end(done)
    result = bld.phi(PTR, name="printed.array")
    result.add_incoming(null, before)  # no NumPy table: the record's null fails the print
    result.add_incoming(array, from_box)
    return result


__all__ = ["print_"]
