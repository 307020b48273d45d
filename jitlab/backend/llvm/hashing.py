"""CPython's `hash()` of numbers and tuples of numbers, in LLVM IR (for dicts and sets).

The values are those of CPython's numeric hash (`Python/pyhash.c`, `Objects/longobject.c`,
`Objects/tupleobject.c`): a number's hash is its value modulo the Mersenne prime P = 2**61 - 1
(with its sign; -1 becomes -2), so equal numbers of different types (`1`, `1.0`, `True`) hash
alike; `inf` and `-inf` hash to 314159 and -314159; a tuple's is the xxHash-like combination
of its items' hashes.  NaN hashes to 0 (CPython 3.10+ hashes a NaN by its object's identity,
which compiled code has not: a NaN key is never equal to anything, so it is never found again
either way).
"""
from __future__ import annotations

from llvmlite import ir

from jitlab.errors import LoweringError
from jitlab.ir.types import BoolType, FloatType, IntType, StrType, TupleType, Type

I64 = ir.IntType(64)
F64 = ir.DoubleType()
MODULUS = (1 << 61) - 1
INF_HASH = 314159
XXPRIME_1 = 11400714785074694791
XXPRIME_2 = 14029467366897019727
XXPRIME_5 = 2870177450012600261


def _c(value: int) -> ir.Constant:
    """An i64 constant of a 64-bit pattern (written signed, as LLVM's parser wants it)."""
    value &= (1 << 64) - 1
    return I64(value - (1 << 64) if value >= 1 << 63 else value)


def _fix_minus_one(b: ir.IRBuilder, h: ir.Value) -> ir.Value:
    return b.select(b.icmp_signed("==", h, I64(-1)), I64(-2), h)


def _int_hash(b: ir.IRBuilder, x: ir.Value, t: Type) -> ir.Value:
    if isinstance(t, BoolType):
        return b.zext(x, I64)
    if t.bits < 64:
        x = b.sext(x, I64) if t.signed else b.zext(x, I64)
    if not t.signed:
        return b.urem(x, I64(MODULUS))  # below 2**64 < P * 2**4: never -1
    negative = b.icmp_signed("<", x, I64(0))
    magnitude = b.select(negative, b.sub(I64(0), x), x)  # INT64_MIN: 2**63 as unsigned
    r = b.urem(magnitude, I64(MODULUS))
    return _fix_minus_one(b, b.select(negative, b.sub(I64(0), r), r))


def _float_hash(b: ir.IRBuilder, x: ir.Value, t: FloatType) -> ir.Value:
    """m * 2**e mod P for the double m * 2**e: M rotated left by e mod 61 within 61 bits."""
    if t.bits < 64:
        x = b.fpext(x, F64)
    bits = b.bitcast(x, I64)
    negative = b.icmp_signed("<", bits, I64(0))
    exponent = b.and_(b.lshr(bits, I64(52)), I64(0x7FF))
    fraction = b.and_(bits, I64((1 << 52) - 1))
    subnormal = b.icmp_unsigned("==", exponent, I64(0))
    mantissa = b.select(subnormal, fraction, b.or_(fraction, I64(1 << 52)))
    e = b.select(subnormal, I64(-1074), b.sub(exponent, I64(1075)))
    k = b.srem(e, I64(61))
    k = b.select(b.icmp_signed("<", k, I64(0)), b.add(k, I64(61)), k)
    rotated = b.or_(b.and_(b.shl(mantissa, k), I64(MODULUS)), b.lshr(mantissa, b.sub(I64(61), k)))
    finite = _fix_minus_one(b, b.select(negative, b.sub(I64(0), rotated), rotated))
    special = b.icmp_unsigned("==", exponent, I64(0x7FF))
    infinite = b.icmp_unsigned("==", fraction, I64(0))
    inf = b.select(negative, I64(-INF_HASH), I64(INF_HASH))
    return b.select(special, b.select(infinite, inf, I64(0)), finite)


def hash_value(b: ir.IRBuilder, x: ir.Value, t: Type) -> ir.Value:
    """`hash(x)` for a value `x` of type `t` (a number or a tuple of numbers), as CPython's; a str
    gets a hash of its own (`lower_str.hash_function`: CPython's is seeded per process, and only
    a table's layout depends on it)."""
    if isinstance(t, StrType):
        from .lower_str import hash_function

        fn = hash_function(b.module)
        return b.call(fn, [b.extract_value(x, 0), b.extract_value(x, 1)])
    if isinstance(t, (BoolType, IntType)):
        return _int_hash(b, x, t)
    if isinstance(t, FloatType):
        return _float_hash(b, x, t)
    if isinstance(t, TupleType):
        acc = _c(XXPRIME_5)
        for k, item in enumerate(t.items):
            lane = hash_value(b, b.extract_value(x, k), item)
            acc = b.add(acc, b.mul(lane, _c(XXPRIME_2)))
            acc = b.or_(b.shl(acc, I64(31)), b.lshr(acc, I64(33)))
            acc = b.mul(acc, _c(XXPRIME_1))
        acc = b.add(acc, _c(len(t.items) ^ (XXPRIME_5 ^ 3527539)))
        return b.select(b.icmp_signed("==", acc, I64(-1)), I64(1546275796), acc)
    raise LoweringError(f"cannot hash a {t} value")


__all__ = ["hash_value"]
