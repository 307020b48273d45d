"""NumPy ufuncs beyond the arithmetic core of `lower_arrays_math.scalar_op`: the logical ones
(`np.logical_and/or/xor`, computed on the operands as bools, as NumPy does), `np.fmax/fmin`
(NaN-ignoring), `np.copysign`, `np.fmod` (C's remainder), `np.nextafter`, `np.logaddexp(2)`,
`np.heaviside`, and the unary `np.deg2rad/radians`, `np.rad2deg/degrees`, `np.cbrt`,
`np.reciprocal` and `np.positive`; `np.floor/ceil/trunc/rint` of integers (the integers).

Typing (`rules/numpy_calls.py`) lists them with the other ufuncs and takes their result dtypes
from NumPy; `scalar_op` hands these names here (`EXTRA_OPS`), with the operands already converted
to the dtype they compute in (bool for the logical ones, the result's for the others).
"""
from __future__ import annotations

import math

from llvmlite import ir

from jitlab.errors import LoweringError
from jitlab.ir.types import BoolType, FloatType, IntType, Type

from .lower import FunctionLowerer

BINARY = {"logical_and", "logical_or", "logical_xor", "fmax", "fmin", "copysign", "fmod", "nextafter",
          "logaddexp", "logaddexp2", "heaviside"}
UNARY = {"deg2rad", "radians", "rad2deg", "degrees", "cbrt", "reciprocal", "positive"}
EXTRA_OPS = BINARY | UNARY


def identity_on(op: str, t: Type) -> bool:
    """`np.floor`, `np.ceil`, `np.trunc`, `np.rint` of integers: NumPy 2 gives the integers."""
    return op in ("floor", "ceil", "trunc", "rint") and isinstance(t, (IntType, BoolType))


def _libm(fl: FunctionLowerer, name: str, ty: ir.Type, nargs: int) -> ir.Function:
    return fl.declare(name if ty == ir.DoubleType() else name + "f", ir.FunctionType(ty, [ty] * nargs))


def scalar_op(fl: FunctionLowerer, op: str, values: list[ir.Value], t: Type) -> ir.Value:
    """NumPy's `op` on values of dtype `t`."""
    bld = fl.builder
    is_float = isinstance(t, FloatType)
    if identity_on(op, t):
        return values[0]
    if op in UNARY:
        return _unary(fl, op, values[0], t)
    x, y = values
    if isinstance(t, BoolType) and op.startswith("logical_"):
        return {"logical_and": bld.and_, "logical_or": bld.or_, "logical_xor": bld.xor}[op](x, y)
    if op in ("fmax", "fmin"):
        if is_float:
            return bld.call(fl.intrinsic("maxnum" if op == "fmax" else "minnum", x.type, 2), [x, y])
        signed = isinstance(t, IntType) and t.signed
        cmp = bld.icmp_signed if signed else bld.icmp_unsigned
        keep_x = cmp(">=" if op == "fmax" else "<=", x, y) if not isinstance(t, BoolType) else None
        if keep_x is None:
            return bld.or_(x, y) if op == "fmax" else bld.and_(x, y)
        return bld.select(keep_x, x, y)
    if not is_float and op == "fmod":  # C's remainder (sign of x); NumPy gives 0 for x % 0
        zero = ir.Constant(x.type, 0)
        by_zero = bld.icmp_unsigned("==", y, zero)
        safe = bld.select(by_zero, ir.Constant(x.type, 1), y)
        signed = isinstance(t, IntType) and t.signed
        if signed:  # INT_MIN % -1 would trap
            minus_one = bld.icmp_signed("==", safe, ir.Constant(x.type, -1))
            safe = bld.select(minus_one, ir.Constant(x.type, 1), safe)
        r = bld.srem(x, safe) if signed else bld.urem(x, safe)
        return bld.select(by_zero, zero, r)
    if not is_float:
        raise LoweringError(f"numpy.{op} on {t} needs a float (typing converts)", line=fl.line)
    if op == "copysign":
        return bld.call(fl.intrinsic("copysign", x.type, 2), [x, y])
    if op == "fmod":
        return bld.frem(x, y)
    if op == "nextafter":
        return bld.call(_libm(fl, "nextafter", x.type, 2), [x, y])
    if op == "heaviside":  # 0 below zero, y at zero, 1 above, NaN for NaN
        zero, one = ir.Constant(x.type, 0.0), ir.Constant(x.type, 1.0)
        sign = bld.select(bld.fcmp_ordered("<", x, zero), zero, one)
        at = bld.select(bld.fcmp_ordered("==", x, zero), y, sign)
        return bld.select(bld.fcmp_unordered("uno", x, x), x, at)
    return _logaddexp(fl, op, x, y)


def _logaddexp(fl: FunctionLowerer, op: str, x: ir.Value, y: ir.Value) -> ir.Value:
    """NumPy's log(exp(x) + exp(y)) (base 2 for logaddexp2) without overflow: the larger one plus
    log1p of the exponential of the difference; x + log(2) when equal (infinities included)."""
    bld = fl.builder
    two = op == "logaddexp2"
    ty = x.type
    d = bld.fsub(x, y)
    big = bld.select(bld.fcmp_ordered(">", d, ir.Constant(ty, 0.0)), x, y)
    neg = bld.fneg(bld.call(fl.intrinsic("fabs", ty), [d]))
    e = bld.call(fl.intrinsic("exp2" if two else "exp", ty), [neg])
    tail = bld.call(_libm(fl, "log1p", ty, 1), [e])
    if two:
        tail = bld.fmul(tail, ir.Constant(ty, 1.0 / math.log(2.0)))
    result = bld.fadd(big, tail)
    equal = bld.fadd(x, ir.Constant(ty, 1.0 if two else math.log(2.0)))
    result = bld.select(bld.fcmp_ordered("==", x, y), equal, result)
    return bld.select(bld.fcmp_unordered("uno", d, d), bld.fadd(x, y), result)


def _unary(fl: FunctionLowerer, op: str, x: ir.Value, t: Type) -> ir.Value:
    bld = fl.builder
    if op == "positive":
        return x
    if op == "reciprocal" and not isinstance(t, FloatType):  # NumPy: 1 // x in C (0 for |x| > 1)
        one = ir.Constant(x.type, 1)
        if isinstance(t, BoolType):
            return x
        by_zero = bld.icmp_unsigned("==", x, ir.Constant(x.type, 0))
        safe = bld.select(by_zero, one, x)
        signed = isinstance(t, IntType) and t.signed
        q = bld.sdiv(one, safe) if signed else bld.udiv(one, safe)
        return bld.select(by_zero, ir.Constant(x.type, 0), q)
    if not isinstance(t, FloatType):
        raise LoweringError(f"numpy.{op} on {t} needs a float (typing converts)", line=fl.line)
    if op == "reciprocal":
        return bld.fdiv(ir.Constant(x.type, 1.0), x)
    if op == "cbrt":
        return bld.call(_libm(fl, "cbrt", x.type, 1), [x])
    factor = math.pi / 180.0 if op in ("deg2rad", "radians") else 180.0 / math.pi
    return bld.fmul(x, ir.Constant(x.type, factor))


__all__ = ["EXTRA_OPS", "identity_on", "scalar_op"]
