"""The native calling convention of compiled jitlab functions, and LLVM types of jitlab types.

Every compiled λ becomes

    i32 @"jitlab.<name>.<argtype>.<argtype>…"(ptr %ret, ptr %excmsg, T1 %a1, …, Tn %an)

It returns 0 after storing the result through `%ret` (nothing is stored for a
`none` result), or a nonzero index into `excinfo.EXCEPTIONS` after storing a
pointer to a constant NUL-terminated UTF-8 message through `%excmsg`.  `i64` is
passed as `i64`, `f64` as `double`, `c128` as `{double, double}` by value, `bool`
as `i8` (0 or 1; `i1` inside the function, because `i1` in a C signature has no
portable ABI).  The status/out-pointer shape keeps compiled code free of the CPython API: the wrapper in
`abi.py` and jitted callers both speak it.

A str is passed and returned by value as `{ptr data, i64 length}` (`lower_str.py`).
An array is passed as a pointer to its struct `{ptr data, [N x i64] shape,
[N x i64] strides}` (strides in bytes, as NumPy's); inside a function it is
held as that struct by value.  A tuple is passed the same way, as a pointer to
the struct of its items (between compiled functions only).  The caller owns the memory the struct points to.
An array result is stored by value (the struct itself) through `%ret`; its memory
is an arena block or an argument's (`nrt.py`).
"""
from __future__ import annotations

from dataclasses import dataclass

from llvmlite import ir

from jitlab.errors import LoweringError
from jitlab.ir.nodes import Lambda
from jitlab.ir.types import (
    ArrayIterType, ArrayType, BoolType, ComplexType, DictIterType, DictType, DTypeType, EnumerateIterType,
    ExcType, FloatType, FunctionValueType, IntType,
    ListIterType, ListType, NoneType, RangeIterType, SetType, SliceType, StateType, StrIterType, StrType,
    TupleIterType, TupleType, Type, ZipIterType,
)

STATUS = ir.IntType(32)
PTR = ir.PointerType()
NONE_LLVM = ir.IntType(8)


def llvm_type(t: Type) -> ir.Type:
    """How a value of type `t` is held inside a function."""
    if isinstance(t, BoolType):
        return ir.IntType(1)
    if isinstance(t, IntType):
        return ir.IntType(t.bits)
    if isinstance(t, FloatType):
        return ir.DoubleType() if t.bits == 64 else ir.FloatType()
    if isinstance(t, ComplexType):
        part = llvm_type(t.part)
        return ir.LiteralStructType([part, part])  # (real, imag)
    if isinstance(t, NoneType):
        return NONE_LLVM  # a placeholder byte: `none` carries no information
    if isinstance(t, RangeIterType):
        item = llvm_type(t.item)
        return ir.LiteralStructType([item, item, item])  # (next, stop, step)
    if isinstance(t, ArrayType):
        dims = ir.ArrayType(ir.IntType(64), t.ndim)
        return ir.LiteralStructType([PTR, dims, dims])  # (data, shape, strides)
    if isinstance(t, TupleType):
        return ir.LiteralStructType([llvm_type(item) for item in t.items])
    if isinstance(t, ListType):
        return PTR  # the list's header in the arena (`lower_lists.py`)
    if isinstance(t, StrType):
        return ir.LiteralStructType([PTR, ir.IntType(64)])  # (UTF-32 data, length): `lower_str.py`
    if isinstance(t, StrIterType):
        return ir.LiteralStructType([llvm_type(StrType()), ir.IntType(64)])  # (str, next)
    if isinstance(t, ListIterType):
        return ir.LiteralStructType([PTR, ir.IntType(64)])  # (list, next index)
    if isinstance(t, (DictType, SetType)):
        return PTR  # the table's header in the arena (`lower_dicts.py`)
    if isinstance(t, DictIterType):
        return ir.LiteralStructType([PTR, ir.IntType(64), ir.IntType(64)])  # (table, next entry, length)
    if isinstance(t, SliceType):
        return ir.LiteralStructType([llvm_type(t.start), llvm_type(t.stop), llvm_type(t.step)])
    if isinstance(t, (DTypeType, FunctionValueType)):
        return NONE_LLVM  # known at compile time: the value carries nothing
    if isinstance(t, ExcType):
        return ir.LiteralStructType([STATUS, PTR])  # a caught exception: (status code, message)
    if isinstance(t, ArrayIterType):
        return ir.LiteralStructType([llvm_type(t.array), ir.IntType(64)])  # (array, next index)
    if isinstance(t, EnumerateIterType):
        return ir.LiteralStructType([llvm_type(t.inner), ir.IntType(64)])  # (iterator, count)
    if isinstance(t, ZipIterType):
        return ir.LiteralStructType([llvm_type(it) for it in t.iters])
    if isinstance(t, TupleIterType):
        return ir.LiteralStructType([llvm_type(t.source), ir.IntType(64)])  # (tuple, next index)
    raise LoweringError(f"no LLVM type for {t}")


def abi_type(t: Type) -> ir.Type:
    """How a value of type `t` crosses the native calling convention."""
    if isinstance(t, BoolType):
        return ir.IntType(8)
    if isinstance(t, (IntType, FloatType, ComplexType, NoneType, FunctionValueType, StrType)):
        # by value: a complex number {re, im}, a str {data, length}; None or a function: a placeholder byte
        return llvm_type(t)
    if isinstance(t, (ArrayType, TupleType)):
        return PTR  # an array's or a tuple's struct by pointer (a result comes back by value)
    if isinstance(t, (ListType, DictType, SetType)):
        return PTR  # a list, dict or set is its header's address
    raise LoweringError(f"values of type {t} cannot be passed to or returned from a compiled function")


def mangle(name: str, argtypes: tuple[Type, ...]) -> str:
    """The native symbol of `name` compiled for `argtypes`, e.g. `jitlab.f.i64.f64`."""
    return ".".join(["jitlab", name, *(str(t) for t in argtypes)])


@dataclass(frozen=True)
class NativeSignature:
    symbol: str
    argtypes: tuple[Type, ...]
    rettype: Type

    def __iter__(self):  # `symbol, argtypes, rettype = native_signature(fn)`
        return iter((self.symbol, self.argtypes, self.rettype))

    def function_type(self) -> ir.FunctionType:
        return ir.FunctionType(STATUS, [PTR, PTR, *(abi_type(t) for t in self.argtypes)])


def native_signature(fn: Lambda) -> NativeSignature:
    """Symbol, argument types and result type of a typed λ (the result may be `none`)."""
    params = fn.body.params
    argtypes = tuple(p.type for p in params if not isinstance(p.type, StateType))
    ret = fn.body.results[0]
    rettype = _find_type(fn, ret)
    symbol = fn.attr("symbol") or mangle(fn.name, argtypes)
    return NativeSignature(symbol, argtypes, rettype)


def _find_type(fn: Lambda, name: str) -> Type:
    for p in fn.body.params:
        if p.name == name:
            return p.type
    for node in fn.body.nodes:
        for p in node.outputs:
            if p.name == name:
                return p.type
    raise LoweringError(f"function {fn.name} returns %{name}, which is not defined in its body")
