"""Typing rules of the CUDA kernel intrinsics: `py.call {callee="jitlab.cuda.…"}`.

The frontend turns `cuda.threadIdx.x` into a call of `jitlab.cuda.threadIdx.x` with no
arguments (see `jitlab/cuda/__init__.py`).  Indices and sizes are `int64`, like every
other Python int in jitlab (the backend reads the 32-bit special registers and widens
them).  `grid(n)`/`gridsize(n)` give an int for n == 1, else a tuple of n ints.
`shared.array(shape, dtype)` and `local.array(shape, dtype)` need a constant shape (an int
or a tuple of ints) and a dtype (`cuda.float32`, ...); they give a C-contiguous array.
`atomic.op(array, index, value)` returns the old element; `atomic.cas(array, index, expected,
value)` too.  `cuda.math.f(x)` keeps float32 as float32 (ints become float64).
"""
from __future__ import annotations

import numpy as np

from jitlab.ir.types import F64, I64, NONE, ArrayType, FloatType, IntType, TupleType, Type

from ..infer import NO_CONST, RuleContext
from ..lattice import is_integer, is_numeric, promote

PREFIX = "jitlab.cuda."
DIM3 = ("threadIdx", "blockIdx", "blockDim", "gridDim")
ATOMIC_DTYPES = ("int32", "int64", "uint32", "uint64", "float32", "float64")
MATH_BINARY = ("pow", "atan2", "hypot")


# `cuda.float32` & co. reach the compiler as these int constants (typing has no str constants).
DTYPE_CODES = {name: 0x6A00 + k for k, name in enumerate(ATOMIC_DTYPES)}
_DTYPE_NAMES = {code: name for name, code in DTYPE_CODES.items()}


def dtype_of(name: object) -> Type:
    """The element type named by a `shared.array`/`local.array` dtype argument (a `cuda.float32`)."""
    if name not in _DTYPE_NAMES:
        raise TypeError(name)
    dtype = np.dtype(_DTYPE_NAMES[name])
    if dtype.kind == "f":
        return FloatType(dtype.itemsize * 8)
    if dtype.kind in "iu":
        return IntType(dtype.itemsize * 8, dtype.kind == "i")
    raise TypeError(name)


def array_shape(value: object) -> tuple[int, ...] | None:
    shape = (value,) if isinstance(value, int) else value
    if isinstance(shape, tuple) and shape and all(isinstance(n, int) and n > 0 for n in shape):
        return shape
    return None


def _arity(ctx: RuleContext, name: str, args: list[Type], n: int) -> None:
    if len(args) != n:
        raise ctx.error(f"cuda.{name}() takes {n} arguments ({len(args)} given)")


def _ndim(ctx: RuleContext, name: str, args: list[Type]) -> int:
    _arity(ctx, name, args, 1)
    ndim = ctx.const(ctx.node.inputs[0])
    if ndim not in (1, 2, 3):
        raise ctx.error(f"cuda.{name}(ndim) needs a constant ndim of 1, 2 or 3")
    return ndim


def _array(ctx: RuleContext, name: str, args: list[Type]) -> Type:
    _arity(ctx, name, args, 2)
    shape = array_shape(ctx.const(ctx.node.inputs[0]))
    if shape is None:
        raise ctx.error(f"cuda.{name}(shape, dtype) needs a constant shape (an int or a tuple of ints)")
    dtype = ctx.const(ctx.node.inputs[1])
    try:
        element = dtype_of(dtype)
    except TypeError:
        raise ctx.error(f"cuda.{name}(shape, dtype): {dtype!r} is not a jitlab.cuda dtype",
                        hint="pass cuda.float32, cuda.float64, cuda.int32, ...") from None
    return ArrayType(element, len(shape), "C")


def _atomic(ctx: RuleContext, name: str, args: list[Type]) -> Type:
    _arity(ctx, name, args, 4 if name == "atomic.cas" else 3)
    array, index = args[0], args[1]
    if not isinstance(array, ArrayType):
        raise ctx.error(f"cuda.{name}() needs an array first, got {array}")
    if str(array.dtype) not in [str(dtype_of(code)) for code in DTYPE_CODES.values()]:
        raise ctx.error(f"cuda.{name}() on an array of {array.dtype} is not supported",
                        hint="atomics work on int32, int64, float32 and float64 arrays")
    items = index.items if isinstance(index, TupleType) else (index,)
    if len(items) != array.ndim or not all(is_integer(t) for t in items):
        raise ctx.error(f"cuda.{name}() needs {array.ndim} integer indices into {array}")
    for value in args[2:]:
        if not is_numeric(value):
            raise ctx.error(f"cuda.{name}() needs a number to store, got {value}")
    if name == "atomic.cas" and not isinstance(array.dtype, IntType):
        raise ctx.error("cuda.atomic.cas() works on integer arrays only")
    return array.dtype


def _math(ctx: RuleContext, name: str, args: list[Type]) -> Type:
    fn = name.removeprefix("math.")
    _arity(ctx, name, args, 3 if fn == "fma" else 2 if fn in MATH_BINARY else 1)
    for t in args:
        if not is_numeric(t):
            raise ctx.error(f"cuda.{name}() needs numbers, got {t}")
    result = promote(*args)
    return result if isinstance(result, FloatType) else F64


def type_call(ctx: RuleContext, callee: str, args: list[Type]) -> Type:
    """The result type of a `jitlab.cuda.*` callee."""
    name = callee.removeprefix(PREFIX)
    head, _, axis = name.partition(".")
    if head in DIM3 and axis in ("x", "y", "z"):
        _arity(ctx, name, args, 0)
        return I64
    if name in ("grid", "gridsize"):
        ndim = _ndim(ctx, name, args)
        return I64 if ndim == 1 else TupleType((I64,) * ndim)
    if name == "syncthreads":
        _arity(ctx, name, args, 0)
        return NONE
    if name in ("shared.array", "local.array"):
        return _array(ctx, name, args)
    if head == "atomic":
        return _atomic(ctx, name, args)
    if head == "math":
        return _math(ctx, name, args)
    raise ctx.error(f"call of unsupported kernel function {callee}")


__all__ = ["DTYPE_CODES", "NO_CONST", "PREFIX", "array_shape", "dtype_of", "type_call"]
